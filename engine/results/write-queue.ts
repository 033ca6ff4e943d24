// Appends to files done off the calling thread. A sweep writes a few hundred MB while it
// computes (its CSV files and its durable part files); written with writeSync, the main thread
// — which also solves its share of the points — stopped for as long as the disk made each write
// wait (on this machine's shared disk, 0.3 to 2.7 s for 300 MB, at random). Queued here, each
// write runs on libuv's thread pool while the main thread goes on.
// Order: writes to the same lane run one at a time in the order queued, so bytes reach a file in
// order and, in a lane shared by several files, a file written after another is written after it
// (a part file's record after its status line). Lanes run side by side (one per CSV file: a
// write held up by the disk on one file does not hold up the others).
// `then(fn)` runs fn once everything queued before it, in every lane, is written (to reuse a
// buffer, to start a flush). The first failure (a full disk) stops the queue: later writes are
// refused with it, queued ones are dropped, and idle() rejects with it, its message naming the
// file. The caller bounds the memory waiting in the queue with `pendingBytes` and `below()`.
// Coalescing: a lane issues its writes once they add up to RUN_BYTES (or when flushed), all
// those to the same file in one `writev` (up to MAX_IOV buffers): no bytes are copied. A
// 1,000,000-point sweep queues about 2,000 appends of ~50–100 kB; issued one by one, each
// woke a libuv thread that, with both cores busy, took its core from a solving thread: about
// 0.1 s of the main thread's time, against a third of that for the same bytes in 1 MB writes
// (measured with a busy second thread). Deferred bytes stay in memory until issued, at most
// DEFER_MS (a timer flushes them: a slow sweep's records reach their file as soon as before,
// give or take that, so a `kill -9` loses no more finished points); `flush()` issues everything
// queued: idle() and below() flush, then() does not (a caller that reuses a buffer after it is
// written can wait for the run), and a caller that wants bytes on disk now (a periodic fsync, a
// file being aborted) flushes first.

import { write, writev } from "node:fs";

/** a lane's queued bytes that make it issue a write without being flushed */
export const RUN_BYTES = 512 << 10;
/** how long a write may wait for its run before it is issued anyway */
export const DEFER_MS = 20;
/** buffers and bytes at most in one writev (IOV_MAX is 1024 on Linux) */
export const MAX_IOV = 256;
export const MAX_RUN_BYTES = 8 << 20;

interface WriteJob {
  seq: number;
  fd: number;
  data: Uint8Array;
  path: string;
}

interface Barrier {
  seq: number;
  fn: () => void;
  always: boolean;
}

interface Lane {
  jobs: WriteJob[];
  /** bytes of `jobs` */
  bytes: number;
  busy: boolean;
}

export class WriteQueue {
  private readonly lanes = new Map<string, Lane>();
  /** sequence numbers of the writes queued and not finished */
  private readonly open = new Set<number>();
  private barriers: Barrier[] = [];
  private seq = 0;
  /** writes with a sequence number below this are issued however few bytes their lane holds */
  private flushBelow = 0;
  /** the timer that issues deferred writes DEFER_MS after the first of them */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters: { limit: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  /** bytes queued and not yet written */
  pendingBytes = 0;
  /** the first write error; the queue writes nothing after it */
  failure: unknown;

  /** Queue `data` (not to be changed until written) for the end of file `fd`, in lane `lane`
   *  (default: its own); `path` names the file in errors. */
  write(fd: number, data: Uint8Array, path: string, lane = `fd${fd}`): void {
    if (this.failure !== undefined) throw this.failure;
    if (data.length === 0) return;
    let l = this.lanes.get(lane);
    if (!l) this.lanes.set(lane, (l = { jobs: [], bytes: 0, busy: false }));
    const job: WriteJob = { seq: this.seq++, fd, data, path };
    l.jobs.push(job);
    l.bytes += data.length;
    this.open.add(job.seq);
    this.pendingBytes += data.length;
    this.start(l);
    if (l.jobs.length > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, DEFER_MS);
      // (the timer does not keep the process alive: whoever needs the bytes waits for idle())
      this.timer.unref();
    }
  }

  /** Issue every write queued so far, however few bytes its lane holds. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.flushBelow = this.seq;
    for (const l of this.lanes.values()) this.start(l);
  }

  /** Run `fn` once everything queued so far is written (after a failure: only if `always`).
   *  Does not flush: fn may wait until the lanes have RUN_BYTES to write, or flush(). */
  then(fn: () => void, always = false): void {
    this.barriers.push({ seq: this.seq++, fn, always });
    this.settle();
  }

  private start(l: Lane): void {
    if (l.busy || l.jobs.length === 0) return;
    // deferred until the lane has a run's worth, unless flushed (or failed: dropped at once)
    if (this.failure === undefined && l.bytes < RUN_BYTES && l.jobs[0].seq >= this.flushBelow) return;
    const job = l.jobs.shift()!;
    l.bytes -= job.data.length;
    if (this.failure !== undefined) {
      this.finish(l, [job]);
      return;
    }
    // the writes queued behind it to the same file, in order, go with it
    const run = [job];
    let bytes = job.data.length;
    while (l.jobs.length > 0 && run.length < MAX_IOV && l.jobs[0].fd === job.fd && bytes + l.jobs[0].data.length <= MAX_RUN_BYTES) {
      const next = l.jobs.shift()!;
      l.bytes -= next.data.length;
      run.push(next);
      bytes += next.data.length;
    }
    l.busy = true;
    if (run.length === 1) this.writeFrom(l, job, 0);
    else this.writeRun(l, run, run.map((j) => j.data), bytes);
  }

  private writeFrom(l: Lane, job: WriteJob, off: number): void {
    write(job.fd, job.data, off, job.data.length - off, null, (err, n) => {
      if (err) {
        if (!(err as NodeJS.ErrnoException).path) (err as NodeJS.ErrnoException).path = job.path;
        this.failure ??= err;
      } else if (off + n < job.data.length) {
        this.writeFrom(l, job, off + n);
        return;
      }
      l.busy = false;
      this.finish(l, [job]);
    });
  }

  /** `left`: what remains of the run's bytes (after a short write, the rest of it) */
  private writeRun(l: Lane, run: WriteJob[], left: Uint8Array[], bytes: number): void {
    writev(run[0].fd, left, null, (err, n) => {
      if (err) {
        if (!(err as NodeJS.ErrnoException).path) (err as NodeJS.ErrnoException).path = run[0].path;
        this.failure ??= err;
      } else if (n < bytes) {
        // a short write (a full disk reports ENOSPC on the next call): go on from byte n
        let skip = n;
        let i = 0;
        while (skip >= left[i].length) skip -= left[i++].length;
        const rest = [left[i].subarray(skip), ...left.slice(i + 1)];
        this.writeRun(l, run, rest, bytes - n);
        return;
      }
      l.busy = false;
      this.finish(l, run);
    });
  }

  private finish(l: Lane, jobs: WriteJob[]): void {
    for (const job of jobs) {
      this.open.delete(job.seq);
      this.pendingBytes -= job.data.length;
    }
    this.settle();
    this.start(l);
  }

  /** Run the barriers whose writes are all done; wake the waiters. */
  private settle(): void {
    let oldest = Infinity;
    for (const s of this.open) if (s < oldest) oldest = s;
    while (this.barriers.length > 0 && this.barriers[0].seq < oldest) {
      const b = this.barriers.shift()!;
      if (this.failure === undefined || b.always) {
        try {
          b.fn();
        } catch (e) {
          this.failure ??= e;
        }
      }
    }
    const idle = this.open.size === 0 && this.barriers.length === 0;
    this.waiters = this.waiters.filter((w) => {
      if (this.failure !== undefined && idle) w.reject(this.failure);
      else if (idle || (this.failure === undefined && this.pendingBytes <= w.limit)) w.resolve();
      else return true;
      return false;
    });
  }

  /** Resolves when at most `limit` bytes wait to be written (rejects once the queue has failed and stopped). */
  below(limit: number): Promise<void> {
    this.flush();
    return new Promise((resolve, reject) => {
      this.waiters.push({ limit, resolve, reject });
      this.settle();
    });
  }

  /** Resolves when everything queued is written; rejects with the first failure. */
  idle(): Promise<void> {
    return this.below(-1);
  }
}
