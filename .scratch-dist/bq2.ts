import { beta } from "../engine/distributions/beta.ts";
const EPS = 2.220446049250313e-16;
const d = beta(26.915239009483283, 0.2, 0, 0.01, "x");
function check(u: number) {
  const q = d.quantile(u); const delta = 1e-12 * (d.max - d.min);
  const lo = Math.max(d.min, q - delta), hi = Math.min(d.max, q + delta);
  const ok = u <= 0.5 ? d.cdf(lo) <= u * (1 + 4 * EPS) && u <= d.cdf(hi) * (1 + 4 * EPS) : d.sf(lo) * (1 + 4 * EPS) >= 1 - u && 1 - u >= d.sf(hi) * (1 - 4 * EPS);
  if (!ok) console.log(u, q, d.cdf(lo), d.cdf(hi), d.sf(lo), d.sf(hi));
}
for (let i = 0; i <= 10000; i++) check(i / 10000);
for (const u of [1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 5e-324, 1e-310]) check(u);
