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

import { write } from "node:fs";

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
  busy: boolean;
}

export class WriteQueue {
  private readonly lanes = new Map<string, Lane>();
  /** sequence numbers of the writes queued and not finished */
  private readonly open = new Set<number>();
  private barriers: Barrier[] = [];
  private seq = 0;
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
    if (!l) this.lanes.set(lane, (l = { jobs: [], busy: false }));
    const job: WriteJob = { seq: this.seq++, fd, data, path };
    l.jobs.push(job);
    this.open.add(job.seq);
    this.pendingBytes += data.length;
    this.start(l);
  }

  /** Run `fn` once everything queued so far is written (after a failure: only if `always`). */
  then(fn: () => void, always = false): void {
    this.barriers.push({ seq: this.seq++, fn, always });
    this.settle();
  }

  private start(l: Lane): void {
    if (l.busy) return;
    const job = l.jobs.shift();
    if (!job) return;
    if (this.failure !== undefined) {
      this.finish(l, job);
      return;
    }
    l.busy = true;
    this.writeFrom(l, job, 0);
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
      this.finish(l, job);
    });
  }

  private finish(l: Lane, job: WriteJob): void {
    this.open.delete(job.seq);
    this.pendingBytes -= job.data.length;
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
