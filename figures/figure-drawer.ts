// Drawing figures off the main thread (figure-thread.ts): start() early to load the figure layer
// in parallel, draw() when the numbers are final. A sweep's figure specs are built by the thread,
// from the sweep's table in plain form (workers/sweep-curves.ts PlainSweepTable), so that this
// thread loads neither the builders nor the fonts; a request that cannot be sent (not plain data)
// is built and drawn here. Falls back to drawing on the calling thread when the compiled thread
// script is missing (running from sources).
// The sweep (workers/) receives this drawer from the command: it imports nothing from figures/.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { PlainSweepTable } from "../workers/sweep-curves.js";
import type { SweepFigureAnswer, SweepFigureDrawer, SweepFigureScenario } from "../workers/sweep-figures-hook.js";
import type { DrawRequest } from "./figure-thread.js";
import type { FigureSpec } from "./types.js";
import { packageRoot } from "../engine/package-root.js";

/** A small young generation: figures allocate little that lives, and the thread's memory
 *  counts towards the sweep's peak (as the sweep's own threads, workers/pool.ts). 6 MB, not 16:
 *  the thread's young generation filled all 16, and the sweep's peak memory with figures was
 *  ~10 MB lower with 6 (1,000 points: 118 against 128–129 MB; 1,000,000 points on 2 workers:
 *  155–159 against 163–167 MB), its figures drawn as fast (0.72–0.77 s against 0.75–0.78 s at
 *  1,000 points); with 3 MB no lower than with 6. */
const YOUNG_GENERATION_MB = 6;


/** Draws figure specs into a folder, on another thread when it can. */
export interface SpecDrawer {
  draw(dir: string, specs: FigureSpec[]): Promise<SweepFigureAnswer>;
  close(): Promise<void>;
}

/** Posts draw requests to the figure thread, or draws them on the calling thread. */
interface RequestDrawer {
  post(req: DrawRequest): Promise<SweepFigureAnswer>;
  close(): Promise<void>;
}

function inThread(): RequestDrawer {
  return {
    async post(req) {
      const answer: SweepFigureAnswer = { written: [], failed: [] };
      let specs = req.specs ?? [];
      if (req.sweep) {
        const { sweepFigureSpecs } = await import("./sweep-figure-specs.js");
        const built = sweepFigureSpecs(req.sweep.table, req.sweep.scenario);
        if ("failed" in built) return { written: [], failed: [built.failed] };
        specs = built.specs;
      }
      let writeFigure: (dir: string, spec: FigureSpec) => Promise<string[]>;
      try {
        ({ writeFigure } = await import("./index.js"));
      } catch (e) {
        answer.failed.push(`the figure layer could not be loaded (${(e as Error).message})`);
        return answer;
      }
      for (const spec of specs) {
        try {
          answer.written.push(...(await writeFigure(req.dir, spec)));
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
  const d = requestDrawer();
  return { draw: (dir, specs) => d.post({ dir, specs }), close: () => d.close() };
}

function requestDrawer(): RequestDrawer {
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
    post(req) {
      if (failure) return Promise.resolve({ written: [], failed: [`the figure thread failed (${failure.message})`] });
      return new Promise((resolve) => {
        const onError = (e: Error) => resolve({ written: [], failed: [`the figure thread failed (${e.message})`] });
        const onMessage = (a: SweepFigureAnswer) => {
          worker.off("error", onError);
          resolve(a);
        };
        worker.once("error", onError);
        worker.once("message", onMessage);
        try {
          worker.postMessage(req);
        } catch (e) {
          // a request that cannot be cloned (a scenario field that is not plain data): its
          // figures are built and drawn on this thread instead
          worker.off("error", onError);
          worker.off("message", onMessage);
          resolve(inThread().post(req));
        }
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** The fields of a sweep's scenario its figures read (the rest need not cross threads). */
function figureScenario(s: SweepFigureScenario): SweepFigureScenario {
  const out: SweepFigureScenario = { name: s.name };
  // (the seed too: a caption of sampled task-weight profiles names it, and read "seed undefined"
  // until 7 Dec 2026, a reviewer's)
  for (const k of ["units", "figures", "buyers", "technology", "market", "seed"] as const) if (s[k] !== undefined) (out as Record<string, unknown>)[k] = s[k];
  return out;
}

/** A drawer of sweep figures (workers/sweep-figures-hook.ts): the figure thread builds the specs
 *  from the plain table (sweep-figure-specs.ts), so this thread loads neither the builders nor
 *  the fonts. */
export function startFigureDrawer(): SweepFigureDrawer {
  const d = requestDrawer();
  return {
    draw: (dir: string, table: PlainSweepTable, scenario: SweepFigureScenario) => d.post({ dir, sweep: { table, scenario: figureScenario(scenario) } }),
    close: () => d.close(),
  };
}
