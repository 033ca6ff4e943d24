// Load a CommonJS dependency on first use. The special-function packages (@stdlib: a few
// hundred small modules) and seedrandom cost ~100 ms at start-up; most runs (uniform types,
// an `lpe eval` of one scenario) never call them, and start-up is part of speed.

import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** A function that loads `id` the first time it is called, then calls it. */
export function lazyFunction<F extends (...args: never[]) => unknown>(id: string): F {
  let f: F | undefined;
  return ((...args: Parameters<F>) => {
    f ??= require(id) as F;
    return f(...args);
  }) as F;
}

/** A getter that loads `id` on its first call and returns the module. */
export function lazyModule<M>(id: string): () => M {
  let m: M | undefined;
  return () => (m ??= require(id) as M);
}
