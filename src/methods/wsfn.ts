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
import { denseSolverHostNote, type LandscapeMethodSpec } from './landscapeMethod';

export const wsfn: LandscapeMethodSpec = {
  id: 'wsfn',
  label: 'Saddle-free Newton (WSFN)',
  description: 'x <- x - h (H^2 + lambda I)^(-1/2) g: negative curvature repels, escapes saddles, converges linearly.',
  params: [
    { name: 'lambda', label: 'Damping lambda', kind: 'number', default: 0.5, min: 1e-12, max: 1e6, step: 0.01, log: true, description: 'lambda in (H^2 + lambda I)^(-1/2)' },
    ...solverParams,
    ...safeguardParams(true, 1),
  ],
  about: {
    tex: String.raw`x \leftarrow x - h\,(H^2 + \lambda I)^{-1/2}\, g \;=\; x - h \sum_k \frac{\langle g, v_k\rangle}{\sqrt{\theta_k^2 + \lambda}}\, v_k`,
    text: 'Saddle-free Newton in Wasserstein space (the paper of issue 10, “From Saddle Points Toward Global Minima: A Newton-Type Method on Wasserstein Space”, arXiv, shared/seeds): dividing by |θ| instead of θ keeps positive curvature attracting and turns negative curvature into repulsion, so the particles leave the saddle and then converge linearly.',
    params: {
      lambda: 'λ: damping in (H² + λI)^(-1/2); small λ is closer to |H|⁻¹ (faster, but wild near θ = 0), large λ is closer to gradient descent with step h/√λ.',
      solver: "lanczos: k Lanczos steps on Hessian-vector products (the GPU path); dense: the full 2N × 2N eigendecomposition on the CPU (the exact reference, N ≤ 128).",
      k: 'Lanczos steps per solve (full reorthogonalisation); the smallest Ritz value is the min-eig readout.',
      trust: 'Trust radius: the step is scaled so that the RMS particle move sqrt((1/N) Σ|s_i|²) is at most this.',
      lineSearch: 'Backtracking: halve the step until F falls (Armijo) or, on a non-descent direction, rises by at most its first-order prediction.',
    },
    papers: [{ authors: 'Y. N. Dauphin, R. Pascanu, C. Gulcehre, K. Cho, S. Ganguli, Y. Bengio', title: 'Identifying and attacking the saddle point problem in high-dimensional non-convex optimization (saddle-free Newton)', year: 2014, venue: 'NeurIPS 2014' }],
  },
  readouts: ['energy', 'gradNorm', 'minEig', 'innerResidual', 'stepScale'],
  defaultStep: { fixed: 1 },
  priority: 1,
  // solver 'dense' is the CPU reference (a 2N x 2N eigendecomposition): the twin runs on the host
  hostNote: denseSolverHostNote,
  gpu(run) {
    const p = paramDefaults(this.params, run.params);
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
