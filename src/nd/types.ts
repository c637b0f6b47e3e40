/** The d-D target shape and small numeric helpers shared by the target modules (no registry here). */
import { ParamError, type Params } from '../core/params';

export interface NdTarget {
  id: string;
  /** Dimension d. */
  d: number;
  /** d coordinate names (the contract: e.g. blr's [w_1..w_D, b]). */
  names: string[];
  /** The resolved parameters (defaults filled in). */
  params: Params;
  /** log pi(x_i) for the n rows of x (n x d); normalised where the target says so. */
  logp(x: Float64Array, n: number): Float64Array;
  /** Writes grad log pi(x_i) into `grad` (n x d) and returns log pi(x_i). */
  logpGrad(x: Float64Array, n: number, grad: Float64Array): Float64Array;
  /** Exact per-coordinate moments where known. */
  exact?: { mean: Float64Array; sd: Float64Array };
  /** Exact iid draws where the target can be sampled (gaussian-nd, funnel-nd). */
  sample?: (n: number, seed: number) => Float64Array;
  /** How this target's answer is known. */
  reference: string;
}

/** A numeric parameter already resolved by resolveNdParams. */
export function num(p: Params, name: string): number {
  const v = p[name];
  if (typeof v !== 'number') throw new ParamError(name, `${name}: expected a number, got '${String(v)}'`);
  return v;
}

/** An integer parameter (dimensions, counts). */
export function int(p: Params, name: string): number {
  const v = num(p, name);
  if (!Number.isInteger(v)) throw new ParamError(name, `${name}: expected an integer, got ${v}`);
  return v;
}

/** Stable log(1 + e^z). */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export const LOG_2PI = Math.log(2 * Math.PI);
