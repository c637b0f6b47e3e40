/**
 * onnxruntime-web in Node: its wasm backend, loaded from node_modules/onnxruntime-web/dist/ (a file
 * URL; nothing is fetched from the network), one thread (the machines here have 2 cores, shared).
 * Node only (node:url, node:module); the browser imports onnxruntime-web itself (see runtime.ts).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OrtModule } from './runtime';

let loaded: Promise<OrtModule> | undefined;

export function nodeOrt(): Promise<OrtModule> {
  loaded ??= (async () => {
    const ort = await import('onnxruntime-web');
    const require = createRequire(import.meta.url);
    // the package's main entry is dist/ort.node.min.js: its folder holds the .wasm / .mjs files
    const dist = join(dirname(require.resolve('onnxruntime-web')), '/');
    ort.env.wasm.wasmPaths = pathToFileURL(dist).href;
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
    return ort;
  })();
  return loaded;
}
