/**
 * jko: the particle JKO step (Jordan, Kinderlehrer & Otto 1998; METHODS.md section 7, issue 10):
 *   X_{k+1} = argmin_Y  Phi(Y) = F(Y) + (1/(2 tau N)) sum_i |y_i - x_i|^2,     tau = the step size
 * solved from Y = X by `innerIters` inner iterations on the residual (N grad_Y Phi)
 *   r_i = g_i(Y) + (y_i - x_i) / tau
 *   inner 'newton': Y <- Y - t (H(Y) + I/tau)^-1 r   (Lanczos with f(theta) = 1/(theta + 1/tau), or
 *                   dense), t from the same backtracking on Phi as the outer steppers use;
 *   inner 'gd':     Y <- Y - innerStep tau r.
 * The inner residual readout is sqrt((1/N) sum |r_i|^2) at the returned Y. For tau -> 0 the step
 * is x - tau g + O(tau^2) (it follows wgd); on V = |x - m|^2/2, W = 0 it is the proximal point
 * (x + tau m) / (1 + tau) exactly (src/methods/landscapeMethods.test.ts).
 */
import { landscapeEnergy, landscapeGrad } from '../reference/landscapeGrad';
import { backtrack, bool, hessianFunction, mean2, num, paramDefaults, solverParams, type LandscapeReadouts } from '../landscapes/stepper';
import type { LandscapeMethodSpec } from './landscapeMethod';

export const jko: LandscapeMethodSpec = {
  id: 'jko',
  label: 'JKO (particles)',
  description: 'Implicit step argmin_Y F(Y) + W2^2(Y, X)/(2 tau), solved by inner Newton (Lanczos) or gradient iterations.',
  params: [
    { name: 'inner', label: 'Inner solver', kind: 'enum', default: 'newton', options: ['newton', 'gd'], description: 'newton: (H + I/tau)^-1 r by Lanczos or densely, with backtracking; gd: Y -= innerStep tau r' },
    { name: 'innerIters', label: 'Inner iterations', kind: 'number', default: 5, min: 1, max: 1000, step: 1, description: 'at most this many inner iterations per JKO step' },
    { name: 'innerTol', label: 'Inner tolerance', kind: 'number', default: 1e-10, min: 0, max: 1, step: 1e-10, log: true, description: 'stop the inner iterations once the RMS residual is below this' },
    { name: 'innerStep', label: 'Inner GD step', kind: 'number', default: 0.5, min: 1e-6, max: 1, step: 0.01, description: "inner 'gd': Y -= innerStep tau r" },
    ...solverParams,
    { name: 'lineSearch', label: 'Line search', kind: 'boolean', default: true, description: "inner 'newton': backtracking on the JKO objective" },
  ],
  about: {
    tex: String.raw`X_{k+1} = \arg\min_Y\ F(Y) + \frac{1}{2\tau N}\sum_i |y_i - x_i|^2`,
    text: 'The implicit (backward Euler) step of the Wasserstein gradient flow, for particles: each step solves a small optimisation problem; its inner residual is shown. As τ → 0 it follows gradient descent; it stays stable at large τ.',
    params: {
      inner: 'newton: Y -= (H + I/τ)⁻¹ r with backtracking; gd: Y -= innerStep τ r (r = g(Y) + (Y − X)/τ).',
      innerIters: 'At most this many inner iterations per JKO step.',
      innerTol: 'Stop the inner iterations once the RMS residual is below this.',
      innerStep: "The inner gradient step (a fraction of τ), for inner 'gd'.",
      solver: "lanczos: k Lanczos steps on Hessian-vector products (the GPU path); dense: the full 2N × 2N eigendecomposition on the CPU (the exact reference, N ≤ 128).",
      k: 'Lanczos steps per solve (full reorthogonalisation); the smallest Ritz value is the min-eig readout.',
      lineSearch: "Inner 'newton': backtracking on the JKO objective F(Y) + |Y − X|²/(2τN).",
    },
    papers: [{ authors: 'R. Jordan, D. Kinderlehrer, F. Otto', title: 'The variational formulation of the Fokker–Planck equation', year: 1998, venue: 'SIAM Journal on Mathematical Analysis 29(1)' }],
  },
  readouts: ['energy', 'gradNorm', 'minEig', 'innerResidual'],
  defaultStep: { fixed: 0.5 },
  // no gpu(): the inner solves run in the float64 twin, on the host also on the GPU backend (said in the UI and CLI)
  hostNote: () => 'inner solve on the host (float64 twin)',
  createCpu(run) {
    const p = paramDefaults(this.params, run.params);
    const { n, landscape: L } = run;
    let tau = run.stepSize;
    const iters = Math.round(num(p, 'innerIters', 5)), tol = num(p, 'innerTol', 1e-10), eta = num(p, 'innerStep', 0.5);
    const newton = p.inner !== 'gd', ls = bool(p, 'lineSearch', true);
    let last: LandscapeReadouts = { energy: NaN, gradNorm: NaN, stepScale: 0, backtracks: 0 };
    const prox = (x: Float64Array, y: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < 2 * n; i++) s += ((y[i] ?? 0) - (x[i] ?? 0)) ** 2;
      return s / (2 * tau * n);
    };
    return {
      setStepSize(next) {
        tau = next;
      },
      readouts: () => last,
      step(x) {
        const y = Float64Array.from(x);
        const r = new Float64Array(2 * n);
        let G = landscapeGrad(L, y, n);
        const gradNorm = G.gradNorm;
        let minEig: number | undefined;
        let backtracks = 0, stepScale = 1;
        const residual = (): number => {
          for (let i = 0; i < 2 * n; i++) r[i] = (G.g[i] ?? 0) + ((y[i] ?? 0) - (x[i] ?? 0)) / tau;
          return Math.sqrt(mean2(r, n));
        };
        let res = residual();
        for (let it = 0; it < iters && res > tol; it++) {
          if (newton) {
            const sol = hessianFunction(L, y, n, r, (t) => 1 / (t + 1 / tau), p);
            if (it === 0) minEig = sol.minEig;
            const phi0 = G.energy + prox(x, y);
            let gs = 0;
            for (let i = 0; i < 2 * n; i++) gs -= (r[i] ?? 0) * (sol.d[i] ?? 0);
            gs /= n;
            const trial = new Float64Array(2 * n);
            const at = (t: number): Float64Array => {
              for (let i = 0; i < 2 * n; i++) trial[i] = (y[i] ?? 0) - t * (sol.d[i] ?? 0);
              return trial;
            };
            const b = backtrack(phi0, gs, (t) => {
              const z = at(t);
              return landscapeEnergy(L, z, n) + prox(x, z);
            }, ls);
            backtracks += b.backtracks;
            stepScale = b.t;
            y.set(at(b.t));
          } else {
            for (let i = 0; i < 2 * n; i++) y[i] = (y[i] ?? 0) - eta * tau * (r[i] ?? 0);
          }
          G = landscapeGrad(L, y, n);
          res = residual();
        }
        last = { energy: G.energy, gradNorm, innerResidual: res, stepScale, backtracks, ...(minEig !== undefined ? { minEig } : {}) };
        return y;
      },
    };
  },
};
