// Headless Debian chromium for the browser tests (the figure gallery, `lpe explore`), driven by
// puppeteer-core, which downloads no browser of its own. The executable is found on PATH
// (chromium, chromium-browser, google-chrome) or given by LPE_CHROMIUM. Where none exists,
// `findChromium` returns the reason; the tests then fail with it under LPE_BROWSER_TEST=require
// (set by .ci/run, which installs chromium) and elsewhere say in one line why they did not run.
// `watchPage` records console errors, page errors and failed requests, since "loads with no
// console errors" is part of what the tests assert.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { Browser, Page } from "puppeteer-core";

export function findChromium(): { path: string } | { reason: string } {
  const given = process.env.LPE_CHROMIUM;
  if (given) return { path: given };
  for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
    const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    const path = r.stdout.trim();
    if (r.status === 0 && path) return { path };
  }
  return { reason: "no chromium on PATH (apt-get install chromium, or set LPE_CHROMIUM)" };
}

/** true when the browser tests must run (CI installed chromium) */
export const browserRequired = process.env.LPE_BROWSER_TEST === "require";

export async function launchChromium(executablePath: string): Promise<Browser> {
  const { launch } = await import("puppeteer-core");
  return launch({
    executablePath,
    headless: true,
    // --no-sandbox: the tests run as root in CI containers, where chromium's sandbox cannot start.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check"],
  });
}

export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
}

/** Start recording what went wrong on a page (call before navigating). */
export function watchPage(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [] };
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => problems.pageErrors.push(String((err as Error)?.message ?? err)));
  page.on("requestfailed", (req) => problems.failedRequests.push(`${req.url()}: ${req.failure()?.errorText ?? "failed"}`));
  return problems;
}

export function assertNoProblems(problems: PageProblems): void {
  assert.deepEqual(problems.pageErrors, [], "page errors");
  assert.deepEqual(problems.consoleErrors, [], "console errors");
  assert.deepEqual(problems.failedRequests, [], "failed requests");
}

/**
 * A screenshot is "not blank" when its pixels are not all (nearly) one colour: the share of
 * pixels that differ from the most common colour by more than a small distance.
 */
export function nonBackgroundShare(rgba: Uint8Array | Buffer, width: number, height: number): number {
  const counts = new Map<number, number>();
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const key = (rgba[4 * i] << 16) | (rgba[4 * i + 1] << 8) | rgba[4 * i + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let bg = 0;
  let best = -1;
  for (const [k, c] of counts) if (c > best) { best = c; bg = k; }
  const br = (bg >> 16) & 255, bgG = (bg >> 8) & 255, bb = bg & 255;
  let differ = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(rgba[4 * i] - br) + Math.abs(rgba[4 * i + 1] - bgG) + Math.abs(rgba[4 * i + 2] - bb);
    if (d > 30) differ++;
  }
  return differ / n;
}
