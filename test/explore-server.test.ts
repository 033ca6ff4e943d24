// The `lpe explore` server without a browser: every request without the token is refused
// (403), writes need the token header, not just the cookie; Save writes the file atomically
// only after the checks of `lpe validate`, whose lines (file, JSON path, message) it returns
// word for word when it refuses; Save as writes only inside the scenario's folder (no `..`,
// no absolute path elsewhere, no symbolic link out, no overwrite without consent). Also the
// page's controls (ranges from the model's bounds, log scale for costs) and the sweep preview's
// point limit, which run in the page's worker but are plain functions, and the in-place edit of
// one number in the file's text.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runValidate } from "../cli/commands/validate.js";
import { scenarioControls, type NumberControl } from "../explore/controls.js";
import { replaceValue, valueSpan, type Segment } from "../explore/json-span.js";
import { startExploreServer, type ExploreServer } from "../explore/server.js";
import { PREVIEW_POINTS, previewAxis, previewPlans } from "../explore/sweep-preview.js";

const root = new URL("..", import.meta.url).pathname;
const example = readFileSync(join(root, "scenarios/examples/leader-fringe-sweep.json"), "utf8");
const tmp = mkdtempSync(join(tmpdir(), "lpe-explore-"));
const folder = join(tmp, "project");
const outside = join(tmp, "elsewhere");
const file = join(folder, "lf.json");
const assets = join(tmp, "assets");
let srv: ExploreServer;

beforeAll(async () => {
  mkdirSync(folder);
  mkdirSync(outside);
  mkdirSync(join(folder, "sub"));
  mkdirSync(assets);
  // A stand-in for the built page: the server only fills in the token and the title.
  writeFileSync(join(assets, "index.html"), '<meta name="lpe-token" content="__LPE_TOKEN__"><title>__LPE_TITLE__</title>');
  for (const a of ["page.js", "worker.js", "style.css"]) writeFileSync(join(assets, a), `/* ${a} */`);
  writeFileSync(file, example);
  symlinkSync(outside, join(folder, "out-link"));
  symlinkSync(join(outside, "target.json"), join(folder, "file-link.json"));
  srv = await startExploreServer({ file, assets });
});
afterAll(() => srv?.close());

const base = () => `http://127.0.0.1:${srv.port}`;
const withToken = (headers: Record<string, string> = {}) => ({ ...headers, "X-LPE-Token": srv.token });
const postJson = (path: string, body: unknown, headers: Record<string, string> = withToken()) =>
  fetch(`${base()}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });

/** What `lpe validate` prints on stderr for `text` saved as `name` (in a scratch folder). */
async function validateLines(text: string, name: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmp, "validate-"));
  const f = join(dir, name);
  writeFileSync(f, text);
  let err = "";
  const code = await runValidate([f], [], { out: () => undefined, err: (s) => (err += s) });
  expect(code).toBe(2);
  return err
    .trimEnd()
    .split("\n")
    .map((l) => l.replaceAll(f, "FILE"));
}

describe("token", () => {
  it("prints a URL on 127.0.0.1 with a 64-hex-digit token", () => {
    expect(srv.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${srv.port}/\\?token=[0-9a-f]{64}$`));
    expect(srv.server.address()).toMatchObject({ address: "127.0.0.1" });
  });

  it("refuses every request without the token, or with a wrong one", async () => {
    for (const path of ["/", "/index.html", "/page.js", "/worker.js", "/style.css", "/api/scenario", "/nothing"]) {
      expect((await fetch(`${base()}${path}`)).status, path).toBe(403);
      expect((await fetch(`${base()}${path}?token=${"0".repeat(64)}`)).status, path).toBe(403);
      expect((await fetch(`${base()}${path}`, { headers: { "X-LPE-Token": srv.token.slice(0, -1) } })).status, path).toBe(403);
    }
    const before = readFileSync(file, "utf8");
    expect((await postJson("/api/save", { text: "{}" }, {})).status).toBe(403);
    expect((await postJson("/api/save-as", { name: "x.json", text: example }, {})).status).toBe(403);
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(existsSync(join(folder, "x.json"))).toBe(false);
  });

  it("serves the page with the token, sets a cookie for its assets, but writes need the header", async () => {
    const page = await fetch(srv.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`content="${srv.token}"`);
    const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0];
    expect(cookie).toBe(`lpe-explore-${srv.port}=${srv.token}`);
    expect((await fetch(`${base()}/worker.js`, { headers: { Cookie: cookie } })).status).toBe(200);
    const scenario = await fetch(`${base()}/api/scenario`, { headers: { Cookie: cookie } });
    expect(((await scenario.json()) as { text: string }).text).toBe(readFileSync(file, "utf8"));
    expect((await postJson("/api/save", { text: example }, { Cookie: cookie })).status).toBe(403);
  });

  it("refuses a request whose Host is not this server (DNS rebinding)", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((ok, fail) => {
      const r = request({ host: "127.0.0.1", port: srv.port, path: `/?token=${srv.token}`, headers: { Host: `evil.example:${srv.port}` } }, (res) => {
        res.resume();
        ok(res.statusCode ?? 0);
      });
      r.on("error", fail);
      r.end();
    });
    expect(status).toBe(403);
  });
});

describe("Save", () => {
  it("writes the scenario atomically, leaving no temporary file", async () => {
    const edited = JSON.parse(example);
    edited.market.fringe.cost = 0.25;
    const text = JSON.stringify(edited, null, 2) + "\n";
    const r = await postJson("/api/save", { text });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, path: file, note: "sweep: all 241 grid points checked" });
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(readdirSync(folder).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  const refusals: [string, (s: Record<string, any>) => string][] = [
    ["a schema problem", (s) => JSON.stringify({ ...s, technology: { sigma: 0.5, sigam: 1 } })],
    ["an economic problem", (s) => JSON.stringify({ ...s, technology: { sigma: 1.5 } })],
    ["a sweep problem", (s) => JSON.stringify({ ...s, sweep: { ...s.sweep, outputs: ["thetaLow", "profits"] } })],
    ["a JSON syntax error", () => '{ "name": "x",\n  "buyers": }'],
  ];
  for (const [what, make] of refusals) {
    it(`refuses ${what} with lpe validate's lines, and leaves the file as it was`, async () => {
      const before = readFileSync(file, "utf8");
      const text = make(JSON.parse(example));
      const r = await postJson("/api/save", { text });
      expect(r.status).toBe(422);
      const body = (await r.json()) as { ok: boolean; lines: string[]; problems: { path: string }[] };
      expect(body.ok).toBe(false);
      expect(body.lines.map((l) => l.replaceAll(file, "FILE"))).toEqual(await validateLines(text, "lf.json"));
      expect(readFileSync(file, "utf8")).toBe(before);
    });
  }
});

describe("Save through a link", () => {
  it("writes the file a linked scenario points to and keeps the link", async () => {
    const { lstatSync } = await import("node:fs");
    const real = join(outside, "..", "real-lf.json");
    writeFileSync(real, example);
    const link = join(folder, "linked.json");
    symlinkSync(real, link);
    const other = await startExploreServer({ file: link, assets });
    try {
      const text = example.replace('"cost": 0.2 }', '"cost": 0.21 }');
      const r = await fetch(`http://127.0.0.1:${other.port}/api/save`, { method: "POST", headers: { "Content-Type": "application/json", "X-LPE-Token": other.token }, body: JSON.stringify({ text }) });
      expect(r.status).toBe(200);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readFileSync(real, "utf8")).toBe(text);
    } finally {
      await other.close();
    }
  });
});

describe("Save as", () => {
  it("writes a new file in the scenario's folder or a folder below it", async () => {
    for (const name of ["copy.json", join("sub", "copy.json"), join(folder, "abs.json")]) {
      const r = await postJson("/api/save-as", { name, text: example });
      expect(r.status, name).toBe(200);
      const target = name.startsWith("/") ? name : join(folder, name);
      expect(readFileSync(target, "utf8")).toBe(example);
    }
  });

  it("replaces an existing file only when told to", async () => {
    writeFileSync(join(folder, "old.json"), "{}");
    const r = await postJson("/api/save-as", { name: "old.json", text: example });
    expect(r.status).toBe(409);
    expect(readFileSync(join(folder, "old.json"), "utf8")).toBe("{}");
    expect((await postJson("/api/save-as", { name: "old.json", text: example, overwrite: true })).status).toBe(200);
    expect(readFileSync(join(folder, "old.json"), "utf8")).toBe(example);
  });

  const refused: [string, number][] = [
    ["../escape.json", 403],
    ["sub/../../escape.json", 403],
    ["sub/../inside-but-dotted.json", 403],
    [join(outside, "abs.json"), 403],
    ["out-link/through-link.json", 403],
    ["file-link.json", 403],
    ["/etc/lpe-explore.json", 403],
    ["notes.txt", 400],
    ["missing-folder/x.json", 400],
    ["", 400],
  ];
  for (const [name, status] of refused) {
    it(`refuses ${JSON.stringify(name)} (${status}) and writes nothing`, async () => {
      const r = await postJson("/api/save-as", { name, text: example, overwrite: true });
      expect(r.status).toBe(status);
      expect(((await r.json()) as { error: string }).error.length).toBeGreaterThan(10);
      expect(readdirSync(outside)).toEqual([]);
      expect(existsSync(join(tmp, "escape.json"))).toBe(false);
      expect(existsSync(join(folder, "inside-but-dotted.json"))).toBe(false);
    });
  }

  it("checks the text as lpe validate does before writing", async () => {
    const text = JSON.stringify({ ...JSON.parse(example), grid: { points: 1 } });
    const r = await postJson("/api/save-as", { name: "bad.json", text });
    expect(r.status).toBe(422);
    const body = (await r.json()) as { lines: string[] };
    expect(body.lines.map((l) => l.replaceAll(join(folder, "bad.json"), "FILE"))).toEqual(await validateLines(text, "bad.json"));
    expect(existsSync(join(folder, "bad.json"))).toBe(false);
  });
});

describe("lpe explore command", () => {
  it("prints the tokened URL, serves until SIGTERM, and refuses tokenless requests", async () => {
    const child = spawn(process.execPath, [join(root, "bin/lpe.js"), "explore", file, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const url = await new Promise<string>((ok, fail) => {
      child.stdout.on("data", (d) => {
        out += String(d);
        const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/);
        if (m) ok(m[0]);
      });
      child.on("exit", (code) => fail(new Error(`lpe explore exited with ${code}: ${out}`)));
    });
    expect((await fetch(url.replace(/\?token=.*/, ""))).status).toBe(403);
    expect((await fetch(url.replace(/\?token=.*/, "api/scenario"))).status).toBe(403);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="page.js?token=');
    const exited = new Promise<number | null>((ok) => child.on("exit", (code) => ok(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("refuses a missing file and a bad port with exit 2, a port in use with exit 3", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; err: string }>((ok) => {
        const c = spawn(process.execPath, [join(root, "bin/lpe.js"), "explore", ...args], { stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        c.stderr.on("data", (d) => (err += String(d)));
        c.on("exit", (code) => ok({ code, err }));
      });
    const missing = await run([join(folder, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read scenario file .*nope\.json.*no such file/);
    const port = await run([file, "--port", "70000"]);
    expect(port.code).toBe(2);
    expect(port.err).toMatch(/--port: expected an integer from 0 to 65535/);
    const word = await run([file, "--port", "abc"]);
    expect(word.code).toBe(2);
    expect(word.err).toMatch(/--port: expected an integer from 0 to 65535 \(0: a free port\), got a value that is not a number/);
    const taken = await run([file, "--port", String(srv.port)]);
    expect(taken.code).toBe(3);
    expect(taken.err).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${srv.port}: the port is in use`));
  });
});

describe("controls", () => {
  const controls = scenarioControls(JSON.parse(example));
  const byPath = new Map(controls.map((c) => [c.path, c]));

  it("has a log-scaled slider for each cost and a decade either side of its value", () => {
    const c = byPath.get("market.fringe.cost") as NumberControl;
    expect(c).toMatchObject({ kind: "number", value: 0.2, log: true, integer: false });
    expect(c.min).toBeCloseTo(0.02, 12);
    expect(c.max).toBeCloseTo(2, 12);
  });

  it("keeps σ and γ inside the model's range and the grid size an integer", () => {
    const sigma = byPath.get("technology.sigma") as NumberControl;
    expect(sigma.min).toBeGreaterThan(0);
    expect(sigma.max).toBeLessThan(1);
    const gamma = byPath.get("market.leader.gamma") as NumberControl;
    expect(gamma.min).toBe(0);
    expect(gamma.max).toBeLessThan(1);
    expect(byPath.get("grid.points")).toMatchObject({ integer: true, value: 401 });
  });

  it("offers every distribution and market kind of the schema, and nothing from the sweep block", () => {
    expect(byPath.get("buyers.theta.dist")).toMatchObject({ kind: "enum", value: "uniform" });
    expect((byPath.get("buyers.theta.dist") as { options: string[] }).options).toEqual(expect.arrayContaining(["uniform", "beta", "discrete"]));
    expect((byPath.get("market.kind") as { options: string[] }).options).toEqual(expect.arrayContaining(["monopoly", "leaderFringe", "tiers"]));
    expect(controls.some((c) => c.path.startsWith("sweep"))).toBe(false);
  });

  it("follows a changed value without rebuilding, and widens a span the value left", () => {
    const raw = JSON.parse(example);
    raw.market.fringe.cost = 0.25;
    expect((scenarioControls(raw).find((c) => c.path === "market.fringe.cost") as NumberControl).value).toBe(0.25);
    raw.market.fringe.cost = 5;
    const wide = scenarioControls(raw).find((c) => c.path === "market.fringe.cost") as NumberControl;
    expect(wide.max).toBeGreaterThanOrEqual(5);
  });
});

describe("sweep preview", () => {
  it(`thins an axis to at most ${PREVIEW_POINTS} points, ends kept, and leaves short axes alone`, () => {
    expect(previewAxis({ linspace: [0.05, 0.29, 241] })).toEqual({ linspace: [0.05, 0.29, PREVIEW_POINTS] });
    expect(previewAxis({ linspace: [0, 1, 11] })).toEqual({ linspace: [0, 1, 11] });
    const values = Array.from({ length: 500 }, (_, i) => i / 499);
    const thinned = (previewAxis({ values }) as { values: number[] }).values;
    expect(thinned).toHaveLength(PREVIEW_POINTS);
    expect([thinned[0], thinned[PREVIEW_POINTS - 1]]).toEqual([0, 1]);
  });

  it("plans one curve per swept parameter with the other parameters at their current values", () => {
    const raw = JSON.parse(example);
    raw.market.leader.cost = 0.35;
    raw.sweep.params["technology.sigma"] = { linspace: [0.4, 0.6, 5] };
    const plans = previewPlans(raw);
    expect(plans.map((p) => [p.param, p.size])).toEqual([
      ["market.fringe.cost", PREVIEW_POINTS],
      ["technology.sigma", 5],
    ]);
    expect((plans[1].ctx.base.market as { leader: { cost: number } }).leader.cost).toBe(0.35);
    expect(plans[1].ctx.base.market).toMatchObject({ fringe: { cost: 0.2 } });
  });
});

describe("editing one number in the file's text", () => {
  it("changes exactly the fringe cost's line of the example, nothing else", () => {
    const edited = replaceValue(example, ["market", "fringe", "cost"], 0.25)!;
    const before = example.split("\n");
    const after = edited.split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.map((l, i) => [l, before[i]]).filter(([a, b]) => a !== b);
    expect(changed).toEqual([['    "fringe": { "name": "open-source", "gamma": 0, "cost": 0.25 }', '    "fringe": { "name": "open-source", "gamma": 0, "cost": 0.2 }']]);
  });

  it("finds nothing for a path that is not there, or text that is not JSON", () => {
    expect(valueSpan(example, ["market", "fringe", "price"])).toBeUndefined();
    expect(valueSpan(example, ["buyers", "theta", 0])).toBeUndefined();
    expect(valueSpan('{"a": 1', ["a"])).toBeUndefined();
    expect(valueSpan('{"a": 1} x', ["a"])).toBeUndefined();
  });

  it("agrees with parse, set, stringify for any JSON, path and layout (property)", () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, fc.nat(), fc.constantFrom(0, 2, "\t"), fc.double({ noNaN: true, noDefaultInfinity: true }), (v, pick, indent, x) => {
        // the paths into v, one chosen by `pick`
        const paths: Segment[][] = [];
        const walk = (u: unknown, p: Segment[]) => {
          paths.push(p);
          if (Array.isArray(u)) u.forEach((w, i) => walk(w, [...p, i]));
          else if (u !== null && typeof u === "object") for (const [k, w] of Object.entries(u)) walk(w, [...p, k]);
        };
        walk(v, []);
        const path = paths[pick % paths.length];
        const text = JSON.stringify(v, null, indent);
        const got = replaceValue(text, path, x);
        expect(got).toBeDefined();
        const want = path.length === 0 ? x : structuredClone(v);
        if (path.length > 0) {
          let here = want as Record<Segment, unknown>;
          for (const s of path.slice(0, -1)) here = here[s] as Record<Segment, unknown>;
          here[path[path.length - 1]] = x;
        }
        expect(JSON.parse(got!)).toEqual(JSON.parse(JSON.stringify(want)));
      }),
      { numRuns: 300 },
    );
  });
});

describe("the page's bundle", () => {
  const worker = join(root, "dist/explore-web/worker.js");
  it("loads no Node module: file access, threads and processes are stubs that throw, and HiGHS, fontkit and pdfkit are left out", () => {
    // `npm test` builds first (scripts/bundle-explore.mjs fails the build on a leak as well)
    const text = readFileSync(worker, "utf8");
    expect(text.length).toBeGreaterThan(100_000);
    expect(text).not.toMatch(/\b(?:require|import)\s*\(\s*["'](?:node:)?(?:fs|path|crypto|module|worker_threads|child_process|os|url)["']\s*\)/);
    expect(text).not.toMatch(/\bfrom\s*["']node:/);
    for (const name of ["worker_threads", "child_process", "highs.wasm", "PDFDocument", "fontkit"]) expect(text.includes(name), name).toBe(false);
    // the stubs are there, and say what they are
    expect(text).toContain("is not available in the lpe explore page");
  });
});
