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
// at run time, for every thread of the process; but V8 puts it back to 2 when a thread's heap is
// set up, so a pool thread started meanwhile sets it again (sweep-worker.ts, told by pool.ts).

import { setFlagsFromString } from "node:v8";

let held = false;

/** Hold every thread's young generation at its present size (true), or let V8 grow it (false). */
export function holdYoungGeneration(hold: boolean): void {
  held = hold;
  setFlagsFromString(`--semi-space-growth-factor=${hold ? 1 : 2}`);
}

/** Whether this thread asked for the young generation to be held. */
export function youngGenerationHeld(): boolean {
  return held;
}
