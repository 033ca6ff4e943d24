import { beta } from "../engine/distributions/beta.ts";
import bq from "@stdlib/stats-base-dists-beta-quantile";
import betainc from "@stdlib/math-base-special-betainc";
const d = beta(26.915239009483283, 0.2, 0, 0.01, "x");
for (const u of [1e-10, 0.001, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999]) {
  const q = d.quantile(u); const delta = 1e-14;
  console.log(u, q, d.cdf(q - delta), d.cdf(q), d.cdf(Math.min(q + delta, 0.01)), "sf", d.sf(q-delta), d.sf(q));
}
const a = 26.915239009483283, b = 0.2;
for (const u of [0.1, 0.3, 0.5]) { const x = bq(u, a, b); console.log("raw", u, x, 1-x, betainc(x, a, b), betainc(x,a,b,true,true)); const y = bq(1-u, b, a); console.log("  mirror", y, betainc(y, b, a, true, true)); }
