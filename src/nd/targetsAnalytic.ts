/**
 * The analytic d-D targets with exact moments and exact samples:
 *   gaussian-nd: N(m, diag(s_k^2)), s_k^2 = cond^(-k/(d-1)), k = 0..d-1 (variances from 1 down to
 *                1/cond, log-spaced: condition number cond), m_k = `mean` for every k.
 *   funnel-nd:   Neal (2003, "Slice sampling", section 8): v ~ N(0, scale^2), x_k | v ~ N(0, e^v),
 *                coordinates [v, x_1..x_{d-1}]; E x_k = 0, Var x_k = E e^v = exp(scale^2 / 2).
 * Both log-densities are normalised.
 */
import type { ParamSpec, Params } from '../core/params';
import { Rng } from '../reference/philox';
import { int, LOG_2PI, num, type NdTarget } from './types';

export const gaussianNdParams: ParamSpec[] = [
  { name: 'd', label: 'dimension d', kind: 'number', default: 10, min: 1, max: 1024, step: 1, description: 'Dimension.' },
  { name: 'cond', label: 'condition number', kind: 'number', default: 10, min: 1, max: 1e8, log: true, description: 'Ratio of the largest to the smallest variance (variances log-spaced from 1 to 1/cond).' },
  { name: 'mean', label: 'mean', kind: 'number', default: 0, min: -100, max: 100, description: 'Every coordinate of the mean.' },
];

/** Stream id of the exact samplers (beyond src/reference/philox.ts Stream, which stops at 6). */
export const EXACT_SAMPLE_STREAM = 19;

export function gaussianNdVariances(d: number, cond: number): Float64Array {
  const v = new Float64Array(d);
  for (let k = 0; k < d; k++) v[k] = d === 1 ? 1 : Math.pow(cond, -k / (d - 1));
  return v;
}

export function createGaussianNd(p: Params): NdTarget {
  const d = int(p, 'd'), cond = num(p, 'cond'), m = num(p, 'mean');
  const variance = gaussianNdVariances(d, cond);
  const prec = variance.map((v) => 1 / v);
  let logNorm = -0.5 * d * LOG_2PI;
  for (let k = 0; k < d; k++) logNorm -= 0.5 * Math.log(variance[k] ?? 1);
  const names = Array.from({ length: d }, (_, k) => `x${k + 1}`);
  const logpGrad = (x: Float64Array, n: number, grad?: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let k = 0; k < d; k++) {
        const r = (x[i * d + k] ?? 0) - m;
        const pk = prec[k] ?? 1;
        q += r * r * pk;
        if (grad) grad[i * d + k] = -r * pk;
      }
      out[i] = logNorm - 0.5 * q;
    }
    return out;
  };
  return {
    id: 'gaussian-nd', d, names, params: p,
    logp: (x, n) => logpGrad(x, n),
    logpGrad,
    exact: { mean: new Float64Array(d).fill(m), sd: variance.map(Math.sqrt) },
    sample: (n, seed) => {
      const rng = new Rng(seed, EXACT_SAMPLE_STREAM);
      const out = new Float64Array(n * d);
      for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) out[i * d + k] = m + Math.sqrt(variance[k] ?? 1) * rng.normal();
      return out;
    },
    reference: 'exact: mean m, sd cond^(-k/(2(d-1)))',
  };
}

export const funnelNdParams: ParamSpec[] = [
  { name: 'd', label: 'dimension d', kind: 'number', default: 10, min: 2, max: 1024, step: 1, description: 'Dimension (v plus d - 1 coordinates x_k).' },
  { name: 'scale', label: 'sd of v', kind: 'number', default: 3, min: 0.1, max: 10, description: 'v ~ N(0, scale^2) (Neal: 3).' },
];

export function createFunnelNd(p: Params): NdTarget {
  const d = int(p, 'd'), scale = num(p, 'scale');
  const s2 = scale * scale;
  const names = ['v', ...Array.from({ length: d - 1 }, (_, k) => `x${k + 1}`)];
  const m = d - 1;
  const logpGrad = (x: Float64Array, n: number, grad?: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = x[i * d] ?? 0;
      const ev = Math.exp(-v);
      let q = 0;
      for (let k = 1; k < d; k++) {
        const xk = x[i * d + k] ?? 0;
        q += xk * xk;
        if (grad) grad[i * d + k] = -xk * ev;
      }
      // log N(v; 0, s2) + sum_k log N(x_k; 0, e^v)
      out[i] = -0.5 * LOG_2PI - Math.log(scale) - (v * v) / (2 * s2) - 0.5 * m * (LOG_2PI + v) - 0.5 * q * ev;
      if (grad) grad[i * d] = -v / s2 - 0.5 * m + 0.5 * q * ev;
    }
    return out;
  };
  const sdX = Math.exp(s2 / 4);
  return {
    id: 'funnel-nd', d, names, params: p,
    logp: (x, n) => logpGrad(x, n),
    logpGrad,
    exact: { mean: new Float64Array(d), sd: Float64Array.from({ length: d }, (_, k) => (k === 0 ? scale : sdX)) },
    sample: (n, seed) => {
      const rng = new Rng(seed, EXACT_SAMPLE_STREAM);
      const out = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        const v = scale * rng.normal();
        out[i * d] = v;
        const sd = Math.exp(v / 2);
        for (let k = 1; k < d; k++) out[i * d + k] = sd * rng.normal();
      }
      return out;
    },
    reference: 'exact: v ~ N(0, scale^2); x_k mean 0, sd exp(scale^2 / 4)',
  };
}
