/**
 * Running a generator model with onnxruntime-web, in Node (wasm), in a Web Worker or in the page.
 *
 * The ort module is passed in (`OrtModule`), so this file never imports onnxruntime-web itself:
 *   - Node: `await nodeOrt()` (src/generators/nodeOrt.ts) imports it, points ort.env.wasm.wasmPaths at
 *     node_modules/onnxruntime-web/dist/ as a file URL and sets numThreads = 1;
 *   - the page / a worker: `await import('onnxruntime-web')` (or 'onnxruntime-web/webgpu') lazily,
 *     with wasmPaths set to where the app serves ort's files.
 * The bytes are validated by readGeneratorModel() first (clear message, onnxruntime never sees a bad
 * file); if onnxruntime still refuses the model, its error is wrapped in a GeneratorModelError.
 *
 *   const g = await OnnxGenerator.load(await nodeOrt(), bytes);
 *   const x = await g.sample(4096, 1);        // Float32Array [4096 * 2], z from sampleNoise(1, 4096)
 *   const chain = await g.run(z, n);          // every output (S-JKO: x_1 .. x), by name
 *   g.release();
 *
 * One queue per runtime (issue 21 item 7). onnxruntime-web's WebGPU build
 * (ort-wasm-simd-threaded.asyncify.wasm) suspends the wasm stack (asyncify) inside every
 * InferenceSession.create and session.run while it waits for the GPU. Entering the same wasm
 * instance meanwhile (a second create, a run on another session, or a session's release(), which is
 * synchronous) corrupts that suspended stack: measured in the page, a release() during a pending run
 * followed by a create on the same module gave "onnxruntime refused the model: 10025816" (a C++
 * exception pointer) and, when the suspended run resumed, an uncaught "RuntimeError: memory access
 * out of bounds". So every call into a module (create, run, release) goes through that module's FIFO
 * (`ortQueue(ort)`): one call at a time, a release after the call in flight, and a run of that session
 * that had not started when release() was called fails with GeneratorReleasedError (the caller dropped
 * the session; nothing ran).
 * onnxruntime's own messages (which can carry build-machine paths or a bare number) are worded by
 * ortErrorText(); the raw text stays on the thrown OrtCallError (`raw`) for the console.
 */
import type * as Ort from 'onnxruntime-web';
import { sampleNoise } from './model';
import { GeneratorModelError, readGeneratorModel, type GeneratorModelInfo } from './onnx';

export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>;

export interface LoadOptions {
  /** onnxruntime execution providers, default ['wasm']. */
  executionProviders?: Ort.InferenceSession.SessionOptions['executionProviders'];
}

/** A run asked of a generator already released (a queued call whose session was dropped meanwhile). */
export class GeneratorReleasedError extends Error {
  constructor() {
    super('OnnxGenerator: used after release()');
    this.name = 'GeneratorReleasedError';
  }
}

/** A FIFO of async jobs: each starts when the one before it settled (a failed job does not stop the queue). */
export class OrtQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Jobs queued or running. */
  get pending(): number {
    return this.waiting;
  }

  enqueue<T>(job: () => Promise<T>): Promise<T> {
    this.waiting++;
    const run = this.tail.then(job).finally(() => {
      this.waiting--;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}

const queues = new WeakMap<object, OrtQueue>();

/** The queue of one onnxruntime module (one wasm instance): every create, run and release goes through it. */
export function ortQueue(ort: OrtModule): OrtQueue {
  const key = ort.InferenceSession;
  let q = queues.get(key);
  if (!q) {
    q = new OrtQueue();
    queues.set(key, q);
  }
  return q;
}

/** Longest onnxruntime message shown (the rest is in the console). */
const ORT_TEXT_MAX = 160;

/**
 * onnxruntime's error as a line fit for the page: source paths of the machine that built ort
 * (`/onnxruntime_src/.../inference_session.cc:123`, `D:\a\_work\...`) and stack lines removed, a
 * bare number (a C++ exception pointer from the wasm build) said as what it is, at most ORT_TEXT_MAX
 * characters.
 */
export function ortErrorText(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  if (/^\s*-?\d+\s*$/.test(raw)) return 'an internal onnxruntime error (no message; a C++ exception inside its wasm)';
  let t = raw
    .split('\n')
    .filter((line) => !/^\s*at\s/.test(line))
    .join(' ')
    // file paths with a source extension (and :line:col), Unix or Windows
    .replace(/(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'"()]+)+\.(?:cc|cpp|c|h|hpp|mm|js|mjs|ts|wasm)(?::\d+)*/g, '')
    // remaining absolute paths of two or more levels
    .replace(/(?:[A-Za-z]:)?(?:[\\/][\w.-]+){2,}[\\/]?/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([:,.])/g, '$1')
    .trim();
  if (t === '' || /^[\s:.,]*$/.test(t)) t = 'an internal onnxruntime error (no message)';
  return t.length > ORT_TEXT_MAX ? `${t.slice(0, ORT_TEXT_MAX - 1)}…` : t;
}

/** onnxruntime refused or failed a call: the message is ortErrorText's; `raw` keeps onnxruntime's own text. */
export class OrtCallError extends GeneratorModelError {
  constructor(
    message: string,
    readonly raw: string,
  ) {
    super(message);
    this.name = 'OrtCallError';
  }
}

const rawText = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));

export class OnnxGenerator {
  private released = false;
  private releasing: Promise<void> | undefined;

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    readonly info: GeneratorModelInfo,
  ) {}

  /** Validate `bytes` and open an onnxruntime session (queued: ortQueue); throws GeneratorModelError on a bad model. */
  static async load(ort: OrtModule, bytes: Uint8Array, options: LoadOptions = {}): Promise<OnnxGenerator> {
    const info = readGeneratorModel(bytes);
    let session: Ort.InferenceSession;
    try {
      session = await ortQueue(ort).enqueue(() => ort.InferenceSession.create(bytes, { executionProviders: options.executionProviders ?? ['wasm'], graphOptimizationLevel: 'all' }));
    } catch (e) {
      throw new OrtCallError(`onnxruntime refused the model: ${ortErrorText(e)}`, rawText(e));
    }
    return new OnnxGenerator(ort, session, info);
  }

  /** Whether release() was called. */
  get isReleased(): boolean {
    return this.released;
  }

  /** Every [B, 2] output for z (interleaved, n points), by output name. */
  async run(z: ArrayLike<number>, n: number): Promise<Record<string, Float32Array>> {
    if (this.released) throw new GeneratorReleasedError();
    if (z.length !== 2 * n) throw new Error(`OnnxGenerator.run: expected ${2 * n} numbers, got ${z.length}`);
    const input = new this.ort.Tensor('float32', Float32Array.from(z), [n, 2]);
    let result: Ort.InferenceSession.OnnxValueMapType;
    try {
      result = await ortQueue(this.ort).enqueue(async () => {
        // released while this call waited its turn: the session must not be entered
        if (this.released) throw new GeneratorReleasedError();
        return this.session.run({ [this.info.inputName]: input });
      });
    } catch (e) {
      if (e instanceof GeneratorReleasedError) throw e;
      throw new OrtCallError(`onnxruntime failed to run the model: ${ortErrorText(e)}`, rawText(e));
    }
    const out: Record<string, Float32Array> = {};
    for (const name of this.info.outputs) {
      const t = result[name];
      if (!t) continue;
      const data = t.data;
      if (!(data instanceof Float32Array) || data.length !== 2 * n) throw new GeneratorModelError(`output '${name}' came back as ${data.constructor.name}[${data.length}], not float32 [${n}, 2]`);
      out[name] = data;
    }
    return out;
  }

  /** x for the given z. */
  async forward(z: ArrayLike<number>, n: number): Promise<Float32Array> {
    const out = await this.run(z, n);
    const x = out[this.info.outputName];
    if (!x) throw new GeneratorModelError(`the model returned no '${this.info.outputName}'`);
    return x;
  }

  /** n samples from seeded noise z = sampleNoise(seed, n). */
  sample(n: number, seed: number): Promise<Float32Array> {
    return this.forward(sampleNoise(seed, n), n);
  }

  /**
   * Release the session: at once for new calls (they throw GeneratorReleasedError), in the runtime's
   * queue for onnxruntime (after the call in flight). The promise resolves when the session is gone;
   * it never rejects (callers release in `finally` and on unmount): a failed release is written to
   * the console as a warning, the only place it can be acted on.
   */
  release(): Promise<void> {
    if (this.releasing) return this.releasing;
    this.released = true;
    this.releasing = ortQueue(this.ort)
      .enqueue(() => this.session.release())
      .catch((e: unknown) => {
        console.warn(`onnxruntime failed to release a session: ${ortErrorText(e)}`, rawText(e));
      });
    return this.releasing;
  }
}
