// Evenly spaced sweep values as the decimals a user means. In doubles, linspace(0.05, 0.29, 25)
// gives 0.33999999999999997 at k = 12 (a + k·(b − a)/(n − 1) rounds twice), yet the grid a
// person has in mind holds 0.05 + 12·0.01 = 0.34, and sweep.csv should say 0.34.
//
// The rule, for each k: take a and b as the shortest decimals that round-trip to them (what was
// typed in the scenario) and compute a + k·(b − a)/(n − 1) exactly in rational arithmetic. When
// that value is a decimal of at most 15 significant digits (it terminates: 0.34, 1.5e-7), use
// the double nearest to it, provided it lies within one ulp of the double computation a + k·step
// — one ulp at the grid's largest magnitude max(|a|, |b|, |value|), the size of that
// computation's own rounding error (on linspace(−0.3, 0.3, 7) the point meant as 0.1 comes out
// 2 ulps of 0.1 away, 0.09999999999999998). Otherwise (thirds, or more digits) keep numpy's
// double. Every decimal of at most 15 significant digits round-trips through a double, so a
// value chosen this way prints (shortest round-trip form) as that decimal, and the solved
// scenario holds exactly the number the CSV shows. The ends are exactly a and b.
//
// Arithmetic: with a = A·10^E, b = B·10^E (integers A, B) and n − 1 = 2^x 5^y R (R coprime to
// 10), the value (A(n−1) + k(B−A))/(n−1)·10^E terminates exactly when R divides the numerator,
// and is then the integer (numerator/R)·2^(m−x)·5^(m−y) times 10^(E−m), m = max(x, y). In doubles
// while everything stays below 2^53 (the usual case, about 0.05 µs per point), else in BigInt.

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

/** Spacing of the doubles at |x|: 2^(e − 52) for |x| in [2^e, 2^(e+1)) (subnormals: the smallest). */
function ulp(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** -1022) return Number.MIN_VALUE;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  return 2 ** (e - 52);
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

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The double nearest to M·10^e for an integer |M| < 2^53, when that is one exact operation
 * (10^j is exact for j ≤ 22, so M/10^j is correctly rounded, as in strtod's fast path) and M has
 * at most 15 significant digits; 0 for M = 0; undefined when the fast path does not apply.
 */
function shortDecimalValue(M: number, e: number): number | undefined {
  if (M === 0) return 0;
  let exp = e;
  while (M % 10 === 0) {
    M /= 10;
    exp += 1;
  }
  if (Math.abs(M) >= 1e15) return undefined;
  if (exp >= 0) {
    const c = exp <= 22 ? M * POW10[exp] : Infinity;
    return Math.abs(c) < MAX_EXACT ? c : undefined;
  }
  return -exp <= 22 ? M / POW10[-exp] : undefined;
}

/**
 * n evenly spaced values from a to b (numpy's linspace: a + k·step, the last exactly b), each
 * replaced by its intended decimal when there is one (see the header).
 */
export function decimalLinspace(a: number, b: number, n: number): Float64Array {
  const at = decimalLinspaceAt(a, b, n);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = at(k);
  return out;
}

/**
 * Value k of decimalLinspace(a, b, n), on its own: a sweep of millions of points computes its
 * grid values as it goes instead of holding the axis (workers/sweep-grid.ts).
 */
export function decimalLinspaceAt(a: number, b: number, n: number): (k: number) => number {
  if (n === 1) return () => a;
  const step = (b - a) / (n - 1);
  const pa = decimalParts(a);
  const pb = decimalParts(b);
  const E = Math.min(pa.e, pb.e);
  const A = pa.m * 10n ** BigInt(pa.e - E);
  const B = pb.m * 10n ** BigInt(pb.e - E);
  let x = 0;
  let y = 0;
  let R = n - 1;
  while (R % 2 === 0) (R /= 2), x++;
  while (R % 5 === 0) (R /= 5), y++;
  const m = Math.max(x, y);
  const lift = 2 ** (m - x) * 5 ** (m - y);
  const D = BigInt(n - 1);
  const small = (absBig(A) + absBig(B - A)) * D * BigInt(lift) < BigInt(MAX_EXACT);
  const [Af, Bf] = [Number(A), Number(B)];
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return (k: number): number => {
    const v = k === n - 1 ? b : a + k * step;
    if (k === 0 || k === n - 1) return v;
    let decimal: string | undefined;
    if (small) {
      const num = Af * (n - 1) + k * (Bf - Af);
      if (num % R !== 0) return v;
      const c = shortDecimalValue((num / R) * lift, E - m);
      if (c !== undefined) return Math.abs(c - v) <= ulp(Math.max(scale, Math.abs(v))) ? c : v;
      decimal = shortDecimal(BigInt((num / R) * lift), E - m);
    } else {
      const num = A * D + BigInt(k) * (B - A);
      if (num % BigInt(R) !== 0n) return v;
      decimal = shortDecimal((num / BigInt(R)) * BigInt(lift), E - m);
    }
    if (decimal === undefined) return v;
    const c = Number(decimal);
    return Math.abs(c - v) <= ulp(Math.max(scale, Math.abs(v))) ? c : v;
  };
}
