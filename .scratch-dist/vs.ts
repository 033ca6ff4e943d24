import { uniform } from "../engine/distributions/uniform.ts";
import { valueScale } from "../engine/distributions/value-scale.ts";
import type { ContinuousDistribution } from "../engine/distributions/types.ts";
for (const sigma of [0.1, 0.3, 0.5, 0.7, 0.9, 0.99]) {
  const d = valueScale(uniform(0,1,"w"), uniform(0,1,"s"), sigma, "vs") as ContinuousDistribution;
  const p = 1/(1-sigma);
  let ec=0, es=0, ef=0;
  const t0 = performance.now(); let n=0;
  for (let i=1;i<1000;i++){ const t = i/1000; n++;
    const F = Math.pow(t,p) + (t - Math.pow(t,p))/sigma; const f = (1 - Math.pow(t, sigma/(1-sigma)))/sigma;
    ec = Math.max(ec, Math.abs(d.cdf(t)-F)/F); es = Math.max(es, Math.abs(d.sf(t)-(1-F))/(1-F)); ef = Math.max(ef, Math.abs(d.pdf(t)-f)/f);
  }
  const dt = (performance.now()-t0)/n/3;
  console.log(sigma, ec.toExponential(2), es.toExponential(2), ef.toExponential(2), "us/call", (dt*1000).toFixed(1), "pdf(0)", d.pdf(0), 1/sigma);
}
import { integrate } from "../engine/numerics/quadrature.ts";
for (const sigma of [0.1, 0.5, 0.9]) {
  const d = valueScale(uniform(0,1,"w"), uniform(0,1,"s"), sigma, "vs") as ContinuousDistribution;
  let es=0, wt=0;
  for (let i=1;i<1000;i++){ const t = 1 - i/1000*1e-3*i; if (t<=0) continue;
    const ref = integrate((x)=> -Math.expm1(sigma/(1-sigma)*Math.log1p(x-1))/sigma, t, 1, {epsrel:1e-14});
    const e = Math.abs(d.sf(t)-ref)/ref; if (e>es){es=e;wt=t;} }
  console.log("sf", sigma, es.toExponential(2), wt);
}
