#!/usr/bin/env node
// Thin launcher: the CLI is compiled by tsc into dist/ and bundled into dist/bundle/ by
// scripts/bundle.mjs (both run by `npm ci` through the prepare script, and by `npm test`).
import { main } from "../dist/bundle/lpe.js";
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
