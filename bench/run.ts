// `npm run bench [-- --quick]`: lpe beside the SciPy peer (../shared/peers/scipy_peer.py) and the
// vectorized NumPy peer (../shared/peers/numpy_vec_peer.py, bench/vec-peer.ts) — a folder that
// exists only on the maintainers' machines, next to the checkout — on the same work, on this
// machine, in one run; writes bench/results.md. Without the peers it says so and measures lpe
// alone (peer columns empty). This folder is the only part of the project that looks outside
// the repository. Whole processes are timed under /usr/bin/time (median of REPEATS runs, or of
// interleaved rounds against the vectorized peer; wall and CPU time, peak resident memory, load
// average); the computation alone is lpe's time around the solve (in this process, or
// computeSeconds of sweep.json) against the peer's own elapsed_s. Accuracy is checked against
// the closed forms (uniform monopoly, docs/model.md 2) and the P2 case
// (test/fixtures/reference/P2.json). --quick uses sweeps ten times smaller and writes
// bench/results-quick.md instead.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { loadScenarioFile } from "../engine/scenario/load.js";
import { solveScenario } from "../solvers/solve.js";
import type { MarketSolution } from "../solvers/types.js";
import { packageRoot } from "../engine/package-root.js";
import { loadP2, maxRelativeError, monopolyProfit, monopolyQ, monopolyT, monopolyU, relErr, type P2Reference } from "./closed-forms.js";
import { machineInfo } from "./machine.js";
import { median, runOnce, timeCommand, type ProcessRun, type TimedCommand } from "./process-timer.js";
import { executorCost, validationCost } from "./sweep-overheads.js";
import { cpuCapacity, kernelSeconds, kernelSecondsThreads, med, runInterleaved, type Phases as VecPhases, type VecConfig } from "./vec-peer.js";

const ROOT = packageRoot();
const QUICK = process.argv.includes("--quick");
const REPEATS = 3;
const SWEEP_POINTS = QUICK ? 10_000 : 100_000;
const PEER_DIR = resolve(ROOT, "..", "shared", "peers");
const PEER = join(PEER_DIR, "scipy_peer.py");
const P2_FILE = join(ROOT, "test", "fixtures", "reference", "P2.json");
const LPE = join(ROOT, "bin", "lpe.js");
const SCEN = (f: string) => join("bench", "scenarios", f);
const MONOPOLY = SCEN("monopoly-uniform-2001.json");
const LF = SCEN("leader-fringe-2001.json");
const LF_SWEEP = SCEN("leader-fringe-sweep.json");
const sweepSet = (n: number) => `sweep.params={"market.fringe.cost":{"linspace":[0.05,0.29,${n}]}}`;
// A run with overrides writes to a folder named after them unless `name` is set: keep one name.
const SAME_NAME = ["--set", "name=bench-lf-sweep"];

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "n/a");
const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : "n/a");
const ratio = (a: number, b: number) => {
  if (!(Number.isFinite(a) && Number.isFinite(b) && b > 0)) return "n/a";
  const x = a / b;
  return `${x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toPrecision(2)}×`;
};

interface PeerJson {
  elapsed_s: number;
  [k: string]: unknown;
}

const peerAvailable = existsSync(PEER);

function peer(args: string[], display: string, repeats = REPEATS): TimedCommand | undefined {
  if (!peerAvailable) return undefined;
  log(`peer ${args.join(" ")}`);
  return timeCommand("python3", [PEER, ...args], { cwd: ROOT, repeats, display });
}

/** Runs of the SciPy peer's sweep (~25 s each at 100,000 points: one, to keep the benchmark within a few minutes). */
const PEER_SWEEP_REPEATS = 1;

function peerJson(t: TimedCommand | undefined): PeerJson[] {
  return t ? t.runs.map((r) => JSON.parse(r.stdout.trim().split("\n").pop() as string) as PeerJson) : [];
}

function lpe(args: string[], outDir: string): TimedCommand {
  log(`lpe ${args.join(" ")}`);
  return timeCommand(process.execPath, [LPE, ...args], {
    cwd: ROOT,
    repeats: REPEATS,
    display: `node bin/lpe.js ${args.map((a) => (a.includes("{") ? `'${a}'` : a)).join(" ")}`.replace(outDir, "$TMP"),
    before: () => rmSync(outDir, { recursive: true, force: true }),
  });
}

/** Time a sweep's processes, collecting computeSeconds of each run's sweep.json. */
interface Phases {
  setupSeconds: number;
  computeSeconds: number;
  writeSeconds: number;
  figuresSeconds: number;
}

function lpeSweep(args: string[], outDir: string): TimedCommand & { compute: number[]; phases: Phases[] } {
  const compute: number[] = [];
  const phases: Phases[] = [];
  const meta = join(outDir, "bench-lf-sweep", "sweep.json");
  const collect = () => {
    if (!existsSync(meta)) return;
    const m = JSON.parse(readFileSync(meta, "utf8")) as { computeSeconds: number; phases: Phases };
    compute.push(m.computeSeconds);
    phases.push(m.phases);
  };
  log(`lpe ${args.join(" ")}`);
  const t = timeCommand(process.execPath, [LPE, ...args], {
    cwd: ROOT,
    repeats: REPEATS,
    display: `node bin/lpe.js ${args.map((a) => (a.includes("{") ? `'${a}'` : a)).join(" ")}`.replace(outDir, "$TMP"),
    before: () => {
      collect();
      rmSync(outDir, { recursive: true, force: true });
    },
  });
  collect();
  return { ...t, compute, phases };
}

/** Time a solve in this process: the first (cold) call and the median of warm calls. */
function inProcessSolve(file: string): { cold: number; warm: number; solution: MarketSolution } {
  const { scenario } = loadScenarioFile(join(ROOT, file));
  let t0 = performance.now();
  const solution = solveScenario(scenario);
  const cold = (performance.now() - t0) / 1000;
  const warm: number[] = [];
  for (let i = 0; i < 10; i++) {
    t0 = performance.now();
    solveScenario(scenario);
    warm.push((performance.now() - t0) / 1000);
  }
  return { cold, warm: median(warm), solution };
}

function sumColumns(csvText: string, names: string[]): Record<string, number> {
  const lines = csvText.trimEnd().split("\n");
  const header = lines[0].split(",");
  const idx = names.map((n) => header.indexOf(n));
  const sums: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(",");
    names.forEach((n, k) => (sums[n] += Number(cells[idx[k]])));
  }
  return sums;
}

function readCsvColumns(path: string): Record<string, number[]> {
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  const header = lines[0].split(",");
  const cols: Record<string, number[]> = Object.fromEntries(header.map((h) => [h, []]));
  for (let i = 1; i < lines.length; i++) lines[i].split(",").forEach((c, k) => cols[header[k]].push(Number(c)));
  return cols;
}

// ---------------------------------------------------------------- the vectorized peer (issue 15)
const VEC = join(PEER_DIR, "numpy_vec_peer.py");
const SMALL = QUICK ? 10_000 : 100_000;
const BIG = QUICK ? 100_000 : 1_000_000;
const HUGE = QUICK ? 1_000_000 : 10_000_000;
const VEC_ROUNDS = QUICK ? 3 : 5;
/** paired rounds of the kernel alone against the peer's computation (target (h)) */
const KERNEL_ROUNDS = QUICK ? 3 : 7;
const BETA = SCEN("leader-fringe-beta-sweep.json");
const LOGNORMAL = SCEN("leader-fringe-lognormal-sweep.json");
const GAMMA_F = SCEN("leader-fringe-gammaF-sweep.json");
const LF_NAME = "bench-lf-sweep";

type Target = [string, string, string, boolean | undefined];

function vecConfigs(n: number, dir: (s: string) => string, peerThere: boolean): VecConfig[] {
  const pts = n.toLocaleString("en-US");
  const peerCfg = (csv: boolean): VecConfig => {
    const args = ["lf-sweep", "--points", String(n), ...(csv ? ["--csv", dir(`peer-${n}.csv`)] : [])];
    return {
      label: `peer ${pts}${csv ? " csv" : ""}`,
      kind: "peer",
      points: n,
      workers: 1,
      csv,
      figures: false,
      cmd: "python3",
      args: [VEC, ...args],
      display: `python3 ../shared/peers/numpy_vec_peer.py ${args.join(" ").replace(dir(""), "$TMP/")}`,
    };
  };
  const lpeCfg = (w: number, figures: boolean): VecConfig => {
    const d = dir(`lpe-${n}-${w}-${figures ? "f" : "n"}`);
    const args = ["sweep", LF_SWEEP, "--workers", String(w), ...(figures ? [] : ["--no-figures"]), "--out", d, "--set", sweepSet(n), ...SAME_NAME];
    return {
      label: `lpe ${pts} w${w}${figures ? "" : " nofig"}`,
      kind: "lpe",
      points: n,
      workers: w,
      csv: true,
      figures,
      cmd: process.execPath,
      args: [LPE, ...args],
      display: `node bin/lpe.js ${args.map((a) => (a.includes("{") ? `'${a}'` : a)).join(" ").replace(d, "$TMP")}`,
      dir: d,
    };
  };
  // two 1-worker processes at once, each on half the grid: the speed-up a perfectly divided
  // sweep could reach on this machine (no shared main thread, no messages), for target (j)
  const shardsCfg = (): VecConfig => {
    const d = dir(`lpe-${n}-shards`);
    const one = (i: number) => ["sweep", LF_SWEEP, "--workers", "1", "--no-figures", "--out", d, "--set", sweepSet(n), ...SAME_NAME, "--shard", `${i}/2`];
    const q = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
    const line = (i: number) => [process.execPath, LPE, ...one(i)].map(q).join(" ");
    return {
      label: `lpe ${pts} 2 shards at once`,
      kind: "shards",
      points: n,
      workers: 1,
      csv: true,
      figures: false,
      cmd: "/bin/sh",
      args: ["-c", `${line(1)} & a=$!; ${line(2)}; b=$?; wait $a && exit $b`],
      display: [1, 2].map((i) => `node bin/lpe.js ${one(i).map((a) => (a.includes("{") ? `'${a}'` : a)).join(" ").replace(d, "$TMP")}`).join(" &\n") + " & wait",
      dir: d,
    };
  };
  return [...(peerThere ? [peerCfg(false), peerCfg(true)] : []), lpeCfg(1, false), lpeCfg(2, false), lpeCfg(2, true), ...(n === BIG ? [shardsCfg()] : [])];
}

async function vectorizedPeerSection(md: string[], targets: Target[], out: (s: string) => string): Promise<void> {
  const vecThere = existsSync(VEC);
  log(`vectorized peer ${vecThere ? VEC : "absent"}; CPU capacity probe`);
  const cap = await cpuCapacity();
  const small = vecConfigs(SMALL, out, vecThere);
  const big = vecConfigs(BIG, out, vecThere);
  const runs = runInterleaved([...small, ...big], VEC_ROUNDS, ROOT, LF_NAME, log, `lpe ${BIG.toLocaleString("en-US")} w2 nofig`);
  const get = (c: VecConfig) => runs.get(c.label) ?? [];
  const wall = (c: VecConfig | undefined) => (c ? med(get(c), (r) => r.wallSeconds) : NaN);
  const cpu = (c: VecConfig | undefined) => (c ? med(get(c), (r) => r.cpuSeconds) : NaN);
  const comp = (c: VecConfig | undefined) => (c ? med(get(c), (r) => r.computation) : NaN);
  const rss = (c: VecConfig | undefined) => (c ? Math.max(...get(c).map((r) => r.maxRssMB)) : NaN);
  const find = (cs: VecConfig[], kind: "peer" | "lpe", w: number, csvOrFig: boolean) =>
    cs.find((c) => c.kind === kind && (kind === "peer" ? c.csv === csvOrFig : c.workers === w && c.figures === csvOrFig));
  const allLoads = [...runs.values()].flat().map((r) => r.load1);

  md.push(`## Sweep against the vectorized NumPy peer (${SMALL.toLocaleString("en-US")} and ${BIG.toLocaleString("en-US")} points)`, "");
  if (!vecThere) md.push(`**The vectorized peer was not found at ${VEC}: its rows are missing and the targets against it cannot be judged.**`, "");
  md.push(
    `The same leader–fringe sweep (c_F ∈ linspace(0.05, 0.29, P), σ = 0.5, γ_L = 0.3, c_L = 0.3, θ ~ U[0, 1]). Every command ran once per round, ` +
      `${VEC_ROUNDS} rounds, interleaved; medians over rounds. 1-minute load average before the runs: median ${median(allLoads).toFixed(2)}, ` +
      `range ${Math.min(...allLoads).toFixed(2)}–${Math.max(...allLoads).toFixed(2)} (2 cores). ` +
      `CPU capacity during the run: the same CPU loop took ${f3(cap.one)} s on one thread and ${f3(cap.two)} s on two at once (two threads could reach ${cap.speedup.toFixed(2)}×).`,
    "",
  );
  md.push("| command | points | process wall (s) | process CPU (s) | computation (s) | peak RSS (MB) |", "| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const c of [...small, ...big]) {
    md.push(`| ${c.label} | ${c.points.toLocaleString("en-US")} | ${f3(wall(c))} | ${f3(cpu(c))} | ${f3(comp(c))} | ${rss(c).toFixed(0)} |`);
  }
  md.push("", "Commands (lpe runs from the repository root):", "", "```", ...[...small, ...big].map((c) => c.display), "```", "");
  md.push(
    "\"computation\" is the peer's own `elapsed_s` (with `--csv` it includes writing its CSV, as lpe's does) and lpe's `computeSeconds` " +
      "of sweep.json: solving, formatting and writing sweep.csv (and, up to 100,000 points, the curve CSVs; streamed while solving), and the durable part files. " +
      "lpe's process also loads its modules, publishes the files (fsync, rename) and, by default, draws the figures; `nofig` runs use `--no-figures`.",
    "",
  );

  // phases of lpe at BIG
  md.push(`Where lpe's time went at ${BIG.toLocaleString("en-US")} points (medians of \`phases\` in sweep.json):`, "");
  md.push("| run | set-up (s) | computation (s) | publishing the CSVs (s) | figures (s) | points solved on the main thread |", "| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const c of big.filter((x) => x.kind === "lpe")) {
    const ph = get(c).map((r) => r.phases).filter((x): x is VecPhases => x !== undefined);
    const m = (k: keyof VecPhases) => median(ph.map((x) => x[k] ?? NaN).filter(Number.isFinite));
    md.push(`| ${c.label} | ${f3(m("setupSeconds"))} | ${f3(m("computeSeconds"))} | ${f3(m("writeSeconds"))} | ${f3(m("figuresSeconds"))} | ${(100 * m("mainThreadShare")).toFixed(0)} % |`);
  }
  md.push("");

  // the kernel alone
  log("kernel alone, in process");
  const kt = kernelSeconds(join(ROOT, LF_SWEEP), [sweepSet(BIG)], BIG);
  // the kernel alone on fresh threads: this process has run the other solvers, whose calls of
  // the kernel (batches of one) leave its compiled code slower than a sweep thread's
  // (h) paired: the peer's computation and the kernel on a fresh thread, one after the other in
  // each round (which goes first alternates), so that each ratio compares the two under the same
  // load; the machine's speed drifts by tens of % over a minute, and a kernel timed minutes after
  // the peer's runs gave 0.70× and 1.2× in two runs of the same code
  log("kernel alone against the peer's computation, paired rounds");
  const peerBigConfig = find(big, "peer", 1, false);
  const peerOnce = () => (peerBigConfig ? runInterleaved([peerBigConfig], 1, ROOT, LF_NAME, log).get(peerBigConfig.label)![0].computation : NaN);
  const kernelOnce = () => kernelSecondsThreads(join(ROOT, LF_SWEEP), [sweepSet(BIG)], BIG, 1);
  const pairs: { peer: number; kernel: number }[] = [];
  for (let r = 0; r < KERNEL_ROUNDS; r++) {
    if (r % 2 === 0) {
      const peer = peerOnce();
      pairs.push({ peer, kernel: await kernelOnce() });
    } else {
      const kernel = await kernelOnce();
      pairs.push({ peer: peerOnce(), kernel });
    }
  }
  const kt1 = median(pairs.map((x) => x.kernel));
  const pairedRatios = pairs.map((x) => x.peer / x.kernel).filter(Number.isFinite);
  const kt2 = await kernelSecondsThreads(join(ROOT, LF_SWEEP), [sweepSet(BIG)], BIG, 2);
  const peerBigComp = median(pairs.map((x) => x.peer).filter(Number.isFinite));
  md.push(
    `lpe's batch kernel alone (a fresh thread, warm, no text, no files; median of ${KERNEL_ROUNDS} rounds, each paired with a run of the peer without CSV): ${f3(kt1)} s for ${BIG.toLocaleString("en-US")} points ` +
      `(${((kt1 * 1e6) / BIG).toFixed(2)} µs a point; in this process, after the other benchmarks, ${f3(kt.kernel)} s); with the rows formatted as the sweep writes them (sweep.csv, in memory, this process) ${f3(kt.withRows)} s ` +
      `(${((kt.withRows * 1e6) / BIG).toFixed(2)} µs a point). The kernel alone on two threads at once (half the points each, as a sweep with 2 workers splits them): ${f3(kt2)} s wall (${(kt1 / kt2).toFixed(2)}× one thread). ` +
      `The peer's computation without CSV in the same rounds: ${f3(peerBigComp)} s (${((peerBigComp * 1e6) / BIG).toFixed(2)} µs a point, one process); ` +
      `the ratio peer / kernel round by round: ${pairedRatios.map((x) => x.toFixed(2)).join(", ")} (median ${median(pairedRatios).toFixed(2)}).`,
    "",
  );

  // column sums
  const lpeSums = get(find(big, "lpe", 2, false)!)[0]?.sums;
  const peerSums = vecThere ? get(find(big, "peer", 1, false)!)[0]?.sums : undefined;
  if (lpeSums) {
    md.push(`Column sums at ${BIG.toLocaleString("en-US")} points (lpe's sweep.csv against the peer's):`, "", "| column | lpe | vectorized peer | rel. diff |", "| --- | ---: | ---: | ---: |");
    for (const [k, v] of Object.entries(lpeSums)) md.push(`| ${k} | ${v} | ${peerSums?.[k] ?? "n/a"} | ${sci(relErr(v, peerSums?.[k] ?? NaN))} |`);
    md.push("");
  }

  // targets
  const bigPeerCsv = find(big, "peer", 1, true);
  const bigW1 = find(big, "lpe", 1, false);
  const bigW2 = find(big, "lpe", 2, false);
  const bigDefault = find(big, "lpe", 2, true);
  const bigShards = big.find((c) => c.kind === "shards");
  const smallPeer = find(small, "peer", 1, false);
  const smallPeerCsv = find(small, "peer", 1, true);
  const smallW1 = find(small, "lpe", 1, false);
  const smallW2 = find(small, "lpe", 2, false);
  const smallDefault = find(small, "lpe", 2, true);
  const pts = (n: number) => n.toLocaleString("en-US");
  const r2 = (a: number, b: number) => (Number.isFinite(a / b) ? a / b : NaN);
  /** wall(a)/wall(b) within each round (the two ran a few seconds apart), and their median */
  const perRound = (a: VecConfig | undefined, b: VecConfig | undefined): string => {
    if (!a || !b) return "n/a";
    const xs = get(a).map((r, i) => r.wallSeconds / (get(b)[i]?.wallSeconds ?? NaN)).filter(Number.isFinite);
    return xs.length > 0 ? `${xs.map((x) => x.toFixed(2)).join(", ")}, median ${median(xs).toFixed(2)}×` : "n/a";
  };
  targets.push([
    `(g) ${pts(BIG)} points, both writing every row as CSV: lpe whole process (2 workers, --no-figures) vs the vectorized peer with --csv`,
    "≥ 2×",
    `${ratio(wall(bigPeerCsv), wall(bigW2))} (1 worker ${ratio(wall(bigPeerCsv), wall(bigW1))}; with figures ${ratio(wall(bigPeerCsv), wall(bigDefault))}; CPU time ${ratio(cpu(bigPeerCsv), cpu(bigW2))})`,
    vecThere ? r2(wall(bigPeerCsv), wall(bigW2)) >= 2 : undefined,
  ]);
  targets.push([
    `(h) ${pts(BIG)} points, computation alone: lpe's kernel (one thread) vs the peer's computation (no CSV)`,
    "on par (≥ 1×)",
    `${median(pairedRatios).toFixed(2)}× (median of ${pairedRatios.length} paired rounds, range ${Math.min(...pairedRatios).toFixed(2)}–${Math.max(...pairedRatios).toFixed(2)}; the kernel on 2 threads ${ratio(peerBigComp, kt2)}; with lpe's rows formatted ${ratio(peerBigComp, kt.withRows)}; lpe's compute phase, 2 workers, vs the peer's with --csv: ${ratio(comp(bigPeerCsv), comp(bigW2))})`,
    vecThere ? median(pairedRatios) >= 1 : undefined,
  ]);
  targets.push([
    `(i) ${pts(SMALL)} points: lpe whole process (2 workers, --no-figures) vs the vectorized peer`,
    "> 1×",
    `${ratio(wall(smallPeer), wall(smallW2))} (1 worker ${ratio(wall(smallPeer), wall(smallW1))}; with figures ${ratio(wall(smallPeer), wall(smallDefault))}; against the peer with --csv ${ratio(wall(smallPeerCsv), wall(smallW2))})`,
    vecThere ? r2(wall(smallPeer), wall(smallW2)) > 1 : undefined,
  ]);
  targets.push([
    `(j) lpe 2 workers / 1 worker at ${pts(BIG)} points (whole process, --no-figures)`,
    "≥ 1.8×",
    `${ratio(wall(bigW1), wall(bigW2))} (round by round ${perRound(bigW1, bigW2)}; computation ${ratio(comp(bigW1), comp(bigW2))}; the CPU probe allowed ${cap.speedup.toFixed(2)}×; ` +
      `two 1-worker processes at once on half the grid each reached ${ratio(wall(bigW1), wall(bigShards))} on the whole process and ${ratio(comp(bigW1), comp(bigShards))} on computation, round by round ${perRound(bigW1, bigShards)})`,
    r2(wall(bigW1), wall(bigW2)) >= 1.8,
  ]);
  targets.push([
    `(k) peak RSS of the ${pts(BIG)}-point sweep`,
    "< 100 MB",
    `1 worker ${rss(bigW1).toFixed(0)} MB, 2 workers ${rss(bigW2).toFixed(0)} MB, 2 workers with figures ${rss(bigDefault).toFixed(0)} MB`,
    rss(bigW1) < 100 && rss(bigW2) < 100,
  ]);

  // 10M points, memory
  log(`memory: ${HUGE} points`);
  const hugeRuns: { w: number; run: ProcessRun; rows: number }[] = [];
  for (const w of [1, 2]) {
    const d = out(`huge-${w}`);
    const args = ["sweep", LF_SWEEP, "--workers", String(w), "--no-figures", "--out", d, "--set", sweepSet(HUGE), ...SAME_NAME];
    const run = runOnce(process.execPath, [LPE, ...args], ROOT, () => rmSync(d, { recursive: true, force: true }));
    const meta = JSON.parse(readFileSync(join(d, LF_NAME, "sweep.json"), "utf8")) as { points: number; failures: number };
    hugeRuns.push({ w, run, rows: meta.points - meta.failures });
    rmSync(d, { recursive: true, force: true });
  }
  md.push(`## ${pts(HUGE)} points`, "");
  md.push("| workers | peak RSS (MB) | process wall (s) | process CPU (s) | rows ok | load before |", "| ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const h of hugeRuns) md.push(`| ${h.w} | ${h.run.maxRssMB.toFixed(0)} | ${f3(h.run.wallSeconds)} | ${f3(h.run.cpuSeconds)} | ${h.rows.toLocaleString("en-US")} | ${h.run.load1.toFixed(2)} |`);
  md.push("", "One run each, `--no-figures`; sweep.csv and sweep.json written as usual (no curve CSVs above 100,000 points).", "");
  targets.push([
    `(l) ${pts(HUGE)} points complete within the same bound`,
    "< 100 MB",
    hugeRuns.map((h) => `${h.w} worker${h.w > 1 ? "s" : ""} ${h.run.maxRssMB.toFixed(0)} MB (${h.rows === HUGE ? "all rows ok" : `${h.rows} rows ok`})`).join(", "),
    hugeRuns.every((h) => h.run.maxRssMB < 100 && h.rows === HUGE),
  ]);

  // the general paths
  log("general paths: beta and lognormal types, a fringe that tops up");
  md.push("## The general paths: cost per point", "");
  md.push(
    "| sweep (1 worker unless stated, --no-figures) | path | points | process wall (s) | computation (s) | µs per point | computation, 2 workers (s) | 2 workers / 1 |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const [file, label, path] of [
    [BETA, "θ ~ Beta(2, 2) on [0, 1]", "explicit thresholds, vector adaptive quadrature"],
    [LOGNORMAL, "θ ~ lognormal(0, 0.5) on [0.2, 4]", "explicit thresholds, vector adaptive quadrature"],
    [GAMMA_F, "θ ~ U[0, 1], γ_F = 0.1 (the fringe tops up)", "general solver, Lagrangian certificate on 129 types"],
  ] as const) {
    const name = JSON.parse(readFileSync(join(ROOT, file), "utf8")).name as string;
    const d = out(`general-${name}`);
    const byWorkers = new Map<number, { wall: number; comp: number; points: number }[]>();
    // interleaved: 1 worker, 2 workers, 1 worker, …
    for (let r = 0; r < 3; r++) {
      for (const w of [1, 2]) {
        const run = runOnce(process.execPath, [LPE, "sweep", file, "--workers", String(w), "--no-figures", "--out", d], ROOT, () => rmSync(d, { recursive: true, force: true }));
        const meta = JSON.parse(readFileSync(join(d, name, "sweep.json"), "utf8")) as { computeSeconds: number; points: number };
        if (!byWorkers.has(w)) byWorkers.set(w, []);
        byWorkers.get(w)!.push({ wall: run.wallSeconds, comp: meta.computeSeconds, points: meta.points });
      }
    }
    const one = byWorkers.get(1)!;
    const c = median(one.map((x) => x.comp));
    const c2 = median(byWorkers.get(2)!.map((x) => x.comp));
    md.push(`| ${label} | ${path} | ${one[0].points} | ${f3(median(one.map((x) => x.wall)))} | ${f3(c)} | ${((c * 1e6) / one[0].points).toFixed(0)} | ${f3(c2)} | ${(c / c2).toFixed(2)}× |`);
    rmSync(d, { recursive: true, force: true });
  }
  md.push(
    "",
    "Commands: `node bin/lpe.js sweep bench/scenarios/leader-fringe-beta-sweep.json --workers 1 --no-figures --out $TMP` (and `--workers 2`), the same for leader-fringe-lognormal-sweep.json and leader-fringe-gammaF-sweep.json; medians of 3 interleaved rounds. The last column says whether a second worker thread pays off on these sweeps of a few seconds: a pool thread loads and compiles the schema and the solvers afresh (a few hundred ms of its time before its first point), and two threads running the general path at once each run slower than one alone on this machine.",
    "",
  );
}

async function main(): Promise<void> {
  const md: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), "lpe-bench-"));
  const out = (name: string) => join(tmp, name);
  const machine = machineInfo();
  const targets: [string, string, string, boolean | undefined][] = [];
  if (!peerAvailable) log(`no SciPy peer at ${PEER} (../shared/peers is not beside this checkout): measuring lpe alone`);
  log(`${QUICK ? "quick" : "full"} run${peerAvailable ? `; peer ${PEER}` : ""}`);

  md.push(`# lpe benchmark${QUICK ? " (quick)" : ""}`, "");
  md.push(`Written by \`npm run bench${QUICK ? " -- --quick" : ""}\` (bench/run.ts) on ${machine.date}.`, "");
  md.push("## Machine", "");
  md.push(`| | |`, `| --- | --- |`);
  md.push(`| CPU | ${machine.cpu} |`, `| cores | ${machine.cores} |`, `| memory | ${machine.memoryGiB} GiB |`);
  md.push(`| load average at start | ${machine.loadAverage} |`, `| node | ${machine.node} |`);
  md.push(`| python / numpy / scipy | ${machine.python} / ${machine.numpy} / ${machine.scipy} |`, "");
  md.push(
    `Each whole-process figure is the median of ${REPEATS} runs of the command under \`/usr/bin/time -f "%e %M"\`, run from the repository root; ` +
      "the peer's \"computation\" is its own `elapsed_s` (median), lpe's is the time around the solve inside the process. " +
      "The machine's 2 cores are shared with other work, so absolute times are noisy (see the load average). " +
      `The SciPy peer's 100,000-point sweeps ran ${PEER_SWEEP_REPEATS === 1 ? "once each" : `${PEER_SWEEP_REPEATS} times each`} (about half a minute a run).`,
    "",
  );
  if (!peerAvailable) md.push(`**The SciPy peer was not found at ${PEER}: peer columns are empty and the speed targets cannot be judged.**`, "");

  // ---------------------------------------------------------------- (a) monopoly
  const aDir = out("a");
  const aL = lpe(["solve", MONOPOLY, "--out", aDir, "--no-figures"], aDir);
  const aP = peer(["monopoly", "--grid", "2001", "--exact"], "python3 ../shared/peers/scipy_peer.py monopoly --grid 2001 --exact");
  const aIn = inProcessSolve(MONOPOLY);
  const aPJ = peerJson(aP);
  const closed = { eta: 0.8, kappa: 1 };
  const aCols = aIn.solution.curves.columns;
  const aTheta = aIn.solution.curves.theta;
  const lpeSumQ = aCols.Q.reduce((s, x) => s + x, 0);
  const lpeSumT = aCols.t.reduce((s, x) => s + x, 0);

  // ---------------------------------------------------------------- (b) leader–fringe
  const bDir = out("b");
  const bL = lpe(["solve", LF, "--out", bDir, "--no-figures"], bDir);
  const bP = peer(["leader-fringe", "--grid", "2001"], "python3 ../shared/peers/scipy_peer.py leader-fringe --grid 2001");
  const bIn = inProcessSolve(LF);
  const bPJ = peerJson(bP);

  log("start-up costs");
  const bare = timeCommand(process.execPath, ["-e", "0"], { cwd: ROOT, repeats: REPEATS });
  const solveImports = timeCommand(process.execPath, ["--input-type=module", "-e", "await import('./dist/cli/lpe.js'); await import('./dist/cli/commands/solve.js')"], { cwd: ROOT, repeats: REPEATS });
  const peerImports = timeCommand("python3", ["-c", "import numpy, scipy.stats, scipy.integrate, scipy.optimize"], { cwd: ROOT, repeats: REPEATS });
  const version = timeCommand(process.execPath, [LPE, "--version"], { cwd: ROOT, repeats: REPEATS });
  const tinyDir = out("tiny");
  const tinySweep = timeCommand(process.execPath, [LPE, "sweep", LF_SWEEP, "--workers", "1", "--no-figures", "--out", tinyDir, "--set", sweepSet(25), ...SAME_NAME], {
    cwd: ROOT,
    repeats: REPEATS,
    before: () => rmSync(tinyDir, { recursive: true, force: true }),
  });
  md.push("## Single solves, 2001 types", "");
  md.push("| case | lpe process (s) | peer process (s) | peer / lpe | lpe computation, cold / warm (ms) | peer computation (ms) | peer / lpe (cold) |");
  md.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  const aPeerComp = median(aPJ.map((j) => j.elapsed_s));
  const bPeerComp = median(bPJ.map((j) => j.elapsed_s));
  md.push(
    `| (a) monopoly, exact transfers | ${f3(aL.medianWall)} | ${f3(aP?.medianWall ?? NaN)} | ${ratio(aP?.medianWall ?? NaN, aL.medianWall)} | ${(aIn.cold * 1000).toFixed(2)} / ${(aIn.warm * 1000).toFixed(2)} | ${(aPeerComp * 1000).toFixed(2)} | ${ratio(aPeerComp, aIn.cold)} |`,
  );
  md.push(
    `| (b) leader–fringe | ${f3(bL.medianWall)} | ${f3(bP?.medianWall ?? NaN)} | ${ratio(bP?.medianWall ?? NaN, bL.medianWall)} | ${(bIn.cold * 1000).toFixed(2)} / ${(bIn.warm * 1000).toFixed(2)} | ${(bPeerComp * 1000).toFixed(2)} | ${ratio(bPeerComp, bIn.cold)} |`,
  );
  md.push("", "Commands:", "", "```", aL.display, aP?.display ?? "(peer absent)", bL.display, bP?.display ?? "(peer absent)", "```", "");
  md.push(
    "`lpe solve` writes summary.json and curves.csv (2001 rows) and runs the a-posteriori checks (IC, IR, envelope); " +
      "the peer prints one JSON line. lpe's process time is mostly Node start-up and module loading; the solve itself is the computation column. " +
      `Fixed costs (median wall): \`node -e 0\` ${f3(bare.medianWall)} s; node loading the CLI and the solve command's modules ${f3(solveImports.medianWall)} s; ` +
      `python3 importing numpy and scipy ${f3(peerImports.medianWall)} s; \`lpe --version\` ${f3(version.medianWall)} s; ` +
      `a 25-point leader–fringe sweep, 1 worker, --no-figures (start-up, checks, first points, publishing the files) ${f3(tinySweep.medianWall)} s.`,
    "",
  );
  const aPeerProfit = Number(aPJ[0]?.profit);
  md.push(
    `Agreement (a): profit lpe ${aIn.solution.scalars.profit}, peer ${aPJ[0]?.profit ?? "n/a"}, closed form ${monopolyProfit(closed)}; ` +
      `Σ Q over the grid lpe ${lpeSumQ}, peer ${aPJ[0]?.sum_Q ?? "n/a"}; Σ t lpe ${lpeSumT}, peer ${aPJ[0]?.sum_t ?? "n/a"}.`,
    "",
  );
  const bs = bIn.solution.scalars;
  md.push(
    `Agreement (b): thetaLow lpe ${bs.thetaLow} / peer ${bPJ[0]?.thetaLow ?? "n/a"}; thetaHigh ${bs.thetaHigh} / ${bPJ[0]?.thetaHigh ?? "n/a"}; ` +
      `profit ${bs.profit} / ${bPJ[0]?.profit ?? "n/a"}; fringeSpendShare ${bs.fringeSpendShare} / ${bPJ[0]?.fringeSpendShare ?? "n/a"}.`,
    "",
  );
  targets.push(["(a) monopoly menu ≥ 10× faster than the peer (whole process)", "10×", ratio(aP?.medianWall ?? NaN, aL.medianWall), aP ? aP.medianWall / aL.medianWall >= 10 : undefined]);

  // ---------------------------------------------------------------- (c), (d) sweeps
  const sweepArgs = (w: number, dir: string) => ["sweep", LF_SWEEP, "--workers", String(w), "--out", dir, ...(SWEEP_POINTS === 100_000 ? [] : ["--set", sweepSet(SWEEP_POINTS), ...SAME_NAME])];
  const cDir = out("c");
  const c1 = lpeSweep(sweepArgs(1, cDir), cDir);
  const csv1 = readFileSync(join(cDir, "bench-lf-sweep", "sweep.csv"), "utf8");
  const cDir2 = out("c2");
  const c2 = lpeSweep(sweepArgs(2, cDir2), cDir2);
  const csv2 = readFileSync(join(cDir2, "bench-lf-sweep", "sweep.csv"), "utf8");
  const c1Compute = c1.compute;
  const c2Compute = c2.compute;
  const p1 = peer(["lf-sweep", "--points", String(SWEEP_POINTS), "--grid", "401", "--workers", "1"], `python3 ../shared/peers/scipy_peer.py lf-sweep --points ${SWEEP_POINTS} --grid 401 --workers 1`, PEER_SWEEP_REPEATS);
  const p2 = peer(["lf-sweep", "--points", String(SWEEP_POINTS), "--grid", "401", "--workers", "2"], `python3 ../shared/peers/scipy_peer.py lf-sweep --points ${SWEEP_POINTS} --grid 401 --workers 2`, PEER_SWEEP_REPEATS);
  const p1J = peerJson(p1);
  const p2J = peerJson(p2);
  const cols = ["thetaLow", "thetaHigh", "profit", "fringeSpendShare"];
  const sums = sumColumns(csv1, cols);

  md.push(`## Sweep: ${SWEEP_POINTS.toLocaleString("en-US")} leader–fringe points, c_F ∈ linspace(0.05, 0.29), 401 types each`, "");
  md.push("| | workers | process (s), median | process (s), fastest | computation (s) | µs per point (computation × workers) |", "| --- | ---: | ---: | ---: | ---: | ---: |");
  const perPoint = (s: number, w: number) => ((s * 1e6 * w) / SWEEP_POINTS).toFixed(1);
  const fastest = (t: TimedCommand | undefined) => f3(t ? Math.min(...t.runs.map((r) => r.wallSeconds)) : NaN);
  md.push(`| lpe | 1 | ${f3(c1.medianWall)} | ${fastest(c1)} | ${f3(median(c1Compute))} | ${perPoint(median(c1Compute), 1)} |`);
  md.push(`| lpe | 2 | ${f3(c2.medianWall)} | ${fastest(c2)} | ${f3(median(c2Compute))} | ${perPoint(median(c2Compute), 2)} |`);
  md.push(`| peer | 1 | ${f3(p1?.medianWall ?? NaN)} | ${fastest(p1)} | ${f3(median(p1J.map((j) => j.elapsed_s)))} | ${perPoint(median(p1J.map((j) => j.elapsed_s)), 1)} |`);
  md.push(`| peer | 2 | ${f3(p2?.medianWall ?? NaN)} | ${fastest(p2)} | ${f3(median(p2J.map((j) => j.elapsed_s)))} | ${perPoint(median(p2J.map((j) => j.elapsed_s)), 2)} |`);
  const ph = (p: Phases[], k: keyof Phases) => f3(median(p.map((x) => x[k])));
  md.push("", "Where lpe's time went (medians, from `phases` in sweep.json; the rest of the process time is Node start-up and module loading):", "");
  md.push("| workers | checks and set-up (s) | solving (s) | writing sweep.csv and the curve CSVs (s) | figures, after the CSVs (s) |", "| ---: | ---: | ---: | ---: | ---: |");
  md.push(`| 1 | ${ph(c1.phases, "setupSeconds")} | ${ph(c1.phases, "computeSeconds")} | ${ph(c1.phases, "writeSeconds")} | ${ph(c1.phases, "figuresSeconds")} |`);
  md.push(`| 2 | ${ph(c2.phases, "setupSeconds")} | ${ph(c2.phases, "computeSeconds")} | ${ph(c2.phases, "writeSeconds")} | ${ph(c2.phases, "figuresSeconds")} |`);
  md.push("", "Commands:", "", "```", c1.display, c2.display, p1?.display ?? "(peer absent)", p2?.display ?? "(peer absent)", "```", "");
  md.push(
    `lpe's computation is \`computeSeconds\` of sweep.json (median): validating, solving and appending every point to rows.part. ` +
      "The pool threads start while the main thread loads its modules, so their start-up is outside this figure (their JIT warm-up is inside); " +
      "the peer's elapsed_s includes its Pool start-up. " +
      "lpe's process time also covers loading, writing sweep.csv, the four per-parameter curve CSVs, the four figures and sweep.json. " +
      `1 and 2 workers wrote ${csv1 === csv2 ? "identical" : "DIFFERENT"} sweep.csv bytes.`,
    "",
  );
  md.push("Column sums (lpe vs peer, relative difference):", "", "| column | lpe | peer | rel. diff |", "| --- | ---: | ---: | ---: |");
  for (const c of cols) {
    const pv = Number(p1J[0]?.[`sum_${c}`]);
    md.push(`| ${c} | ${sums[c]} | ${Number.isFinite(pv) ? pv : "n/a"} | ${sci(relErr(sums[c], pv))} |`);
  }
  md.push("");
  const speedup = c1.medianWall / c2.medianWall;
  targets.push([
    "(c) sweep ≥ 10× faster than the peer (whole process, same worker count)",
    "10×",
    `${ratio(p1?.medianWall ?? NaN, c1.medianWall)} (1 worker), ${ratio(p2?.medianWall ?? NaN, c2.medianWall)} (2 workers)`,
    p1 && p2 ? p1.medianWall / c1.medianWall >= 10 && p2.medianWall / c2.medianWall >= 10 : undefined,
  ]);
  // How free the second core was during this run: the peer's own speed-up on the same work.
  const peerSpeedup = p1 && p2 ? ` (the peer's own, same run: ${(p1.medianWall / p2.medianWall).toFixed(2)}×)` : "";
  targets.push(["(d) lpe speed-up from 1 to 2 workers (whole process)", "1.8×", `${speedup.toFixed(2)}× (computation alone ${(median(c1Compute) / median(c2Compute)).toFixed(2)}×)${peerSpeedup}`, speedup >= 1.8]);

  // ---------------------------------------------------------------- (g)–(l) the vectorized NumPy peer
  await vectorizedPeerSection(md, targets, out);

  // ---------------------------------------------------------------- (f) accuracy
  md.push("## Accuracy against closed forms", "");
  md.push("| quantity | lpe max rel. error | peer max rel. error |", "| --- | ---: | ---: |");
  const want = (f: (p: typeof closed, th: number) => number) => Array.from(aTheta, (th) => f(closed, th));
  let peerCols: Record<string, number[]> | undefined;
  if (peerAvailable) {
    const csvPath = join(tmp, "peer-monopoly.csv");
    timeCommand("python3", [PEER, "monopoly", "--grid", "2001", "--exact", "--csv", csvPath], { cwd: ROOT, repeats: 1 });
    peerCols = readCsvColumns(csvPath);
  }
  const lpeErrs: number[] = [];
  for (const [col, f] of [["Q", monopolyQ], ["U", monopolyU], ["t", monopolyT]] as const) {
    const wl = want(f);
    const l = maxRelativeError(aCols[col], wl).rel;
    lpeErrs.push(l);
    const pe = peerCols ? maxRelativeError(peerCols[col], peerCols.theta.map((th) => f(closed, th))).rel : NaN;
    md.push(`| (a) monopoly ${col}(θ) on the 2001-type grid | ${sci(l)} | ${sci(pe)} |`);
  }
  const lp = relErr(aIn.solution.scalars.profit as number, monopolyProfit(closed));
  lpeErrs.push(lp);
  md.push(`| (a) monopoly profit | ${sci(lp)} | ${sci(relErr(aPeerProfit, monopolyProfit(closed)))} |`);
  const ref: P2Reference | undefined = loadP2(P2_FILE);
  if (ref) {
    for (const [k, v] of Object.entries(ref.scalars)) {
      const got = bs[k];
      if (typeof got !== "number") continue;
      const l = relErr(got, v);
      lpeErrs.push(l);
      const pv = Number(bPJ[0]?.[k]);
      md.push(`| (b) leader–fringe ${k} (P2) | ${sci(l)} | ${Number.isFinite(pv) ? sci(relErr(pv, v)) : "not reported"} |`);
    }
    let worst = 0;
    let worstWhat = "";
    for (const pt of ref.points) {
      const rec = bIn.solution.pointAt(pt.theta);
      for (const [k, v] of Object.entries(pt.values)) {
        const got = rec[k];
        if (typeof got !== "number") continue;
        const e2 = Math.abs(got - v) / Math.max(Math.abs(v), 1e-300);
        const err = v === 0 ? Math.abs(got) : e2;
        if (err > worst) {
          worst = err;
          worstWhat = `${k} at θ = ${pt.theta}`;
        }
      }
    }
    lpeErrs.push(worst);
    md.push(`| (b) leader–fringe menu at the P2 points (qL, qF, t, U, …; exact evaluation) | ${sci(worst)}${worstWhat ? ` (${worstWhat})` : ""} | grid only |`);
  } else {
    md.push(`| (b) leader–fringe | P2 reference absent (${P2_FILE}) | |`);
  }
  const worstLpe = Math.max(...lpeErrs);
  md.push("");
  md.push(
    "Errors are relative to the reference value; for grid curves, entries where the reference is below 1e-6 of the curve's maximum (unserved types, where Q = 0) " +
      "are measured relative to that maximum. The peer's transfers use `--exact` (one quad per type).",
    "",
  );
  targets.push(["(f) lpe within 1e-9 of the closed forms everywhere", "1e-9", sci(worstLpe), worstLpe <= 1e-9]);

  // ---------------------------------------------------------------- design measurements
  log("validation and executor overheads");
  const vc = validationCost(join(ROOT, LF_SWEEP), [], QUICK ? 2000 : 10_000);
  const ec = await executorCost(join(ROOT, LF_SWEEP), [], QUICK ? [25, 2000] : [25, 10_000]);
  md.push("## Design measurements", "");
  md.push(
    `Per-point validation on the leader–fringe sweep (${vc.points} points, median of 5 passes): fast mode ${vc.fastUs.toFixed(2)} µs, ` +
      `full re-validation ${vc.fullUs.toFixed(2)} µs; the solve itself ${vc.solveUs.toFixed(2)} µs. lpe chose the ${vc.chosen} mode.`,
    "",
  );
  md.push("One worker in-process against a pool of one thread (start-up included, median of 3):", "");
  md.push("| points | in-process (s) | pool of 1 (s) |", "| ---: | ---: | ---: |");
  for (const r of ec) md.push(`| ${r.points} | ${f3(r.inProcessSeconds)} | ${f3(r.pool1Seconds)} |`);
  md.push("");

  // ---------------------------------------------------------------- targets
  md.push("## Targets", "", "| target | wanted | measured | met |", "| --- | --- | --- | --- |");
  for (const [what, wantS, got, met] of targets) md.push(`| ${what} | ${wantS} | ${got} | ${met === undefined ? "n/a (no peer)" : met ? "yes" : "**no**"} |`);
  md.push("");

  // a quick run never overwrites the full run's results
  const path = join(ROOT, "bench", QUICK ? "results-quick.md" : "results.md");
  const previousNotes = existsSync(path) ? readFileSync(path, "utf8").split("<!-- notes -->")[1] : undefined;
  md.push("<!-- notes -->");
  md.push(previousNotes?.trim() ? previousNotes.trim() : "## Notes\n\n(Analysis of the figures above: edit below this marker; `npm run bench` keeps it.)");
  writeFileSync(path, md.join("\n") + "\n");
  rmSync(tmp, { recursive: true, force: true });
  log(`wrote ${relative(process.cwd(), path)}`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
