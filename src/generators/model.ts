/**
 * A generator = a chain of residual MLP maps (src/generators/mlp.ts) applied to noise z ~ N(0, I):
 *   x_0 = z,  x_k = T_k(x_{k-1})  (k = 1..K),  x = x_K
 * wflow and uotm have K = 1 (one map G); sjko has one map per JKO step, and every x_k is kept so the
 * chain can be stepped k = 0..K like a flow. The ONNX export (src/generators/onnx.ts) writes the
 * same chain: outputs `x_1` .. `x_{K-1}` and `x`.
 *
 * Seeded noise: z_i = the i-th pair of Rng(seed, Stream.sampler, NOISE_HI).normal() draws, so
 * `wgf sample --seed K`, the tests and the browser draw the same z for the same seed.
 */
import { Rng, Stream } from '../reference/philox';
import { forward, type Mlp } from './mlp';

export const GENERATOR_METHODS = ['wflow', 'uotm', 'sjko'] as const;
export type GeneratorMethod = (typeof GENERATOR_METHODS)[number];

export function isGeneratorMethod(s: string): s is GeneratorMethod {
  return (GENERATOR_METHODS as readonly string[]).includes(s);
}

export interface GeneratorModel {
  method: GeneratorMethod;
  /** T_1 .. T_K. */
  stages: Mlp[];
}

/** Philox `hi` word of the generators' noise stream (Rng counter (i, hi, stream, 0)). */
export const NOISE_HI = 0x9e1;
/** hi words of the training streams (noise batches, target batches, initial weights). */
export const TRAIN_HI = { noise: 0x9e2, target: 0x9e3, weights: 0x9e4, potential: 0x9e5 } as const;

/** n points of N(0, I) in R^2, interleaved, from the generators' seeded noise stream. */
export function sampleNoise(seed: number, n: number, hi: number = NOISE_HI): Float64Array {
  const rng = new Rng(seed >>> 0, Stream.sampler, hi);
  const z = new Float64Array(2 * n);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return z;
}

/** The output name of stage k (1-based) of a K-stage chain: `x_k`, the last one `x`. */
export function stageOutputName(k: number, K: number): string {
  return k === K ? 'x' : `x_${k}`;
}

/** x_1 .. x_K for z (interleaved, n points). */
export function generateChain(model: GeneratorModel, z: Float64Array, n: number): Float64Array[] {
  const out: Float64Array[] = [];
  let x = z;
  for (const t of model.stages) {
    x = forward(t, x, n);
    out.push(x);
  }
  return out;
}

/** x = x_K for z. */
export function generate(model: GeneratorModel, z: Float64Array, n: number): Float64Array {
  const chain = generateChain(model, z, n);
  return chain[chain.length - 1] ?? Float64Array.from(z);
}
