#!/usr/bin/env node
// `npm run bench:bundle`: src/bench/cli.ts -> dist-bench/bench.mjs, ONE ES module for the GPU machine
// (shared/device/README.md), which has Node and Dawn but not node_modules. esbuild (installed with
// tsx/vite, no new dependency) bundles every project import; `import x from './k.wgsl?raw'` becomes
// the file's text, as Vite and bin/raw-loader.mjs do. Only `webgpu` (Dawn) stays external, plus
// Node's built-in modules (node:fs, ...), which every Node has.
import { build } from 'esbuild';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = resolve(root, process.argv[2] ?? 'dist-bench/bench.mjs');

const rawPlugin = {
  name: 'raw',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.slice(0, -4)), namespace: 'raw' }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};

await build({
  entryPoints: [resolve(root, 'src/bench/cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  plugins: [rawPlugin],
  // the bundle is run as an .mjs: give CommonJS dependencies a require()
  banner: { js: "import { createRequire as __wgfCreateRequire } from 'node:module'; const require = __wgfCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});
const { size } = await stat(outfile);
console.log(`wrote ${outfile} (${(size / 1024).toFixed(0)} KiB)`);
