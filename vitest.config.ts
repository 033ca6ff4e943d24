import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // two test files at a time: vitest's default on a 2-core machine is one (cores − 1), and much
    // of a test's time is spent waiting for the lpe processes it starts; the suite took 12.8 min
    // on one fork and 8.1 min on two here (all 1,309 tests passing both ways), which keeps .ci/run
    // well under its 15 minutes on a slower day
    maxWorkers: 2,
    setupFiles: ["test/setup.ts"],
    typecheck: { tsconfig: "./tsconfig.test.json" },
  },
});
