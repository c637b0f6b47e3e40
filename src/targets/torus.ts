/**
 * `torus-mixture`: a mixture of wrapped Gaussians on the torus T^2 = [0,1)^2 (METHODS.md section 2:
 * periodic targets for the Riesz-kernel SVGD of the mean-field SVGD convergence paper):
 *   pi(x) = sum_k w_k sum_{a in Z^2} N(x + a; m_k, S_k)
 * evaluated from the 9 nearest images (kind 10 in shaders/common/targets.wgsl; twin in
 * src/reference/targetEval.ts). Components are draggable like `mixture` (rebuild with
 * `torusMixtureFromComponents`). Exact samples: draw from the Gaussian mixture, wrap mod 1.
 * Fourier coefficients in closed form: pihat(xi) = sum_k w_k e^{-2 pi i xi.m_k} e^{-2 pi^2 xi^T S_k xi}.
 */
import { ParamError, type ParamValue, type Params } from '../core/params';
import type { Rng } from '../reference/philox';
import { componentsParams, instanceFromPacked, mixtureSampler, parseComponents } from './gaussian';
import { packTorusMixture } from './pack';
import { MAX_COMPONENTS, type Component, type TargetDef, type TargetInstance } from './types';

/** Largest component variance (eigenvalue of S_k): std <= 1/4 keeps the images beyond the 9 nearest below e^-18. */
export const TORUS_MAX_VARIANCE = 0.0625;

export const DEFAULT_TORUS_COMPONENTS: Component[] = [
  { mean: [0.3, 0.3], cov: [0.006, 0, 0.006], weight: 1 },
  { mean: [0.72, 0.62], cov: [0.01, 0.004, 0.006], weight: 1 },
  { mean: [0.92, 0.08], cov: [0.004, 0, 0.004], weight: 0.7 },
];

function checkTorusComponents(comps: Component[]): Component[] {
  return comps.map((c, k) => {
    const [s11, s12, s22] = c.cov;
    const lmax = 0.5 * (s11 + s22) + Math.sqrt(0.25 * (s11 - s22) * (s11 - s22) + s12 * s12);
    if (lmax > TORUS_MAX_VARIANCE) {
      throw new ParamError('components', `components[${k}].cov: largest variance ${lmax.toPrecision(3)} exceeds ${TORUS_MAX_VARIANCE} (std 1/4) on the unit torus`);
    }
    const wrap = (v: number): number => v - Math.floor(v);
    return { ...c, mean: [wrap(c.mean[0]), wrap(c.mean[1])] };
  });
}

/** Exact samples: the plane mixture's, wrapped onto [0,1)^2. */
function torusSampler(comps: readonly Component[]): (rng: Rng, n: number) => Float64Array {
  const plane = mixtureSampler(comps);
  return (rng, n) => {
    const out = plane(rng, n);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) - Math.floor(out[i] ?? 0);
    return out;
  };
}

/** Closed-form Fourier coefficients pihat(xi) = int pi(x) e^{-2 pi i xi.x} dx, as [re, im]. */
export function torusMixtureFourier(comps: readonly Component[], xx: number, xy: number): [number, number] {
  const total = comps.reduce((s, c) => s + c.weight, 0);
  let re = 0, im = 0;
  for (const c of comps) {
    const q = c.cov[0] * xx * xx + 2 * c.cov[1] * xx * xy + c.cov[2] * xy * xy;
    const a = (c.weight / total) * Math.exp(-2 * Math.PI * Math.PI * q);
    const ph = -2 * Math.PI * (xx * c.mean[0] + xy * c.mean[1]);
    re += a * Math.cos(ph);
    im += a * Math.sin(ph);
  }
  return [re, im];
}

function torusInstance(params: Params, comps: Component[]): TargetInstance {
  const checked = checkTorusComponents(comps);
  const inst = instanceFromPacked('torus-mixture', params, packTorusMixture(checked), [0, 1, 0, 1], torusSampler(checked));
  inst.components = checked;
  inst.periodic = true;
  return inst;
}

export const torusMixture: TargetDef = {
  id: 'torus-mixture',
  label: 'Torus mixture (wrapped Gaussians)',
  description: 'sum_k w_k N(m_k, S_k) wrapped onto the torus [0,1)^2 (periodic; run with domain torus); drag the components. Exact samples.',
  about: {
    tex: String.raw`\pi(x) = \sum_{k=1}^{K} w_k \sum_{n \in \mathbb{Z}^2} \mathcal{N}(x + n;\ m_k, S_k), \qquad x \in \mathbb{T}^2 = [0, 1)^2`,
    text: 'Gaussians wrapped onto the flat torus: leave the unit square on one side and you come back on the other (the canvas draws the neighbouring copies). The setting of the mean-field SVGD analysis with Riesz kernels.',
    params: { components: 'The components {mean m_k in [0,1)², covariance S_k (variances ≤ 0.0625), weight w_k}; means wrap mod 1, weights are normalised.' },
    papers: [{ authors: 'L. Chizat, M. Colombo, R. Colombo, X. Fernández-Real', title: 'Quantitative local convergence of mean-field Stein variational gradient flow', year: 2026, venue: 'arXiv:2605.09456' }],
  },
  params: [
    {
      name: 'components',
      label: 'components',
      kind: 'json',
      default: JSON.stringify(DEFAULT_TORUS_COMPONENTS),
      description: `JSON array of 1..${MAX_COMPONENTS} components {"mean":[x,y],"cov":[s11,s12,s22] or "std":s,"weight":w} on [0,1)^2; variances <= ${TORUS_MAX_VARIANCE}; means wrapped mod 1; weights normalised.`,
    },
  ],
  // the components on the torus: a dragged mean wraps mod 1, the spread is at most 1/4 (variance TORUS_MAX_VARIANCE)
  editor: { kind: 'components', params: (comps) => componentsParams(comps), wrap: true, freshCov: [0.005, 0, 0.005], maxSpread: { value: Math.sqrt(TORUS_MAX_VARIANCE), why: 'on the unit torus' } },
  create(params) {
    const text: ParamValue | undefined = params.components;
    if (typeof text !== 'string') throw new ParamError('components', 'components: expected JSON text');
    return torusInstance(params, parseComponents(text));
  },
};

/** A torus-mixture instance with the given components (e.g. after a drag on the canvas); checked like the JSON. */
export function torusMixtureFromComponents(comps: readonly Component[]): TargetInstance {
  const text = JSON.stringify(comps.map((c) => ({ mean: c.mean, cov: c.cov, weight: c.weight })));
  return torusMixture.create({ components: text });
}
