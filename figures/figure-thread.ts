// A thread that draws a sweep's figures while the main thread writes the CSV files (and, when a
// core is free, loads the figure layer — vega, pdfkit, fonts: the slowest modules to load —
// while the sweep is still computing). Started from figure-drawer.ts; the figure specs arrive
// as plain data (their Float64Arrays are cloned), the written paths and failures go back.

import { parentPort } from "node:worker_threads";
import type { FigureSpec } from "./types.js";

export interface DrawRequest {
  dir: string;
  specs: FigureSpec[];
}

/** What the thread answers (the same shape as workers/sweep-figures-hook.ts SweepFigureAnswer). */
export interface DrawAnswer {
  written: string[];
  failed: string[];
}

const layer = import("./index.js");
// an import that fails is reported with the request, not as an unhandled rejection
layer.catch(() => undefined);

parentPort?.on("message", async (req: DrawRequest) => {
  const answer: DrawAnswer = { written: [], failed: [] };
  try {
    const { writeFigure } = await layer;
    for (const spec of req.specs) {
      try {
        answer.written.push(...(await writeFigure(req.dir, spec)));
      } catch (e) {
        answer.failed.push(`${spec.name}: ${(e as Error).message}`);
      }
    }
  } catch (e) {
    answer.failed.push(`the figure layer could not be loaded (${(e as Error).message})`);
  }
  parentPort?.postMessage(answer);
});
