// The young generation of a sweep's threads: held at its size while a batch-kernel sweep's
// points are solved. V8 grows a young generation as objects survive its scavenges, and a long
// sweep's few survivors add up: the main thread of a 10,000,000-point batch-kernel sweep went
// from 8 to 16 MB of young generation halfway, its pool thread's to 4, though each allocates
// much and keeps little, and their scavenges take the same time held. Held, that sweep's peak
// memory on two threads is ~12 MB less; held from before the pool starts (cli/commands/sweep.ts)
// the 1,000,000-point sweep's is ~6 MB less, at the same speed (the main thread's start-up
// scavenges a little more, which a sweep on one thread does not pay: sweep-job.ts holds it once
// its points are being solved). Not held: a sweep on the general path (it keeps more per point)
// or with a figure thread (vega loads meanwhile), nor once the points are solved.
// The one knob is V8's --semi-space-growth-factor: read at each growth, it takes effect when set
// at run time, for every thread of the process; but V8 puts it back to 2 when it sets up a
// thread's heap, so a pool thread sets it again first thing if the main thread still holds
// (`holdIfHeld`, with the main thread's wish shared through `heldShared`), and the pool sets it
// again on the main thread's side until its threads are up (`holdAgainIfHeld`, pool.ts).

import { setFlagsFromString } from "node:v8";
export { collectGarbage } from "../engine/collect-garbage.js";

/** 1 while the main thread holds the young generations (shared with the pool threads) */
const held = new Int32Array(new SharedArrayBuffer(4));

function setGrowth(hold: boolean): void {
  setFlagsFromString(`--semi-space-growth-factor=${hold ? 1 : 2}`);
}

/** Hold every thread's young generation at its present size (true), or let V8 grow it (false). */
export function holdYoungGeneration(hold: boolean): void {
  Atomics.store(held, 0, hold ? 1 : 0);
  setGrowth(hold);
}

/** Hold again if the main thread holds: V8 has let young generations grow again for the whole
 *  process when it set up another thread's heap (a pool thread's, pool.ts). */
export function holdAgainIfHeld(): void {
  if (Atomics.load(held, 0) === 1) setGrowth(true);
}

/** The main thread's wish, for a pool thread (workerData). */
export function heldShared(): Int32Array {
  return held;
}

/** In a pool thread whose heap V8 has just set up: hold again if the main thread holds. */
export function holdIfHeld(shared: Int32Array): void {
  if (Atomics.load(shared, 0) !== 1) return;
  setGrowth(true);
  // the main thread may have let go meanwhile: then its setting or this one is the last
  if (Atomics.load(shared, 0) !== 1) setGrowth(false);
}

/** Points recorded between two collections of the main thread's heap in a sweep (sweep-runner.ts). */
export const FULL_GC_POINTS = 1_000_000;

