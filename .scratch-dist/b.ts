import { beta } from "../engine/distributions/beta.ts";
import bq from "@stdlib/stats-base-dists-beta-quantile";
for (const [a,b] of [[2,2],[0.5,0.5],[2,8],[8,2],[0.3,5],[50,3],[0.05,0.05],[0.05,3],[3,0.05], [0.01, 0.2], [200, 300]]) {
  const d = beta(a,b,0,1,"x");
  let worst = 0, worstU = 0, worstT=0, wu=0;
  for (let i=1;i<1000;i++){ const t = i/1000; const u = d.cdf(t); const t2 = d.quantile(u);
    const f = d.pdf(t); const cond = 2.2e-16*u/f + 1e-15;
    const e = Math.abs(t2-t)/cond; if (e>worst){worst=e;worstT=t;}
    const uu = i/1000; const x = d.quantile(uu); const u2 = d.cdf(x); const eu = Math.abs(u2-uu)/ (uu*(1-uu) + d.pdf(x)*1e-16); if (eu>worstU) {worstU=eu; wu = uu;} }
  console.log(a,b,"t-roundtrip (cond units)",worst.toExponential(2),"@",worstT,"u-roundtrip rel", worstU.toExponential(2), "@", wu);
}
const d = beta(0.05,0.05,0,1,"x"); for (const u of [0.4, 0.45,0.5,0.55,0.6]) { const x = d.quantile(u); console.log(u, x, d.cdf(x), bq(u,0.05,0.05)); }
