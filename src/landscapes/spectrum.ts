/**
 * The Hessian spectrum of a particle state (issue 10, the UI's "Spectrum" button): the particle
 * Wasserstein Hessian H (2N x 2N, src/reference/landscapeHvp.ts) at positions x.
 *   N <= DENSE_SPECTRUM_MAX_N: every eigenvalue, from the dense Jacobi eigendecomposition (the exact
 *     reference, src/reference/denseEig.ts);
 *   larger N: the k Ritz values of Lanczos from the fixed probe vector (full reorthogonalisation;
 *     the extremes converge first), on HVPs of the float64 twin.
 * Float64 on the host: the positions are read back once per click.
 */
import { symEig } from '../reference/denseEig';
import { lanczos, ritz } from '../reference/lanczos';
import { landscapeHessian, landscapeHvp } from '../reference/landscapeHvp';
import type { PackedLandscape } from '../reference/landscapes';
import { probeVector } from './stepper';

export const DENSE_SPECTRUM_MAX_N = 128;
/** Above this N the O(N^2 k) Lanczos on the CPU takes seconds: refused. */
export const SPECTRUM_MAX_N = 4096;

export interface Spectrum {
  /** Ascending. */
  values: Float64Array;
  kind: 'dense' | 'ritz';
  n: number;
}

export function hessianSpectrum(L: PackedLandscape, x: ArrayLike<number>, n: number, k = 40): Spectrum {
  const xs = Float64Array.from(x);
  if (n <= DENSE_SPECTRUM_MAX_N) return { values: symEig(landscapeHessian(L, xs, n), 2 * n).values, kind: 'dense', n };
  if (n > SPECTRUM_MAX_N) throw new Error(`the spectrum is computed on the CPU for N <= ${SPECTRUM_MAX_N} (this run has ${n})`);
  const r = lanczos((v) => landscapeHvp(L, xs, v, n), probeVector(2 * n), Math.min(k, 2 * n));
  return { values: ritz(r.alpha, r.beta).values, kind: 'ritz', n };
}
