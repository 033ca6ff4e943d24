import { uniform } from "../engine/distributions/uniform.ts";
import { valueScale } from "../engine/distributions/value-scale.ts";
import type { ContinuousDistribution } from "../engine/distributions/types.ts";
const d = valueScale(uniform(0,1,"w"), uniform(0,1,"s"), 0.5, "vs") as ContinuousDistribution;
for (const t of [0.9, 0.99, 0.999, 0.9999, 0.99999, 0.999999, 0.9999999]) { const r = (1-t)*(1-t); console.log(t, d.sf(t), r, (d.sf(t)-r)/r); }
