// Writing a double as the shortest decimal that reads back as the same double, exactly as
// JavaScript's String(x) writes it (ECMA-262 Number::toString: the fewest significant digits,
// the closest such decimal, plain notation from 1e-7 to 1e21, exponent notation outside), as
// ASCII bytes straight into a buffer. This is the number format of every CSV the engine writes
// (number-format.ts); a sweep of a million points writes five million numbers, and String(x)
// was the largest cost of the whole run: a call into the runtime, a string on the heap per
// number (the garbage that kept the process's heap large), then copying and encoding it.
//
// Method. With k = 16 − ⌊log10 x⌋, D = x·10^k lies in [10^16, 10^17): the 17 significant digits
// that always identify a double, in units. D is formed in double-double arithmetic (Dekker's
// exact product with a two-part 10^k), exact to ~4e-32 relative, i.e. to ~1e-8 of a unit after
// it is split into 10^8-blocks (q·10^8 + f, both exact doubles). x's rounding interval, in the
// same units, is D ± ulp(x)/2·10^k (half as wide below a power of two). Going from 17 digits to
// fewer, the decimal with j fewer digits nearest to D is a multiple of 10^j; the shortest output
// is the last j for which such a multiple lies inside the interval, the closest one if two do.
// Every comparison with the interval's ends must clear a margin of 1e-6 units (100 times the
// arithmetic's error): when one does not — x within a hair of a rounding tie, or a decimal
// exactly on an end of the interval, where only exact arithmetic can say which way it reads —
// the number is written by String(x) instead, as are numbers outside [1e-280, 1e280]. So the
// output is String(x)'s in every case, by construction, and test/fast-number.test.ts checks it
// on millions of doubles of every kind (random bits, short decimals, grids, powers, neighbours).

const MIN_FAST = 1e-280;
const MAX_FAST = 1e280;
/** margin of a decision, in units of the 17th digit (the arithmetic is exact to ~1e-8) */
const MARGIN = 1e-6;
const SPLIT = 134217729; // 2^27 + 1 (Dekker)
const E8 = 1e8;

// 10^k = (hi + lo) with hi = the double nearest 10^k and lo the double nearest 10^k − hi, and
// hi's Dekker halves; computed on first use of each k (exact, with BigInt), k in [−300, 300].
const K0 = 300;
const pHi = new Float64Array(2 * K0 + 1);
const pLo = new Float64Array(2 * K0 + 1);
const pHiH = new Float64Array(2 * K0 + 1);
const pHiL = new Float64Array(2 * K0 + 1);
const pDone = new Uint8Array(2 * K0 + 1);

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

const POW10 = Float64Array.from({ length: 9 }, (_, j) => 10 ** j);
const INV_POW10 = Float64Array.from({ length: 9 }, (_, j) => 1 / 10 ** j);

// two-digit table "00" … "99"
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

// the digits of the result, most significant first (at most 18), and their count
const digits = new Uint8Array(24);

/** Write the 8 digits of 0 ≤ v < 10^8 (zero-padded) into `digits` at `p`. */
function eight(v: number, p: number): void {
  // int32 arithmetic: divisions by constants compile to multiplications
  const vi = v | 0;
  const a = (vi / 10000) | 0;
  const b = vi - a * 10000;
  const a1 = (a / 100) | 0;
  const a2 = a - a1 * 100;
  const b1 = (b / 100) | 0;
  const b2 = b - b1 * 100;
  digits[p] = PAIRS[2 * a1];
  digits[p + 1] = PAIRS[2 * a1 + 1];
  digits[p + 2] = PAIRS[2 * a2];
  digits[p + 3] = PAIRS[2 * a2 + 1];
  digits[p + 4] = PAIRS[2 * b1];
  digits[p + 5] = PAIRS[2 * b1 + 1];
  digits[p + 6] = PAIRS[2 * b2];
  digits[p + 7] = PAIRS[2 * b2 + 1];
}

// Doubles are handed between these functions through a typed array: a double passed as an
// argument to a function V8 does not inline is boxed, a heap allocation per number (five
// million in a million-row sweep, and the garbage collections they cost).
const arg = new Float64Array(1);

/**
 * The significant digits of x = arg[0] > 0 into `digits`; returns the count, and sets
 * `pointPos` to n of ECMA-262 (x = 0.d1d2…dk × 10^n). Returns 0 when the fast path cannot decide.
 */
let pointPos = 0;
function shortest(): number {
  const x = arg[0];
  f64[0] = x;
  const hiBits = u32[1];
  const mantissaZero = u32[0] === 0 && (hiBits & 0xfffff) === 0;
  const biased = (hiBits >>> 20) & 0x7ff;
  // ⌊log10 x⌋ from the binary exponent and the mantissa's top bits (corrected below if off by one)
  let e10 = Math.floor((biased - 1023 + (hiBits & 0xfffff) / 0x100000) * 0.30102999566398120);
  let s = 0;
  let dl = 0;
  let k = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    k = 16 - e10;
    const i = k + K0;
    if (!pDone[i]) powerOfTen(k);
    const hi = pHi[i];
    // Dekker: x·hi = p + err exactly
    const c = SPLIT * x;
    const xh = c - (c - x);
    const xl = x - xh;
    const hh = pHiH[i];
    const hl = pHiL[i];
    const p = x * hi;
    const err = xh * hh - p + xh * hl + xl * hh + xl * hl;
    const e = err + x * pLo[i];
    s = p + e;
    dl = e - (s - p);
    if (s < 1e16) e10--;
    else if (s >= 1e17) e10++;
    else break;
  }
  if (!(s >= 1e16 && s < 1e17)) return 0;
  // D = q·1e8 + f
  let q = Math.floor(s / E8);
  let f = s - q * E8 + dl;
  while (f < 0) {
    q--;
    f += E8;
  }
  while (f >= E8) {
    q++;
    f -= E8;
  }
  // the rounding interval's half-widths in units: ulp(x)/2·10^k (below a power of two: half);
  // ulp(x) = 2^(biased − 1075), built from its bits (x ≥ 1e-280 keeps it normal)
  u32[0] = 0;
  u32[1] = (biased - 52) << 20;
  const ulp = f64[0];
  const up = 0.5 * ulp * pHi[k + K0];
  const down = mantissaZero && biased > 1 ? 0.5 * up : up;

  // The interval, relative to q·1e8: [lo, hi]. Level j = 0, 1, …: does a multiple of 10^j lie
  // in it? (If none of 10^j does, none of 10^(j+1) can.) Each test is decided with MARGIN to spare.
  const lo = f - down;
  const hi = f + up;
  let J = -1;
  let pw = 1;
  for (let j = 0; j <= 8; j++, pw *= 10) {
    // the first multiple ≥ lo; the rounded quotient may move it by one only when lo is within
    // ~1e-7 units of a multiple, which the margin test below catches
    const c = Math.ceil(lo * INV_POW10[j]) * pw;
    if (Math.abs(c - lo) < MARGIN || Math.abs(c - pw - lo) < MARGIN) return 0;
    if (c > hi + MARGIN) break;
    if (c >= hi - MARGIN) return 0;
    J = j;
  }
  if (J < 0) return 0;
  let bestQ = 0;
  let bestT = 0;
  if (J === 8) {
    // D is within the interval of a multiple of 1e8: that multiple, unique (the interval is
    // under 30 units wide), and any further levels are the trailing zeros of its q-part
    bestQ = q + Math.ceil(lo / E8);
    bestT = 0;
  } else {
    // the nearest multiple of 10^J inside (of the two around f)
    const p = POW10[J];
    const below = Math.floor(f / p) * p;
    bestQ = q;
    bestT = NaN;
    let bestDist = Infinity;
    for (let t = below - p; t <= below + 2 * p; t += p) {
      const d = t - f;
      const ad = Math.abs(d);
      const lim = d >= 0 ? up : down;
      if (ad > lim + MARGIN) continue;
      if (ad >= lim - MARGIN) return 0;
      if (Math.abs(ad - bestDist) < MARGIN) return 0; // two equally close: String(x) picks
      if (ad < bestDist) {
        bestDist = ad;
        bestT = t;
      }
    }
    if (!(bestT === bestT)) return 0;
  }
  // normalize bestT into [0, 1e8)
  while (bestT < 0) {
    bestQ--;
    bestT += E8;
  }
  while (bestT >= E8) {
    bestQ++;
    bestT -= E8;
  }
  // digits: bestQ (8 to 10 digits: about 10^8 … 10^9) then bestT (8)
  if (!(bestQ >= 1e7 && bestQ < 1e10)) return 0;
  let n = 0;
  if (bestQ >= E8) {
    const top = Math.floor(bestQ / E8); // 1 … 99
    if (top >= 10) digits[n++] = 48 + Math.floor(top / 10);
    digits[n++] = 48 + (top % 10);
    eight(bestQ - top * E8, n);
    n += 8;
  } else {
    eight(bestQ, 0);
    n = 8;
  }
  eight(bestT, n);
  n += 8;
  // x = digits · 10^(−k) in units; strip trailing zeros
  let len = n;
  while (len > 1 && digits[len - 1] === 48) len--;
  // value = d1…d_len × 10^(n − len − k)  ⇒  ECMA n = len + (n − len − k) = n − k
  pointPos = n - k;
  return len;
}

/** Copy String(x)'s characters (the fallback). */
function writeString(buf: Uint8Array, pos: number, x: number): number {
  const s = String(x);
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/**
 * Write String(x) for a finite x into buf at pos (at least 32 bytes free); returns the new
 * position. −0 is written as "0", as String(−0) does.
 */
export function writeShortest(buf: Uint8Array, pos: number, x: number): number {
  arg[0] = x;
  return writeShortestAt(buf, pos, arg, 0);
}

/** writeShortest of src[i] (no boxed double on the way: the form for loops over arrays). */
export function writeShortestAt(buf: Uint8Array, pos: number, src: Float64Array, i: number): number {
  const x = src[i];
  if (x === 0) {
    buf[pos] = 48;
    return pos + 1;
  }
  let a = x;
  if (x < 0) {
    buf[pos++] = 45; // '-'
    a = -x;
  }
  if (!(a >= MIN_FAST && a <= MAX_FAST)) return writeString(buf, pos - (x < 0 ? 1 : 0), x);
  arg[0] = a;
  const len = shortest();
  if (len === 0) return writeString(buf, pos - (x < 0 ? 1 : 0), x);
  const n = pointPos;
  if (len <= n && n <= 21) {
    for (let i = 0; i < len; i++) buf[pos++] = digits[i];
    for (let i = len; i < n; i++) buf[pos++] = 48;
  } else if (0 < n && n <= 21) {
    for (let i = 0; i < n; i++) buf[pos++] = digits[i];
    buf[pos++] = 46; // '.'
    for (let i = n; i < len; i++) buf[pos++] = digits[i];
  } else if (-6 < n && n <= 0) {
    buf[pos++] = 48;
    buf[pos++] = 46;
    for (let i = n; i < 0; i++) buf[pos++] = 48;
    for (let i = 0; i < len; i++) buf[pos++] = digits[i];
  } else {
    buf[pos++] = digits[0];
    if (len > 1) {
      buf[pos++] = 46;
      for (let i = 1; i < len; i++) buf[pos++] = digits[i];
    }
    buf[pos++] = 101; // 'e'
    let ex = n - 1;
    buf[pos++] = ex < 0 ? 45 : 43;
    if (ex < 0) ex = -ex;
    if (ex >= 100) {
      buf[pos++] = 48 + Math.floor(ex / 100);
      ex %= 100;
      buf[pos++] = PAIRS[2 * ex];
      buf[pos++] = PAIRS[2 * ex + 1];
    } else if (ex >= 10) {
      buf[pos++] = PAIRS[2 * ex];
      buf[pos++] = PAIRS[2 * ex + 1];
    } else buf[pos++] = 48 + ex;
  }
  return pos;
}
