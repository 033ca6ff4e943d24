// Ctrl-C (SIGINT) or SIGTERM during `lpe solve`, `lpe figures` or `lpe calibrate`: one line on stderr saying
// what the interrupted run kept, then exit 130 (143 for SIGTERM), as `lpe sweep` says how to
// resume. Without it the process died silently (a reviewer's exit 130 with no word). Both
// commands publish a folder's files as one set, so nothing half-written is left to mention;
// temporary folders of the set are cleaned by the next run. A handler runs only between
// synchronous steps: a solve in progress finishes first (seconds on the shipped scenarios, up
// to minutes for a market of hundreds of discrete types; `lpe solve` runs a solve estimated to
// take seconds without the handler, so that a signal ends it at once), and the commands yield to the event
// loop (yieldToSignals) after each long step and before publishing, so that a signal received
// during the step stops the run there, with nothing published.

import type { Io } from "./io.js";

/** Install the handler; `kept` says what is on disk at that moment. Returns its removal. */
export function onInterrupt(io: Io, kept: () => string): () => void {
  const handler = (signal: NodeJS.Signals) => {
    io.err(`lpe: interrupted (${signal}): ${kept()}`);
    process.exit(signal === "SIGTERM" ? 143 : 130);
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

/** Lets a pending SIGINT/SIGTERM reach its handler (the poll phase that delivers signals runs
 *  before setImmediate's callbacks). */
export function yieldToSignals(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
