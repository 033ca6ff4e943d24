// Evenly spaced sweep values as the decimals a user means. In doubles, linspace(0.05, 0.29, 25)
// gives 0.33999999999999997 at k = 12 (a + k·(b − a)/(n − 1) rounds twice), yet the grid a
// person has in mind holds 0.05 + 12·0.01 = 0.34, and sweep.csv should say 0.34.
//
// The rule, for each k: take a and b as the shortest decimals that round-trip to them (what was
// typed in the scenario) and compute a + k·(b − a)/(n − 1) exactly in rational arithmetic. When
// that value is a decimal of at most 15 significant digits (it terminates: 0.34, 1.5e-7), use
// the double nearest to it, provided it lies within GRID_ULPS = 4 ulps of the double computation
// a + k·step — ulps at the grid's largest magnitude max(|a|, |b|, |value|), the size of that
// computation's own rounding error (on linspace(−0.3, 0.3, 7) the point meant as 0.1 comes out
// 2 ulps of 0.1 away, 0.09999999999999998; linspace(0.3, 0.9, 25) has 0.8250000000000002, 2 ulps
// of 0.9 from 0.825, which one ulp left as numpy's: a reviewer's). Otherwise (thirds, or more digits) keep numpy's
// double. Every decimal of at most 15 significant digits round-trips through a double, so a
// value chosen this way prints (shortest round-trip form) as that decimal, and the solved
// scenario holds exactly the number the CSV shows. The ends are exactly a and b.
//
// Arithmetic: with a = A·10^E, b = B·10^E (integers A, B) and n − 1 = 2^x 5^y R (R coprime to
// 10), the value (A(n−1) + k(B−A))/(n−1)·10^E terminates exactly when R divides the numerator,
// and is then the integer (numerator/R)·2^(m−x)·5^(m−y) times 10^(E−m), m = max(x, y). In doubles
// while everything stays below 2^53 (the usual case), else in BigInt.

const MAX_EXACT = 2 ** 53;
const DIGITS = 15;

/** x as an integer mantissa and a power of ten, from its shortest round-trip decimal. */
function decimalParts(x: number): { m: bigint; e: number } {
  const s = String(x);
  const r = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!r) throw new Error(`not a finite number: ${s}`);
  const frac = r[3] ?? "";
  const m = BigInt(`${r[1]}${r[2]}${frac}`);
  return { m, e: Number(r[4] ?? 0) - frac.length };
}

// ulp by biased binary exponent b: 2^(b − 1075) (b = 0, the subnormals: the smallest double, as
// for b = 1; b = 2047, ±∞ and NaN: ∞, as the logarithm gave)
const ULP = Float64Array.from({ length: 2048 }, (_, b) => (b === 2047 ? Infinity : Math.pow(2, Math.max(b, 1) - 1075)));
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Spacing of the doubles at |x|: 2^(e − 52) for |x| in [2^e, 2^(e+1)) (subnormals: the smallest). */
/** How far (in ulps at the grid's scale) numpy's double may lie from the decimal meant. */
const GRID_ULPS = 4;

function ulp(x: number): number {
  f64[0] = x;
  return ULP[(u32[1] >>> 20) & 0x7ff];
}

/** The greatest common divisor of two whole numbers ≥ 0 (below 2^53). */
function gcd(p: number, q: number): number {
  while (q !== 0) [p, q] = [q, p % q];
  return p;
}

const absBig = (x: bigint) => (x < 0n ? -x : x);

/** The decimal M·10^e as a string when M (an integer) has at most 15 significant digits, else undefined. */
function shortDecimal(M: bigint, e: number): string | undefined {
  let digits = absBig(M).toString();
  let exp = e;
  while (digits.length > 1 && digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    exp += 1;
  }
  if (digits.replace(/^0+/, "").length > DIGITS) return undefined;
  return `${M < 0n ? "-" : ""}${digits}e${exp}`;
}

const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The double nearest to M·10^e for an integer |M| < 2^53, when that is one exact operation
 * (10^j is exact for j ≤ 22, so M/10^j is correctly rounded, as in strtod's fast path) and M has
 * at most 15 significant digits; 0 for M = 0; NaN when the fast path does not apply.
 */
function shortDecimalValue(M: number, e: number): number {
  if (M === 0) return 0;
  let exp = e;
  // M is a multiple of 10 exactly when 10·⌊M/10⌋ = M (all exact below 2^53; a double's % would
  // be a call into the C library)
  for (let t = Math.floor(M / 10); 10 * t === M; t = Math.floor(M / 10)) {
    M = t;
    exp += 1;
  }
  if (Math.abs(M) >= 1e15) return NaN;
  if (exp >= 0) {
    const c = exp <= 22 ? M * POW10[exp] : Infinity;
    return Math.abs(c) < MAX_EXACT ? c : NaN;
  }
  return -exp <= 22 ? M / POW10[-exp] : NaN;
}

/**
 * n evenly spaced values from a to b (numpy's linspace: a + k·step, the last exactly b), each
 * replaced by its intended decimal when there is one (see the header).
 */
export function decimalLinspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  new DecimalLinspace(a, b, n).fill(out, 0, n);
  return out;
}

/**
 * The values of decimalLinspace(a, b, n) one block at a time, or one by one: a sweep of millions
 * of points computes its grid values as it goes instead of holding the axis (workers/sweep-grid.ts).
 */
export class DecimalLinspace {
  private readonly step: number;
  private readonly small: boolean;
  /** k is a candidate for a short decimal only when k % period = 0 (see the constructor) */
  private readonly period: number;
  private readonly R: number;
  private readonly lift: number;
  private readonly exp: number;
  private readonly Af: number;
  private readonly Bf: number;
  private readonly A: bigint;
  private readonly B: bigint;
  private readonly scale: number;

  constructor(
    private readonly a: number,
    private readonly b: number,
    readonly n: number,
  ) {
    this.step = (b - a) / (n - 1);
    const pa = decimalParts(a);
    const pb = decimalParts(b);
    const E = Math.min(pa.e, pb.e);
    this.A = pa.m * 10n ** BigInt(pa.e - E);
    this.B = pb.m * 10n ** BigInt(pb.e - E);
    let x = 0;
    let y = 0;
    let R = Math.max(1, n - 1);
    while (R % 2 === 0) (R /= 2), x++;
    while (R % 5 === 0) (R /= 5), y++;
    const m = Math.max(x, y);
    this.R = R;
    this.lift = 2 ** (m - x) * 5 ** (m - y);
    this.exp = E - m;
    this.small = (absBig(this.A) + absBig(this.B - this.A)) * BigInt(Math.max(1, n - 1)) * BigInt(this.lift) < BigInt(MAX_EXACT);
    this.Af = Number(this.A);
    this.Bf = Number(this.B);
    this.scale = Math.max(Math.abs(a), Math.abs(b));
    // R divides n − 1, so R divides the numerator A(n−1) + k(B−A) exactly when it divides
    // k(B−A), i.e. when k is a multiple of R / gcd(|B−A|, R): a test on the whole number k (the
    // test of the numerator, a double's %, is a call into the C library, and was most of the cost
    // of a point that is not a short decimal). Above 2^31 (no grid is that long) every k is tried.
    const period = this.small ? R / gcd(Math.abs(this.Bf - this.Af) % R, R) : 1;
    this.period = period < 2 ** 31 ? period | 0 : 1;
  }

  /** Value k (0 ≤ k < n). */
  at(k: number): number {
    const { a, b, n } = this;
    if (n === 1) return a;
    const v = k === n - 1 ? b : a + k * this.step;
    if (k === 0 || k === n - 1) return v;
    let decimal: string | undefined;
    if (this.small) {
      if (k % this.period !== 0) return v;
      const num = this.Af * (n - 1) + k * (this.Bf - this.Af);
      const c = shortDecimalValue((num / this.R) * this.lift, this.exp);
      if (c === c) return Math.abs(c - v) <= GRID_ULPS * ulp(Math.max(this.scale, Math.abs(v))) ? c : v;
      decimal = shortDecimal(BigInt((num / this.R) * this.lift), this.exp);
    } else {
      const num = this.A * BigInt(n - 1) + BigInt(k) * (this.B - this.A);
      if (num % BigInt(this.R) !== 0n) return v;
      decimal = shortDecimal((num / BigInt(this.R)) * BigInt(this.lift), this.exp);
    }
    if (decimal === undefined) return v;
    const c = Number(decimal);
    return Math.abs(c - v) <= GRID_ULPS * ulp(Math.max(this.scale, Math.abs(v))) ? c : v;
  }

  /** Values first … end − 1 into out[0 …]: the same numbers as at(k), without a call per value. */
  fill(out: Float64Array, first: number, end: number): void {
    const { a, step, period, n } = this;
    for (let k = first, i = 0; k < end; k++, i++) {
      // neither an end nor a candidate: numpy's a + k·step, as at(k) returns it
      if (k % period !== 0 && k < n - 1) out[i] = a + k * step;
      else out[i] = this.at(k);
    }
  }
}

/** Value k of decimalLinspace(a, b, n), on its own (DecimalLinspace.at). */
export function decimalLinspaceAt(a: number, b: number, n: number): (k: number) => number {
  const d = new DecimalLinspace(a, b, n);
  return (k) => d.at(k);
}
