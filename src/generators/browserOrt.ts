/**
 * onnxruntime-web in the page, loaded lazily (dynamic import) the first time a generator is chosen,
 * so the first paint never parses ort (~400 kB of JS and a 27 MB .wasm).
 *
 * Order of attempts (the first that opens a session wins; what ran is reported as `provider`):
 *   1. `onnxruntime-web/webgpu` with the 'webgpu' execution provider (needs navigator.gpu and an adapter);
 *   2. the plain `onnxruntime-web` build with the 'wasm' execution provider.
 * ort's .wasm files are served by the app itself, under `ort/` next to index.html (vite.config.ts
 * copies them there at build time and serves them from node_modules in dev): nothing comes from a CDN,
 * so the app works offline once built. One thread (no SharedArrayBuffer: the app is not
 * cross-origin isolated). The bundled builds (`*.bundle.min.mjs`) carry their .mjs glue inline, so only
 * the .wasm path is set.
 *
 * The batch is copied through the CPU: the engine's GPU device is not shared with ort (not required,
 * and ort's WebGPU EP owns its own device); the copy is timed by the caller (useGenerator.ts).
 */
import { readGeneratorModel } from './onnx';
import { OnnxGenerator, type OrtModule } from './runtime';
import ortFiles from './browserOrtFiles.json';

/** Where the app serves ort's .wasm files, relative to the page (vite.config.ts copies them there). */
export const ORT_ASSET_DIR: string = ortFiles.dir;
/** The .wasm each build needs: `onnxruntime-web/webgpu` (asyncify) and plain `onnxruntime-web` (jsep). */
export const ORT_WASM: { webgpu: string; wasm: string } = ortFiles.wasm;

export type OrtProvider = 'webgpu' | 'wasm';

export interface OpenedGenerator {
  generator: OnnxGenerator;
  provider: OrtProvider;
  /** Why WebGPU did not run (when provider is 'wasm'). */
  fallbackReason?: string;
}

/** The line the page shows: "onnxruntime-web · WebGPU" or "onnxruntime-web · wasm (WebGPU unavailable: …)". */
export function providerText(o: { provider: OrtProvider; fallbackReason?: string }): string {
  if (o.provider === 'webgpu') return 'onnxruntime-web · WebGPU';
  return `onnxruntime-web · wasm${o.fallbackReason ? ` (WebGPU unavailable: ${o.fallbackReason})` : ''}`;
}

function assetUrl(file: string, base: string): string {
  return new URL(`${ORT_ASSET_DIR}${file}`, base).href;
}

function configure(ort: OrtModule, wasmFile: string, base: string): void {
  ort.env.wasm.wasmPaths = { wasm: assetUrl(wasmFile, base) };
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
}

let webgpuOrt: Promise<OrtModule> | undefined;
let wasmOrt: Promise<OrtModule> | undefined;

function loadWebGpuOrt(base: string): Promise<OrtModule> {
  webgpuOrt ??= import('onnxruntime-web/webgpu').then((ort) => {
    configure(ort, ORT_WASM.webgpu, base);
    return ort;
  });
  return webgpuOrt;
}

function loadWasmOrt(base: string): Promise<OrtModule> {
  wasmOrt ??= import('onnxruntime-web').then((ort) => {
    configure(ort, ORT_WASM.wasm, base);
    return ort;
  });
  return wasmOrt;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export interface OpenOptions {
  /** The page's base URL (document.baseURI). */
  base: string;
  /** navigator.gpu is present (otherwise WebGPU is not tried). */
  webgpu: boolean;
  /** A provider that already worked in this page: try it first. */
  prefer?: OrtProvider;
}

/**
 * Validate `bytes` (readGeneratorModel: a GeneratorModelError with a clear message, before ort is
 * even loaded), then open a session: WebGPU first, wasm as fallback.
 */
export async function openBrowserGenerator(bytes: Uint8Array, o: OpenOptions): Promise<OpenedGenerator> {
  readGeneratorModel(bytes);
  let fallbackReason: string | undefined = o.webgpu ? undefined : 'navigator.gpu is missing';
  if (o.webgpu && o.prefer !== 'wasm') {
    try {
      const ort = await loadWebGpuOrt(o.base);
      const generator = await OnnxGenerator.load(ort, bytes, { executionProviders: ['webgpu'] });
      // a first tiny run: a session can open and still fail at its first run
      await generator.forward([0, 0], 1);
      return { generator, provider: 'webgpu' };
    } catch (e) {
      fallbackReason = message(e);
    }
  }
  const ort = await loadWasmOrt(o.base);
  const generator = await OnnxGenerator.load(ort, bytes, { executionProviders: ['wasm'] });
  return { generator, provider: 'wasm', ...(fallbackReason !== undefined ? { fallbackReason } : {}) };
}
