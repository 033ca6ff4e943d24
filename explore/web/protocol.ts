// Messages between the explore page (page.ts) and its solver worker (worker.ts). Plain data;
// every reply carries the id of the request it answers, so the page can ignore stale replies.

import type { Control } from "../controls.js";

export interface Problem {
  path: string;
  message: string;
}

export interface RunRequest {
  type: "run";
  id: number;
  text: string;
}

/** `at`: when the worker sent it (performance.timeOrigin + now(), for the page's timing trace). */
/** Ask for the vega-lite chart a figure on the page was drawn from. */
export interface SpecRequest {
  type: "spec";
  slot: string;
}

export type WorkerRequest = RunRequest | SpecRequest;

export type Reply = { at?: number } & (
  | { type: "check"; id: number; problems: Problem[]; controls?: Control[]; ms?: number[] }
  | {
      type: "result";
      id: number;
      name: string;
      market: string;
      scalars: Record<string, number | boolean | null | number[]>;
      checksLine: string;
      certificateLine: string;
      passed: boolean;
      certified: boolean;
      notes: string[];
      solveMs: number;
      /** scenarios this worker has solved so far */
      solves: number;
    }
  | { type: "figures"; id: number; names: string[] }
  | { type: "figure"; id: number; slot: string; name: string; caption: string; svg: string; ms?: number[] }
  | { type: "figures-done"; id: number; ms: number }
  | { type: "ready"; id: number }
  | { type: "sweep"; id: number; params: string[]; points: number[]; limit: number }
  | { type: "sweep-figure"; id: number; slot: string; name: string; caption: string; svg: string }
  | { type: "done"; id: number; ms: number }
  | { type: "error"; id: number; stage: string; message: string }
  | { type: "spec"; id: number; slot: string; name: string; json: string }
);
