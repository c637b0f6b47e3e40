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
 *
 * Every create, run and release goes through the module's queue (runtime.ts ortQueue: the asyncify
 * build must not be entered while a call is suspended). A WebGPU session whose first run fails is
 * released before wasm is tried. What WebGPU said when it did not run is worded by ortErrorText (no
 * build-machine paths, no bare exception numbers); onnxruntime's raw text goes to console.warn.
 * `onPhase` tells the page what is happening while a generator becomes ready (10-29 s on a software
 * GPU): loading the runtime, creating the session, the first call.
 */
import { GeneratorModelError, readGeneratorModel } from './onnx';
import { OnnxGenerator, OrtCallError, ortErrorText, type OrtModule } from './runtime';
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
  // a failed import is not cached: the next generator tries again
  webgpuOrt ??= import('onnxruntime-web/webgpu').then(
    (ort) => {
      configure(ort, ORT_WASM.webgpu, base);
      return ort;
    },
    (e: unknown) => {
      webgpuOrt = undefined;
      throw e;
    },
  );
  return webgpuOrt;
}

function loadWasmOrt(base: string): Promise<OrtModule> {
  wasmOrt ??= import('onnxruntime-web').then(
    (ort) => {
      configure(ort, ORT_WASM.wasm, base);
      return ort;
    },
    (e: unknown) => {
      wasmOrt = undefined;
      throw e;
    },
  );
  return wasmOrt;
}

/** What the page is waiting for while a generator becomes ready. */
export type OpenPhase = 'runtime' | 'session' | 'first-call';

/** The phase as a line for the page, e.g. "loading onnxruntime-web (WebGPU build)". */
export function phaseText(phase: OpenPhase, provider: OrtProvider): string {
  const on = provider === 'webgpu' ? 'WebGPU' : 'wasm';
  switch (phase) {
    case 'runtime':
      return `loading onnxruntime-web (${on} build${provider === 'webgpu' ? ', 27 MB' : ''})`;
    case 'session':
      return `creating the ${on} session (parsing and optimising the model)`;
    case 'first-call':
      return provider === 'webgpu' ? 'first call on WebGPU (compiling its shaders; slow on a software GPU)' : 'first call on wasm';
  }
}

/** WebGPU's failure as the provider line's reason; onnxruntime's raw text to the console (a warning: the page still works, on wasm). */
function fallbackText(e: unknown): string {
  console.warn('onnxruntime-web WebGPU could not run the generator; using wasm:', e instanceof OrtCallError ? e.raw : e);
  return e instanceof OrtCallError ? e.message : ortErrorText(e);
}

export interface OpenOptions {
  /** The page's base URL (document.baseURI). */
  base: string;
  /** navigator.gpu is present (otherwise WebGPU is not tried). */
  webgpu: boolean;
  /** A provider that already worked in this page: try it first. */
  prefer?: OrtProvider;
  /** Told at each phase of opening (for the page's "what is happening" line). */
  onPhase?: (phase: OpenPhase, provider: OrtProvider) => void;
}

/**
 * Validate `bytes` (readGeneratorModel: a GeneratorModelError with a clear message, before ort is
 * even loaded), then open a session: WebGPU first, wasm as fallback.
 */
export async function openBrowserGenerator(bytes: Uint8Array, o: OpenOptions): Promise<OpenedGenerator> {
  readGeneratorModel(bytes);
  const phase = o.onPhase ?? (() => undefined);
  let fallbackReason: string | undefined = o.webgpu ? undefined : 'navigator.gpu is missing';
  if (o.webgpu && o.prefer !== 'wasm') {
    let generator: OnnxGenerator | undefined;
    try {
      phase('runtime', 'webgpu');
      const ort = await loadWebGpuOrt(o.base);
      phase('session', 'webgpu');
      generator = await OnnxGenerator.load(ort, bytes, { executionProviders: ['webgpu'] });
      // a first tiny run: a session can open and still fail at its first run
      phase('first-call', 'webgpu');
      await generator.forward([0, 0], 1);
      return { generator, provider: 'webgpu' };
    } catch (e) {
      // the session that opened but failed its first run is not leaked (released in the queue)
      void generator?.release();
      fallbackReason = fallbackText(e);
    }
  }
  phase('runtime', 'wasm');
  const ort = await loadWasmOrt(o.base).catch((e: unknown) => {
    throw new GeneratorModelError(`onnxruntime-web (wasm) could not be loaded: ${ortErrorText(e)}`);
  });
  phase('session', 'wasm');
  const generator = await OnnxGenerator.load(ort, bytes, { executionProviders: ['wasm'] });
  return { generator, provider: 'wasm', ...(fallbackReason !== undefined ? { fallbackReason } : {}) };
}
