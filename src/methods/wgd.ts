/**
 * wgd: Wasserstein gradient descent on a landscape (issue 10, METHODS.md section 6):
 *   x_i <- x_i - h g_i,   g_i = grad V(x_i) + (1/N) sum_j grad_1 W(x_i, x_j)
 * Plain fixed-step descent by default (lineSearch off); the trust radius caps the RMS move.
 * Kernels: shaders/landscapeGrad.wgsl (twin src/reference/landscapeGrad.ts).
 */
import { bool, createDescentCpu, num, paramDefaults, safeguardParams } from '../landscapes/stepper';
import type { LandscapeMethodSpec } from './landscapeMethod';

export const wgd: LandscapeMethodSpec = {
  id: 'wgd',
  label: 'Wasserstein GD',
  description: 'Wasserstein gradient descent x <- x - h g: first order, lingers near saddles.',
  params: safeguardParams(false, 1e6),
  about: {
    tex: String.raw`x_i \leftarrow x_i - h\,g_i, \qquad g_i = \nabla V(x_i) + \frac1N \sum_j \nabla_1 W(x_i, x_j)`,
    text: 'Explicit Euler on the Wasserstein gradient flow of F: each particle moves down the first variation of the energy. First order: near a saddle the gradient is small, so it lingers there before it leaves.',
    params: {
      trust: 'Trust radius: the step is scaled so that the RMS particle move sqrt((1/N) Σ|s_i|²) is at most this.',
      lineSearch: 'Backtracking: halve the step until F falls (Armijo) or, on a non-descent direction, rises by at most its first-order prediction.',
    },
    papers: [{ authors: 'L. Ambrosio, N. Gigli, G. Savaré', title: 'Gradient flows in metric spaces and in the space of probability measures', year: 2005, venue: 'Lectures in Mathematics ETH Zürich, Birkhäuser' }],
  },
  readouts: ['energy', 'gradNorm', 'stepScale'],
  defaultStep: { fixed: 0.2 },
  gpu(run) {
    const p = paramDefaults(this.params, run.params);
    return { lineSearch: bool(p, 'lineSearch', false), trust: num(p, 'trust', 1e6) };
  },
  createCpu(run) {
    const p = paramDefaults(this.params, run.params);
    return createDescentCpu(run, (_x, g) => ({ d: g }), { lineSearch: bool(p, 'lineSearch', false), trust: num(p, 'trust', 1e6) });
  },
};
