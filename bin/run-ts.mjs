#!/usr/bin/env node
// Runs a TypeScript entry of this package in Node (tsx + the ?raw loader), with the remaining argv.
import { register as registerTsx } from 'tsx/esm/api';
import { register } from 'node:module';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { resolve, dirname } from 'node:path';

registerTsx();
register('./raw-loader.mjs', import.meta.url);

export async function runEntry(entry, argv) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const mod = await import(pathToFileURL(resolve(root, entry)).href);
  if (typeof mod.main === 'function') {
    const code = await mod.main(argv);
    process.exit(typeof code === 'number' ? code : 0);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const [entry, ...rest] = process.argv.slice(2);
  if (!entry) { console.error('usage: run-ts.mjs <entry.ts> [args]'); process.exit(2); }
  await runEntry(entry, rest);
}
