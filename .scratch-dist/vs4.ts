import { buildDistribution } from "../engine/distributions/from-spec.ts";
import { valueScale } from "../engine/distributions/value-scale.ts";
import { integrate } from "../engine/numerics/quadrature.ts";
import type { ContinuousDistribution } from "../engine/distributions/types.ts";
const w = buildDistribution({dist:"beta",a:3,b:0.7,min:1,max:3} as any, "w"), s = buildDistribution({dist:"truncPareto",alpha:1.5,min:0.05,max:1} as any, "s");
const d = valueScale(w, s, 0.2, "vs") as ContinuousDistribution;
console.log(d.min, d.max);
let worst = 0;
for (let i = 1; i < 400; i++) { const t = d.min + (d.max-d.min)*i/400; const h = 1e-5*t;
  const fd = (d.cdf(t+h) - d.cdf(t-h))/(2*h); const p = d.pdf(t); const e = Math.abs(fd-p)/p; if (e > 1e-6) console.log(t, p, fd, e); }
const Z = integrate((t)=>d.pdf(t), d.min, d.max, {epsrel:1e-10}); console.log(Z);
