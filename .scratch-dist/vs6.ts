import { buildDistribution } from "../engine/distributions/from-spec.ts";
import { valueScale } from "../engine/distributions/value-scale.ts";
import type { ContinuousDistribution } from "../engine/distributions/types.ts";
const w = buildDistribution({dist:"beta",a:3,b:0.7,min:1,max:3} as any, "w"), s = buildDistribution({dist:"beta",a:0.5,b:0.5,min:0,max:1} as any, "s");
const d = valueScale(w, s, 0.2, "vs") as ContinuousDistribution;
const t = 2.999999993888405;
try { console.log("pdf", d.pdf(t)); } catch (e) { console.log("pdf err", (e as Error).message); }
try { console.log("sf", d.sf(t)); } catch (e) { console.log("sf err", (e as Error).message); }
