/**
 * wsfn: Wasserstein saddle-free Newton ("From Saddle Points Toward Global Minima: A Newton-Type
 * Method on Wasserstein Space", shared/seeds; issue 10, METHODS.md section 6):
 *   x <- x - h (H^2 + lambda I)^(-1/2) g
 * On each eigen-direction of H the step is g_k / sqrt(theta_k^2 + lambda): positive curvature
 * attracts, negative curvature repels (the sign of theta drops out), so the iterates leave strict
 * saddles and converge linearly near a non-degenerate minimiser (rate ~ 1 - h |theta| / sqrt(theta^2
 * + lambda) per mode). Matrix function by Lanczos on Hessian-vector products or densely.
 */
import { bool, createDescentCpu, hessianFunction, num, paramDefaults, safeguardParams, solverParams } from '../landscapes/stepper';
import type { LandscapeMethodSpec } from '../landscapes/method';

export const wsfn: LandscapeMethodSpec = {
  id: 'wsfn',
  label: 'Saddle-free Newton (WSFN)',
  description: 'x <- x - h (H^2 + lambda I)^(-1/2) g: negative curvature repels, escapes saddles, converges linearly.',
  params: [
    { name: 'lambda', label: 'Damping lambda', kind: 'number', default: 0.5, min: 1e-12, max: 1e6, step: 0.01, log: true, description: 'lambda in (H^2 + lambda I)^(-1/2)' },
    ...solverParams,
    ...safeguardParams(true, 1),
  ],
  readouts: ['energy', 'gradNorm', 'minEig', 'innerResidual', 'stepScale'],
  defaultStep: { fixed: 1 },
  priority: 1,
  gpu(run) {
    const p = paramDefaults(this.params, run.params);
    if (p.solver === 'dense') return undefined;
    const lambda = num(p, 'lambda', 0.5);
    return { f: (t) => 1 / Math.sqrt(t * t + lambda), k: Math.round(num(p, 'k', 20)), lineSearch: bool(p, 'lineSearch', true), trust: num(p, 'trust', 1) };
  },
  createCpu(run) {
    const p = paramDefaults(this.params, run.params);
    const lambda = num(p, 'lambda', 0.5);
    return createDescentCpu(run, (x, g) => hessianFunction(run.landscape, x, run.n, g, (t) => 1 / Math.sqrt(t * t + lambda), p), {
      lineSearch: bool(p, 'lineSearch', true),
      trust: num(p, 'trust', 1),
    });
  },
};
