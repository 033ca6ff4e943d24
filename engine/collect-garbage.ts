// A full garbage collection of this thread's heap, on request: for a sweep's main thread
// (workers/young-generation.ts) and the figure thread (figures/figure-thread.ts), whose garbage
// V8 would otherwise collect only at the old generation's limit.

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A full garbage collection of this thread's heap, now. Why: a long sweep's main thread
 * promotes a little of each batch to the old generation (a batch's result lives while earlier
 * ones are written, across scavenges): ~0.6 MB a million points, all of it garbage, which V8
 * collects only when the old generation reaches its limit, never in a kernel sweep of 10,000,000
 * points (the heap went from 10 to 16 MB, and the process's peak memory with 2 workers was
 * 96–99 MB in three runs; collecting every FULL_GC_POINTS points, 92–94 MB, each collection
 * ~8 ms). Node has no API for it: the `gc` function V8 exposes under --expose-gc is taken, once,
 * from a fresh context after setting that flag (the flag then concerns new contexts only).
 */
export function collectGarbage(): void {
  if (!gcFunction) {
    setFlagsFromString("--expose-gc");
    gcFunction = runInNewContext("gc") as () => void;
  }
  gcFunction();
}

let gcFunction: (() => void) | undefined;
