// Three regimes on the same two models and the same types (docs/model.md 3a, 3b, 3c): the efficient
// allocation at marginal cost, the multi-model monopolist, and the leader facing a competitive
// fringe. One MarketSolution: scalars and curve columns prefixed by the regime
// (`efficient.welfare`, `leaderFringe.qL`…), deadweight losses against the efficient welfare,
// and the worst of the three check reports (failures prefixed by the regime).

import type { TypeDistribution } from "../engine/distributions/types.js";
import { NumericalError } from "../engine/errors.js";
import { type GridOptions, solveEfficient } from "./efficient.js";
import { solveLeaderFringe } from "./leader-fringe.js";
import { emptyChecks } from "./monopoly-continuous.js";
import { solveMultiModelMonopoly } from "./multi-model-monopoly.js";
import type { AggregateModel } from "./two-model-utility.js";
import { OPTIMALITY_GAP_SCALAR, type Certificate, type Checks, type Curves, type MarketSolution, type PointRecord } from "./types.js";

export interface CompareInput {
  sigma: number;
  dist: TypeDistribution;
  leader: AggregateModel;
  fringe: AggregateModel;
}

export const REGIMES = ["efficient", "multiModelMonopoly", "leaderFringe"] as const;
export type Regime = (typeof REGIMES)[number];

/** The worst of several check reports: passed only if all passed; failures prefixed. */
export function worstChecks(parts: [string, Checks][]): Checks {
  const out: Checks = {
    icMaxGain: -Infinity,
    irMinSlack: Infinity,
    envelopeMaxError: 0,
    monotone: true,
    excludedZero: true,
    scale: 1e-300,
    tolerance: 0,
    passed: true,
    failures: [],
  };
  for (const [name, c] of parts) {
    // Worst relative to each part's own tolerance: report the raw numbers of the worst part.
    if (c.icMaxGain > out.icMaxGain) out.icMaxGain = c.icMaxGain;
    if (c.irMinSlack < out.irMinSlack) out.irMinSlack = c.irMinSlack;
    if (c.envelopeMaxError > out.envelopeMaxError) out.envelopeMaxError = c.envelopeMaxError;
    if (c.scale > out.scale) out.scale = c.scale;
    if (c.tolerance > out.tolerance) out.tolerance = c.tolerance;
    out.monotone &&= c.monotone;
    out.excludedZero &&= c.excludedZero;
    out.passed &&= c.passed;
    for (const f of c.failures) out.failures.push(`${name}: ${f}`);
  }
  return out;
}

export function solveCompare(input: CompareInput, opts: GridOptions): MarketSolution {
  const { sigma, dist, leader, fringe } = input;
  const parts: [Regime, MarketSolution][] = [
    ["efficient", solveEfficient({ sigma, dist, models: [leader, fringe] }, opts)],
    ["multiModelMonopoly", solveMultiModelMonopoly({ sigma, dist, leader, fringe }, opts)],
    ["leaderFringe", solveLeaderFringe({ sigma, dist, leader, fringe }, { gridPoints: opts.gridPoints, scalarsOnly: opts.scalarsOnly })],
  ];

  // README "The result object": every market has profit, consumerSurplus and welfare. For the comparison
  // they are the leader–fringe market's (the market being compared with its two benchmarks);
  // the regime-prefixed scalars carry all three regimes.
  const lf = parts[2][1].scalars;
  const scalars: MarketSolution["scalars"] = { profit: lf.profit, consumerSurplus: lf.consumerSurplus, welfare: lf.welfare };
  for (const [name, sol] of parts) {
    for (const [k, v] of Object.entries(sol.scalars)) scalars[`${name}.${k}`] = v;
    // each regime's own certificate gap (the unprefixed optimalityGap, the largest, is added
    // with the joint certificate by solveScenario)
    scalars[`${name}.${OPTIMALITY_GAP_SCALAR}`] = sol.certificate.optimalityGap;
  }
  const We = parts[0][1].scalars.welfare as number;
  for (const [name, sol] of parts.slice(1)) scalars[`${name}.deadweightLoss`] = We - (sol.scalars.welfare as number);

  // Curves side by side on the common grid.
  const theta = parts[0][1].curves.theta;
  const columns: Record<string, Float64Array> = {};
  const order: string[] = [];
  if (!opts.scalarsOnly) {
    for (const [name, sol] of parts) {
      const th = sol.curves.theta;
      let same = th.length === theta.length;
      for (let i = 0; same && i < th.length; i++) same = th[i] === theta[i];
      if (!same) {
        throw new NumericalError(`compare: ${name} curves`, `grid differs from the efficient regime's (${th.length} vs ${theta.length} types)`);
      }
      for (const c of sol.curves.order) {
        columns[`${name}.${c}`] = sol.curves.columns[c];
        order.push(`${name}.${c}`);
      }
    }
  }
  const curves: Curves = { theta: opts.scalarsOnly ? new Float64Array(0) : theta, columns, order };

  const pointAt = (x: number): PointRecord => {
    const rec: PointRecord = { theta: x };
    for (const [name, sol] of parts) {
      const p = sol.pointAt(x);
      for (const [k, v] of Object.entries(p)) if (k !== "theta") rec[`${name}.${k}`] = v;
    }
    return rec;
  };

  // Ironing is a property of the type distribution: the union of what the regimes report.
  const ironing: [number, number][] = [];
  for (const [, sol] of parts) for (const iv of sol.ironing) if (!ironing.some((j) => j[0] === iv[0] && j[1] === iv[1])) ironing.push([iv[0], iv[1]]);
  ironing.sort((a, b) => a[0] - b[0]);

  return {
    market: "compare",
    scalars,
    ironing,
    pointAt,
    curves,
    checks: opts.scalarsOnly ? emptyChecks() : worstChecks(parts.map(([n, s]) => [n, s.checks])),
    certificate: jointCertificate(parts),
    solver: {
      method: "efficient, multi-model monopolist and leader–fringe on the same models and types",
      converged: parts.every(([, s]) => s.solver.converged),
      iterations: parts.reduce((acc, [, s]) => acc + s.solver.iterations, 0),
      notes: parts.flatMap(([n, s]) => s.solver.notes.map((note) => `${n}: ${note}`)),
    },
  };
}

const gapText = (g: number | null) => (g === null ? "unbounded" : g.toExponential(2));

/** Certified when every regime is; the gap is the largest of the regimes'. */
function jointCertificate(parts: [string, MarketSolution][]): Certificate {
  const gaps = parts.map(([, s]) => s.certificate.optimalityGap);
  const uncertified = parts.filter(([, s]) => !s.certificate.certified).map(([name, s]) => ({ name, optimalityGap: s.certificate.optimalityGap, ...(s.certificate.reportedMenu ? { reportedMenu: s.certificate.reportedMenu } : {}) }));
  return {
    certified: uncertified.length === 0,
    optimalityGap: gaps.some((g) => g === null) ? null : Math.max(...(gaps as number[])),
    // an uncertified regime first, named with its own gap (a reviewer could not tell which of
    // the three failed but from a scalar)
    certificate: [...parts.filter(([, s]) => !s.certificate.certified), ...parts.filter(([, s]) => s.certificate.certified)]
      .map(([n, s]) => `${n}: ${s.certificate.certified ? "certified" : `NOT CERTIFIED (gap ${gapText(s.certificate.optimalityGap)} of its profit)`}, ${s.certificate.certificate}`)
      .join("; "),
    // (a status cell names them: sweep.csv, curves.csv; a reviewer read one market's gap as
    // the whole row's)
    ...(uncertified.length > 0 ? { uncertifiedParts: uncertified } : {}),
  };
}
