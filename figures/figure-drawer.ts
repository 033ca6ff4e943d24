// Drawing a sweep's figures off the main thread (figure-thread.ts): start() early to load the
// figure layer in parallel, draw() when the numbers are final. The figure specs are built here
// from the sweep's table (builders/sweep-figures.ts) and drawn by the thread. Falls back to
// drawing on the calling thread when the compiled thread script is missing (running from sources).
// The sweep (workers/) receives this drawer from the command: it imports nothing from figures/.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { SweepTable } from "../workers/sweep-curves.js";
import type { SweepFigureAnswer, SweepFigureDrawer, SweepFigureScenario } from "../workers/sweep-figures-hook.js";
import { paramCurveFigures } from "./builders/sweep-figures.js";
import type { DrawRequest } from "./figure-thread.js";
import type { FigureSpec } from "./types.js";
import { packageRoot } from "../engine/package-root.js";

/** A small young generation: figures allocate little that lives, and the thread's memory
 *  counts towards the sweep's peak (as the sweep's own threads, workers/pool.ts). */
const YOUNG_GENERATION_MB = 16;


/** Draws figure specs into a folder, on another thread when it can. */
export interface SpecDrawer {
  draw(dir: string, specs: FigureSpec[]): Promise<SweepFigureAnswer>;
  close(): Promise<void>;
}

function inThread(): SpecDrawer {
  return {
    async draw(dir, specs) {
      const answer: SweepFigureAnswer = { written: [], failed: [] };
      let writeFigure: (dir: string, spec: FigureSpec) => Promise<string[]>;
      try {
        ({ writeFigure } = await import("./index.js"));
      } catch (e) {
        answer.failed.push(`the figure layer could not be loaded (${(e as Error).message})`);
        return answer;
      }
      for (const spec of specs) {
        try {
          answer.written.push(...(await writeFigure(dir, spec)));
        } catch (e) {
          answer.failed.push(`${spec.name}: ${(e as Error).message}`);
        }
      }
      return answer;
    },
    close: () => Promise.resolve(),
  };
}

/** A thread that draws figure specs (the calling thread when the compiled script is missing). */
export function startFigureThread(): SpecDrawer {
  return specDrawer();
}

function specDrawer(): SpecDrawer {
  // the bundled thread script (scripts/bundle.mjs) starts faster; the tsc output is the fallback
  const bundled = join(packageRoot(), "dist", "bundle", "figures", "figure-thread.js");
  const script = existsSync(bundled) ? bundled : join(packageRoot(), "dist", "figures", "figure-thread.js");
  if (!existsSync(script)) return inThread();
  const worker = new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  worker.unref();
  let failure: Error | undefined;
  worker.on("error", (e) => {
    failure = e;
  });
  return {
    draw(dir, specs) {
      if (failure) return Promise.resolve({ written: [], failed: [`the figure thread failed (${failure.message})`] });
      return new Promise((resolve) => {
        const onError = (e: Error) => resolve({ written: [], failed: [`the figure thread failed (${e.message})`] });
        worker.once("error", onError);
        worker.once("message", (a: SweepFigureAnswer) => {
          worker.off("error", onError);
          resolve(a);
        });
        worker.postMessage({ dir, specs } satisfies DrawRequest);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** A drawer of sweep figures (workers/sweep-figures-hook.ts). */
export function startFigureDrawer(): SweepFigureDrawer {
  const d = specDrawer();
  return {
    async draw(dir: string, table: SweepTable, scenario: SweepFigureScenario) {
      // the builders measure axis titles (a long one gets its shorter words): fonts.js installs
      // the measurer in Node, loaded here, where figures are drawn, not with every sweep
      await import("./fonts.js");
      let specs: FigureSpec[];
      try {
        specs = paramCurveFigures(table, scenario);
      } catch (e) {
        return { written: [], failed: [`the sweep's figures could not be built (${(e as Error).message})`] };
      }
      return d.draw(dir, specs);
    },
    close: () => d.close(),
  };
}
