// Buffers that go round instead of being allocated per batch. A sweep batch's results travel
// from a pool thread to the main thread as transferred ArrayBuffers (its outputs and its
// formatted rows, a few MB); once written, the main thread sends them back with the next task,
// and both threads format into recycled buffers. Without this, a million-point sweep on two
// threads allocated a few hundred MB in the worker thread and freed it in the main thread, and
// the process kept most of it (freed memory goes back to the allocating thread's malloc arena).
// Buffers come in sizes rounded up to a multiple of 64 kB (a power of two below that), one free
// list per size; a request with no free buffer of its size takes the closest larger one up to
// twice its size (a batch a little smaller than the last, as at the end of a grid, reuses its
// buffers instead of adding a size). `giveSet`/`takeSet` pass a whole batch's set of buffers
// back to a pool thread, which needs the same sizes for its next batch.
// A buffer given back is kept (up to MAX_FREE_BYTES): the buffers a sweep has are those it
// needed at once (the batches in flight and those waiting for the disk), and one dropped would
// be freed only by the next full garbage collection, long after the next burst allocated anew
// (a 10,000,000-point sweep's dropped buffers grew its memory by ~10 MB).

const MIN_BYTES = 1024;
const STEP = 1 << 16;
/** free bytes kept at most (a bound for the unforeseen: a sweep's batches need a few MB) */
const MAX_FREE_BYTES = 64 << 20;

/** The size a request of `bytes` is served with. */
function sizeOf(bytes: number): number {
  const b = Math.max(bytes, MIN_BYTES);
  return b >= STEP ? Math.ceil(b / STEP) * STEP : 2 ** Math.ceil(Math.log2(b));
}

export class BufferPool {
  /** free buffers by size */
  private readonly free = new Map<number, ArrayBuffer[]>();
  private freeBytes = 0;
  /** the sizes of the last set given back (what a batch uses) */
  private pattern: number[] = [];
  /** bytes allocated by take() (tests, diagnostics) */
  allocated = 0;

  /** Return a buffer for reuse (ignored when detached by a transfer, not a pool size, or the pool is full). */
  give(b: ArrayBufferLike): void {
    if (!(b instanceof ArrayBuffer) || b.byteLength === 0) return;
    const c = b.byteLength;
    if (sizeOf(c) !== c || this.freeBytes + c > MAX_FREE_BYTES) return;
    let list = this.free.get(c);
    if (!list) this.free.set(c, (list = []));
    if (list.includes(b)) return;
    list.push(b);
    this.freeBytes += c;
  }

  /** Return all the buffers of one batch, remembering their sizes. */
  giveSet(buffers: readonly ArrayBufferLike[]): void {
    this.pattern = buffers.filter((b) => b.byteLength > 0).map((b) => b.byteLength);
    for (const b of buffers) this.give(b);
  }

  /** A buffer of at least `bytes` bytes (of a pool size): a free one, else a new one. */
  take(bytes: number): ArrayBuffer {
    const c = sizeOf(bytes);
    let list = this.free.get(c);
    if (!list || list.length === 0) {
      let best = 0;
      for (const [s, l] of this.free) if (l.length > 0 && s > c && s <= 2 * c && (best === 0 || s < best)) best = s;
      list = best > 0 ? this.free.get(best) : undefined;
    }
    const b = list?.pop();
    if (b) {
      this.freeBytes -= b.byteLength;
      return b;
    }
    this.allocated += c;
    return new ArrayBuffer(c);
  }

  /** Free buffers of the sizes one batch used (as many as there are), removed from the pool. */
  takeSet(): ArrayBuffer[] {
    const out: ArrayBuffer[] = [];
    for (const c of this.pattern) {
      const b = this.free.get(c)?.pop();
      if (b) {
        this.freeBytes -= c;
        out.push(b);
      }
    }
    return out;
  }

  /** number of free buffers */
  get size(): number {
    let n = 0;
    for (const list of this.free.values()) n += list.length;
    return n;
  }
}
