// The figure's data as CSV, for pgfplots' `\addplot table` and for readers who want the
// numbers. Wide format: when every series has the same x values, one x column and one
// column per series; otherwise an x and a y column per series, shorter ones padded with
// "nan" (pgfplots' `unbounded coords=jump` then simply ends that curve).

import { formatNumber } from "./number.js";
import type { FigureSpec, Series } from "./types.js";

export interface SeriesColumns {
  x: string;
  y: string;
}

export interface FigureTable {
  csv: string;
  /** Column names of each series, in spec order. */
  columns: SeriesColumns[];
  header: string[];
}

const GREEK_NAMES: Record<string, string> = {
  α: "alpha", β: "beta", γ: "gamma", δ: "delta", ε: "epsilon", ζ: "zeta", η: "eta", θ: "theta",
  ι: "iota", κ: "kappa", λ: "lambda", μ: "mu", ν: "nu", ξ: "xi", ο: "omicron", π: "pi", ρ: "rho",
  σ: "sigma", ς: "sigma", τ: "tau", υ: "upsilon", φ: "phi", χ: "chi", ψ: "psi", ω: "omega",
};

/**
 * A column name from a label: ASCII letters, digits and single underscores only (Greek letters
 * spelled out, markup and punctuation turned into "_"), safe in pgfplots keys, R and pandas:
 * "q_L(θ)" → "q_L_theta".
 */
export function columnName(labelText: string, fallback: string): string {
  let out = "";
  for (const ch of labelText) {
    const lower = ch.toLowerCase();
    const greek = GREEK_NAMES[lower];
    if (greek) out += `_${ch === lower ? greek : greek[0].toUpperCase() + greek.slice(1)}_`;
    else if (/[A-Za-z0-9]/.test(ch)) out += ch;
    else out += "_";
  }
  out = out.replace(/_+/g, "_").replace(/^_|_$/g, "");
  if (!out) return fallback;
  return /^[0-9]/.test(out) ? `${fallback}_${out}` : out;
}

function uniqueNames(wanted: string[]): string[] {
  const seen = new Map<string, number>();
  return wanted.map((w) => {
    const n = (seen.get(w) ?? 0) + 1;
    seen.set(w, n);
    return n === 1 ? w : `${w}_${n}`;
  });
}

function sameGrid(series: readonly Series[]): boolean {
  const x0 = series[0].x;
  return series.every((s) => {
    if (s.x.length !== x0.length) return false;
    for (let k = 0; k < x0.length; k++) if (s.x[k] !== x0[k]) return false;
    return true;
  });
}

/** Column names of a heatmap's x, y, z (and, on a log colour scale, its log10 z: the .tex's colour). */
export function heatmapColumns(spec: FigureSpec): string[] {
  const hm = spec.heatmap!;
  const [x, y, z] = hm.columns ?? ["x", "y", "z"];
  return hm.scale === "log" ? [x, y, z, `log10_${z}`] : [x, y, z];
}

/** A heatmap figure's table: the cells (x varying fastest, as pgfplots' matrix plot reads
 *  them), then each series' x and y columns beside them, padded with "nan". */
function heatmapTable(spec: FigureSpec): FigureTable {
  const hm = spec.heatmap!;
  const cellCols = heatmapColumns(spec);
  const xName = spec.x.column ?? columnName(spec.x.label.text, "x");
  const yNames = spec.series.map((s, i) => s.column ?? columnName(s.name.text, `y${i + 1}`));
  const header = uniqueNames([...cellCols, ...yNames.flatMap((y, i) => [spec.series[i].xColumn ?? `${xName}_${y}`, y])]);
  const columns = spec.series.map((_, i) => ({ x: header[cellCols.length + 2 * i], y: header[cellCols.length + 2 * i + 1] }));
  const nx = hm.x.length;
  const cells = nx * hm.y.length;
  const n = Math.max(cells, ...spec.series.map((s) => s.x.length));
  const rows: string[] = [];
  for (let k = 0; k < n; k++) {
    const z = k < cells ? hm.z[k] : NaN;
    const cell = k < cells ? [hm.x[k % nx], hm.y[Math.floor(k / nx)], z] : [NaN, NaN, NaN];
    if (hm.scale === "log") cell.push(z > 0 ? Math.log10(z) : NaN);
    const rest = spec.series.flatMap((s) => (k < s.x.length ? [s.x[k], s.y[k]] : [NaN, NaN]));
    rows.push([...cell, ...rest].map(formatNumber).join(","));
  }
  return { csv: [header.join(","), ...rows].join("\n") + "\n", columns, header };
}

export function figureTable(spec: FigureSpec): FigureTable {
  if (spec.heatmap) return heatmapTable(spec);
  const xName = spec.x.column ?? columnName(spec.x.label.text, "x");
  const yNames = spec.series.map((s, i) => s.column ?? columnName(s.name.text, `y${i + 1}`));
  const rows: string[] = [];
  let header: string[];
  let columns: SeriesColumns[];
  if (sameGrid(spec.series)) {
    header = uniqueNames([xName, ...yNames]);
    columns = spec.series.map((_, i) => ({ x: header[0], y: header[i + 1] }));
    const x = spec.series[0].x;
    for (let k = 0; k < x.length; k++) {
      rows.push([x[k], ...spec.series.map((s) => s.y[k])].map(formatNumber).join(","));
    }
  } else {
    header = uniqueNames(yNames.flatMap((y, i) => [spec.series[i].xColumn ?? `${xName}_${y}`, y]));
    columns = spec.series.map((_, i) => ({ x: header[2 * i], y: header[2 * i + 1] }));
    const n = Math.max(...spec.series.map((s) => s.x.length));
    for (let k = 0; k < n; k++) {
      const cells = spec.series.flatMap((s) => (k < s.x.length ? [s.x[k], s.y[k]] : [NaN, NaN]));
      rows.push(cells.map(formatNumber).join(","));
    }
  }
  return { csv: [header.join(","), ...rows].join("\n") + "\n", columns, header };
}
