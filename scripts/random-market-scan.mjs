// Random-market scan: solves N random markets and prints those not certified optimal, whose
// checks failed, or that failed (one JSON line each, with the scenario). It is how the numbers
// quoted in the session notes of 4 Dec 2026 were measured ("17 of 240 … 3 now").
//   node scripts/random-market-scan.mjs <seed> <count> [kinds] [--discrete | --token-distributions]
// kinds: comma-separated among monopoly, tiers, multiModelMonopoly, leaderFringe (default all);
// --discrete: finite-type leader–fringe markets with γ_F > 0 (the screening LP) instead;
// --token-distributions: menus of token distributions with σ in [0.02, 0.2], 3–40 listed
// profiles on 2–8 bins (the numbers of the 6 Dec 2026 note: seed 1, 30 markets).
// Needs the compiled engine (npm run build). A scan, not a test: it asserts nothing.
import { parseScenario } from "../dist/engine/scenario/load.js";
import { prepareSolvers, solveScenario } from "../dist/solvers/solve.js";

const [seedArg = "1", countArg = "50", kindsArg, flag] = process.argv.slice(2);
const discreteMode = kindsArg === "--discrete" || flag === "--discrete";
const distributionsMode = kindsArg === "--token-distributions" || flag === "--token-distributions";
let seed = Number(seedArg);
// Park–Miller: the same markets for the same seed on every machine
const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const kinds = (kindsArg && !kindsArg.startsWith("--") ? kindsArg : "monopoly,tiers,multiModelMonopoly,leaderFringe").split(",");

function law() {
  const r = rnd();
  if (r < 0.25) {
    const a = rnd() * 0.5;
    return { dist: "uniform", min: a, max: a + 0.2 + rnd() };
  }
  if (r < 0.5) return { dist: "beta", a: 0.3 + 4 * rnd(), b: 0.3 + 4 * rnd(), min: 0.05 * rnd(), max: 1 + rnd() };
  if (r < 0.65) return { dist: "truncLognormal", mu: rnd() - 0.5, sigma: 0.2 + rnd(), min: 0.1, max: 2 + 3 * rnd() };
  const components = [];
  const w = [];
  const m = 2 + Math.floor(rnd() * 2);
  for (let i = 0; i < m; i++) {
    const lo = rnd();
    components.push(rnd() < 0.5 ? { dist: "uniform", min: lo, max: lo + 0.1 + rnd() } : { dist: "beta", a: 0.4 + 5 * rnd(), b: 0.4 + 5 * rnd(), min: lo, max: lo + 0.1 + rnd() });
    w.push(0.1 + rnd());
  }
  const W = w.reduce((a, b) => a + b);
  return { dist: "mixture", components, weights: w.map((x) => x / W) };
}

function continuousMarket(k) {
  const kind = kinds[Math.floor(rnd() * kinds.length)];
  const sigma = 0.3 + 0.5 * rnd();
  const gL = Math.min(0.9 - sigma, 0.05 + 0.3 * rnd());
  let technology = { sigma, aggregate: { kappa: 0.2 + rnd(), gamma: gL } };
  const market = { kind };
  if (kind === "tiers") market.count = 2 + Math.floor(rnd() * 5);
  if (kind === "leaderFringe" || kind === "multiModelMonopoly") {
    technology = { sigma };
    const cL = 0.05 + rnd();
    market.leader = { gamma: gL, cost: cL };
    market.fringe = { gamma: rnd() < 0.5 ? 0 : gL * rnd(), cost: cL * (0.2 + 1.2 * rnd()) };
  }
  return { name: `c${k}`, buyers: { theta: law() }, technology, market };
}

function discreteMarket(k) {
  const n = 4 + Math.floor(rnd() * 10);
  const values = Array.from({ length: n }, () => 0.05 + 1.5 * rnd()).sort((a, b) => a - b);
  const w = values.map(() => 0.05 + rnd());
  const W = w.reduce((a, b) => a + b);
  const sigma = 0.3 + 0.5 * rnd();
  const gL = Math.min(0.95 - sigma, 0.05 + 0.3 * rnd());
  const gF = gL * rnd();
  const cL = 0.05 + rnd();
  const cF = cL * (0.3 + 1.2 * rnd());
  return {
    name: `s${k}`,
    buyers: { theta: { dist: "discrete", values, probs: w.map((x) => x / W) } },
    technology: { sigma },
    market: { kind: "leaderFringe", leader: { gamma: gL, cost: cL }, fringe: { gamma: gF, cost: cF } },
  };
}

function distributionsMarket(k) {
  const N = 3 + Math.floor(rnd() * 38);
  const M = 2 + Math.floor(rnd() * 7);
  const weights = Array.from({ length: N }, () => Array.from({ length: M }, () => (rnd() < 0.2 ? 0 : Math.round(rnd() * 1000) / 500)));
  for (const r of weights) if (r.every((v) => v === 0)) r[0] = 1;
  const pr = weights.map(() => 0.1 + rnd());
  const total = pr.reduce((a, b) => a + b);
  const sigma = 0.02 + 0.18 * rnd();
  return {
    name: `td${k}`,
    buyers: { profiles: { kind: "list", weights, probs: pr.map((x) => x / total) } },
    technology: {
      sigma,
      tokens: { rho: 0.5, classes: [{ name: "input", alpha: 0.4, cost: 0.1 }, { name: "output", alpha: 0.6, cost: 0.3 }] },
      fineTuning: { kind: "ces", gamma: Math.min(0.3, 0.9 - sigma) * rnd(), rho: 0.5, classes: [{ name: "sft", alpha: 1, cost: 0.2 }] },
    },
    market: { kind: "tokenDistributions", bins: M },
  };
}

let shown = 0;
const count = Number(countArg);
for (let k = 0; k < count; k++) {
  const sc = distributionsMode ? distributionsMarket(k) : discreteMode ? discreteMarket(k) : continuousMarket(k);
  try {
    const s = parseScenario(sc, { figures: false });
    await prepareSolvers(s);
    const r = solveScenario(s);
    if (!r.certificate.certified || !r.checks.passed) {
      shown++;
      console.log(JSON.stringify({ k, kind: sc.market.kind, gap: r.certificate.optimalityGap, checks: r.checks.failures.join("; "), scenario: sc }));
    }
  } catch (e) {
    shown++;
    console.log(JSON.stringify({ k, kind: sc.market.kind, error: String(e?.message ?? e), scenario: sc }));
  }
}
console.error(`${count} markets, ${shown} not certified, failing a check or failed`);
