#!/usr/bin/env node
// The `wgf` command: the CLI in src/cli/main.ts, run through tsx (no build step needed after npm ci).
import { runEntry } from './run-ts.mjs';
await runEntry('src/cli/main.ts', process.argv.slice(2));
