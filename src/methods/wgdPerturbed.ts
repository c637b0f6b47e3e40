/**
 * wgd-perturbed: Wasserstein gradient descent plus isotropic noise when the gradient is small (the
 * perturbed first-order baseline for saddle escape; Jin et al. 2017, "How to escape saddle points
 * efficiently", lifted to particles): if |g|_mu < gradThreshold and at least `every` steps passed
 * since the last perturbation,
 *   x_i <- x_i + r xi_i,   xi_i ~ N(0, I)   (Philox counter (i, step, 7, 0), seed key)
 * then the wgd step from the perturbed positions.
 */
import { philox4x32, philoxNormal2, PHILOX_KEY_HI } from '../reference/philox';
import { bool, createDescentCpu, num, paramDefaults, safeguardParams, type LandscapeMethodDef } from '../landscapes/stepper';

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

export const wgdPerturbed: LandscapeMethodDef = {
  id: 'wgd-perturbed',
  label: 'Perturbed WGD',
  description: 'Wasserstein gradient descent with isotropic noise of radius r whenever |g| is small.',
  params: [
    { name: 'radius', label: 'Noise radius r', kind: 'number', default: 0.01, min: 0, max: 10, step: 0.001, log: true, description: 'x_i += r xi_i, xi_i ~ N(0, I)' },
    { name: 'gradThreshold', label: '|g| threshold', kind: 'number', default: 1e-3, min: 0, max: 1e3, step: 1e-4, log: true, description: 'perturb when |g|_mu = sqrt(mean |g_i|^2) is below this' },
    { name: 'every', label: 'Min steps between', kind: 'number', default: 20, min: 1, max: 1e6, step: 1, description: 'at least this many steps between two perturbations' },
    ...safeguardParams(false, 1e6),
  ],
  createCpu(run) {
    const p = paramDefaults(this.params, run.params);
    const r = num(p, 'radius', 0.01), thr = num(p, 'gradThreshold', 1e-3), every = num(p, 'every', 20);
    let lastPerturb = -Infinity;
    return createDescentCpu(run, (_x, g) => ({ d: g }), {
      lineSearch: bool(p, 'lineSearch', false),
      trust: num(p, 'trust', 1e6),
      perturb(x, step, gradNorm) {
        if (!(gradNorm < thr) || step - lastPerturb < every) return null;
        lastPerturb = step;
        return perturbParticles(x, run.n, r, run.seed, step);
      },
    });
  },
};
