// The sweeps behind figures drawn against a parameter (workers/figure-sweeps.ts): computed by
// the sweep runner with the numbers a direct solve gives, kept as sweep.csv (and nothing that
// changes from run to run), resumed after an interruption to the same bytes as an
// uninterrupted run, on the pool as on one thread; and the figure builders declare them.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenarioFile } from "../engine/scenario/load.js";
import { sweepScenario } from "../figures/builders/parameter-sweep.js";
import { figureNeeds } from "../figures/scenario-figures.js";
import { solveScenario } from "../solvers/solve.js";
import { FigureSweepInterrupted, runFigureSweep, type FigureSweepRequest } from "../workers/figure-sweeps.js";
import { startPool } from "../workers/pool.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const paper = (stem: string) => join(root, "scenarios", "papers", "bergemann-bonatti-smolin-2025", `${stem}.json`);
const work = mkdtempSync(join(tmpdir(), "lpe-figure-sweeps-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const base = loadScenarioFile(paper("thresholds")).scenario;
const costs = Array.from({ length: 40 }, (_, i) => Number((0.03 + i * 0.007).toFixed(3)));
const request: FigureSweepRequest = {
  id: "leaderFringe-market.fringe.cost",
  scenario: sweepScenario({ ...base, market: { ...base.market, kind: "leaderFringe" } as typeof base.market }, "market.fringe.cost", costs, ["thetaLow", "profit"]),
};

describe("figure sweeps", () => {
  it("computes each point as a direct solve does, and keeps only the table", async () => {
    const dir = join(work, "plain");
    const t = await runFigureSweep(request, { dir });
    expect(t.end - t.start).toBe(costs.length);
    for (const i of [0, 17, 39]) {
      const direct = solveScenario({ ...base, market: { ...base.market, kind: "leaderFringe", fringe: { ...(base.market as { fringe: object }).fringe, cost: costs[i] } } as typeof base.market }, { scalarsOnly: true });
      expect(Math.abs(t.values![2 * i] - (direct.scalars.thetaLow as number))).toBeLessThan(1e-12);
      expect(Math.abs(t.values![2 * i + 1] / (direct.scalars.profit as number) - 1)).toBeLessThan(1e-12);
    }
    expect(readdirSync(join(dir, request.id))).toEqual(["sweep.csv"]);
    const csv = readFileSync(join(dir, request.id, "sweep.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("point,market.fringe.cost,status,thetaLow,profit");
    expect(csv.length).toBe(costs.length + 1);
  });

  it("resumes an interrupted sweep to the bytes of an uninterrupted one", async () => {
    const dir = join(work, "resumed");
    let asked = 0;
    await expect(runFigureSweep(request, { dir, shouldStop: () => asked++ > 0 })).rejects.toBeInstanceOf(FigureSweepInterrupted);
    // the state on disk: an unfinished manifest with some points done, no table yet
    const manifest = JSON.parse(readFileSync(join(dir, request.id, "manifest.json"), "utf8")) as { complete: boolean; done: number };
    expect(manifest.complete).toBe(false);
    expect(manifest.done).toBeGreaterThan(0);
    expect(manifest.done).toBeLessThan(costs.length);
    expect(existsSync(join(dir, request.id, "sweep.csv"))).toBe(false);
    const notes: string[] = [];
    await runFigureSweep(request, { dir, note: (s) => notes.push(s) });
    expect(notes).toEqual([`figure sweep ${request.id}: resuming with ${manifest.done} of ${costs.length} points done`]);
    const plain = readFileSync(join(work, "plain", request.id, "sweep.csv"));
    expect(readFileSync(join(dir, request.id, "sweep.csv")).equals(plain)).toBe(true);
    // a finished table is recomputed (no stale numbers), to the same bytes
    await runFigureSweep(request, { dir, note: (s) => notes.push(s) });
    expect(notes.length).toBe(1);
    expect(readFileSync(join(dir, request.id, "sweep.csv")).equals(plain)).toBe(true);
  });

  it("gives the same bytes on the worker pool", async () => {
    const pool = await startPool(1);
    // (a sweep this short keeps to the calling thread unless told otherwise: sweep-runner.ts)
    process.env.LPE_POOL_MIN_SECONDS = "0";
    try {
      const dir = join(work, "pool");
      await runFigureSweep(request, { dir, pool });
      expect(readFileSync(join(dir, request.id, "sweep.csv")).equals(readFileSync(join(work, "plain", request.id, "sweep.csv")))).toBe(true);
    } finally {
      delete process.env.LPE_POOL_MIN_SECONDS;
      await pool.close();
    }
  });

  it("the figures declare their sweeps: the three market structures for thresholds, one for the tiers' profit share", () => {
    const needs = figureNeeds(base, solveScenario(base));
    expect(needs.sweeps.map((s) => s.id)).toEqual(["compare-market.fringe.cost"]);
    const c = needs.sweeps[0].scenario as typeof needs.sweeps[0]["scenario"] & { market: { kind: string } };
    expect(c.market.kind).toBe("compare");
    expect(Object.keys(c.sweep.params)).toEqual(["market.fringe.cost"]);
    expect((c.sweep.params["market.fringe.cost"] as { values: number[] }).values).toContain(0.2);
    expect(c.sweep.outputs.slice(0, 6)).toEqual(["thetaLow", "thetaHigh", "profit", "consumerSurplus", "welfare", "fringeSpendShare"].map((o) => `leaderFringe.${o}`));
    expect(c.sweep.outputs).toContain("efficient.thetaSwitch");
    expect(c.sweep.outputs).toContain("multiModelMonopoly.thetaSwitch");
    expect(c).not.toHaveProperty("figures");
    const tiers = loadScenarioFile(join(root, "scenarios", "examples", "tiers-three-models.json")).scenario;
    const t = figureNeeds(tiers, solveScenario(tiers));
    expect(t.sweeps.map((s) => [s.id, s.scenario.sweep.params])).toEqual([["tiers-market.count", { "market.count": { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } }]]);
    expect(t.solves.map((s) => [s.id, s.scenario.market.kind])).toEqual([["continuous-menu", "monopoly"]]);
  });
});

describe("axis titles of price outputs under units", () => {
  it("fall back to their shorter words when the full title is longer than the axis (they were dropped)", async () => {
    const { outputLabel } = await import("../figures/symbols.js");
    const { runsWidth } = await import("../figures/fonts.js");
    const { parseLabel } = await import("../figures/label.js");
    const { FIGURE_HEIGHT_PT, FIGURE_PADDING_PT, FONT_SIZE } = await import("../figures/style.js");
    const room = FIGURE_HEIGHT_PT - 2 * FIGURE_PADDING_PT;
    const width = (t: string) => runsWidth(parseLabel(t), FONT_SIZE.axisTitle);
    const units = { currency: "USD", tokens: 1e6, currencyPerCostUnit: 1 };
    for (const name of ["leaderAveragePrice", "medianPricePerToken", "contractingGainRelative"]) {
      expect(width(outputLabel(name, units).text), `${name}: the full title is too long`).toBeGreaterThan(room);
      expect(width(outputLabel(name, units, true).text), `${name}: the compact title fits`).toBeLessThanOrEqual(room);
    }
    expect(outputLabel("leaderAveragePrice", units, true).text).toBe("Leader's price (USD per 1M tokens)");
    // a name without shorter words keeps its label
    expect(outputLabel("profit", units, true)).toEqual(outputLabel("profit", units));
  });

  it("say \"per token\" where one model token is one real token (not \"per 1 tokens\", a reviewer's)", async () => {
    const { outputLabel, unitsSentence } = await import("../figures/symbols.js");
    const one = { currency: "USD", tokens: 1, currencyPerCostUnit: 1 };
    expect(outputLabel("leaderAveragePrice", one, true).text).toBe("Leader's price (USD per token)");
    expect(unitsSentence(one)).toBe("Units: money in USD, prices per token, volumes in tokens");
    expect(unitsSentence({ ...one, tokens: 1e6 })).toBe("Units: money in USD, prices per 1M tokens, volumes in units of 1M tokens");
  });
});
