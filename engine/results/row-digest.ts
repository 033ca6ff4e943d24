// Digests of the rows of a sweep's CSV files. The run that writes sweep.csv (and
// sweep-curves.csv) records them in sweep.json; `lpe merge` recomputes them from the shard's
// files and refuses a shard whose rows changed after its run wrote them (a digit flipped by
// hand, a cell emptied, a status edited), naming the file, the line and the grid point.
//
// A digest is the SHA-256 of the exact UTF-8 bytes of a block of consecutive grid points'
// lines, line breaks included, header excluded. In sweep.csv a grid point is one row; in
// sweep-curves.csv it is the lines of that point's curve (none for a failed point). A block
// holds `pointsPerDigest` points, the fewest that keep the list to MAX_ROW_DIGESTS entries:
// up to 1,024 points every point has its own digest (merge names the exact row), beyond that
// merge names the block's lines. The list thus stays under ~70 kB of JSON for any sweep, and
// computing it costs one SHA-256 pass over the bytes written.

import { createHash, type Hash } from "node:crypto";

export const DIGEST_ALGORITHM = "sha256";
export const MAX_ROW_DIGESTS = 1024;

/** The digests of the lines of the grid points [start, start + points) of one file. */
export interface RowDigests {
  algorithm: typeof DIGEST_ALGORITHM;
  /** grid points covered */
  points: number;
  /** grid points per digest (the last block may hold fewer) */
  pointsPerDigest: number;
  /** hex SHA-256 of each block, in grid order */
  digests: string[];
}

export function pointsPerDigest(points: number): number {
  return Math.max(1, Math.ceil(points / MAX_ROW_DIGESTS));
}

export function digestCount(points: number, perDigest: number): number {
  return Math.ceil(points / perDigest);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash(DIGEST_ALGORITHM).update(data).digest("hex");
}

/**
 * Digests lines as they are written: `add(index, text)` with the grid index of the point the
 * text belongs to (non-decreasing), then `finish()`. A block's text is joined and hashed once,
 * when the next block starts.
 */
export class RowDigester {
  private readonly per: number;
  private readonly digests: string[] = [];
  private pending = "";

  constructor(
    private readonly start: number,
    private readonly points: number,
  ) {
    this.per = pointsPerDigest(points);
  }

  add(index: number, text: string): void {
    const block = Math.floor((index - this.start) / this.per);
    while (this.digests.length < block) this.flush();
    this.pending += text;
  }

  private flush(): void {
    this.digests.push(sha256Hex(this.pending));
    this.pending = "";
  }

  finish(): RowDigests {
    const n = digestCount(this.points, this.per);
    while (this.digests.length < n) this.flush();
    return { algorithm: DIGEST_ALGORITHM, points: this.points, pointsPerDigest: this.per, digests: this.digests };
  }
}

/**
 * The same digests as RowDigester, fed with bytes: `addRows(first, bytes, rowEnds)` takes the
 * rows of consecutive grid points from `first` (rowEnds[j]: where row j ends in `bytes`), in
 * grid order across calls. Each block is hashed as its bytes arrive, without joining them.
 */
export class ByteRowDigester {
  private readonly per: number;
  private readonly digests: string[] = [];
  private hash: Hash | undefined;

  constructor(
    private readonly start: number,
    private readonly points: number,
  ) {
    this.per = pointsPerDigest(points);
  }

  addRows(first: number, bytes: Uint8Array, rowEnds: Uint32Array): void {
    const n = rowEnds.length;
    let j = 0;
    let from = 0;
    while (j < n) {
      const block = Math.floor((first + j - this.start) / this.per);
      while (this.digests.length < block) this.flush();
      const stop = Math.min(n, this.start + (block + 1) * this.per - first);
      const to = rowEnds[stop - 1];
      (this.hash ??= createHash(DIGEST_ALGORITHM)).update(bytes.subarray(from, to));
      from = to;
      j = stop;
    }
  }

  private flush(): void {
    this.digests.push((this.hash ?? createHash(DIGEST_ALGORITHM)).digest("hex"));
    this.hash = undefined;
  }

  finish(): RowDigests {
    const n = digestCount(this.points, this.per);
    while (this.digests.length < n) this.flush();
    return { algorithm: DIGEST_ALGORITHM, points: this.points, pointsPerDigest: this.per, digests: this.digests };
  }
}

/** Where a block's bytes differ from the recorded digest: its grid points and its lines in the file. */
export interface DigestMismatch {
  fromPoint: number;
  toPoint: number;
  /** 1-based line numbers in the file; undefined when the block has no line */
  fromLine?: number;
  toLine?: number;
  /** the line before which the block's lines would be, when it has none */
  nearLine: number;
}

/** "line 5 (grid point 3)", "lines 5–9 (grid points 3–7)", "no line for grid point 3 (near line 5)". */
export function describeMismatch(m: DigestMismatch): string {
  const pts = m.fromPoint === m.toPoint ? `grid point ${m.fromPoint}` : `grid points ${m.fromPoint}–${m.toPoint}`;
  if (m.fromLine === undefined) return `no line for ${pts} (near line ${m.nearLine})`;
  return m.fromLine === m.toLine ? `line ${m.fromLine} (${pts})` : `lines ${m.fromLine}–${m.toLine} (${pts})`;
}

/**
 * Checks the lines of a file against recorded digests, block by block: feed every line with
 * `line(index, from, to, lineNo)` (grid index non-decreasing, [from, to) its bytes in `buf` with
 * the line break, lineNo 1-based), then `end()`. Returns the first block that differs, or
 * undefined; a check stops at the first difference. A file read in pieces (lpe merge streams a
 * large shard's rows) passes each piece's buffer with its lines, `line(…, piece)`, and calls
 * `release()` before that buffer is overwritten: a block is hashed as its bytes arrive, so it may
 * span pieces.
 */
export class RowDigestCheck {
  private block = 0;
  private hash: Hash | undefined;
  // the bytes of the current block not yet given to the hash: [from, to) of `pendingBuf`
  private pendingBuf: Uint8Array | undefined;
  private pendingFrom = 0;
  private pendingTo = 0;
  private firstLine?: number;
  private lastLine?: number;
  private nextLine: number;
  mismatch?: DigestMismatch;

  constructor(
    private readonly d: RowDigests,
    private readonly start: number,
    private readonly buf: Uint8Array | undefined,
    firstBodyLine: number,
  ) {
    this.nextLine = firstBodyLine;
  }

  /** false once a difference is found (the caller may stop reading) */
  line(index: number, from: number, to: number, lineNo: number, buf: Uint8Array | undefined = this.buf): boolean {
    if (this.mismatch) return false;
    const block = Math.floor((index - this.start) / this.d.pointsPerDigest);
    while (this.block < block && !this.mismatch) this.close();
    if (this.mismatch) return false;
    if (this.firstLine === undefined) this.firstLine = lineNo;
    // consecutive lines of one buffer are hashed as one run
    if (buf === this.pendingBuf && from === this.pendingTo) this.pendingTo = to;
    else {
      this.release();
      this.pendingBuf = buf;
      this.pendingFrom = from;
      this.pendingTo = to;
    }
    this.lastLine = lineNo;
    this.nextLine = lineNo + 1;
    return true;
  }

  /** Hash the bytes held back so far (before their buffer is reused). */
  release(): void {
    if (this.pendingBuf && this.pendingTo > this.pendingFrom) (this.hash ??= createHash(DIGEST_ALGORITHM)).update(this.pendingBuf.subarray(this.pendingFrom, this.pendingTo));
    this.pendingBuf = undefined;
    this.pendingFrom = this.pendingTo = 0;
  }

  private close(): void {
    const b = this.block;
    this.release();
    const hex = (this.hash ?? createHash(DIGEST_ALGORITHM)).digest("hex");
    this.hash = undefined;
    if (hex !== this.d.digests[b]) {
      const per = this.d.pointsPerDigest;
      this.mismatch = {
        fromPoint: this.start + b * per,
        toPoint: this.start + Math.min((b + 1) * per, this.d.points) - 1,
        fromLine: this.firstLine,
        toLine: this.lastLine,
        nearLine: this.nextLine,
      };
    }
    this.block++;
    this.firstLine = this.lastLine = undefined;
  }

  /** Close the remaining blocks; the first difference, if any. */
  end(): DigestMismatch | undefined {
    const n = this.d.digests.length;
    while (this.block < n && !this.mismatch) this.close();
    return this.mismatch;
  }
}
