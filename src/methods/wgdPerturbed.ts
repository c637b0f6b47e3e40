/**
 * wgd-perturbed: Wasserstein gradient descent plus isotropic noise when the gradient is small (the
 * perturbed first-order baseline for saddle escape; Jin et al. 2017, "How to escape saddle points
 * efficiently", lifted to particles): if |g|_mu < gradThreshold and at least `every` steps passed
 * since the last perturbation,
 *   x_i <- x_i + r xi_i,   xi_i ~ N(0, I)   (Philox counter (i, step, 7, 0), seed key)
 * then the wgd step from the perturbed positions.
 */
import { philox4x32, philoxNormal2, PHILOX_KEY_HI } from '../reference/philox';
import { bool, createDescentCpu, num, paramDefaults, safeguardParams } from '../landscapes/stepper';
import type { LandscapeMethodSpec } from './landscapeMethod';

/** Philox stream of the perturbation noise. */
export const PERTURB_STREAM = 7;

/** The perturbation x + r xi (float64 twin of the GPU's; the words are bit-identical). */
export function perturbParticles(x: Float64Array, n: number, r: number, seed: number, step: number): Float64Array {
  const out = Float64Array.from(x);
  const w = new Uint32Array(4);
  for (let i = 0; i < n; i++) {
    philox4x32(i, step, PERTURB_STREAM, 0, seed, PHILOX_KEY_HI, w);
    const [z0, z1] = philoxNormal2(w[0] ?? 0, w[1] ?? 0);
    out[2 * i] = (out[2 * i] ?? 0) + r * z0;
    out[2 * i + 1] = (out[2 * i + 1] ?? 0) + r * z1;
  }
  return out;
}

/**
 * When to perturb: |g|_mu below the threshold and at least `every` steps since the last time. One
 * policy for both steppers (the GPU one applies perturbParticles to the positions it reads back).
 */
export function perturbPolicy(thr: number, every: number): { wants(step: number, gradNorm: number): boolean } {
  let lastPerturb = -Infinity;
  return {
    wants(step, gradNorm) {
      if (!(gradNorm < thr) || step - lastPerturb < every) return false;
      lastPerturb = step;
      return true;
    },
  };
}

export const wgdPerturbed: LandscapeMethodSpec = {
  id: 'wgd-perturbed',
  label: 'Perturbed WGD',
  description: 'Wasserstein gradient descent with isotropic noise of radius r whenever |g| is small.',
  params: [
    { name: 'radius', label: 'Noise radius r', kind: 'number', default: 0.01, min: 0, max: 10, step: 0.001, log: true, description: 'x_i += r xi_i, xi_i ~ N(0, I)' },
    { name: 'gradThreshold', label: '|g| threshold', kind: 'number', default: 1e-3, min: 0, max: 1e3, step: 1e-4, log: true, description: 'perturb when |g|_mu = sqrt(mean |g_i|^2) is below this' },
    { name: 'every', label: 'Min steps between', kind: 'number', default: 20, min: 1, max: 1e6, step: 1, description: 'at least this many steps between two perturbations' },
    ...safeguardParams(false, 1e6),
  ],
  about: {
    tex: String.raw`\text{if } \|g\|_\mu < \varepsilon:\ x_i \leftarrow x_i + r\,\xi_i,\ \xi_i \sim \mathcal N(0, I); \qquad x_i \leftarrow x_i - h\,g_i`,
    text: 'Wasserstein gradient descent plus a small random kick whenever the gradient is nearly zero: the noise finds the negative-curvature direction of a strict saddle, then plain descent takes over.',
    params: {
      radius: 'r: the standard deviation of the isotropic kick added to every particle.',
      gradThreshold: 'ε: kick only when the gradient norm sqrt(mean |g_i|²) is below this.',
      every: 'At least this many steps between two kicks.',
      trust: 'Trust radius: the step is scaled so that the RMS particle move sqrt((1/N) Σ|s_i|²) is at most this.',
      lineSearch: 'Backtracking: halve the step until F falls (Armijo) or, on a non-descent direction, rises by at most its first-order prediction.',
    },
    papers: [{ authors: 'C. Jin, R. Ge, P. Netrapalli, S. M. Kakade, M. I. Jordan', title: 'How to escape saddle points efficiently', year: 2017, venue: 'ICML 2017' }],
  },
  readouts: ['energy', 'gradNorm', 'stepScale'],
  defaultStep: { fixed: 0.2 },
  gpu(run) {
    const p = paramDefaults(this.params, run.params);
    const r = num(p, 'radius', 0.01);
    const policy = perturbPolicy(num(p, 'gradThreshold', 1e-3), num(p, 'every', 20));
    return {
      lineSearch: bool(p, 'lineSearch', false),
      trust: num(p, 'trust', 1e6),
      // the noise is added to the read-back positions by the twin (Philox words bit-identical): rare, see perturbPolicy
      perturb: { wants: (step, gradNorm) => policy.wants(step, gradNorm), apply: (x, step) => perturbParticles(x, run.n, r, run.seed, step) },
    };
  },
  createCpu(run) {
    const p = paramDefaults(this.params, run.params);
    const r = num(p, 'radius', 0.01);
    const policy = perturbPolicy(num(p, 'gradThreshold', 1e-3), num(p, 'every', 20));
    return createDescentCpu(run, (_x, g) => ({ d: g }), {
      lineSearch: bool(p, 'lineSearch', false),
      trust: num(p, 'trust', 1e6),
      perturb: (x, step, gradNorm) => (policy.wants(step, gradNorm) ? perturbParticles(x, run.n, r, run.seed, step) : null),
    });
  },
};
