#!/usr/bin/env node
// Thin launcher: the CLI is compiled by tsc into dist/ and bundled into dist/bundle/ by
// scripts/bundle.mjs (both run by `npm ci` through the prepare script, and by `npm test`).
import { main } from "../dist/bundle/lpe.js";

// A reader that stops early (`lpe eval … | head -1`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
