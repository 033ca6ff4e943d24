// Writing a double as the shortest decimal that reads back as the same double, exactly as
// JavaScript's String(x) writes it (ECMA-262 Number::toString: the fewest significant digits,
// the closest such decimal, plain notation from 1e-7 to 1e21, exponent notation outside), as
// ASCII bytes straight into a buffer. This is the number format of every CSV the engine writes
// (number-format.ts); a sweep of a million points writes five million numbers, and String(x)
// was the largest cost of the whole run: a call into the runtime, a string on the heap per
// number (the garbage that kept the process's heap large), then copying and encoding it.
// Hand-written because no npm package writes shortest doubles into a byte buffer: the fast
// shortest-digit algorithms (Ryu, Grisu, Schubfach) are in the JavaScript engines' C++ and in
// Rust crates, and a JavaScript library hands back a string per number, the cost avoided here.
//
// Method. With k = 16 − ⌊log10 x⌋, D = x·10^k lies in [10^16, 10^17): the 17 significant digits
// that always identify a double, in units. D is formed in double-double arithmetic (Dekker's
// exact product with a two-part 10^k), exact to ~4e-32 relative, i.e. to ~1e-8 of a unit after
// it is split into q·10^8 + f (q an integer of 9 digits, 0 ≤ f < 10^8, both exact doubles).
// x's rounding interval, in the same units, is [D − down, D + up], up = ulp(x)/2·10^k ≥ 0.55
// (down = up/2 ≥ 0.55 at a power of two, else up). Going from 17 digits to fewer, the decimals
// with j fewer digits are the multiples of 10^j, and the interval holds one only if it holds
// one of the two around D: the shortest output is the last level j holding one, the closer of
// the two when both are in (at 17 digits the nearest integer, always in). The chosen decimal
// then has exactly 17 − j digits (a multiple of 10^(j+1) would have been in at the next level)
// — at level 8, q's own trailing zeros go too. A sweep's numbers have 15 to 17 digits, in no
// order a branch predictor could learn: when x is not a power of two and no multiple of 1000 is
// in, levels 1 and 2 are decided together by arithmetic on the multiples of 10 and 100 nearest
// D, without a branch on the data; otherwise level by level. The 17 digits are then written
// straight into the output, four bytes per table look-up, and placed around the point. Every
// step is ordered to keep the chain of dependent operations short (each number costs its
// latency, not its operation count). Every comparison must clear a margin of 1e-6 units (100
// times the arithmetic's error): when one does not — x within a hair of a rounding tie, or a
// decimal exactly on an end of the interval, where only exact arithmetic can say which way it
// reads — the number is written by String(x) instead, as are numbers outside [1e-280, 1e280]
// (about 1 in 400,000 of a sweep's numbers fall back). So the output is String(x)'s in every
// case, by construction, and test/fast-number.test.ts checks it on millions of doubles of every
// kind (random bits, short decimals, grids, powers, neighbours, ties). bench/format-rows.ts
// measures the cost on a sweep's rows.

const MIN_FAST = 1e-280;
const MAX_FAST = 1e280;
/** margin of a decision, in units of the 17th digit (the arithmetic is exact to ~1e-8) */
const MARGIN = 1e-6;
const SPLIT = 134217729; // 2^27 + 1 (Dekker)
const E8 = 1e8;

// 10^k = (hi + lo) with hi = the double nearest 10^k and lo the double nearest 10^k − hi, and
// hi's Dekker halves, k in [−300, 300]: hi for every k at once (⌊log10 x⌋ is found by comparing
// with it), the rest computed on first use of each k (exact, with BigInt).
const K0 = 300;
const pHi = Float64Array.from({ length: 2 * K0 + 1 }, (_, i) => Number(`1e${i - K0}`));
const pLo = new Float64Array(2 * K0 + 1);
const pHiH = new Float64Array(2 * K0 + 1);
const pHiL = new Float64Array(2 * K0 + 1);
const pDone = new Uint8Array(2 * K0 + 1);

// by biased binary exponent b: ⌊log10 2^(b−1023)⌋ (⌊log10 x⌋ is it or one more), and half an
// ulp of the doubles of that exponent, 2^(b−1076)
const E10 = Int16Array.from({ length: 2048 }, (_, b) => Math.floor((b - 1023) * 0.3010299956639812));
const HALF_ULP = Float64Array.from({ length: 2048 }, (_, b) => Math.pow(2, b - 1076));

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** The double nearest the rational num/den (den > 0), num ≠ 0. */
function ratioToDouble(num: bigint, den: bigint): number {
  const neg = num < 0n;
  if (neg) num = -num;
  const shift = den.toString(2).length - num.toString(2).length + 80;
  const q = shift >= 0 ? (num << BigInt(shift)) / den : num / (den << BigInt(-shift));
  // q has ~80 bits: Number() rounds it once; the scaling by 2^−shift is exact (normal range)
  const v = Number(q) * Math.pow(2, -shift);
  return neg ? -v : v;
}

function powerOfTen(k: number): void {
  const i = k + K0;
  const hi = Number(`1e${k}`);
  f64[0] = hi;
  const bits = (BigInt(u32[1]) << 32n) | BigInt(u32[0]);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const m = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
  const e = biased - 1075; // hi = m·2^e
  let num: bigint;
  let den: bigint;
  if (k >= 0) {
    // 10^k − m·2^e
    num = e >= 0 ? 10n ** BigInt(k) - (m << BigInt(e)) : 10n ** BigInt(k) * (1n << BigInt(-e)) - m;
    den = e >= 0 ? 1n : 1n << BigInt(-e);
  } else {
    // 10^k − m·2^e = (2^−e − m·10^−k) / (2^−e·10^−k), e < 0 here
    const t = 10n ** BigInt(-k);
    num = (1n << BigInt(-e)) - m * t;
    den = (1n << BigInt(-e)) * t;
  }
  pHi[i] = hi;
  pLo[i] = num === 0n ? 0 : ratioToDouble(num, den);
  const c = SPLIT * hi;
  pHiH[i] = c - (c - hi);
  pHiL[i] = hi - pHiH[i];
  pDone[i] = 1;
}

// "0000" … "9999": the four ASCII digits of i, the first in the low byte of QUADS[i]; filled
// on first use (10^4 steps of the interpreter are ~3 ms of every process's start otherwise)
const QUADS = new Int32Array(10000);

function fillQuads(): void {
  for (let i = 0; i < 10000; i++) {
    const d = String(i).padStart(4, "0");
    QUADS[i] = d.charCodeAt(0) | (d.charCodeAt(1) << 8) | (d.charCodeAt(2) << 16) | (d.charCodeAt(3) << 24);
  }
}

/** Write the 8 digits of the integer 0 ≤ v < 10^8 (zero-padded) at p. */
function eight(buf: Uint8Array, p: number, v: number): void {
  // int32 arithmetic: the division by a constant compiles to a multiplication; a byte store
  // keeps the low 8 bits of its value
  const a = (v / 10000) | 0;
  const w = QUADS[a];
  const z = QUADS[v - a * 10000];
  buf[p] = w;
  buf[p + 1] = w >>> 8;
  buf[p + 2] = w >>> 16;
  buf[p + 3] = w >>> 24;
  buf[p + 4] = z;
  buf[p + 5] = z >>> 8;
  buf[p + 6] = z >>> 16;
  buf[p + 7] = z >>> 24;
}

/** Write the 17 digits of q·10^8 + low (10^8 ≤ q < 10^9, 0 ≤ low < 10^8, integers) at p. */
function seventeen(buf: Uint8Array, p: number, q: number, low: number): void {
  const d = (q / 100000000) | 0;
  buf[p] = 48 + d;
  eight(buf, p + 1, q - d * 100000000);
  eight(buf, p + 9, low);
}

// Doubles are handed between these functions through a typed array: a double passed as an
// argument to a function V8 does not inline is boxed, a heap allocation per number (five
// million in a million-row sweep, and the garbage collections they cost).
const arg = new Float64Array(1);

let fallbacks = 0;

/** Copy String(x)'s characters (the fallback). */
function writeString(buf: Uint8Array, pos: number, x: number): number {
  fallbacks++;
  const s = String(x);
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/**
 * Numbers chosen to take the branches of writeShortestAt: zero, a sign, each layout (d.d,
 * 0.0…0d, d…d0…0, exponents of one to three digits either way), a power of two, 17 nines, and one
 * number for each fallback to String(x) found reachable by a search over ~5 million doubles (out
 * of range; within a hair of a tie; a decimal on an end of the rounding interval; two decimals
 * equally close; test/fast-number.test.ts checks that they fall back). With them primed, a
 * V8 trace of the 100,000-point benchmark sweep shows no deoptimization of writeShortestAt.
 */
export const PRIMING: Readonly<Float64Array> = Float64Array.of(
  0,
  -0.5,
  0.05,
  0.30000000000000004,
  123.456,
  0.7169493715015963,
  0.000123,
  1.5e-7,
  1e21,
  100,
  1.2345678901234567e25,
  1e100,
  2.5e-300,
  2 ** -20,
  0.9999999999999999,
  99999999999999990,
  1e-300,
  14.262710571289062,
  9007199254740992,
  9.601669311523438,
);

/**
 * Write each of PRIMING once (not counted as fallbacks). Why: V8 compiles writeShortestAt with
 * the branches it has seen taken, and throws the compiled code away when another is first taken
 * (in a sweep, the first number within a hair of a tie, thousands of rows in, while the code was
 * being compiled); a thread about to write many rows primes it first (workers/kernel-range.ts).
 */
export function primeShortest(): void {
  const counted = fallbacks;
  const buf = new Uint8Array(64);
  for (let i = 0; i < PRIMING.length; i++) writeShortestAt(buf, 0, PRIMING as Float64Array, i);
  fallbacks = counted;
}

/** How many numbers have been written by String(x) so far (for tests of the fast path). */
export function fallbackCount(): number {
  return fallbacks;
}

/**
 * Write String(x) for a finite x into buf at pos (at least 32 bytes free); returns the new
 * position. −0 is written as "0", as String(−0) does.
 */
export function writeShortest(buf: Uint8Array, pos: number, x: number): number {
  arg[0] = x;
  return writeShortestAt(buf, pos, arg, 0);
}

/**
 * writeShortest of src[i] (no boxed double on the way: the form for loops over arrays). Bytes
 * past the returned position, up to the longest String(x) (25 bytes from pos), may be written.
 */
export function writeShortestAt(buf: Uint8Array, pos: number, src: Float64Array, i: number): number {
  const x = src[i];
  if (x === 0) {
    buf[pos] = 48;
    return pos + 1;
  }
  const start = pos;
  let a = x;
  if (x < 0) {
    buf[pos++] = 45; // '-'
    a = -x;
  }
  if (!(a >= MIN_FAST && a <= MAX_FAST)) return writeString(buf, start, x);
  f64[0] = a;
  const hiBits = u32[1];
  const b = hiBits >>> 20; // biased exponent (a > 0)
  const powerOfTwo = u32[0] === 0 && (hiBits & 0xfffff) === 0;
  let e10 = E10[b];
  if (a >= pHi[e10 + 1 + K0]) e10++;
  // D = a·10^k = p + e: p the rounded product, e its error (exact) plus a·lo; k is corrected
  // if ⌊log10 a⌋ was off (a within an ulp of a power of ten)
  let k = 16 - e10;
  let p = 0;
  let e = 0;
  for (let attempt = 0; ; attempt++) {
    const j = k + K0;
    if (pDone[j] === 0) powerOfTen(k);
    const hi = pHi[j];
    // Dekker: a·hi = p + err exactly
    const c = SPLIT * a;
    const ah = c - (c - a);
    const al = a - ah;
    const hh = pHiH[j];
    const hl = pHiL[j];
    p = a * hi;
    const err = ah * hh - p + ah * hl + al * hh + al * hl;
    e = err + a * pLo[j];
    // D in [10^16, 10^17) (s = p + e rounded; at the ends its own rounding error dl decides)
    const s = p + e;
    if (s < 1e16 || (s === 1e16 && e - (s - p) < 0)) k++;
    else if (s > 1e17 || (s === 1e17 && e - (s - p) >= 0)) k--;
    else break;
    if (attempt === 2) return writeString(buf, start, x);
  }
  // D = q·1e8 + f: q from p (off by one at most, corrected), without waiting for e; p − q·1e8 is
  // exact (both multiples of ulp(p), the difference under 2^28), f exact to ~1e-8 with e added
  let qD = Math.floor(p * 1e-8);
  let f = p - qD * E8 + e;
  while (f < 0) {
    qD--;
    f += E8;
  }
  while (f >= E8) {
    qD++;
    f -= E8;
  }
  let q = qD | 0;
  if (q < 100000000) return writeString(buf, start, x); // (not reached: D ≥ 10^16)
  if (QUADS[0] === 0) fillQuads();
  // the interval's half-widths in units (below a power of two the doubles are twice as dense)
  const up = HALF_ULP[b] * pHi[k + K0];

  // Levels 0, 1 and 2 at once, for the common case (not a power of two: the interval is
  // D ± up), from the multiples L1, L2, L3 of 10, 100 and 1000 nearest to D and their distances
  // d1, d2, d3 (each step exact: f − L is a difference of multiples of f's ulp): whether a number
  // has 15, 16 or 17 digits is no better than a coin toss for the branch predictor, so the
  // choice is made by arithmetic (the branches left are the rarely taken ones: level 3 or
  // beyond, a margin not cleared). A rounding of f·0.1 + 0.5 can pick the other multiple only
  // within ~1e-9 of a tie of two multiples: for 10 a margin test, for 100 and 1000 too far out
  // to matter (up < 12).
  const L0 = Math.floor(f + 0.5); // 17 digits: the nearest integer (0.5 < 0.55 ≤ up: in)
  const L1 = 10 * Math.floor(f * 0.1 + 0.5);
  const L2 = 100 * Math.floor(f * 0.01 + 0.5);
  const d1 = Math.abs(f - L1);
  const d2 = Math.abs(f - L2);
  const d3 = Math.abs(f - 1000 * Math.floor(f * 0.001 + 0.5));
  let lowD = L0;
  let J = 0;
  if (
    powerOfTwo ||
    d3 < up + MARGIN ||
    Math.abs(Math.abs(f - L0) - 0.5) < MARGIN || // two integers equally close
    Math.abs(d1 - up) < MARGIN ||
    Math.abs(d1 - 5) < MARGIN || // two multiples of 10 equally close
    Math.abs(d2 - up) < MARGIN // (two multiples of 100 cannot both be in: up < 12)
  ) {
    // levels j = 1 … 8: the multiples of P = 10^j below and above D, at distances db and da
    const r = f | 0;
    const fr = f - r;
    const down = powerOfTwo ? 0.5 * up : up;
    if (Math.abs(fr - 0.5) < MARGIN) return writeString(buf, start, x);
    let low = fr < 0.5 ? r : r + 1;
    let P = 1;
    let rem = 0; // r mod P
    let t = r; // ⌊r / P⌋
    for (let j = 1; j <= 8; j++) {
      // int32 steps by the constant 10 (a division by a variable P is several times slower)
      const t10 = (t / 10) | 0;
      rem += (t - 10 * t10) * P;
      t = t10;
      P *= 10;
      const db = rem + fr;
      const da = P - db;
      if (Math.abs(db - down) < MARGIN || Math.abs(da - up) < MARGIN) return writeString(buf, start, x);
      if (db < down) {
        if (da < up) {
          if (Math.abs(db - da) < MARGIN) return writeString(buf, start, x); // two equally close
          low = db < da ? r - rem : r - rem + P;
        } else low = r - rem;
      } else if (da < up) low = r - rem + P;
      else break;
      J = j;
    }
    lowD = low;
  } else {
    // in1, in2: whether L1, L2 are in, 1 or 0 (up − d is in (−50, 12): the floors are 1 or 0;
    // in2 implies in1)
    const in1 = Math.floor((up - d1) * 0.03125 + 1);
    const in2 = Math.floor((up - d2) * 0.0078125 + 1);
    lowD += in1 * (L1 - L0) + in2 * (L2 - L1);
    J = in1 + in2;
  }
  let low = lowD | 0;
  // the digits: q·1e8 + low, 17 − J of them (at level 8, low is 0 or 1e8 and q's trailing zeros go)
  if (low >= E8) {
    low -= E8;
    q++;
  }
  // ECMA-262's n: x = 0.d1d2… × 10^n
  let n = 17 - k;
  if (q >= 1000000000) {
    q = 100000000; // D rounded up to 10^17
    n++;
  }
  let len = 17 - J;
  if (J === 8) {
    len = 9;
    for (let t = q; t % 10 === 0; t = (t / 10) | 0) len--;
  }
  if (0 < n && n < len) {
    // d…d.d…d: the digits one byte on, then the first n moved back before the point
    seventeen(buf, pos + 1, q, low);
    for (let t = 0; t < n; t++) buf[pos + t] = buf[pos + 1 + t];
    buf[pos + n] = 46; // '.'
    return pos + len + 1;
  }
  if (-6 < n && n <= 0) {
    // 0.0…0d…d
    buf[pos] = 48;
    buf[pos + 1] = 46;
    for (let t = 0; t < -n; t++) buf[pos + 2 + t] = 48;
    seventeen(buf, pos + 2 - n, q, low);
    return pos + 2 - n + len;
  }
  if (len <= n && n <= 21) {
    // d…d0…0 (the digits past len are zeros already)
    seventeen(buf, pos, q, low);
    for (let t = 17; t < n; t++) buf[pos + t] = 48;
    return pos + n;
  }
  // d.d…de±x
  seventeen(buf, pos + 1, q, low);
  buf[pos] = buf[pos + 1];
  pos++;
  if (len > 1) {
    buf[pos] = 46;
    pos += len;
  }
  buf[pos++] = 101; // 'e'
  let ex = n - 1;
  buf[pos++] = ex < 0 ? 45 : 43;
  if (ex < 0) ex = -ex;
  if (ex >= 100) {
    const h = (ex / 100) | 0;
    buf[pos++] = 48 + h;
    ex -= 100 * h;
    buf[pos++] = 48 + ((ex / 10) | 0);
    buf[pos++] = 48 + (ex % 10);
  } else if (ex >= 10) {
    buf[pos++] = 48 + ((ex / 10) | 0);
    buf[pos++] = 48 + (ex % 10);
  } else buf[pos++] = 48 + ex;
  return pos;
}
