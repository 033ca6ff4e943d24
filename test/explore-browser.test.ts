// `lpe explore` in Debian's chromium (headless, puppeteer-core): the page for the P2-like
// leader–fringe scenario (scenarios/examples/leader-fringe-sweep.json: uniform types, σ = 0.5,
// γ_L = 0.3, c_L = 0.3, γ_F = 0, c_F = 0.2) solves in its Web Worker; moving the fringe-cost
// control to 0.25 shows θ_low, θ_high and profit equal to `lpe solve --set
// market.fringe.cost=0.25 --json` within 1e-12 (the page keeps full precision in data-value);
// Save writes that scenario to the file; requests without the token are refused; the page logs
// no console errors and its screenshot is not blank. Also: the responsiveness (median time from
// a control change to the redrawn figures at 401 types, printed), that a burst of edits is
// superseded rather than queued, and that a monopoly and a tiers scenario draw their figures.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertNoProblems, browserRequired, findChromium, launchChromium, nonBackgroundShare, watchPage, type PageProblems } from "./helpers/chromium.js";
import { decodePng } from "./helpers/png.js";

const root = new URL("..", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "lpe-explore-browser-"));
const found = findChromium();
const servers: ChildProcess[] = [];
let browser: Browser | undefined;

/** Start `lpe explore FILE` and return its printed URL. */
async function explore(file: string): Promise<string> {
  const child = spawn(process.execPath, [join(root, "bin/lpe.js"), "explore", file], { stdio: ["ignore", "pipe", "pipe"] });
  servers.push(child);
  let out = "";
  return new Promise<string>((ok, fail) => {
    child.stdout!.on("data", (d) => {
      out += String(d);
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/);
      if (m) ok(m[0]);
    });
    child.on("exit", (code) => fail(new Error(`lpe explore exited with ${code}: ${out}`)));
  });
}

/** Whether the browser tests can run here; under LPE_BROWSER_TEST=require they must. */
function canRun(): boolean {
  if ("path" in found) return true;
  if (browserRequired) assert.fail(`browser tests required but ${found.reason}`);
  console.log(`explore browser tests did not run: ${found.reason}`);
  return false;
}

async function openPage(url: string): Promise<{ page: Page; problems: PageProblems }> {
  browser ??= await launchChromium((found as { path: string }).path);
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  const problems = watchPage(page);
  await page.goto(url);
  await settled(page);
  return { page, problems };
}

/** Wait until the page has answered its latest edit completely (figures painted, sweep done). */
const settled = (page: Page) =>
  page.waitForFunction(() => {
    const d = document.body.dataset;
    return d.requested !== undefined && d.done === d.requested && d.painted === d.requested;
  }, { timeout: 60_000 });

const scalar = (page: Page, name: string) => page.$eval(`[data-scalar="${name}"]`, (el) => Number((el as HTMLElement).dataset.value));
const COST_BOX = '.control[data-path="market.fringe.cost"] input[type=number]';

/** Set a number box as typing would end, and fire its input event (one control change). */
const setCost = (page: Page, v: string) =>
  page.$eval(COST_BOX, (el, v) => {
    const box = el as HTMLInputElement;
    box.value = v;
    box.dispatchEvent(new Event("input"));
  }, v);

beforeAll(() => {
  // `npm test` builds first; a lone vitest run needs the page bundled too.
  if (!readFileSafe(join(root, "dist/explore-web/worker.js"))) spawnSync("npm", ["run", "build"], { cwd: root });
});
const readFileSafe = (f: string) => {
  try {
    return readFileSync(f, "utf8");
  } catch {
    return undefined;
  }
};

afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.kill("SIGTERM");
});

describe("lpe explore in chromium", () => {
  const file = join(tmp, "p2.json");
  copyFileSync(join(root, "scenarios/examples/leader-fringe-sweep.json"), file);
  let page: Page;
  let problems: PageProblems;
  let url: string;

  it("moves the fringe cost to 0.25 and shows lpe solve's θ_low, θ_high and profit to 1e-12; Save writes that scenario", async () => {
    if (!canRun()) return;
    const originalText = readFileSync(file, "utf8");
    const original = JSON.parse(originalText);
    url = await explore(file);
    ({ page, problems } = await openPage(url));
    expect(await page.$$eval("#figures figure svg", (s) => s.length)).toBe(3);
    expect(await scalar(page, "thetaLow")).toBeCloseTo(0.68683, 5); // P2 at c_F = 0.2

    // As a person does it: select the box's text and type the new value.
    await page.click(COST_BOX, { count: 3 });
    await page.keyboard.type("0.25");
    await settled(page);

    const solved = spawnSync(process.execPath, [join(root, "bin/lpe.js"), "solve", file, "--set", "market.fringe.cost=0.25", "--json", "--no-figures", "--out", join(tmp, "results")], { encoding: "utf8" });
    expect(solved.status, solved.stderr).toBe(0);
    const want = JSON.parse(solved.stdout).scalars as Record<string, number>;
    for (const name of ["thetaLow", "thetaHigh", "profit"]) {
      const got = await scalar(page, name);
      expect(Math.abs(got - want[name]), `${name}: page ${got}, lpe solve ${want[name]}`).toBeLessThanOrEqual(1e-12);
    }
    // The figures were redrawn for 0.25: the threshold figure's reference line says so.
    expect(await page.$eval('#figures figure[data-name="thresholds-cost"]', (f) => f.textContent)).toContain("0.25");
    expect(await page.$$eval("#sweep-figures figure svg", (s) => s.length)).toBe(6);

    await page.click("#save");
    await page.waitForFunction(() => document.body.dataset.saved === "ok" || document.body.dataset.saved === "refused");
    expect(await page.evaluate(() => document.body.dataset.saved)).toBe("ok");
    const saved = JSON.parse(readFileSync(file, "utf8"));
    expect(saved).toEqual({ ...original, market: { ...original.market, fringe: { ...original.market.fringe, cost: 0.25 } } });
    expect(saved).toEqual(JSON.parse(await page.$eval("#editor", (e) => (e as HTMLTextAreaElement).value)));
    // The file keeps its own layout: only the fringe's line differs.
    const [a, b] = [originalText.split("\n"), readFileSync(file, "utf8").split("\n")];
    expect(b.filter((l, i) => l !== a[i])).toEqual(['    "fringe": { "name": "open-source", "gamma": 0, "cost": 0.25 }']);
  });

  it("offers each figure's vega-lite chart, the very chart the figure files are drawn from", async () => {
    if (!canRun()) return;
    await page.click('#figures figure[data-name="leader-quantity"] button.spec');
    await page.waitForFunction(() => (window as unknown as { __lpeExplore: { lastSpec?: string } }).__lpeExplore.lastSpec !== undefined);
    const shown = JSON.parse(await page.evaluate(() => (window as unknown as { __lpeExplore: { lastSpec: string } }).__lpeExplore.lastSpec));
    // the same figure, built and translated in Node as lpe solve does
    const { parseScenario } = await import("../engine/scenario/load.js");
    const { solveScenario } = await import("../solvers/solve.js");
    const fs = await import("../explore/figure-specs.js");
    const scenario = parseScenario(JSON.parse(readFileSync(file, "utf8")));
    const solution = solveScenario(scenario);
    const spec = fs.figureSpec("leader-quantity", scenario, solution, fs.prepareFigureData(scenario, solution, ["leader-quantity"]))!;
    // Equal but for the last bits of the data: Chromium's V8 and Node's round Math.pow differently.
    const differences: string[] = [];
    const same = (a: unknown, b: unknown, at: string): void => {
      if (typeof a === "number" && typeof b === "number") {
        if (!(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)))) differences.push(`${at}: ${a} vs ${b}`);
      } else if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        for (const k of keys) same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      } else if (a !== b) differences.push(`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    };
    same(shown, JSON.parse(JSON.stringify(fs.fileChart(spec))), "chart");
    expect(differences).toEqual([]);
    expect(JSON.stringify(shown).length).toBeGreaterThan(10_000); // the data is there
  });

  it("logs no console errors and shows a screenshot that is not blank", async () => {
    if (!canRun()) return;
    assertNoProblems(problems);
    const png = decodePng(Buffer.from(await page.screenshot({ fullPage: false })));
    const rgba = new Uint8Array(png.width * png.height * 4);
    for (let i = 0; i < png.width * png.height; i++) rgba.set([png.rgb[3 * i], png.rgb[3 * i + 1], png.rgb[3 * i + 2], 255], 4 * i);
    expect(nonBackgroundShare(rgba, png.width, png.height)).toBeGreaterThan(0.02);
  });

  it("redraws the figures quickly after a control change at 401 types (median printed)", async () => {
    if (!canRun()) return;
    const before = await page.evaluate(() => (window as unknown as { __lpeExplore: { latencies: number[] } }).__lpeExplore.latencies.length);
    const steps = 25;
    const svgs = new Set<string>();
    for (let i = 1; i <= steps; i++) {
      await setCost(page, String(Number((0.2 + (0.09 * i) / steps).toFixed(4))));
      await settled(page);
      svgs.add(await page.$eval('#figures figure[data-name="leader-quantity"] svg', (s) => s.outerHTML));
    }
    const ms = await page.evaluate((b) => (window as unknown as { __lpeExplore: { latencies: number[] } }).__lpeExplore.latencies.slice(b), before);
    expect(ms).toHaveLength(steps);
    expect(svgs.size).toBe(steps); // every step drew a different figure
    const sorted = [...ms].sort((a, b) => a - b);
    const median = sorted[Math.floor(steps / 2)];
    console.log(`lpe explore, leader–fringe at 401 types: control change → figures redrawn, median ${median.toFixed(1)} ms (min ${sorted[0].toFixed(1)}, max ${sorted[steps - 1].toFixed(1)}, ${steps} changes)`);
    // A loose bound on a shared machine (the target is 50 ms): a page that freezes or re-solves
    // everything from scratch fails it.
    expect(median).toBeLessThan(1000);
    assertNoProblems(problems);
  });

  it("supersedes a burst of edits instead of solving each one", async () => {
    if (!canRun()) return;
    const solves = () => page.evaluate(() => (window as unknown as { __lpeExplore: { solves: number } }).__lpeExplore.solves);
    const start = await solves();
    // 20 edits in one go, as a fast drag sends them: the worker solves the first it sees and the last
    await page.$eval(COST_BOX, (el) => {
      const box = el as HTMLInputElement;
      for (let i = 0; i < 20; i++) {
        box.value = (0.21 + i * 0.001).toFixed(3);
        box.dispatchEvent(new Event("input"));
      }
    });
    await settled(page);
    expect(await page.$eval(COST_BOX, (b) => (b as HTMLInputElement).value)).toBe("0.229");
    expect(await solves()).toBeLessThanOrEqual(start + 2);
    expect(JSON.parse(await page.$eval("#editor", (e) => (e as HTMLTextAreaElement).value)).market.fringe.cost).toBe(0.229);
    assertNoProblems(problems);
  });

  it("shows a JSON problem with lpe validate's path and message as it is typed", async () => {
    if (!canRun()) return;
    await page.$eval("#editor", (e) => {
      const t = e as HTMLTextAreaElement;
      t.value = t.value.replace('"sigma": 0.5', '"sigma": 1.5');
      t.dispatchEvent(new Event("input"));
    });
    await page.waitForFunction(() => document.querySelectorAll("#problems li").length > 0, { timeout: 30_000 });
    const shown = await page.$$eval("#problems li", (li) => li.map((l) => l.textContent));
    const bad = join(tmp, "bad.json");
    copyFileSync(file, bad);
    const text = readFileSync(bad, "utf8").replace('"sigma": 0.5', '"sigma": 1.5');
    writeFileSync(bad, text);
    const v = spawnSync(process.execPath, [join(root, "bin/lpe.js"), "validate", bad], { encoding: "utf8" });
    expect(v.status).toBe(2);
    expect(shown).toEqual(v.stderr.trimEnd().split("\n").map((l) => l.slice(`${bad}: `.length)));
  });
  it("checks the sweep block as lpe validate does (an unknown output is named, with a hint)", async () => {
    if (!canRun()) return;
    const before = Number(await page.evaluate(() => document.body.dataset.requested));
    await page.$eval("#editor", (e) => {
      const t = e as HTMLTextAreaElement;
      t.value = t.value.replace('"sigma": 1.5', '"sigma": 0.5').replace('"profit",', '"profits",');
      t.dispatchEvent(new Event("input"));
    });
    await page.waitForFunction((b) => Number(document.body.dataset.requested) > b && document.body.dataset.done === document.body.dataset.requested, { timeout: 30_000 }, before);
    const shown = await page.$$eval("#problems li", (li) => li.map((l) => l.textContent));
    const bad = join(tmp, "bad-sweep.json");
    writeFileSync(bad, await page.$eval("#editor", (e) => (e as HTMLTextAreaElement).value));
    const v = spawnSync(process.execPath, [join(root, "bin/lpe.js"), "validate", bad], { encoding: "utf8" });
    expect(v.status).toBe(2);
    expect(shown).toEqual(v.stderr.trimEnd().split("\n").map((l) => l.slice(`${bad}: `.length)));
    expect(shown.join(" ")).toMatch(/profits/);
    expect(await page.$eval("#sweep", (e) => (e as HTMLElement).hidden)).toBe(true);
  });

  it("refuses requests without the token, from outside and from the page (last: the refusals log console errors)", async () => {
    if (!canRun()) return;
    const bare = url.replace(/\?token=.*$/, "");
    for (const path of ["", "api/scenario", "worker.js", "page.js"]) expect((await fetch(bare + path)).status, path).toBe(403);
    const fromPage = await page.evaluate(async () => {
      const get = await fetch("api/scenario", { credentials: "omit" });
      const post = await fetch("api/save", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "{}" }) });
      return [get.status, post.status];
    });
    expect(fromPage).toEqual([403, 403]);
  });

});

describe("a slow solve", () => {
  it("never freezes the page, and a newer edit restarts the solver instead of waiting for it", async () => {
    if (!canRun()) return;
    const s = JSON.parse(readFileSync(join(root, "scenarios/examples/leader-fringe-sweep.json"), "utf8"));
    delete s.sweep;
    // three regimes: at 90,000 types a solve of seconds (figures drawn against c_F left out: they
    // would exceed the work limit)
    s.market.kind = "compare";
    s.figures = { only: ["leader-quantity", "fringe-quantity"] };
    const file = join(tmp, "slow.json");
    writeFileSync(file, JSON.stringify(s, null, 2));
    const { page, problems } = await openPage(await explore(file));
    const box = '.control[data-path="grid.points"] input[type=number]';
    await page.$eval(box, (el) => {
      (el as HTMLInputElement).value = "90000";
      el.dispatchEvent(new Event("input"));
    });
    await page.waitForFunction(() => document.body.dataset.checked === document.body.dataset.requested);
    expect(await page.$$eval("#problems li", (l) => l.length)).toBe(0);
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) {
      const start = Date.now();
      await page.evaluate(() => document.body.dataset.requested);
      expect(Date.now() - start, "the page answers while the worker solves").toBeLessThan(1000);
    }
    await page.$eval(box, (el) => {
      (el as HTMLInputElement).value = "401";
      el.dispatchEvent(new Event("input"));
    });
    const edited = Date.now();
    await settled(page);
    const restarts = await page.evaluate(() => (window as unknown as { __lpeExplore: { restarts: number } }).__lpeExplore.restarts);
    console.log(`slow solve: the solver was restarted ${restarts} time(s); the 401-type result came ${((Date.now() - edited) / 1000).toFixed(1)} s after the edit`);
    expect(await page.$eval(box, (b) => (b as HTMLInputElement).value)).toBe("401");
    expect(await scalar(page, "leaderFringe.thetaLow")).toBeCloseTo(0.68683, 5);
    expect(await page.$eval("#status", (e) => e.textContent)).toMatch(/figures redrawn/);
    // restarted once when the slow solve outlasted the page's patience (1.5 s), else not at all
    expect(restarts).toBeLessThanOrEqual(1);
    expect(Date.now() - t0).toBeLessThan(30_000);
    assertNoProblems(problems);
    await page.close();
  });
});

describe("lpe explore on other markets", () => {
  it("says that finitely many types with a fringe need lpe solve (no HiGHS in the page), without console errors", async () => {
    if (!canRun()) return;
    const s = JSON.parse(readFileSync(join(root, "scenarios/examples/leader-fringe-sweep.json"), "utf8"));
    delete s.sweep;
    s.buyers = { theta: { dist: "discrete", values: [0.2, 0.5, 0.9], probs: [0.3, 0.4, 0.3] } };
    const file = join(tmp, "finite.json");
    writeFileSync(file, JSON.stringify(s, null, 2));
    const { page, problems } = await openPage(await explore(file));
    expect(await page.$eval("#checks", (c) => c.textContent)).toMatch(/need the HiGHS LP solver, which this page does not load: solve this scenario with lpe solve/);
    expect(await page.$$eval("#figures figure svg", (f) => f.length)).toBe(0);
    assertNoProblems(problems);
    await page.close();
  });

  it("after a solve that fails, shows no earlier checks or certificate and says nothing was solved", async () => {
    if (!canRun()) return;
    const s = JSON.parse(readFileSync(join(root, "scenarios/examples/leader-fringe-sweep.json"), "utf8"));
    delete s.sweep;
    const file = join(tmp, "fails-later.json");
    writeFileSync(file, JSON.stringify(s, null, 2));
    const { page, problems } = await openPage(await explore(file));
    // the uniform law solved: its lines say checks passed and certified
    expect(await page.$eval("#checks", (c) => c.textContent)).toMatch(/certified/);
    // a law this page cannot solve (finitely many types with a fringe: the solve stage fails)
    const failing = { ...s, buyers: { theta: { dist: "discrete", values: [0.2, 0.5, 0.9], probs: [0.3, 0.4, 0.3] } } };
    const before = Number(await page.evaluate(() => document.body.dataset.requested));
    await page.$eval("#editor", (e, text) => {
      const t = e as HTMLTextAreaElement;
      t.value = text;
      t.dispatchEvent(new Event("input"));
    }, JSON.stringify(failing, null, 2));
    await page.waitForFunction((b) => Number(document.body.dataset.requested) > b && document.body.dataset.error === document.body.dataset.requested, { timeout: 30_000 }, before);
    const checks = await page.$eval("#checks", (c) => c.textContent ?? "");
    expect(checks).toMatch(/need the HiGHS LP solver/);
    expect(checks).not.toMatch(/certified|checks: passed/);
    expect(await page.$eval("#status", (e) => e.textContent)).toMatch(/^not solved \(solve failed, see above\): the numbers and figures shown, dimmed, are the last solved scenario's$/);
    expect(await page.$$eval("#figures figure.stale", (f) => f.length)).toBeGreaterThan(0);
    assertNoProblems(problems);
    await page.close();
  });

  it("a probability moved moves the others in proportion, so the scenario stays valid (a reviewer's every move was refused)", async () => {
    if (!canRun()) return;
    const file = join(tmp, "token-distributions.json");
    copyFileSync(join(root, "scenarios/examples/token-distributions.json"), file);
    const before = JSON.parse(readFileSync(file, "utf8")).buyers.profiles.probs as number[];
    const { page, problems } = await openPage(await explore(file));
    const box = '.control[data-path="buyers.profiles.probs[0]"] input[type=number]';
    await page.click(box, { count: 3 });
    await page.keyboard.type("0.3");
    await settled(page);
    expect(await page.$$eval("#problems li", (li) => li.map((l) => l.textContent))).toEqual([]);
    const probs = JSON.parse(await page.$eval("#editor", (e) => (e as HTMLTextAreaElement).value)).buyers.profiles.probs as number[];
    expect(probs[0]).toBe(0.3);
    expect(Math.abs(probs.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
    // the others keep their proportions: each scaled by 0.7 / 0.9
    for (let i = 1; i < probs.length; i++) expect(Math.abs(probs[i] - (before[i] * 0.7) / (1 - before[0]))).toBeLessThan(1e-10);
    // and their controls show it
    expect(Number(await page.$eval('.control[data-path="buyers.profiles.probs[1]"] input[type=number]', (e) => (e as HTMLInputElement).value))).toBe(probs[1]);
    expect(await page.$eval("#checks", (c) => (c as HTMLElement).dataset.passed)).toBe("true");
    assertNoProblems(problems);
    await page.close();
  });

  for (const name of ["tutorial-monopoly", "tiers-three-models"]) {
    it(`draws ${name}'s figures with no console errors`, async () => {
      if (!canRun()) return;
      const file = join(tmp, `${name}.json`);
      copyFileSync(join(root, `scenarios/examples/${name}.json`), file);
      const { page, problems } = await openPage(await explore(file));
      expect(await page.$$eval("#figures figure svg", (s) => s.length)).toBeGreaterThanOrEqual(2);
      expect(await page.$eval("#checks", (c) => (c as HTMLElement).dataset.passed)).toBe("true");
      expect(await page.$$eval(".control input[type=range]", (r) => r.length)).toBeGreaterThan(5);
      assertNoProblems(problems);
      await page.close();
    });
  }
});
