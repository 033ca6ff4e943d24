import { buildDistribution } from "../engine/distributions/from-spec.ts";
import { valueScale } from "../engine/distributions/value-scale.ts";
import { gaussKronrod } from "../engine/numerics/quadrature.ts";
import type { ContinuousDistribution } from "../engine/distributions/types.ts";
const w = buildDistribution({dist:"beta",a:3,b:0.7,min:1,max:3} as any, "w"), s = buildDistribution({dist:"truncPareto",alpha:1.5,min:0.05,max:1} as any, "s");
const d = valueScale(w, s, 0.2, "vs") as ContinuousDistribution;
const t0 = 3*Math.pow(0.05, 0.8); console.log("t0", t0);
for (const [a,b] of [[d.min, t0],[t0, 1],[1, 3]]) { const r = gaussKronrod((t)=>d.pdf(t), a, b, {epsrel:1e-12}); console.log(a,b,r.value, r.error, r.converged, "cdf diff", d.cdf(b)-d.cdf(a)); }
for (const dt of [1e-3,1e-5,1e-7,-1e-7,-1e-5,-1e-3]) { const t = t0+dt; console.log(dt, d.pdf(t)); }
