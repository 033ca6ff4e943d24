// `lpe explore FILE [--port N] [--open]`: serve a local page (127.0.0.1 only, a random token in
// the URL, as Jupyter does) where the scenario is edited as JSON or through a control per
// parameter, and its menu, scalars, checks and figures are recomputed in the browser as the
// controls move (explore/). Runs until Ctrl-C. Opens a browser only with --open. The server
// module is imported here only, so no other command pays for it.

import { closeSync, fstatSync, openSync } from "node:fs";
import { spawn } from "node:child_process";
import { InputError } from "../../engine/errors.js";
import { reportError, type Io } from "../io.js";

export interface ExploreArgs {
  file: string;
  port?: number;
  open?: boolean;
}

/** Refuse what cannot be explored (missing, a folder) before starting a server. */
function checkReadable(file: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    if (!fstatSync(fd).isFile()) throw new InputError("", `cannot explore "${file}": it is not a regular file`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError("", `cannot read scenario file "${file}": ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (e as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function openBrowser(url: string, io: Io): void {
  const [cmd, args] = process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  try {
    const child = spawn(cmd, args as string[], { detached: true, stdio: "ignore" });
    child.on("error", () => io.err(`lpe: note: could not start ${cmd}; open the URL yourself`));
    child.unref();
  } catch {
    io.err(`lpe: note: could not start ${cmd}; open the URL yourself`);
  }
}

export async function runExplore(args: ExploreArgs, io: Io, stop?: AbortSignal): Promise<number> {
  const port = args.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`lpe: --port: expected an integer from 0 to 65535 (0: a free port), got ${Number.isNaN(port) ? "a value that is not a number" : String(port)}`);
    return 2;
  }
  try {
    checkReadable(args.file);
    const { startExploreServer } = await import("../../explore/server.js");
    const srv = await startExploreServer({ file: args.file, port });
    io.out(`lpe explore: ${args.file}\n  ${srv.url}\n(listening on 127.0.0.1 only; the token in the URL is required; Ctrl-C stops)`);
    if (args.open) openBrowser(srv.url, io);
    await new Promise<void>((done) => {
      const finish = () => {
        process.off("SIGINT", finish);
        process.off("SIGTERM", finish);
        srv.close().then(done, done);
      };
      process.once("SIGINT", finish);
      process.once("SIGTERM", finish);
      stop?.addEventListener("abort", finish, { once: true });
    });
    return 0;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES") {
      io.err(`lpe: cannot listen on 127.0.0.1:${args.port}: ${code === "EADDRINUSE" ? "the port is in use" : "permission denied"} (${code}); --port 0 picks a free one`);
      return 3;
    }
    return reportError(e, io, args.file);
  }
}
