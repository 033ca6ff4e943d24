// Browser stand-in for node:module in the explore page's worker bundle. The engine loads its
// CommonJS dependencies on first use through createRequire (engine/lazy-require.ts,
// engine/expression/restricted.ts, engine/distributions/profiles.ts) to keep CLI start-up short;
// a bundle for the browser cannot resolve a name at run time, so the packages those call sites
// name are imported here statically and handed out by the same `require(id)` call.

import betainc from "@stdlib/math-base-special-betainc";
import erfc from "@stdlib/math-base-special-erfc";
import betaPdf from "@stdlib/stats-base-dists-beta-pdf";
import betaQuantile from "@stdlib/stats-base-dists-beta-quantile";
import * as mathjs from "mathjs";
import seedrandom from "seedrandom";

const MODULES: Readonly<Record<string, unknown>> = {
  "@stdlib/math-base-special-betainc": betainc,
  "@stdlib/math-base-special-erfc": erfc,
  "@stdlib/stats-base-dists-beta-pdf": betaPdf,
  "@stdlib/stats-base-dists-beta-quantile": betaQuantile,
  mathjs,
  seedrandom,
};

export function createRequire(_from: string | URL): (id: string) => unknown {
  return (id) => {
    if (Object.hasOwn(MODULES, id)) return MODULES[id];
    throw new Error(`${id} is not available in the lpe explore page`);
  };
}
