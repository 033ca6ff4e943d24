// fast-check runs from a fixed seed so that CI is reproducible; set FC_SEED to explore
// other seeds locally (FC_SEED=random for a fresh one each run), FC_RUNS to scale runs.
import assert from "node:assert/strict";
import fc from "fast-check";

const seedEnv = process.env.FC_SEED;
const seed = seedEnv === "random" ? Date.now() ^ (Math.random() * 0x7fffffff) : seedEnv ? Number(seedEnv) : 20261122;
assert(Number.isSafeInteger(seed), `FC_SEED must be an integer or "random", got ${seedEnv}`);
fc.configureGlobal({ seed, ...(process.env.FC_RUNS ? { numRuns: Number(process.env.FC_RUNS) } : {}) });
