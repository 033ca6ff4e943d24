// Drawing a sweep's figures off the main thread (figure-thread.ts): start() early to load the
// figure layer in parallel, draw() when the numbers are final. Falls back to drawing on the
// calling thread when the compiled thread script is missing (e.g. running from sources).

import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { FigureSpec } from "../engine/figures/types.js";
import type { DrawAnswer, DrawRequest } from "./figure-thread.js";
import { packageRoot, YOUNG_GENERATION_MB } from "./pool.js";

export interface FigureDrawer {
  draw(dir: string, specs: FigureSpec[]): Promise<DrawAnswer>;
  close(): Promise<void>;
}

function inThread(): FigureDrawer {
  return {
    async draw(dir, specs) {
      const answer: DrawAnswer = { written: [], failed: [] };
      let writeFigure: (dir: string, spec: FigureSpec) => Promise<string[]>;
      try {
        ({ writeFigure } = await import("../engine/figures/index.js"));
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

export function startFigureDrawer(): FigureDrawer {
  const script = join(packageRoot(), "dist", "workers", "figure-thread.js");
  if (!existsSync(script)) return inThread();
  // a small young generation: figures allocate little that lives, and the thread's memory
  // counts towards the sweep's peak (see pool.ts)
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
        worker.once("message", (a: DrawAnswer) => {
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
