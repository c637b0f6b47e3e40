/**
 * w-newton: Wasserstein Newton on a landscape (issue 10, METHODS.md section 6):
 *   x <- x - h H^-1 g
 * with H the particle Wasserstein Hessian (shaders/landscapeHvp.wgsl), H^-1 g by k Lanczos steps
 * (f(theta) = 1/theta on the Ritz values) or densely. Attracted to saddles: H^-1 g points to the
 * nearest critical point whatever its index. Trust radius and line search: src/landscapes/stepper.ts.
 */
import { bool, createDescentCpu, hessianFunction, num, paramDefaults, safeguardParams, solverParams } from '../landscapes/stepper';
import type { LandscapeMethodSpec } from '../landscapes/method';

export const wNewton: LandscapeMethodSpec = {
  id: 'w-newton',
  label: 'Wasserstein Newton',
  description: 'x <- x - h H^-1 g (Lanczos on Hessian-vector products): fast near minimisers, attracted to saddles.',
  params: [...solverParams, ...safeguardParams(true, 1)],
  readouts: ['energy', 'gradNorm', 'minEig', 'innerResidual', 'stepScale'],
  // h = 1 is the exact Newton step; 0.5 keeps wgd stable when the Saddle escape preset runs all three at w-newton's step (h L = 1.25 at the wells)
  defaultStep: { fixed: 0.5 },
  gpu(run) {
    const p = paramDefaults(this.params, run.params);
    // solver 'dense' is the CPU reference (a 2N x 2N eigendecomposition): the twin runs on the host
    if (p.solver === 'dense') return undefined;
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
