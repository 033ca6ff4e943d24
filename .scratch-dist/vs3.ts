import { buildDistribution } from "../engine/distributions/from-spec.ts";
import { valueScale } from "../engine/distributions/value-scale.ts";
import { integrate } from "../engine/numerics/quadrature.ts";
import type { ContinuousDistribution } from "../engine/distributions/types.ts";
const ws: any[] = [ {dist:"uniform",min:0,max:1}, {dist:"beta",a:0.5,b:2,min:0,max:2}, {dist:"beta",a:3,b:0.7,min:1,max:3}, {dist:"truncLognormal",mu:0,sigma:1,min:0.1,max:5},
 {dist:"mixture", components:[{dist:"beta",a:2,b:8,min:0,max:1},{dist:"beta",a:8,b:2,min:0,max:1}], weights:[0.5,0.5]}, {dist:"discrete", values:[0.5,1,2], probs:[0.2,0.5,0.3]}];
const ss: any[] = [ {dist:"uniform",min:0,max:1}, {dist:"beta",a:0.5,b:0.5,min:0,max:1}, {dist:"uniform",min:0.2,max:0.9}, {dist:"truncPareto",alpha:1.5,min:0.05,max:1}, {dist:"discrete", values:[0.25,0.5,1], probs:[0.3,0.3,0.4]}];
for (const wsp of ws) for (const ssp of ss) for (const sigma of [0.2, 0.6]) {
  const w = buildDistribution(wsp, "w"), s = buildDistribution(ssp, "s");
  const d = valueScale(w, s, sigma, "vs");
  if (d.discrete) { console.log("discrete", d.values.length); continue; }
  const t0 = performance.now();
  let maxSum = 0, calls = 0, maxQ = 0;
  try {
  for (let i = 0; i <= 200; i++) { const t = d.min + (d.max - d.min) * i / 200; const c = d.cdf(t), sfv = d.sf(t); d.pdf(t); d.virtualType(t); calls++;
    maxSum = Math.max(maxSum, Math.abs(c + sfv - 1)); }
  for (let i = 1; i < 50; i++) { const u = i/50; const q = d.quantile(u); maxQ = Math.max(maxQ, Math.abs(d.cdf(q) - u)); }
  const Z = integrate((t)=>d.pdf(t), d.min, d.max, {epsrel:1e-10});
  console.log(wsp.dist, ssp.dist, sigma, "cdf+sf-1", maxSum.toExponential(1), "|F(Q(u))-u|", maxQ.toExponential(1), "∫pdf-1", (Z-1).toExponential(1), "ms", (performance.now()-t0).toFixed(0));
  } catch (e) { console.log(wsp.dist, ssp.dist, sigma, "ERROR", (e as Error).message.slice(0, 300)); }
}
