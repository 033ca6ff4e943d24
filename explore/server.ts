// The local server of `lpe explore`: serves the page (explore/web/, bundled into
// dist/explore-web/ by scripts/bundle.mjs) and the scenario's text, and writes the scenario
// back on Save. It does no numerics: solving happens in the page's Web Worker.
// Security, as Jupyter does it: it listens on 127.0.0.1 only, and every request must carry the
// random token printed in the URL (query `token`, the `X-LPE-Token` header, or the cookie the
// first page load sets); anything else gets 403, as does a Host header that is not this server
// (a DNS-rebinding page). Writes (POST) need the header, not only the cookie, so another site's
// form cannot post. Save writes FILE atomically after the checks of `lpe validate`; Save as
// writes only inside the scenario's folder (save-path.ts).

import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../engine/results/atomic-write.js";
import { MAX_FILE_BYTES } from "../engine/scenario/limits.js";
import { ENGINE_VERSION } from "../engine/version.js";
import { checkScenarioTextFully, isWorkLimitProblem, problemLine } from "./check.js";
import { SaveRefused, saveAsTarget } from "./save-path.js";

export interface ExploreServerOptions {
  /** the scenario file as named on the command line */
  file: string;
  /** 0 (the default) picks a free port */
  port?: number;
  /** the page's built assets (default: dist/explore-web/ of this package) */
  assets?: string;
  /** default: 32 random bytes, hex */
  token?: string;
}

export interface ExploreServer {
  server: Server;
  url: string;
  port: number;
  token: string;
  close: () => Promise<void>;
}

const ASSETS: Readonly<Record<string, string>> = {
  "/page.js": "text/javascript; charset=utf-8",
  "/worker.js": "text/javascript; charset=utf-8",
  "/style.css": "text/css; charset=utf-8",
};

/** The page's built assets: dist/explore-web/ of the package this module belongs to. */
export function defaultAssetDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "dist", "explore-web");
    if (existsSync(join(dir, "package.json")) && existsSync(join(candidate, "index.html"))) return candidate;
    if (dirname(dir) === dir) throw new Error(`the explore page is not built: no dist/explore-web/index.html above ${from} (run npm run build)`);
  }
}

function sameSecret(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = "text/plain; charset=utf-8", extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    "Content-Type": type,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    // vega compiles its expressions with Function(): 'unsafe-eval' for the worker's scripts.
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-eval'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
    ...extra,
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, JSON.stringify(body), "application/json; charset=utf-8");

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_FILE_BYTES + 1024 * 1024) throw new SaveRefused("the request is too large", 413);
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new SaveRefused("the request body is not JSON", 400);
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Start serving `opts.file`; resolves once listening on 127.0.0.1. */
export async function startExploreServer(opts: ExploreServerOptions): Promise<ExploreServer> {
  // A scenario reached through a symbolic link is saved into the file the link points to (the
  // atomic rename would otherwise replace the link by a copy).
  const file = realpathSync(resolve(opts.file));
  const assets = opts.assets ?? defaultAssetDir();
  const token = opts.token ?? randomBytes(32).toString("hex");
  let port = 0;
  const cookieName = () => `lpe-explore-${port}`;
  const shown = opts.file;

  const authorised = (req: IncomingMessage, url: URL, needHeader: boolean): boolean => {
    const header = req.headers["x-lpe-token"];
    if (sameSecret(typeof header === "string" ? header : undefined, token)) return true;
    if (needHeader) return false;
    return sameSecret(url.searchParams.get("token") ?? undefined, token) || sameSecret(cookieToken(req, cookieName()), token);
  };

  const save = async (target: string, text: string, label: string) => {
    const checked = await checkScenarioTextFully(text);
    // A scenario past the computing-time limit is a valid file (lpe solve --work-limit runs it):
    // saved, with the refusal as a note (a reviewer could not save a description edit of one)
    const tooBig = checked.problems.length > 0 && checked.problems.every(isWorkLimitProblem);
    if (checked.problems.length > 0 && !tooBig) return { status: 422, body: { ok: false, problems: checked.problems, lines: checked.problems.map((p) => problemLine(label, p)) } };
    writeFileAtomic(target, text.endsWith("\n") ? text : text + "\n");
    const note = tooBig ? checked.problems.map((p) => problemLine(label, p)).join("; ") : checked.note;
    return { status: 200, body: { ok: true, path: target, note } };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = req.headers.host ?? "";
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 403, "forbidden: unexpected Host header\n");
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    const post = req.method === "POST";
    if (!authorised(req, url, post)) return send(res, 403, "forbidden: open the URL with the token that lpe explore printed\n");
    if (req.method !== "GET" && !post) return send(res, 405, "method not allowed\n", undefined, { Allow: "GET, POST" });
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /" || route === "GET /index.html") {
      const html = readFileSync(join(assets, "index.html"), "utf8").replaceAll("__LPE_TOKEN__", escapeHtml(token)).replace("__LPE_TITLE__", escapeHtml(basename(shown)));
      return send(res, 200, html, "text/html; charset=utf-8", { "Set-Cookie": `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/` });
    }
    if (route === "GET /favicon.ico") return send(res, 204, "");
    if (req.method === "GET" && ASSETS[url.pathname]) return send(res, 200, readFileSync(join(assets, url.pathname.slice(1))), ASSETS[url.pathname]);
    if (route === "GET /api/scenario") {
      return json(res, 200, { file: shown, name: basename(file), folder: dirname(file), text: readFileSync(file, "utf8"), engineVersion: ENGINE_VERSION });
    }
    if (route === "POST /api/save" || route === "POST /api/save-as") {
      const body = (await readBody(req)) as { text?: unknown; name?: unknown; overwrite?: unknown };
      if (typeof body?.text !== "string") throw new SaveRefused("the request has no scenario text", 400);
      const target = route === "POST /api/save" ? file : saveAsTarget(file, body.name, body.overwrite === true);
      const label = route === "POST /api/save" ? shown : join(dirname(shown), basename(target));
      const r = await save(target, body.text, label);
      return json(res, r.status, r.body);
    }
    return send(res, 404, "not found\n");
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      if (e instanceof SaveRefused) return json(res, e.status, { ok: false, error: e.message });
      json(res, 500, { ok: false, error: e instanceof Error ? e.message : String(e) });
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", fail);
      ok();
    });
  });
  port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

