// Row digests (engine/results/row-digest.ts): what a writer records is what a checker of the
// same bytes accepts; any one changed byte is caught and located in a block that holds its
// line; the list never exceeds MAX_ROW_DIGESTS entries, and is one digest per point up to it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeMismatch, MAX_ROW_DIGESTS, RowDigestCheck, RowDigester, type RowDigests } from "../engine/results/row-digest.js";

/** Lines of grid points [start, start + counts.length): point start + j has counts[j] lines. */
function fileOf(start: number, counts: number[], text: (i: number, k: number) => string) {
  const lines: { index: number; text: string }[] = [];
  counts.forEach((n, j) => {
    for (let k = 0; k < n; k++) lines.push({ index: start + j, text: `${start + j},${text(start + j, k)}\n` });
  });
  return lines;
}

function record(start: number, points: number, lines: { index: number; text: string }[]): RowDigests {
  const d = new RowDigester(start, points);
  for (const l of lines) d.add(l.index, l.text);
  return d.finish();
}

/** Check `bytes` (header + lines) against `d`; the line structure is taken from `lines`. */
function check(d: RowDigests, start: number, header: string, lines: { index: number; text: string }[], bytes: Buffer) {
  const c = new RowDigestCheck(d, start, bytes, 2);
  let pos = Buffer.byteLength(header);
  let ok = true;
  lines.forEach((l, j) => {
    const end = pos + Buffer.byteLength(l.text);
    if (ok) ok = c.line(l.index, pos, end, j + 2);
    pos = end;
  });
  return ok ? c.end() : c.mismatch;
}

const HEADER = "point,value\n";

describe("row digests", () => {
  it("accept the bytes they were made from, catch any changed byte and locate its line", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        // both regimes: a digest per point (≤ 1,024 points) and blocks of points
        fc.oneof(fc.integer({ min: 1, max: MAX_ROW_DIGESTS }), fc.integer({ min: MAX_ROW_DIGESTS + 1, max: 3500 })),
        fc.integer({ min: 1, max: 7 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (start, points, seed, at, delta) => {
          // 0 to 3 lines per point (sweep-curves.csv); seed 1 gives one line each (sweep.csv)
          const counts = Array.from({ length: points }, (_, j) => (seed === 1 ? 1 : (j * seed + 1) % 4));
          const lines = fileOf(start, counts, (i, k) => `${(i * 0.37 + k) / 7},é${k}`);
          const d = record(start, counts.length, lines);
          expect(d.digests.length).toBeLessThanOrEqual(MAX_ROW_DIGESTS);
          if (counts.length <= MAX_ROW_DIGESTS) expect(d.pointsPerDigest).toBe(1);
          const bytes = Buffer.from(HEADER + lines.map((l) => l.text).join(""), "utf8");
          expect(check(d, start, HEADER, lines, bytes)).toBeUndefined();
          if (lines.length === 0) return;
          // change one byte of the body (not a line break, so the line structure stays)
          const body = Buffer.byteLength(HEADER);
          const pos = body + (at % (bytes.length - body));
          if (bytes[pos] === 10) return;
          const changed = Buffer.from(bytes);
          changed[pos] = (changed[pos] + delta) % 256 === 10 ? (changed[pos] + delta + 1) % 256 : (changed[pos] + delta) % 256;
          const m = check(d, start, HEADER, lines, changed);
          expect(m).toBeDefined();
          // the line holding byte `pos`, 1-based in the file
          let line = 2;
          for (let p = body; p < pos; p++) if (bytes[p] === 10) line++;
          expect(m!.fromLine).toBeLessThanOrEqual(line);
          expect(m!.toLine).toBeGreaterThanOrEqual(line);
          const point = lines[line - 2].index;
          expect(m!.fromPoint).toBeLessThanOrEqual(point);
          expect(m!.toPoint).toBeGreaterThanOrEqual(point);
          if (d.pointsPerDigest === 1) expect([m!.fromPoint, m!.toPoint]).toEqual([point, point]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("catch a point's lines removed, and name them", () => {
    const lines = fileOf(10, [1, 2, 1], (i, k) => `${i + k}`);
    const d = record(10, 3, lines);
    const kept = lines.filter((l) => l.index !== 11);
    const m = check(d, 10, HEADER, kept, Buffer.from(HEADER + kept.map((l) => l.text).join("")));
    expect(m && describeMismatch(m)).toBe("no line for grid point 11 (near line 3)");
  });

  it("describe a row and a block of rows", () => {
    expect(describeMismatch({ fromPoint: 9, toPoint: 9, fromLine: 4, toLine: 4, nearLine: 5 })).toBe("line 4 (grid point 9)");
    expect(describeMismatch({ fromPoint: 2000, toPoint: 2002, fromLine: 2001, toLine: 2003, nearLine: 2004 })).toBe("lines 2001–2003 (grid points 2000–2002)");
  });
});
