// Fixed, locale-free number formatting for the data files (csv, tex): at most 12 significant
// digits, shortest form, so the same figure always writes the same bytes and pgfplots,
// spreadsheets and R all read it back.

/** `v` with at most 12 significant digits; NaN → "nan", ±∞ → "inf"/"-inf" (pgfplots' words). */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (v === 0) return "0"; // also -0
  return String(Number(v.toPrecision(12)));
}

/** Magnitudes written in exponent form on ticks and colour bars: 10⁶, 2.5·10⁻⁴, not 1000000. */
export const EXPONENT_FROM = 1e5;
export const EXPONENT_BELOW = 1e-3;

/** Does a tick value need the exponent form? */
export const needsExponent = (v: number): boolean => v !== 0 && (Math.abs(v) >= EXPONENT_FROM || Math.abs(v) < EXPONENT_BELOW);

/** Superscript digits and minus (DejaVu Sans, the figures' font, has them all). */
const SUPERSCRIPT: Readonly<Record<string, string>> = { "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻", "−": "⁻" };
const superscript = (digits: string) => [...digits].map((c) => SUPERSCRIPT[c] ?? c).join("");

/**
 * A tick or colour-bar label: the shortest decimal of the intended value (12 significant
 * digits), in exponent form for large and small magnitudes — "10⁶", "2.5·10⁻⁴" in SVG and PDF
 * (the same rule as TICK_LABEL_EXPR, which vega evaluates), "$2.5\cdot 10^{-4}$" in TeX. (A
 * reviewer found "1e1", "1e-3" on a colour bar: a calculator's notation in a paper's figure.)
 */
export function tickLabel(v: number, exponent: boolean = needsExponent(v)): { text: string; tex: string } {
  if (!exponent || v === 0) return { text: formatNumber(v), tex: formatNumber(v) };
  const [m, e] = Number(v.toPrecision(12)).toExponential().split("e");
  const exp = String(Number(e));
  const mant = String(Number(m));
  const power = `10${superscript(exp)}`;
  return {
    text: mant === "1" ? power : mant === "-1" ? `-${power}` : `${mant}·${power}`,
    tex: mant === "1" ? `$10^{${exp}}$` : mant === "-1" ? `$-10^{${exp}}$` : `$${mant}\\cdot 10^{${exp}}$`,
  };
}

/**
 * An axis' (or colour bar's) tick labels: when any of its ticks needs the exponent form, every
 * nonzero one takes it, so one axis never mixes forms (a reviewer's log axis read 1e-4 beside
 * 0.001; a linear one would read 50000 beside 1e5).
 */
export function axisTickLabels(ticks: readonly number[]): { text: string; tex: string }[] {
  const exponent = ticks.some(needsExponent);
  return ticks.map((v) => tickLabel(v, exponent));
}

// The same forms as vega expressions over `datum.value` (d3-format writes "2.5e-4", "1e+6",
// and a negative mantissa with U+2212; either minus is mapped): the mantissa before "e", unless
// it is 1; then 10 and the exponent in superscript digits (test/figures-render.test.ts renders
// them and compares with tickLabel's text).
const E_FORM = "format(datum.value, '.12~e')";
const MANTISSA = `split(${E_FORM}, 'e')[0]`;
const EXPONENT = `replace(split(${E_FORM}, 'e')[1], '+', '')`;
const SUPERSCRIPT_EXPR = Object.entries(SUPERSCRIPT).reduce((x, [c, sup]) => `replace(${x}, regexp('${c}', 'g'), '${sup}')`, EXPONENT);
const POWER_EXPR = `(${MANTISSA} == '1' ? '' : ${MANTISSA} == '−1' ? '−' : ${MANTISSA} + '·') + '10' + ${SUPERSCRIPT_EXPR}`;

/** Every nonzero label in exponent form (an axis with axisTickLabels' exponent form), for vega. */
export const EXPONENT_LABEL_EXPR = `datum.value != 0 ? ${POWER_EXPR} : '0'`;

/** The same rule as a vega expression over `datum.value`, for axis and legend labels. */
export const TICK_LABEL_EXPR =
  `datum.value != 0 && (abs(datum.value) >= ${EXPONENT_FROM} || abs(datum.value) < ${EXPONENT_BELOW}) ? ` + `${POWER_EXPR} : format(datum.value, '.12~g')`;
