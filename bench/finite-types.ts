// `npm run bench:finite-types [-- --quick] [-- --baseline DIR]`: finite-type leader–fringe markets
// with γ_F > 0 (docs/model.md 3c), solved by the certified screening LP (solvers/screening-lp.ts),
// as the number of types grows: time, certificate, LP rounds and columns, and how many types the
// LP randomizes. The types are N atoms of a continuous law (the mass of each of N equal θ-intervals
// at its conditional mean), for three laws: uniform, and two three-component mixtures from the
// random-market scan (scripts/random-market-scan.mjs, seed 7, markets 27 and 54) whose continuous
// solutions lpe leaves uncertified — the finite-type LP is how an economist would check them.
// With --baseline DIR (another build's dist/ folder, next to a package.json and node_modules) the
// same markets are solved by that build too, one after the other in the same process, and the two
// profits compared. Writes its section of bench/results.md between the markers below (run.ts
// keeps everything after its notes marker); --quick prints only.

import { isAbsolute, join, resolve } from "node:path";
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { buildDistribution } from "../engine/distributions/from-spec.js";
import { expectation } from "../engine/numerics/expectation.js";
import type { DistSpec } from "../engine/scenario/spec-types.js";
import * as currentLoad from "../engine/scenario/load.js";
import * as currentSolve from "../solvers/solve.js";
import { machineInfo } from "./machine.js";
import { writeResultsSection } from "./results-section.js";
import { median } from "./process-timer.js";

const QUICK = process.argv.includes("--quick");
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const BASELINE = arg("--baseline");
const BEGIN = "<!-- finite-types -->";
const END = "<!-- /finite-types -->";
/** a law stops growing N once a solve (this build's or the baseline's) takes longer than this (seconds) */
const STOP_AFTER = 60;
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

interface Engine {
  parseScenario: typeof currentLoad.parseScenario;
  prepareSolvers: typeof currentSolve.prepareSolvers;
  solveScenario: typeof currentSolve.solveScenario;
}

const laws: { name: string; theta: DistSpec; technology: unknown; market: unknown }[] = [
  {
    name: "uniform on [0, 1]",
    theta: { dist: "uniform", min: 0, max: 1 } as DistSpec,
    technology: { sigma: 0.5 },
    market: { kind: "leaderFringe", leader: { gamma: 0.3, cost: 0.3 }, fringe: { gamma: 0.1, cost: 0.2 } },
  },
  {
    name: "mixture c27",
    theta: {
      dist: "mixture",
      components: [
        { dist: "uniform", min: 0.459231205964103, max: 0.8125114778580664 },
        { dist: "beta", a: 2.892374222489248, b: 4.73355737679338, min: 0.8700349972909479, max: 1.7898013505571528 },
      ],
      weights: [0.5180590433057455, 0.4819409566942545],
    } as DistSpec,
    technology: { sigma: 0.5137809606333175 },
    market: { kind: "leaderFringe", leader: { gamma: 0.05996321849988923, cost: 0.8053253922403443 }, fringe: { gamma: 0.014937672041043012, cost: 0.9897915383788536 } },
  },
  {
    name: "mixture c54",
    theta: {
      dist: "mixture",
      components: [
        { dist: "beta", a: 0.7362760903948342, b: 2.192251265976695, min: 0.5536752392322175, max: 1.1270806932947974 },
        { dist: "beta", a: 3.6077419237269748, b: 2.918512079268001, min: 0.5142853122736725, max: 1.340788563732425 },
        { dist: "uniform", min: 0.8551207402977723, max: 0.9957983147799029 },
      ],
      weights: [0.34111239892635964, 0.24004436219982736, 0.41884323887381303],
    } as DistSpec,
    technology: { sigma: 0.4004642800430135 },
    market: { kind: "leaderFringe", leader: { gamma: 0.05189280975698159, cost: 0.7413766766392518 }, fringe: { gamma: 0.04600116554235175, cost: 0.8770597658276698 } },
  },
];

/** N atoms of a continuous law: each of N equal θ-intervals' mass at its conditional mean (the
 *  engine's expectation; an interval holding no more than 1e-14 gives no atom). */
function atoms(theta: DistSpec, n: number): { values: number[]; probs: number[] } {
  const d = buildDistribution(theta, "buyers.theta");
  if (d.discrete) throw new Error("a continuous law is needed");
  const values: number[] = [];
  const probs: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = d.min + ((d.max - d.min) * i) / n;
    const b = d.min + ((d.max - d.min) * (i + 1)) / n;
    const m = d.cdf(b) - d.cdf(a);
    if (!(m > 1e-14)) continue;
    values.push(Math.min(b, Math.max(a, expectation(d, (t) => t, [], "bench atoms", 0, a, b) / m)));
    probs.push(m);
  }
  return { values, probs };
}

interface Run {
  /** the solve's error message, when it failed */
  error?: string;
  seconds: number;
  profit: number;
  certified: boolean;
  gap: number | null;
  rounds: string;
  randomized: string;
}

/** A solve that failed: its message, no numbers. */
function failed(e: Error): Run {
  return { error: e.message.replace(/\|/g, "/"), seconds: NaN, profit: NaN, certified: false, gap: null, rounds: "—", randomized: "—" };
}

/** Solves once untimed (HiGHS loaded, the code compiled). */
async function warmUp(engine: Engine, raw: unknown): Promise<void> {
  const s = engine.parseScenario(raw, { figures: false });
  await engine.prepareSolvers(s);
  engine.solveScenario(s, { scalarsOnly: true });
}

/** Times the solve of a market: the median of 3 after a warm-up for N ≤ 100, one run above (a
 *  warm-up would double the cost of the big ones, whose compile time is noise). */
async function timeSolve(engine: Engine, raw: unknown, n: number): Promise<Run> {
  const s = engine.parseScenario(raw, { figures: false });
  await engine.prepareSolvers(s);
  const repeats = n <= 100 ? 3 : 1;
  if (repeats > 1) engine.solveScenario(s, { scalarsOnly: true });
  const times: number[] = [];
  let sol: ReturnType<Engine["solveScenario"]> | undefined;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    sol = engine.solveScenario(s, { scalarsOnly: true });
    times.push((performance.now() - t0) / 1000);
  }
  const notes = sol!.solver.notes.join(" ");
  const lp = /(\d+) rounds, (\d+) columns/.exec(notes);
  const lot = /randomizes (\d+) type/.exec(notes);
  return {
    seconds: median(times),
    profit: sol!.scalars.profit as number,
    certified: sol!.certificate.certified,
    gap: sol!.certificate.optimalityGap,
    rounds: lp ? `${lp[1]} / ${lp[2]}` : "—",
    randomized: lot ? lot[1] : "0",
  };
}

async function loadBaseline(dir: string): Promise<Engine> {
  const root = isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
  const load = (await import(pathToFileURL(join(root, "engine", "scenario", "load.js")).href)) as typeof currentLoad;
  const solve = (await import(pathToFileURL(join(root, "solvers", "solve.js")).href)) as typeof currentSolve;
  return { parseScenario: load.parseScenario, prepareSolvers: solve.prepareSolvers, solveScenario: solve.solveScenario };
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
const sci = (x: number | null) => (x === null || !Number.isFinite(x) ? "n/a" : x === 0 ? "0" : x.toExponential(1));

async function main(): Promise<void> {
  const info = machineInfo();
  const current: Engine = { parseScenario: currentLoad.parseScenario, prepareSolvers: currentSolve.prepareSolvers, solveScenario: currentSolve.solveScenario };
  const baseline = BASELINE ? await loadBaseline(BASELINE) : undefined;
  const loadStart = loadavg().map((x) => x.toFixed(2)).join(", ");
  const md: string[] = [BEGIN, "## Finite-type leader–fringe markets (the screening LP)", ""];
  md.push(
    `Written by \`npm run bench:finite-types\` (bench/finite-types.ts) on ${info.date}; ${info.cpu}, ${info.cores} cores, node ${info.node}. ` +
      `Load average at start: ${loadStart}${QUICK ? " (quick run)" : ""}. Times are in-process (\`solveScenario\`, HiGHS loaded): medians of 3 after a warm-up for N ≤ 100, one run above.` +
      (baseline ? ` The baseline column is the build in \`${BASELINE}\`, run in the same process just before this build on each market; its profit is compared with this build's.` : ""),
    "",
    "Types: N atoms of the law (each of N equal θ-intervals' mass at its conditional mean). Uniform: σ = 0.5, leader γ = 0.3, c = 0.3, fringe γ = 0.1, c = 0.2. " +
      "Mixtures c27 and c54: the markets of `node scripts/random-market-scan.mjs 7 60 leaderFringe` whose continuous solutions are not certified. " +
      "`gap` = (LP dual bound − profit)/profit; `rounds / columns` of the column and row generation; `randomized`: types the LP splits between items (their deterministic menu is then searched, and the gap bounds what a lottery could add).",
    "",
    baseline
      ? "| law | N | time (s) | baseline (s) | speed-up | same profit | certified | gap | rounds / columns | randomized |"
      : "| law | N | time (s) | certified | gap | rounds / columns | randomized |",
    baseline ? "| --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |" : "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
  );
  // load HiGHS and compile the solvers once before any timing
  const warm = { name: "warm", buyers: { theta: { dist: "discrete", ...atoms(laws[0].theta, 20) } }, technology: laws[0].technology, market: laws[0].market };
  await warmUp(current, warm);
  if (baseline) await warmUp(baseline, warm);
  const sizes = QUICK ? [50, 100] : [50, 100, 200, 400, 800];
  for (const law of laws) {
    for (const n of sizes) {
      const raw = { name: "bench-finite-types", buyers: { theta: { dist: "discrete", ...atoms(law.theta, n) } }, technology: law.technology, market: law.market };
      log(`${law.name} N=${n}${baseline ? " (baseline first)" : ""}`);
      const base = baseline ? await timeSolve(baseline, raw, n).catch((e: Error) => failed(e)) : undefined;
      const run = await timeSolve(current, raw, n).catch((e: Error) => failed(e));
      const cert = run.certified ? "yes" : "**no**";
      if (base?.error || run.error) {
        // (the baseline of 6 Dec 2026 failed with HiGHS status −1 on 400 atoms of c54)
        const say = (r: Run) => (r.error ? `failed: ${r.error}` : f2(r.seconds));
        md.push(
          base
            ? `| ${law.name} | ${n} | ${say(run)} | ${say(base)} | — | — | ${run.error ? "—" : cert} | ${run.error ? "—" : sci(run.gap)} | ${run.error ? "—" : run.rounds} | ${run.error ? "—" : run.randomized} |`
            : `| ${law.name} | ${n} | ${say(run)} | — | — | — | — |`,
        );
      } else if (base) {
        const same = Math.abs(run.profit - base.profit) <= 1e-12 * Math.abs(base.profit) ? "yes" : `${sci((run.profit - base.profit) / Math.abs(base.profit))} rel.`;
        md.push(`| ${law.name} | ${n} | ${f2(run.seconds)} | ${f2(base.seconds)} | ${f2(base.seconds / run.seconds)}× | ${same} | ${cert} | ${sci(run.gap)} | ${run.rounds} | ${run.randomized} |`);
      } else {
        md.push(`| ${law.name} | ${n} | ${f2(run.seconds)} | ${cert} | ${sci(run.gap)} | ${run.rounds} | ${run.randomized} |`);
      }
      if (run.seconds > STOP_AFTER || (base && base.seconds > STOP_AFTER)) break; // (NaN, a failure, goes on)
    }
  }
  md.push("", `Load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(", ")}.`, "", END);
  const text = md.join("\n");
  if (QUICK) {
    process.stdout.write(text + "\n");
    return;
  }
  log(`wrote ${writeResultsSection(BEGIN, END, text)}`);
}

await main();
