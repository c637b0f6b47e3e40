/// <reference types="vitest/config" />
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// the files src/generators/browserOrt.ts asks for (one list, read here as data)
const ORT_FILES = JSON.parse(readFileSync(fileURLToPath(new URL('./src/generators/browserOrtFiles.json', import.meta.url)), 'utf8')) as { dir: string; wasm: Record<string, string> };
const ORT_ASSET_DIR = ORT_FILES.dir;
const ORT_DIST = fileURLToPath(new URL('./node_modules/onnxruntime-web/dist', import.meta.url));

/**
 * onnxruntime-web's .wasm files, served by the app itself (no CDN; offline once built): the build
 * emits exactly the two that src/generators/browserOrt.ts asks for under `ort/` (the webgpu build's
 * asyncify .wasm and the plain build's jsep .wasm); `vite` (dev) serves them from node_modules. The
 * bundled ort builds also name their .wasm with `new URL(..., import.meta.url)`, which would make Vite
 * emit a second, hashed copy of each (55 MB); those copies are dropped, since ort.env.wasm.wasmPaths
 * points at `ort/`.
 */
function ortAssets(): Plugin {
  const files = Object.values(ORT_FILES.wasm);
  return {
    name: 'wgf-ort-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /\/ort\/([^/?]+)$/.exec(req.url?.split('?')[0] ?? '');
        const file = m?.[1];
        if (!file || !files.includes(file) || !existsSync(join(ORT_DIST, file))) return next();
        res.setHeader('Content-Type', 'application/wasm');
        createReadStream(join(ORT_DIST, file)).pipe(res);
      });
    },
    generateBundle(_options, bundle) {
      for (const [name, chunk] of Object.entries(bundle)) {
        if (chunk.type === 'asset' && /ort-wasm-simd-threaded[^/]*\.wasm$/.test(name) && !name.startsWith(ORT_ASSET_DIR)) delete bundle[name];
      }
      for (const file of files) this.emitFile({ type: 'asset', fileName: `${ORT_ASSET_DIR}${file}`, source: readFileSync(join(ORT_DIST, file)) });
    },
  };
}

// One config for the app (vite build / preview) and the unit tests (vitest).
export default defineConfig({
  plugins: [react(), ortAssets()],
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 6000 },
  // The CPU engine's worker (src/engine/cpuWorker.ts) is an ES module worker, so it may share chunks.
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port: 5173 },
  test: {
    include: ['src/**/*.test.ts'],
    // Dawn (the `webgpu` package) is a native addon: run test files in forked processes, not worker threads.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
