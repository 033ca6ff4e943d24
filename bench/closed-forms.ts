// Reference values for the accuracy part of the benchmark: the uniform-monopoly closed forms of
// docs/model.md section 2 (θ ~ U[0, 1], C = κ Q^(1/η)) and the P2 leader–fringe values of
// test/fixtures/reference/P2.json, with the maximum relative error of a set of numbers against them.

import { existsSync, readFileSync } from "node:fs";

export interface UniformMonopoly {
  eta: number;
  kappa: number;
}

const m = (p: UniformMonopoly) => p.eta / (1 - p.eta);

/** Q(θ) = (η(2θ−1)/κ)^m above θ* = 1/2, else 0. */
export function monopolyQ(p: UniformMonopoly, theta: number): number {
  return theta > 0.5 ? ((p.eta * (2 * theta - 1)) / p.kappa) ** m(p) : 0;
}

/** U(θ) = (η/κ)^m (2θ−1)^(m+1) / (2(m+1)). */
export function monopolyU(p: UniformMonopoly, theta: number): number {
  const k = m(p);
  return theta > 0.5 ? ((p.eta / p.kappa) ** k * (2 * theta - 1) ** (k + 1)) / (2 * (k + 1)) : 0;
}

export function monopolyT(p: UniformMonopoly, theta: number): number {
  return theta * monopolyQ(p, theta) - monopolyU(p, theta);
}

/** Π = (1−η)(η/κ)^m / (2(m+2)) on [0, 1]. */
export function monopolyProfit(p: UniformMonopoly): number {
  const k = m(p);
  return ((1 - p.eta) * (p.eta / p.kappa) ** k) / (2 * (k + 2));
}

/**
 * Max relative error of `got` against `want` over the points where the reference is not tiny
 * (|want| > floor·max|want|); where it is, the error relative to max|want| is used instead,
 * so that exact zeros (unserved types) neither divide by zero nor hide errors.
 */
export function maxRelativeError(got: ArrayLike<number>, want: ArrayLike<number>, floor = 1e-6): { rel: number; at: number } {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  let rel = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const den = Math.abs(w) > floor * scale ? Math.abs(w) : scale;
    const e = den === 0 ? Math.abs(got[i] - w) : Math.abs(got[i] - w) / den;
    if (!(e <= rel)) {
      rel = e;
      at = i;
    }
  }
  return { rel, at };
}

export function relErr(got: number, want: number): number {
  return want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
}

export interface P2Reference {
  scalars: Record<string, number>;
  points: { theta: number; values: Record<string, number> }[];
}

/** The P2 case's expected scalars and points, or undefined if the file is absent. */
export function loadP2(path: string): P2Reference | undefined {
  if (!existsSync(path)) return undefined;
  const c = JSON.parse(readFileSync(path, "utf8")) as {
    expected: { scalars: Record<string, { value: number } | boolean>; points: Record<string, number | { value: number }>[] };
  };
  const scalars: Record<string, number> = {};
  for (const [k, v] of Object.entries(c.expected.scalars)) if (typeof v === "object") scalars[k] = v.value;
  const points = c.expected.points.map((p) => {
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(p)) if (typeof v === "object") values[k] = v.value;
    return { theta: p.theta as number, values };
  });
  return { scalars, points };
}
