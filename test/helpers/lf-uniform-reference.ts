// The leader–fringe scalars for θ ~ U[a, b], γ_F = 0, exactly as the engine computed them
// before the batch kernel (solvers/leader-fringe-explicit.ts at commit 3258d51: thresholds by
// Brent's method on closures, closed-form integrals built from an object per point). Kept
// verbatim as the reference of test/lf-uniform-batch.test.ts, which requires the kernel to agree
// with it to 1e-12: "today's numbers" on any parameters, not only on a few stored ones.

import assert from "node:assert/strict";
import { brent } from "../../engine/numerics/brent.js";

export interface ReferenceInput {
  sigma: number;
  etaL: number;
  cL: number;
  cF: number;
  min: number;
  max: number;
}

export interface ReferenceScalars {
  profit: number;
  consumerSurplus: number;
  welfare: number;
  rentOverOutsideOption: number;
  thetaLow: number;
  thetaHigh: number;
  region2Empty: number;
  fringeOnlyShare: number;
  fringeSpend: number;
  leaderSpend: number;
  fringeSpendShare: number;
  etaL: number;
  etaF: number;
  thetaLowFormula: number;
  thetaHighRoot: number;
}

function powDiff(x: number, y: number, r: number): number {
  if (!(y > 0) || x > 2 * y) return Math.pow(x, r) - (y > 0 ? Math.pow(y, r) : 0);
  return Math.pow(y, r) * Math.expm1(r * Math.log1p((x - y) / y));
}

export function referenceScalars(p: ReferenceInput): ReferenceScalars {
  const { sigma, cL, cF, min, max } = p;
  const eta = p.etaL;
  const gammaL = eta - sigma;
  // the closed forms below hold only there: a test feeding anything else is itself wrong
  assert.ok(sigma > 0 && sigma < 1 && eta >= sigma && eta < 1 && cL > 0 && cF > 0 && min >= 0 && min < max, "reference: a point outside the kernel's domain");
  // ---- explicitThresholds with uniformShortcuts
  const thetaLowFormula = gammaL > 0 ? (cF / sigma) * Math.pow(cL / cF, (eta * (1 - sigma)) / gammaL) : cF > cL ? -Infinity : Infinity;
  const b = max;
  const r1s = 1 / (1 - eta);
  const p1s = 1 / (1 - sigma);
  const c1 = Math.log(eta / cL);
  const pqs = (sigma * p1s) / eta;
  const c2 = Math.log(sigma / cF);
  const As = (1 - eta) * Math.pow(eta / cL, eta * r1s);
  const kDs = Math.pow(sigma / cF, sigma * p1s);
  const G = (t: number) => {
    const h = 2 * t - b;
    return h > 0 ? r1s * (c1 + Math.log(h)) - pqs * (c2 + Math.log(t)) : -Infinity;
  };
  const V3 = (t: number) => {
    const h = 2 * t - b;
    const tp = Math.pow(t, p1s - 1);
    return (h > 0 ? As * Math.pow(h, r1s) : 0) + kDs * tp * ((sigma - 2) * t + b);
  };
  let thetaHighRoot = max;
  const hz = max > 0 ? Math.max(min, max / 2) : null;
  if (hz !== null) {
    if (hz === min && G(min) >= 0) thetaHighRoot = min;
    else if (G(max) > 0) {
      let lo = hz;
      for (let w = max - hz; !(Number.isFinite(G(lo)) && G(lo) < 0) && w > 0; ) {
        w *= 0.5;
        lo = hz + w;
      }
      thetaHighRoot = brent(G, lo, max).root;
    } else if (G(max) === 0) thetaHighRoot = max;
  }
  let thetaLow: number;
  let thetaHigh: number;
  let region2Empty: boolean;
  if (thetaLowFormula < thetaHighRoot) {
    thetaLow = Math.min(Math.max(thetaLowFormula, min), max);
    thetaHigh = thetaHighRoot;
    region2Empty = !(thetaHigh > thetaLow);
  } else {
    const hi = Math.min(thetaLowFormula, max);
    const lo = thetaHighRoot;
    let cut: number;
    if (!(hi > lo)) cut = lo;
    else if (V3(hi) <= 0) cut = hi;
    else if (V3(lo) >= 0) cut = lo;
    else cut = brent(V3, lo, hi).root;
    thetaLow = cut;
    thetaHigh = cut;
    region2Empty = true;
  }
  // ---- uniformClosedForm
  const a = min;
  const f = 1 / (b - a);
  const p1 = 1 / (1 - sigma);
  const kT = Math.pow(sigma / cF, p1);
  const kD = Math.pow(kT, sigma);
  const kU = (cF * kT * (1 - sigma)) / sigma;
  const pq = (sigma * p1) / eta;
  const kq = Math.pow(kT, sigma / eta);
  const r1 = 1 / (1 - eta);
  const kI = Math.pow(eta / cL, r1);
  const kIe = Math.pow(kI, eta);
  const A = (1 - eta) * kIe;
  const h = (t: number) => 2 * t - b;
  const I = (q: number, lo: number, hi: number) => (hi > lo ? powDiff(hi, lo, q + 1) / (q + 1) : 0);
  const J = (r: number, lo: number, hi: number) => (hi > lo ? powDiff(h(hi), h(lo), r + 1) / (2 * (r + 1)) : 0);
  const K = (r: number, lo: number, hi: number) => {
    if (!(hi > lo)) return 0;
    const H1 = h(hi);
    const H0 = h(lo);
    return 0.25 * ((b * powDiff(H1, H0, r + 1)) / (r + 1) - powDiff(H1, H0, r + 2) / (r + 2));
  };
  const lo2 = Math.max(thetaLow, a);
  const lo3 = Math.max(thetaHigh, a);
  const fringeQ = kT * f * I(p1, a, thetaLow);
  const served2 = f * (cF * kT * I(p1, lo2, thetaHigh) - cL * kq * I(pq, lo2, thetaHigh));
  const leaderQ2 = kq * f * I(pq, lo2, thetaHigh);
  const profit3 = f * (A * J(r1, lo3, b) + kD * (sigma - 2) * I(p1, lo3, b) + b * kD * I(p1 - 1, lo3, b));
  const rent = f * (kIe * K(r1 - 1, lo3, b) - kD * (b * I(p1 - 1, lo3, b) - I(p1, lo3, b)));
  const leaderQ3 = kI * f * J(r1, lo3, b);
  const outside = f * kU * I(p1, a, b);
  const profit = served2 + profit3;
  const fringeSpend = cF * fringeQ;
  const leaderSpend = cL * (leaderQ2 + leaderQ3);
  const consumerSurplus = outside + rent;
  const total = fringeSpend + leaderSpend;
  return {
    profit,
    consumerSurplus,
    rentOverOutsideOption: rent,
    welfare: profit + consumerSurplus,
    thetaLow,
    thetaHigh,
    region2Empty: region2Empty ? 1 : 0,
    fringeOnlyShare: (Math.min(Math.max(thetaLow, a), b) - a) * f,
    fringeSpend,
    leaderSpend,
    fringeSpendShare: total > 0 ? fringeSpend / total : 0,
    etaL: eta,
    etaF: sigma,
    thetaLowFormula,
    thetaHighRoot,
  };
}
