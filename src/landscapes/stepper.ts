/**
 * The shared machinery of the landscape steppers (wgd, wgd-perturbed, w-newton, wsfn, jko; issue
 * 10, METHODS.md sections 6-7), float64 CPU side. A step from particles X (interleaved, 2N) is
 *   s = -h d(X)            d = g (wgd), H^-1 g (w-newton), (H^2 + lambda I)^(-1/2) g (wsfn)
 * then two safeguards, so that a tiny lambda or a near-singular H cannot overshoot:
 *   trust radius: s is scaled down so that its RMS displacement sqrt((1/N) sum |s_i|^2) <= trust;
 *   backtracking: s is halved (at most 30 times, else the step is refused and X kept) until
 *     F(X + s) <= F(X) + c (g . s)/N + 1e-12 max(1, |F(X)|),  c = 1e-4 when g . s < 0 (Armijo),
 *     c = 1 otherwise: a non-descent direction (Newton towards a saddle) may raise F by at most its
 *     first-order prediction, which a quadratic model's exact rise (half of it) passes.
 * (g . s)/N is the first-order change of F, since grad_X F = g / N.
 * The matrix functions come from Lanczos (k steps, src/reference/lanczos.ts) or, for small N, the
 * dense eigendecomposition of the full 2N x 2N Hessian (src/reference/denseEig.ts, the exact
 * reference).
 */
import type { ParamSpec, Params } from '../core/params';
import { applyMatrixFunction, symEig } from '../reference/denseEig';
import { lanczosApply } from '../reference/lanczos';
import { landscapeEnergy, landscapeGrad } from '../reference/landscapeGrad';
import { landscapeHessian, landscapeHvp } from '../reference/landscapeHvp';
import type { PackedLandscape } from '../reference/landscapes';
import { Rng } from '../reference/philox';

export interface LandscapeRun {
  n: number;
  /** h (tau for jko). */
  stepSize: number;
  seed: number;
  /** Resolved method params (defaults filled). */
  params: Params;
  landscape: PackedLandscape;
}

/** What a landscape step reports (the issue-7 readouts energy / gradNorm / minEig / innerResidual). */
export interface LandscapeReadouts {
  /** F at the positions the step returned. */
  energy: number;
  /** |g|_mu = sqrt((1/N) sum |g_i|^2) at the positions the step started from. */
  gradNorm: number;
  /** Smallest Ritz value (Lanczos) or eigenvalue (dense) of H at the start, when the method computed one. */
  minEig?: number;
  /** jko: RMS optimality residual of the inner problem; w-newton/wsfn (Lanczos): the solve's relative residual estimate. */
  innerResidual?: number;
  /** The accepted fraction t of the trust-scaled step (1: full step, 0: refused). */
  stepScale: number;
  backtracks: number;
}

export interface LandscapeCpuStepper {
  /** One step from x (interleaved, 2n) at clock `step`; returns the new positions. */
  step(x: Float64Array, step: number): Float64Array;
  setStepSize(h: number): void;
  readouts(): LandscapeReadouts;
}

export const num = (p: Params, name: string, fallback: number): number => {
  const v = p[name];
  return typeof v === 'number' ? v : fallback;
};
export const bool = (p: Params, name: string, fallback: boolean): boolean => {
  const v = p[name];
  return typeof v === 'boolean' ? v : fallback;
};

export const solverParams: ParamSpec[] = [
  { name: 'solver', label: 'Matrix function', kind: 'enum', default: 'lanczos', options: ['lanczos', 'dense'], description: 'lanczos: k Lanczos steps on Hessian-vector products (GPU); dense: eigendecomposition of the full 2N x 2N Hessian (CPU, small N, the exact reference)' },
  { name: 'k', label: 'Lanczos k', kind: 'number', default: 20, min: 1, max: 256, step: 1, description: 'Lanczos steps (full reorthogonalisation)' },
];
export const safeguardParams = (lineSearch: boolean, trust: number): ParamSpec[] => [
  { name: 'trust', label: 'Trust radius', kind: 'number', default: trust, min: 1e-6, max: 1e6, step: 0.01, log: true, description: 'largest RMS particle displacement per step' },
  { name: 'lineSearch', label: 'Line search', kind: 'boolean', default: lineSearch, description: 'backtracking (halving) until F falls (Armijo, c = 1e-4) or, on a non-descent direction, rises by at most its first-order prediction' },
];
export function paramDefaults(specs: readonly ParamSpec[], params: Params): Params {
  const out: Params = { ...params };
  for (const s of specs) out[s.name] ??= s.default;
  return out;
}

export const mean2 = (v: Float64Array, n: number): number => {
  let s = 0;
  for (let i = 0; i < 2 * n; i++) s += (v[i] ?? 0) ** 2;
  return s / n;
};

/** Scale s in place so that sqrt((1/N) sum |s_i|^2) <= trust. */
export function trustScale(s: Float64Array, n: number, trust: number): void {
  const rms = Math.sqrt(mean2(s, n));
  if (rms > trust) {
    const f = trust / rms;
    for (let i = 0; i < s.length; i++) s[i] = (s[i] ?? 0) * f;
  }
}

/** The acceptance bound of the backtracking line search (see the header). */
export function acceptBound(F0: number, gs: number, t: number): number {
  const c = gs < 0 ? 1e-4 : 1;
  return F0 + c * t * gs + 1e-12 * Math.max(1, Math.abs(F0));
}

/**
 * Backtracking on t in {1, 1/2, ...} (30 halvings). energyAt(t) = F(X + t s); gs = (g . s)/N.
 * Returns t = 0 (refused) when no trial passes.
 */
export function backtrack(F0: number, gs: number, energyAt: (t: number) => number, enabled: boolean): { t: number; F: number; backtracks: number } {
  let t = 1;
  for (let b = 0; b <= 30; b++) {
    const F = energyAt(t);
    if (!enabled || F <= acceptBound(F0, gs, t)) return { t, F, backtracks: b };
    t *= 0.5;
  }
  return { t: 0, F: F0, backtracks: 31 };
}

/** f(H) b at x, by Lanczos (k steps) or densely; with the smallest Ritz value / eigenvalue. */
export function hessianFunction(
  L: PackedLandscape, x: Float64Array, n: number, b: Float64Array, f: (theta: number) => number, params: Params,
): { d: Float64Array; minEig: number; residual: number | undefined } {
  if (params.solver === 'dense') {
    const eig = symEig(landscapeHessian(L, x, n), 2 * n);
    return { d: applyMatrixFunction(eig, f, b), minEig: eig.values[0] ?? NaN, residual: undefined };
  }
  const k = Math.min(Math.round(num(params, 'k', 20)), 2 * n);
  const apply = (v: Float64Array): Float64Array => landscapeHvp(L, x, v, n);
  const r = lanczosApply(apply, b, k, f);
  // b = 0 (an exact critical point): the direction is 0, and the smallest Ritz value comes from a
  // fixed Philox start vector instead (b's Krylov space is empty).
  const minEig = Number.isNaN(r.minRitz) ? lanczosApply(apply, probeVector(2 * n), k, f).minRitz : r.minRitz;
  return { d: r.x, minEig, residual: r.residual };
}

/** A fixed N(0, I) vector (Philox stream 8, seed 0): the Lanczos start when g = 0. */
export function probeVector(m: number): Float64Array {
  const rng = new Rng(0, 8);
  return Float64Array.from({ length: m }, () => rng.normal());
}

export type Direction = (x: Float64Array, g: Float64Array) => { d: Float64Array; minEig?: number | undefined; residual?: number | undefined };

/**
 * The generic descent stepper: s = -h d(X, g), trust radius, line search. `perturb` (wgd-perturbed)
 * may move X before the step (returns the perturbed copy or null).
 */
export function createDescentCpu(
  run: LandscapeRun,
  direction: Direction,
  opts: { lineSearch: boolean; trust: number; perturb?: (x: Float64Array, step: number, gradNorm: number) => Float64Array | null },
): LandscapeCpuStepper {
  const { n, landscape: L } = run;
  let h = run.stepSize;
  let last: LandscapeReadouts = { energy: NaN, gradNorm: NaN, stepScale: 0, backtracks: 0 };
  return {
    setStepSize(next) {
      h = next;
    },
    readouts: () => last,
    step(x0, step) {
      let x = x0;
      let G = landscapeGrad(L, x, n);
      const moved = opts.perturb?.(x, step, G.gradNorm) ?? null;
      if (moved) {
        x = moved;
        G = landscapeGrad(L, x, n);
      }
      const dir = direction(x, G.g);
      const s = Float64Array.from(dir.d, (v) => -h * v);
      trustScale(s, n, opts.trust);
      let gs = 0;
      for (let i = 0; i < 2 * n; i++) gs += (G.g[i] ?? 0) * (s[i] ?? 0);
      gs /= n;
      const trial = new Float64Array(2 * n);
      const at = (t: number): Float64Array => {
        for (let i = 0; i < 2 * n; i++) trial[i] = (x[i] ?? 0) + t * (s[i] ?? 0);
        return trial;
      };
      const ls = backtrack(G.energy, gs, (t) => landscapeEnergy(L, at(t), n), opts.lineSearch);
      const out = Float64Array.from(at(ls.t));
      last = {
        energy: ls.F, gradNorm: G.gradNorm, stepScale: ls.t, backtracks: ls.backtracks,
        ...(dir.minEig !== undefined ? { minEig: dir.minEig } : {}),
        ...(dir.residual !== undefined ? { innerResidual: dir.residual } : {}),
      };
      return out;
    },
  };
}

/**
 * A landscape method: the MethodDef shape (src/methods/types.ts) with the run and steppers typed
 * for landscapes (the target is a PackedLandscape, not a PackedTarget). The GPU stepper is async
 * (src/landscapes/gpuStepper.ts): each step reads back Lanczos's 2k tridiagonal numbers and the
 * line search's energies.
 */
export interface LandscapeMethodDef {
  id: string;
  label: string;
  description: string;
  params: ParamSpec[];
  createCpu(run: LandscapeRun): LandscapeCpuStepper;
}
