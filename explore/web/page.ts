// The explore page: the scenario as editable JSON, a control per parameter, and the results
// (scalars, checks, figures, sweep preview) as the worker (worker.ts) sends them. Every edit —
// a control moved, a key typed — becomes a request with a new id; replies to older requests
// are ignored, and the worker drops superseded work itself. Full-precision numbers are kept in
// data-value attributes (the table shows 6 digits), so a test or a curious user can read the
// exact double. Timing of each update (change → figures redrawn) is kept in
// window.__lpeExplore.latencies and shown in the status line.

import type { Control, EnumControl, NumberControl } from "../controls.js";
import { replaceValue } from "../json-span.js";
import { rebalance } from "../simplex.js";
import type { Reply, RunRequest, WorkerRequest } from "./protocol.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const token = (document.querySelector('meta[name="lpe-token"]') as HTMLMetaElement).content;
const editor = $<HTMLTextAreaElement>("editor");
const statusLine = $("status");
const controlsBox = $("controls");
const problemsList = $("problems");
const checksBox = $("checks");
const scalarsBox = $("scalars");
const figuresBox = $("figures");
const sweepBox = $("sweep");
const sweepFigures = $("sweep-figures");
const saveMessage = $("save-message");

interface ExploreState {
  latencies: number[];
  /** per reply: [request id, type, ms since the change, worker timings] (diagnostics) */
  trace: [number, string, number, number[]?, number?][];
  /** ms from a change to the scalars shown */
  resultLatencies: number[];
  /** scenarios the worker has solved (superseded edits are skipped) */
  solves: number;
  /** times a long silent solve was abandoned for a newer edit */
  restarts: number;
  /** the last vega-lite chart downloaded */
  lastSpec?: string;
}
const state: ExploreState = { latencies: [], resultLatencies: [], trace: [], solves: 0, restarts: 0 };
(window as unknown as { __lpeExplore: ExploreState }).__lpeExplore = state;

let label = "scenario.json";
let raw: unknown;
let reqId = 0;
const requestedAt = new Map<number, number>();
let worker: Worker;
let lastReplyAt = 0;
let lastReplyId = 0;
let doneId = 0;

// ---------------------------------------------------------------- requests

function newWorker(): Worker {
  const w = new Worker(`worker.js?token=${encodeURIComponent(token)}`, { type: "module" });
  w.onmessage = (e: MessageEvent<Reply>) => {
    if (e.data.type === "ready") {
      loaded.add(w);
      if (w === worker) lastReplyAt = performance.now();
    } else if (w === worker) onReply(e.data);
  };
  w.onerror = (e) => {
    if (w !== worker) return;
    showError("worker", e.message || "the solver worker failed");
    finish(reqId, true);
  };
  return w;
}

/** Workers that have finished loading their bundle (a slow start is not a slow solve). */
const loaded = new WeakSet<Worker>();

/** A second worker, loaded and idle, takes over at once when a slow solve is abandoned. */
let spare: Worker | undefined;

function startWorker(): void {
  worker = spare ?? newWorker();
  spare = newWorker();
}

function request(): void {
  const id = ++reqId;
  requestedAt.set(id, performance.now());
  document.body.dataset.requested = String(id);
  statusLine.classList.add("busy");
  const msg: RunRequest = { type: "run", id, text: editor.value };
  worker.postMessage(msg);
}

/** A solve silent this long while a newer edit waits is abandoned: the spare worker takes the
 *  newest edit at once (its first figures cost a little more: their vega Views are built anew). */
const PATIENCE_MS = 1500;
setInterval(() => {
  const now = performance.now();
  if (!loaded.has(worker) || doneId === reqId || now - lastReplyAt < PATIENCE_MS || lastReplyId >= reqId) return;
  if (now - (requestedAt.get(reqId) ?? now) < PATIENCE_MS) return;
  worker.terminate();
  state.restarts++;
  startWorker();
  setStatus(`a solve took over ${PATIENCE_MS / 1000} s: restarted the solver with the latest edit`);
  request();
}, 250);

// ---------------------------------------------------------------- replies

function setStatus(text: string): void {
  statusLine.textContent = text;
}

function showError(stage: string, message: string): void {
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = `${stage}: ${message}`;
  checksBox.append(p);
}

function onReply(r: Reply): void {
  lastReplyAt = performance.now();
  lastReplyId = Math.max(lastReplyId, r.id);
  if (r.type === "spec") return downloadSpec(r.name, r.json);
  if (r.id !== reqId) return; // an older request's reply: superseded
  if (state.trace.length < 5000) state.trace.push([r.id, r.type, performance.now() - (requestedAt.get(r.id) ?? 0), "ms" in r && Array.isArray(r.ms) ? r.ms : undefined, (r.at ?? NaN) - performance.timeOrigin - (requestedAt.get(r.id) ?? 0)]);
  switch (r.type) {
    case "check":
      if (r.problems.length > 0 && document.body.dataset.checked === String(r.id)) {
        // the sweep block's checks, after the scenario itself solved: the sweep preview is off
        showProblems(r.problems, false);
        sweepBox.hidden = true;
        finish(r.id, true);
        return;
      }
      showProblems(r.problems);
      if (r.controls) syncControls(r.controls);
      document.body.dataset.checked = String(r.id);
      if (r.problems.length > 0) {
        finish(r.id, true);
        setStatus(`${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}: nothing solved`);
        markStale();
      }
      return;
    case "result":
      showResult(r);
      state.solves = r.solves;
      state.resultLatencies.push(performance.now() - (requestedAt.get(r.id) ?? 0));
      document.body.dataset.result = String(r.id);
      setStatus(`${r.market}: solved in ${r.solveMs.toFixed(1)} ms; drawing…`);
      return;
    case "figures":
      placeFigures(figuresBox, r.names, (n) => n);
      return;
    case "figure":
      drawFigure(figuresBox, r.slot, r.name, r.caption, r.svg);
      return;
    case "figures-done": {
      const id = r.id;
      document.body.dataset.figures = String(id);
      // Measured once the browser has laid out and painted the new figures.
      requestAnimationFrame(() =>
        setTimeout(() => {
          const ms = performance.now() - (requestedAt.get(id) ?? 0);
          state.latencies.push(ms);
          if (id === reqId) setStatus(`${statusLine.textContent?.replace(/; drawing….*$/, "") ?? ""}; figures redrawn ${ms.toFixed(0)} ms after the change`);
          document.body.dataset.painted = String(id);
        }, 0),
      );
      return;
    }
    case "sweep":
      sweepBox.hidden = false;
      $("sweep-note").textContent =
        `The sweep's outputs along ${r.params.join(", ")} with every other parameter at its current value, computed in this page ` +
        `(${r.points.join(", ")} point${r.points.length === 1 && r.points[0] === 1 ? "" : "s"}; at most ${r.limit} per parameter: lpe sweep runs the full grid).`;
      return;
    case "sweep-figure":
      drawFigure(sweepFigures, r.slot, r.name, r.caption, r.svg);
      return;
    case "done":
      finish(r.id);
      return;
    case "error":
      if (r.stage === "solve" || r.stage === "internal") {
        // nothing solved: the earlier result's checks and certificate lines go (they would read
        // as this scenario's), its numbers and figures stay, dimmed, and the status says so
        checksBox.replaceChildren();
        checksBox.dataset.passed = "false";
        showError(r.stage, r.message);
        document.body.dataset.error = String(r.id);
        markStale();
        setStatus(`not solved (${r.stage} failed, see above): the numbers and figures shown, dimmed, are the last solved scenario's`);
        finish(r.id, true);
        return;
      }
      showError(r.stage, r.message);
      document.body.dataset.error = String(r.id);
      return;
  }
}

/** What is shown belongs to an earlier version of the scenario (it has problems now, or failed). */
function markStale(): void {
  for (const f of document.querySelectorAll("figure")) f.classList.add("stale");
  scalarsBox.classList.add("stale");
}

function finish(id: number, nothingToDraw = false): void {
  doneId = id;
  document.body.dataset.done = String(id);
  if (nothingToDraw) document.body.dataset.painted = String(id);
  statusLine.classList.remove("busy");
}

function showProblems(problems: { path: string; message: string }[], clearResults = true): void {
  problemsList.replaceChildren(
    ...problems.map((p) => {
      const li = document.createElement("li");
      li.textContent = `${p.path ? `${p.path}: ` : ""}${p.message}`;
      li.dataset.path = p.path;
      return li;
    }),
  );
  editor.classList.toggle("invalid", problems.length > 0);
  if (problems.length > 0 && clearResults) checksBox.replaceChildren();
}

const short = (v: unknown): string => {
  if (typeof v === "number") return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);
  if (Array.isArray(v)) return `[${v.map(short).join(", ")}]`;
  return v === null ? "n/a" : String(v);
};

function showResult(r: Extract<Reply, { type: "result" }>): void {
  const line = (cls: string, text: string) => {
    const p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    return p;
  };
  checksBox.replaceChildren(
    line("", `${r.name} · market ${r.market}`),
    line(r.passed ? "ok" : "bad", r.checksLine),
    line(r.certified ? "ok" : "bad", r.certificateLine),
    ...r.notes.map((n) => line("", `note: ${n}`)),
  );
  checksBox.dataset.passed = String(r.passed);
  scalarsBox.classList.remove("stale");
  const entries = Object.entries(r.scalars);
  const rows = [...scalarsBox.children] as HTMLElement[];
  if (rows.length === entries.length && rows.every((row, i) => row.dataset.scalar === entries[i][0])) {
    // Same scalars as before (a slider step): update the values in place.
    entries.forEach(([, v], i) => {
      const text = Array.isArray(v) ? JSON.stringify(v) : String(v);
      rows[i].dataset.value = text;
      const value = rows[i].lastElementChild as HTMLElement;
      value.textContent = short(v);
      value.title = text;
    });
    return;
  }
  scalarsBox.replaceChildren(
    ...entries.map(([k, v]) => {
      const row = document.createElement("div");
      row.className = Array.isArray(v) ? "scalar array" : "scalar";
      row.dataset.scalar = k;
      // String(double) is the shortest text that parses back to the same double.
      row.dataset.value = Array.isArray(v) ? JSON.stringify(v) : String(v);
      const name = document.createElement("span");
      name.className = "k";
      name.textContent = k;
      name.title = k;
      const value = document.createElement("span");
      value.className = "v";
      value.textContent = short(v);
      value.title = row.dataset.value;
      row.append(name, value);
      return row;
    }),
  );
}

function placeFigures(box: HTMLElement, slots: string[], _name: (s: string) => string): void {
  const keep = new Set(slots);
  for (const f of [...box.querySelectorAll<HTMLElement>("figure")]) if (!keep.has(f.dataset.slot ?? "")) f.remove();
  for (const slot of slots) box.append(figureElement(box, slot));
}

function figureElement(box: HTMLElement, slot: string): HTMLElement {
  let fig = [...box.querySelectorAll<HTMLElement>("figure")].find((f) => f.dataset.slot === slot);
  if (!fig) {
    fig = document.createElement("figure");
    fig.dataset.slot = slot;
    const svg = document.createElement("div");
    svg.className = "svg";
    const spec = document.createElement("button");
    spec.type = "button";
    spec.className = "spec";
    spec.textContent = "vega-lite";
    spec.title = "download the vega-lite chart this figure was drawn from (the same chart as the figure files)";
    spec.addEventListener("click", () => {
      const ask: WorkerRequest = { type: "spec", slot };
      worker.postMessage(ask);
    });
    fig.append(svg, document.createElement("figcaption"), spec);
    box.append(fig);
  }
  return fig;
}

function downloadSpec(name: string, json: string): void {
  state.lastSpec = json;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([json], { type: "application/json" }));
  a.download = `${name}.vl.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function drawFigure(box: HTMLElement, slot: string, name: string, caption: string, svg: string): void {
  const fig = figureElement(box, slot);
  fig.dataset.name = name;
  fig.dataset.run = String(reqId);
  fig.classList.remove("stale");
  (fig.querySelector(".svg") as HTMLElement).innerHTML = svg;
  (fig.querySelector("figcaption") as HTMLElement).textContent = `${name}: ${caption}`;
}

// ---------------------------------------------------------------- controls

const SLIDER_STEPS = 1000;

function toSlider(c: NumberControl, v: number): number {
  const t = c.log ? Math.log(v / c.min) / Math.log(c.max / c.min) : (v - c.min) / (c.max - c.min || 1);
  return Math.round(Math.min(1, Math.max(0, t)) * SLIDER_STEPS);
}

function fromSlider(c: NumberControl, pos: number): number {
  const t = pos / SLIDER_STEPS;
  const v = c.log ? c.min * (c.max / c.min) ** t : c.min + (c.max - c.min) * t;
  // 4 significant digits keep the JSON readable (0.2512, not 0.25118864315095796).
  return c.integer ? Math.round(v) : v === 0 ? 0 : Number(v.toPrecision(4));
}

let signature = "";
const controlsByPath = new Map<string, { c: Control; el: HTMLElement }>();

function syncControls(list: Control[]): void {
  const sig = list.map((c) => `${c.kind}:${c.path}:${c.kind === "enum" ? c.options.join(",") : ""}`).join("|");
  if (sig !== signature) {
    signature = sig;
    controlsByPath.clear();
    controlsBox.replaceChildren(...list.map((c) => buildControl(c)));
    return;
  }
  for (const c of list) {
    const entry = controlsByPath.get(c.path);
    if (!entry || entry.el.contains(document.activeElement)) continue;
    if (c.kind === "number") {
      const old = entry.c as NumberControl;
      // keep the slider's span while the value stays inside it (no jumping under the mouse)
      const span = c.value >= old.min && c.value <= old.max ? old : c;
      entry.c = { ...span, value: c.value };
      const [range, box] = entry.el.querySelectorAll("input");
      (range as HTMLInputElement).value = String(toSlider(entry.c as NumberControl, c.value));
      if (Number(box.value) !== c.value) box.value = String(c.value);
      box.dataset.value = String(c.value);
    } else {
      entry.c = c;
      (entry.el.querySelector("select") as HTMLSelectElement).value = c.value;
    }
  }
}

function buildControl(c: Control): HTMLElement {
  const el = document.createElement("div");
  el.className = "control";
  el.dataset.path = c.path;
  const lab = document.createElement("label");
  lab.textContent = c.path;
  el.append(lab);
  controlsByPath.set(c.path, { c, el });
  if (c.kind === "enum") {
    const sel = document.createElement("select");
    sel.append(...c.options.map((o) => new Option(o, o, o === c.value, o === c.value)));
    sel.addEventListener("change", () => switchKind(controlsByPath.get(c.path)!.c as EnumControl, sel.value));
    lab.htmlFor = sel.id = `ctl-${controlsBox.childElementCount}-${c.path}`;
    el.append(sel);
    return el;
  }
  const scale = document.createElement("span");
  scale.className = "scale";
  scale.textContent = ` ${c.integer ? "integer" : c.log ? "log scale" : ""} ${short(c.min)}…${short(c.max)}`;
  lab.append(scale);
  const range = document.createElement("input");
  range.type = "range";
  range.min = "0";
  range.max = String(SLIDER_STEPS);
  range.value = String(toSlider(c, c.value));
  range.setAttribute("aria-label", `${c.path} slider`);
  const box = document.createElement("input");
  box.type = "number";
  box.step = c.integer ? "1" : "any";
  box.value = String(c.value);
  box.dataset.value = String(c.value);
  box.setAttribute("aria-label", c.path);
  range.addEventListener("input", () => {
    const entry = controlsByPath.get(c.path)!;
    const v = fromSlider(entry.c as NumberControl, Number(range.value));
    box.value = String(v);
    box.dataset.value = String(v);
    applyNumber(entry.c as NumberControl, v);
  });
  const typed = () => {
    const v = Number(box.value);
    if (box.value.trim() === "" || !Number.isFinite(v) || String(v) === box.dataset.value) return;
    box.dataset.value = String(v);
    const entry = controlsByPath.get(c.path)!;
    range.value = String(toSlider(entry.c as NumberControl, v));
    applyNumber(entry.c as NumberControl, v);
  };
  box.addEventListener("input", typed);
  box.addEventListener("change", typed);
  el.append(range, box);
  return el;
}

/** Fields set aside when a distribution or kind was switched, by object path, to come back on switching back. */
const setAside = new Map<string, Record<string, unknown>>();

/**
 * Switch a discriminator (distribution, market kind, fine-tuning form): fields the new choice
 * does not know are set aside (and restored when switching back), so that tiers → monopoly →
 * tiers keeps the number of tiers; fields the new choice requires and lacks are reported by
 * the checks with their JSON path, as in `lpe validate`.
 */
function switchKind(c: EnumControl, value: string): void {
  const parentPath = c.segments.slice(0, -1);
  const key = String(c.segments[c.segments.length - 1]);
  let parent: unknown = raw;
  for (const s of parentPath) parent = (parent as Record<string | number, unknown>)?.[s];
  if (parent === null || typeof parent !== "object" || Array.isArray(parent)) return apply(c.segments, value);
  const obj = parent as Record<string, unknown>;
  const where = JSON.stringify(parentPath);
  const stash = { ...(setAside.get(where) ?? {}) };
  const known = new Set(c.fields[value] ?? []);
  for (const k of Object.keys(obj)) {
    if (k !== key && !known.has(k)) {
      stash[k] = obj[k];
      delete obj[k];
    }
  }
  for (const [k, v] of Object.entries(stash)) {
    if (known.has(k) && !(k in obj)) {
      obj[k] = v;
      delete stash[k];
    }
  }
  setAside.set(where, stash);
  // Fields came or went: the text is rewritten from the object.
  (parent as Record<string, unknown>)[key] = value;
  editor.value = JSON.stringify(raw, null, 2) + "\n";
  request();
}

/**
 * A number control's new value; an entry that sums to 1 with others (probabilities, mixture
 * weights, shares α) moves them in proportion (explore/simplex.ts), and their boxes follow.
 */
function applyNumber(c: NumberControl, value: number): void {
  if (!c.partners || c.partners.length === 0) return apply(c.segments, value);
  const current = c.partners.map((segs) => {
    let here: unknown = raw;
    for (const s of segs) here = here !== null && typeof here === "object" ? (here as Record<string | number, unknown>)[s] : undefined;
    return typeof here === "number" ? here : 0;
  });
  const r = rebalance(value, current);
  // (the partners' sliders follow with the controls of the next reply)
  applyMany([[c.segments, r.value], ...c.partners.map((segs, i): [(string | number)[], number] => [segs, r.partners[i]])]);
}

/** Set the value at `segments` in the scenario, rewrite the JSON, and solve. */
function apply(segments: (string | number)[], value: number | string): void {
  applyMany([[segments, value]]);
}

/** Set several values, rewrite the JSON, and solve once. */
function applyMany(changes: [(string | number)[], number | string][]): void {
  if (raw === undefined || raw === null || typeof raw !== "object") return;
  for (const [segments, value] of changes) {
    let here = raw as Record<string | number, unknown>;
    let ok = true;
    for (const s of segments.slice(0, -1)) {
      const next = here[s];
      if (next === null || typeof next !== "object") {
        ok = false;
        break;
      }
      here = next as Record<string | number, unknown>;
    }
    if (!ok) continue;
    here[segments[segments.length - 1]] = value;
    // Each number changed in the file's own text, so Save changes only those numbers.
    editor.value = replaceValue(editor.value, segments, value) ?? JSON.stringify(raw, null, 2) + "\n";
  }
  request();
}

// ---------------------------------------------------------------- editing and saving

let typingTimer: ReturnType<typeof setTimeout> | undefined;
editor.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    try {
      raw = JSON.parse(editor.value);
    } catch {
      raw = undefined; // the worker names the syntax error; controls wait for valid JSON
    }
    request();
  }, 150);
});

async function post(path: string, body: unknown): Promise<{ status: number; data: { ok: boolean; path?: string; note?: string; error?: string; lines?: string[] } }> {
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json", "X-LPE-Token": token }, body: JSON.stringify(body) });
  return { status: res.status, data: await res.json() };
}

function saved(r: Awaited<ReturnType<typeof post>>): void {
  const ok = r.status === 200 && r.data.ok;
  saveMessage.className = ok ? "ok" : "bad";
  saveMessage.textContent = ok ? `saved ${r.data.path}${r.data.note ? ` (${r.data.note})` : ""}` : r.data.lines ? `not saved:\n${r.data.lines.join("\n")}` : `not saved: ${r.data.error ?? r.status}`;
  document.body.dataset.saved = ok ? "ok" : "refused";
}

async function save(): Promise<void> {
  document.body.dataset.saved = "pending";
  saved(await post("api/save", { text: editor.value }));
}

async function saveAs(): Promise<void> {
  const name = prompt("Save as: a .json file name in the scenario's folder", label.replace(/^.*[\\/]/, "").replace(/\.json$/, "-edited.json"));
  if (!name) return;
  document.body.dataset.saved = "pending";
  let r = await post("api/save-as", { name, text: editor.value });
  if (r.status === 409 && confirm(`${name} exists. Replace it?`)) r = await post("api/save-as", { name, text: editor.value, overwrite: true });
  saved(r);
}

$("save").addEventListener("click", () => void save());
$("save-as").addEventListener("click", () => void saveAs());
document.addEventListener("keydown", (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === "s") {
    e.preventDefault();
    void save();
  }
});

// ---------------------------------------------------------------- start

async function start(): Promise<void> {
  const res = await fetch("api/scenario", { headers: { "X-LPE-Token": token } });
  if (!res.ok) {
    setStatus(`cannot load the scenario: ${res.status} ${await res.text()}`);
    return;
  }
  const s = (await res.json()) as { file: string; text: string; engineVersion: string };
  label = s.file;
  $("file").textContent = `${s.file} · lpe ${s.engineVersion}`;
  editor.value = s.text;
  try {
    raw = JSON.parse(s.text);
  } catch {
    raw = undefined;
  }
  startWorker();
  request();
}

void start();
