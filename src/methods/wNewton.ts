/**
 * w-newton: Wasserstein Newton on a landscape (issue 10, METHODS.md section 6):
 *   x <- x - h H^-1 g
 * with H the particle Wasserstein Hessian (shaders/landscapeHvp.wgsl), H^-1 g by k Lanczos steps
 * (f(theta) = 1/theta on the Ritz values) or densely. Attracted to saddles: H^-1 g points to the
 * nearest critical point whatever its index. Trust radius and line search: src/landscapes/stepper.ts.
 */
import { bool, createDescentCpu, hessianFunction, num, paramDefaults, safeguardParams, solverParams } from '../landscapes/stepper';
import { denseSolverHostNote, type LandscapeMethodSpec } from './landscapeMethod';

export const wNewton: LandscapeMethodSpec = {
  id: 'w-newton',
  label: 'Wasserstein Newton',
  description: 'x <- x - h H^-1 g (Lanczos on Hessian-vector products): fast near minimisers, attracted to saddles.',
  params: [...solverParams, ...safeguardParams(true, 1)],
  about: {
    tex: String.raw`x \leftarrow x - h\,H^{-1} g, \qquad (H u)_i = \nabla^2 V(x_i) u_i + \frac1N \sum_j \big[\nabla^2_{11} W(x_i, x_j)\, u_i + \nabla^2_{12} W(x_i, x_j)\, u_j\big]`,
    text: 'Newton’s method with the particle Wasserstein Hessian H: fast near a minimiser, but H⁻¹g points to the nearest critical point whatever its kind, so from a saddle it stays on the saddle (F = 1/4 on the double well, smallest eigenvalue −1).',
    params: {
      solver: "lanczos: k Lanczos steps on Hessian-vector products (the GPU path); dense: the full 2N × 2N eigendecomposition on the CPU (the exact reference, N ≤ 128).",
      k: 'Lanczos steps per solve (full reorthogonalisation); the smallest Ritz value is the min-eig readout.',
      trust: 'Trust radius: the step is scaled so that the RMS particle move sqrt((1/N) Σ|s_i|²) is at most this.',
      lineSearch: 'Backtracking: halve the step until F falls (Armijo) or, on a non-descent direction, rises by at most its first-order prediction.',
    },
    papers: [
      { authors: 'Y. Wang, W. Li', title: "Information Newton's flow: second-order optimization method in probability space", year: 2020, venue: 'arXiv preprint' },
      { authors: 'Y. N. Dauphin, R. Pascanu, C. Gulcehre, K. Cho, S. Ganguli, Y. Bengio', title: 'Identifying and attacking the saddle point problem in high-dimensional non-convex optimization', year: 2014, venue: 'NeurIPS 2014' },
    ],
  },
  readouts: ['energy', 'gradNorm', 'minEig', 'innerResidual', 'stepScale'],
  // h = 1 is the exact Newton step; 0.5 keeps wgd stable when the Saddle escape preset runs all three at w-newton's step (h L = 1.25 at the wells)
  defaultStep: { fixed: 0.5 },
  // solver 'dense' is the CPU reference (a 2N x 2N eigendecomposition): the twin runs on the host
  hostNote: denseSolverHostNote,
  gpu(run) {
    const p = paramDefaults(this.params, run.params);
    return { f: (t) => 1 / t, k: Math.round(num(p, 'k', 20)), lineSearch: bool(p, 'lineSearch', true), trust: num(p, 'trust', 1) };
  },
  createCpu(run) {
    const p = paramDefaults(this.params, run.params);
    return createDescentCpu(run, (x, g) => hessianFunction(run.landscape, x, run.n, g, (t) => 1 / t, p), {
      lineSearch: bool(p, 'lineSearch', true),
      trust: num(p, 'trust', 1),
    });
  },
};
