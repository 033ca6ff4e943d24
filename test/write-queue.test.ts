// The write queue of a sweep's appends (engine/results/write-queue.ts): bytes reach each file in
// the order queued whatever the lanes, the deferral of small writes and their coalescing into
// writev; a barrier runs only once everything queued before it is on the file; below() and
// idle() issue deferred writes; flush() issues them without waiting, and a timer within DEFER_MS.

import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFER_MS, RUN_BYTES, WriteQueue } from "../engine/results/write-queue.js";

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 255);

describe("WriteQueue", () => {
  it("writes every file's bytes in the order queued, and runs each barrier after the writes before it", async () => {
    // sizes around RUN_BYTES: some writes wait for more, some make a run at once
    const size = fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: RUN_BYTES >> 2, max: RUN_BYTES + 5000 }));
    const op = fc.oneof(
      fc.record({ kind: fc.constant("write" as const), file: fc.integer({ min: 0, max: 2 }), n: size }),
      fc.record({ kind: fc.constant("then" as const) }),
      fc.record({ kind: fc.constant("flush" as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), fc.boolean(), async (ops, shared) => {
        const dir = mkdtempSync(join(tmpdir(), "lpe-queue-"));
        const paths = [0, 1, 2].map((i) => join(dir, `f${i}`));
        const fds = paths.map((p) => openSync(p, "w"));
        const expected: Uint8Array[][] = [[], [], []];
        const length = (f: number) => expected[f].reduce((a, b) => a + b.length, 0);
        const q = new WriteQueue();
        const barrierChecks: Promise<void>[] = [];
        let k = 0;
        for (const o of ops) {
          if (o.kind === "write") {
            const b = bytes(o.n, k++);
            expected[o.file].push(b);
            // files 0 and 1 may share a lane (as the part files of a sweep do); a file has one lane
            q.write(fds[o.file], b, paths[o.file], shared && o.file < 2 ? "shared" : undefined);
          } else if (o.kind === "flush") q.flush();
          else {
            const lengths = [0, 1, 2].map(length);
            barrierChecks.push(
              new Promise<void>((resolve) =>
                q.then(() => {
                  for (let f = 0; f < 3; f++) expect(fstatSync(fds[f]).size, `file ${f} at a barrier`).toBeGreaterThanOrEqual(lengths[f]);
                  resolve();
                }),
              ),
            );
          }
        }
        await q.idle();
        await Promise.all(barrierChecks);
        expect(q.pendingBytes).toBe(0);
        for (let f = 0; f < 3; f++) {
          closeSync(fds[f]);
          const got = readFileSync(paths[f]);
          expect(got.length, `file ${f}`).toBe(length(f));
          expect(Buffer.compare(got, Buffer.concat(expected[f])), `file ${f}'s bytes`).toBe(0);
        }
      }),
      { numRuns: 40, seed: 71 },
    );
  });

  it("defers a lane's small writes until flushed, and writes them on flush without waiting", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lpe-queue-"));
    const path = join(dir, "f");
    const fd = openSync(path, "w");
    const q = new WriteQueue();
    q.write(fd, bytes(100, 1), path);
    q.write(fd, bytes(200, 2), path);
    // nothing issued at once: the lane holds less than RUN_BYTES
    await new Promise((r) => setImmediate(r));
    expect(fstatSync(fd).size).toBe(0);
    expect(q.pendingBytes).toBe(300);
    const written = new Promise<void>((resolve) => q.then(resolve));
    q.flush();
    await written;
    expect(fstatSync(fd).size).toBe(300);
    // …and, unflushed, within DEFER_MS (and a little for the write itself)
    const t0 = performance.now();
    q.write(fd, bytes(50, 4), path);
    await new Promise<void>((resolve) => q.then(resolve));
    expect(fstatSync(fd).size).toBe(350);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(DEFER_MS - 2);
    // a write that fills a run goes out with no flush
    q.write(fd, bytes(RUN_BYTES, 3), path);
    await new Promise<void>((resolve) => q.then(resolve));
    expect(fstatSync(fd).size).toBe(350 + RUN_BYTES);
    closeSync(fd);
  });

  it("names the file and stops at the first failure", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lpe-queue-"));
    const path = join(dir, "f");
    const fd = openSync(path, "w");
    closeSync(fd);
    const q = new WriteQueue();
    // a closed descriptor: the write fails (EBADF) once issued
    q.write(fd, bytes(10, 1), path);
    q.write(fd, bytes(10, 2), path);
    await expect(q.idle()).rejects.toMatchObject({ code: "EBADF", path });
    expect(() => q.write(fd, bytes(1, 3), path)).toThrow();
  });
});
