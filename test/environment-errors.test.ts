// Environment failures and hostile files (issue 16, point 11): a full disk (a small tmpfs,
// mounted here when the test may), a read-only file system, permissions, a path through a file,
// a name too long — each is one line naming the path and the cause, exit 3, never "internal
// error", and no partial file; `validate` refuses a FIFO or a device without blocking; a
// 300-character name and a mixture nested 1,000 deep are bad input with a clear message, and
// later files on the same command line are still checked.

import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { reportError, type Io } from "../cli/io.js";
import { EnvironmentError, NumericalError } from "../engine/errors.js";
import { ensureDir, writeFileAtomic } from "../engine/results/atomic-write.js";
import { environmentError } from "../engine/results/system-errors.js";

const root = new URL("..", import.meta.url).pathname;
const tutorial = join(root, "scenarios/examples/tutorial-monopoly.json");
const lpe = (args: string[], opts: { uid?: number; gid?: number } = {}) => {
  const r = spawnSync(process.execPath, [join(root, "bin/lpe.js"), ...args], { encoding: "utf8", timeout: 60_000, ...opts });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
};
const tmp = mkdtempSync(join(tmpdir(), "lpe-env-"));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts.reverse()) spawnSync("umount", [m]);
});

/** Mount a tmpfs of `size` at a new folder; undefined (after one printed line) when not allowed. */
function tmpfs(size: string, readOnly = false): string | undefined {
  const dir = mkdtempSync(join(tmp, "mnt-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `${readOnly ? "ro," : ""}size=${size}`, "tmpfs", dir], { encoding: "utf8" });
  if (r.status !== 0) {
    console.log(`cannot mount a tmpfs here (${(r.stderr || r.error?.message || "").trim()}): the ${readOnly ? "read-only" : "full-disk"} run is skipped; the classifier tests below still cover its message`);
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

/** Every file under dir with its bytes (hex), by relative path, dot-files included. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p).toString("hex");
    }
  };
  walk(dir);
  return out;
}

/** One line on stderr, naming `path` and `code`, no internal error, no stack trace. */
function expectEnvironmentLine(err: string, path: string, code: string): void {
  const lines = err.trimEnd().split("\n");
  expect(lines.length, err).toBe(1);
  expect(lines[0]).toMatch(/^lpe: cannot /);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toContain(`(${code})`);
  expect(err).not.toContain("internal error");
}

const sysError = (code: string, syscall: string, path?: string) => Object.assign(new Error(`${code}: boom, ${syscall} '${path}'`), { code, syscall, errno: -1, ...(path ? { path } : {}) });

describe("the classifier: system errors become one line with the path and the cause, exit 3", () => {
  const cases: [string, string, RegExp][] = [
    ["ENOSPC", "write", /no space left on the device/],
    ["EDQUOT", "write", /quota/],
    ["EACCES", "open", /permission denied/],
    ["EPERM", "rename", /not permitted/],
    ["EROFS", "mkdir", /read-only/],
    ["ENOTDIR", "mkdir", /not a folder/],
    ["EEXIST", "mkdir", /already exists/],
    ["ENAMETOOLONG", "open", /too long/],
    ["EISDIR", "open", /a folder/],
    ["EMFILE", "open", /too many open files/],
    ["EIO", "write", /input\/output/],
  ];
  for (const [code, syscall, words] of cases) {
    it(`${code}`, () => {
      const lines: string[] = [];
      const io: Io = { out: () => undefined, err: (s) => lines.push(s) };
      const status = reportError(sysError(code, syscall, "results/x/summary.json"), io, "scenario.json");
      expect(status).toBe(3);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(words);
      expect(lines[0]).toContain('"results/x/summary.json"');
      expect(lines[0]).toContain(`(${code})`);
      expect(lines[0]).not.toContain("internal error");
    });
  }

  it("a write error without a path (write(2) has only a descriptor) names the file being written", () => {
    const e = environmentError(Object.assign(sysError("ENOSPC", "write"), {}));
    expect(e?.message).toBe("cannot write a file: no space left on the device (ENOSPC)");
    const dir = mkdtempSync(join(tmp, "dir-"));
    mkdirSync(join(dir, "summary.json"));
    let thrown: unknown;
    try {
      writeFileAtomic(join(dir, "summary.json"), "x");
    } catch (e) {
      thrown = e;
    }
    expect(environmentError(thrown)?.message).toBe(`cannot write ${JSON.stringify(join(dir, "summary.json"))}: it is a folder, not a file (EISDIR)`);
    expect(readdirSync(dir)).toEqual(["summary.json"]); // the temporary file is gone
  });

  it("an ordinary error is not an environment error; an InputError still exits 2", () => {
    expect(environmentError(new Error("x"))).toBeUndefined();
    expect(environmentError(new EnvironmentError("p", "cannot write p: reason (ENOSPC)", "ENOSPC"))?.errno).toBe("ENOSPC");
  });

  it("ensureDir names the part of the path that is a file (Node says ENOENT or EEXIST)", () => {
    const dir = mkdtempSync(join(tmp, "notdir-"));
    writeFileSync(join(dir, "file"), "x");
    expect(() => ensureDir(join(dir, "file", "a", "b"))).toThrow(`${JSON.stringify(join(dir, "file"))} is a file, not a folder (ENOTDIR)`);
  });

  it("ensureDir creates each missing folder, returns the first, and stops under /proc (Node's recursive mkdir loops there)", () => {
    const dir = mkdtempSync(join(tmp, "deep-"));
    expect(ensureDir(join(dir, "a", "b", "c"))).toBe(join(dir, "a"));
    expect(statSync(join(dir, "a", "b", "c")).isDirectory()).toBe(true);
    expect(ensureDir(join(dir, "a", "b"))).toBeUndefined();
    expect(() => ensureDir("/proc/lpe-test/sub")).toThrow('cannot create the folder "/proc/lpe-test": no such file or folder (ENOENT)');
  });
});

describe("lpe solve on a hostile machine: exit 3, one line, nothing partial", () => {
  it("--out through a file (ENOTDIR), onto a file, and with a 300-character folder name", () => {
    const dir = mkdtempSync(join(tmp, "paths-"));
    writeFileSync(join(dir, "afile"), "x");
    let r = lpe(["solve", tutorial, "--out", join(dir, "afile", "sub")]);
    expect(r.code).toBe(3);
    expectEnvironmentLine(r.err, join(dir, "afile"), "ENOTDIR");
    mkdirSync(join(dir, "o"));
    writeFileSync(join(dir, "o", "tutorial-monopoly"), "a file where the folder goes");
    r = lpe(["solve", tutorial, "--out", join(dir, "o")]);
    expect(r.code).toBe(3);
    expectEnvironmentLine(r.err, join(dir, "o", "tutorial-monopoly"), "ENOTDIR");
    expect(readdirSync(join(dir, "o"))).toEqual(["tutorial-monopoly"]);
    const long = join(dir, "d".repeat(300));
    r = lpe(["solve", tutorial, "--out", long]);
    expect(r.code).toBe(3);
    expectEnvironmentLine(r.err, "ddddd", "ENAMETOOLONG");
    expect(readdirSync(dir).sort()).toEqual(["afile", "o"]);
  });

  it("a full disk: exit 3 naming the file and ENOSPC; the previous set is byte-identical, nothing partial", () => {
    const mnt = tmpfs("1m");
    if (!mnt) return;
    const out = join(mnt, "results");
    // Too small even for one set: nothing at all is left, not even the output folder.
    writeFileSync(join(mnt, "filler"), Buffer.alloc(900 * 1024));
    let r = lpe(["solve", tutorial, "--out", out]);
    expect(r.code).toBe(3);
    expectEnvironmentLine(r.err, out, "ENOSPC");
    expect(readdirSync(mnt)).toEqual(["filler"]);
    // Room for one set: the first solve works, the second runs out of space while staging.
    rmSync(join(mnt, "filler"));
    r = lpe(["solve", tutorial, "--out", out, "--set", "technology.sigma=0.4"]);
    expect(r.code, r.err).toBe(0);
    const before = snapshot(mnt);
    const free = spawnSync("df", ["-k", "--output=avail", mnt], { encoding: "utf8" }).stdout.trim().split("\n").pop()!;
    writeFileSync(join(mnt, "filler"), Buffer.alloc(Math.max(0, Number(free) - 64) * 1024));
    r = lpe(["solve", tutorial, "--out", out]);
    expect(r.code).toBe(3);
    expectEnvironmentLine(r.err, join(out, "tutorial-monopoly"), "ENOSPC");
    rmSync(join(mnt, "filler"));
    expect(snapshot(mnt)).toEqual(before);
  });

  it("a read-only file system: EROFS, not ENOENT", () => {
    const mnt = tmpfs("64k", true);
    if (!mnt) return;
    const r = lpe(["solve", tutorial, "--out", join(mnt, "results")]);
    expect(r.code).toBe(3);
    expectEnvironmentLine(r.err, join(mnt, "results"), "EROFS");
  });

  it("a folder the user may not write to: EACCES (run as an unprivileged user)", () => {
    if (process.getuid?.() !== 0) {
      console.log("not running as root: cannot switch to an unprivileged user, the EACCES run is skipped (the classifier test covers its message)");
      return;
    }
    const dir = mkdtempSync(join(tmp, "acc-"));
    chmodSync(tmp, 0o755);
    chmodSync(dir, 0o755); // owned by root: nobody may not create anything in it
    const r = lpe(["solve", tutorial, "--out", join(dir, "results")], { uid: 65534, gid: 65534 });
    if (r.code !== 3 && /EACCES.*(lpe\.js|dist)|Cannot find module/.test(r.err)) {
      console.log("the unprivileged user cannot read the checkout: the EACCES run is skipped");
      return;
    }
    expect(r.code, r.err).toBe(3);
    expectEnvironmentLine(r.err, join(dir, "results"), "EACCES");
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("lpe validate on hostile files", () => {
  it("a FIFO and a device are refused at once, and the file after them is still checked", () => {
    const fifo = join(tmp, "pipe.json");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const t0 = Date.now();
    const r = lpe(["validate", fifo, "/dev/zero", tutorial]);
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${fifo}: cannot read scenario file "${fifo}": it is a named pipe (FIFO), not a regular file`);
    expect(r.err).toContain("/dev/zero: cannot read scenario file \"/dev/zero\": it is a device, not a regular file");
    expect(r.out).toContain(`ok  ${tutorial}`);
  });

  it("a 300-character name, a mixture nested 1,000 deep, arrays nested 100,000 deep: clear bad input, later files checked", () => {
    const base = JSON.parse(readFileSync(tutorial, "utf8"));
    const longName = join(tmp, "long-name.json");
    writeFileSync(longName, JSON.stringify({ ...base, name: "n".repeat(300) }));
    let d: unknown = { dist: "uniform", min: 0, max: 1 };
    for (let i = 0; i < 1000; i++) d = { dist: "mixture", components: [d], weights: [1] };
    const deep = join(tmp, "deep-mixture.json");
    writeFileSync(deep, JSON.stringify({ ...base, buyers: { theta: d } }));
    const arrays = join(tmp, "deep-arrays.json");
    writeFileSync(arrays, JSON.stringify(base).slice(0, -1) + ',"x":' + "[".repeat(100_000) + "]".repeat(100_000) + "}");
    const r = lpe(["validate", longName, deep, arrays, tutorial]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${longName}: name: expected a string of at most 100 characters, got 300`);
    expect(r.err).toMatch(new RegExp(`${deep}: buyers\\.theta(\\.components\\[0\\]){8}: mixtures nested more than 8 deep`));
    expect(r.err).toContain(`${arrays}: x[0]`);
    expect(r.err).toContain("nested more than 64 levels deep");
    expect(r.err).not.toMatch(/call stack|internal error/);
    expect(r.out).toContain(`ok  ${tutorial}`);
    const s = lpe(["solve", deep, "--out", join(tmp, "deep-out")]);
    expect(s.code).toBe(2);
    expect(existsSync(join(tmp, "deep-out"))).toBe(false);
  });
});

describe("a numerical failure", () => {
  it("is exit 1 on one line; an overflow gets a hint of what to look at, another failure none", () => {
    const lines: string[] = [];
    const io: Io = { out: () => {}, err: (s) => void lines.push(s) };
    expect(reportError(new NumericalError("envelope check on [0, 0.0025]", "integrand is not finite at x = 0.00125: Infinity"), io, "s.json")).toBe(1);
    expect(reportError(new NumericalError("ironing", "brent: no sign change on [1, 2]"), io, "s.json")).toBe(1);
    // (an independent checker's token cost of 1e-300: "overflows" got no hint)
    expect(reportError(new NumericalError("ces technology", "cost at Q=2.8e+299: overflows"), io, "s.json")).toBe(1);
    expect(lines).toEqual([
      "lpe: numerical failure: s.json: envelope check on [0, 0.0025]: integrand is not finite at x = 0.00125: Infinity (numbers overflowed: is a parameter at the edge of its range, such as a cost near 0 or a type range far from 1?)",
      "lpe: numerical failure: s.json: ironing: brent: no sign change on [1, 2]",
      "lpe: numerical failure: s.json: ces technology: cost at Q=2.8e+299: overflows (numbers overflowed: is a parameter at the edge of its range, such as a cost near 0 or a type range far from 1?)",
    ]);
  });

  it("from the CLI: a fringe cost of 1e-200 names a type inside the checked interval, with the hint", () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, "..", "bin", "lpe.js"), "solve", join(import.meta.dirname, "..", "scenarios", "examples", "leader-fringe-sweep.json"), "--set", "market.fringe.cost=1e-200", "--no-figures", "--out", mkdtempSync(join(tmpdir(), "lpe-num-"))], { encoding: "utf8" });
    expect(r.status).toBe(1);
    const m = /envelope check on \[(\S+), (\S+)\]: integrand is not finite at x = (\S+): Infinity \(numbers overflowed/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const [a, b, x] = [Number(m![1]), Number(m![2]), Number(m![3])];
    expect(x).toBeGreaterThanOrEqual(a);
    expect(x).toBeLessThanOrEqual(b);
  });
});

describe("a scenario file's encoding (a reviewer's)", () => {
  it('"-" (standard input) is said to be unread, not "cannot read scenario file \"\""', () => {
    const r = lpe(["solve", "-", "--out", join(tmp, "stdin")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no scenario file named (an empty name; "-", standard input, is not read): give a file');
    expect(existsSync(join(tmp, "stdin"))).toBe(false);
  });

  it("Latin-1 and UTF-16 files are bad input naming the byte and its line and column; a UTF-8 byte-order mark is read past", () => {
    const base = JSON.parse(readFileSync(tutorial, "utf8"));
    const text = JSON.stringify({ ...base, description: "café" }, null, 2);
    const latin1 = join(tmp, "latin1.json");
    writeFileSync(latin1, Buffer.from(text, "latin1"));
    const line = text.slice(0, text.indexOf("café")).split("\n").length;
    const column = text.split("\n")[line - 1].indexOf("café") + 4;
    const r1 = lpe(["validate", latin1]);
    expect(r1.code).toBe(2);
    expect(r1.err).toContain(`is not UTF-8 text: byte 0xE9 at line ${line}, column ${column} (Latin-1 or Windows-1252?): save it as UTF-8`);
    const utf16 = join(tmp, "utf16.json");
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    const r2 = lpe(["validate", utf16]);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain("is UTF-16 text: save it as UTF-8");
    const bom = join(tmp, "bom.json");
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]));
    const r3 = lpe(["validate", bom]);
    expect(r3.code, r3.err).toBe(0);
  });

  it("utf8Text accepts exactly what a strict UTF-8 decoder accepts (property, random bytes and mutated UTF-8)", async () => {
    const { utf8Text } = await import("../engine/scenario/load.js");
    const fc = (await import("fast-check")).default;
    const strict = new TextDecoder("utf-8", { fatal: true });
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 12 }),
      fc.tuple(fc.string({ unit: "binary", maxLength: 8 }), fc.nat(40), fc.integer({ min: 0, max: 255 })).map(([s, at, v]) => {
        const b = new Uint8Array(Buffer.from(s, "utf8"));
        if (b.length > 0) b[at % b.length] = v;
        return b;
      }),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf)) return;
        let want: string | undefined;
        try {
          want = strict.decode(b);
        } catch {
          want = undefined;
        }
        let got: string | undefined;
        try {
          got = utf8Text(b, "f.json");
        } catch {
          got = undefined;
        }
        expect(got, `bytes ${Buffer.from(b).toString("hex")}`).toBe(want);
      }),
      { numRuns: 3000, seed: 20261208 },
    );
  });
});
