/**
 * The Hessian spectrum as a worker handler (the page's "Spectrum" runs it in a Web Worker,
 * src/ui/spectrumWorker.ts, so Lanczos at N = 4,096 never blocks the page). Plain data in and
 * out (a PackedLandscape, float64 positions, N), checked first: bad input is refused by name.
 * The first argument is the worker protocol's JobContext (unused: one call is a few seconds at
 * most; a stale call is cancelled by terminating its worker, src/ui/spectrumClient.ts).
 */
import type { PackedLandscape } from '../reference/landscapes';
import { hessianSpectrum, type Spectrum } from './spectrum';

export function spectrumRequestProblem(L: PackedLandscape, x: ArrayLike<number>, n: number): string | undefined {
  if (!Number.isInteger(n) || n < 1) return `spectrum: N must be a positive integer (got ${String(n)})`;
  if (x.length !== 2 * n) return `spectrum: expected ${2 * n} coordinates for N = ${n}, got ${x.length}`;
  if (!(L.v instanceof Float64Array) || !(L.w instanceof Float64Array) || !Number.isInteger(L.vKind) || !Number.isInteger(L.wKind)) return 'spectrum: not an energy landscape';
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) return `spectrum: particle ${Math.floor(i / 2) + 1} has a non-finite coordinate (${String(x[i])})`;
  }
  return undefined;
}

export const spectrumHandlers = {
  spectrum(_ctx: unknown, L: PackedLandscape, x: Float64Array, n: number): Spectrum {
    const problem = spectrumRequestProblem(L, x, n);
    if (problem) throw new Error(problem);
    return hessianSpectrum(L, x, n);
  },
};

export type SpectrumHandlers = typeof spectrumHandlers;
