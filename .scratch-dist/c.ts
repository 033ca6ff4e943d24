import { beta } from "../engine/distributions/beta.ts";
const d = beta(200,300,0,1,"x");
for (const t of [0.005, 0.05, 0.1, 0.2, 0.25, 0.3]) { const u = d.cdf(t); console.log(t, u, d.quantile(u)); }
const e = beta(0.05,0.05,0,1,"x");
for (const u of [0.9, 0.922, 0.95]) { const q = e.quantile(u); console.log(u, q, 1-q, e.cdf(q), e.cdf(q - 1.1e-16), e.pdf(q)); }
