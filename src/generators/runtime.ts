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
 */
import type * as Ort from 'onnxruntime-web';
import { sampleNoise } from './model';
import { GeneratorModelError, readGeneratorModel, type GeneratorModelInfo } from './onnx';

export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>;

export interface LoadOptions {
  /** onnxruntime execution providers, default ['wasm']. */
  executionProviders?: Ort.InferenceSession.SessionOptions['executionProviders'];
}

export class OnnxGenerator {
  private released = false;

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    readonly info: GeneratorModelInfo,
  ) {}

  /** Validate `bytes` and open an onnxruntime session; throws GeneratorModelError on a bad model. */
  static async load(ort: OrtModule, bytes: Uint8Array, options: LoadOptions = {}): Promise<OnnxGenerator> {
    const info = readGeneratorModel(bytes);
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, { executionProviders: options.executionProviders ?? ['wasm'], graphOptimizationLevel: 'all' });
    } catch (e) {
      throw new GeneratorModelError(`onnxruntime refused the model: ${e instanceof Error ? e.message : String(e)}`);
    }
    return new OnnxGenerator(ort, session, info);
  }

  /** Every [B, 2] output for z (interleaved, n points), by output name. */
  async run(z: ArrayLike<number>, n: number): Promise<Record<string, Float32Array>> {
    if (this.released) throw new Error('OnnxGenerator: used after release()');
    if (z.length !== 2 * n) throw new Error(`OnnxGenerator.run: expected ${2 * n} numbers, got ${z.length}`);
    const input = new this.ort.Tensor('float32', Float32Array.from(z), [n, 2]);
    let result: Ort.InferenceSession.OnnxValueMapType;
    try {
      result = await this.session.run({ [this.info.inputName]: input });
    } catch (e) {
      throw new GeneratorModelError(`onnxruntime failed to run the model: ${e instanceof Error ? e.message : String(e)}`);
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

  release(): void {
    if (this.released) return;
    this.released = true;
    void this.session.release();
  }
}
