/**
 * `gaussian` N(m, S) and `mixture` sum_k w_k N(m_k, S_k) (METHODS.md "Built-in targets").
 * Both pack as kind 0 (gaussian mixture, normalised log-density); exact samples by picking a
 * component with probability w_k and then x = m_k + L_k z, S_k = L_k L_k^T (Cholesky).
 */
import { ParamError, type ParamSpec, type ParamValue, type Params } from '../core/params';
import type { Rng } from '../reference/philox';
import { targetLogp, targetScore } from '../reference/targetEval';
import { packMixture } from './pack';
import { MAX_COMPONENTS, type Component, type PackedTarget, type TargetDef, type TargetInstance } from './types';

type Cov = [number, number, number];
type View = [number, number, number, number];

/** |rho| below 1 - 5e-7: the f32 precision matrix stays meaningful. */
const MIN_DET_RATIO = 1e-6;

/**
 * A covariance from [s11, s12, s22] or row-major [s11, s12, s21, s22] (symmetric within 1e-12
 * relative); must be positive definite. Errors name `param` (and `where`, e.g. 'components[2].cov').
 */
export function parseCov(v: unknown, param: string, where: string = param): Cov {
  if (!Array.isArray(v) || !v.every((e): e is number => typeof e === 'number' && Number.isFinite(e))) {
    throw new ParamError(param, `${where}: expected 3 numbers [s11, s12, s22] or 4 (row-major 2x2)`);
  }
  let cov: Cov;
  if (v.length === 3) {
    cov = [v[0] ?? 0, v[1] ?? 0, v[2] ?? 0];
  } else if (v.length === 4) {
    const [a = 0, b = 0, c = 0, e = 0] = v;
    const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c), Math.abs(e));
    if (Math.abs(b - c) > 1e-12 * scale) throw new ParamError(param, `${where}: not symmetric (${b} vs ${c})`);
    cov = [a, 0.5 * (b + c), e];
  } else {
    throw new ParamError(param, `${where}: expected 3 numbers [s11, s12, s22] or 4 (row-major 2x2), got ${v.length}`);
  }
  const [s11, s12, s22] = cov;
  const det = s11 * s22 - s12 * s12;
  if (!(s11 > 0 && s22 > 0 && det > MIN_DET_RATIO * s11 * s22)) {
    throw new ParamError(param, `${where}: [${cov.join(', ')}] is not (numerically) positive definite`);
  }
  // The GPU reads the precision matrix S^-1 as f32: it must stay finite there (|entries| < 3.4e38).
  if (![s22 / det, s12 / det, s11 / det].every((p) => Number.isFinite(Math.fround(p)))) {
    throw new ParamError(param, `${where}: [${cov.join(', ')}] is too small: its inverse overflows float32`);
  }
  return cov;
}

function parseVec2(v: unknown, param: string, where: string = param): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((e) => typeof e === 'number' && Number.isFinite(e))) {
    throw new ParamError(param, `${where}: expected 2 finite numbers`);
  }
  return [Number(v[0]), Number(v[1])];
}

/** Parse and check the `components` JSON; weights are returned normalised to sum 1. */
export function parseComponents(text: string): Component[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ParamError('components', `components: invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!Array.isArray(raw)) throw new ParamError('components', 'components: expected a JSON array of {mean, cov | std, weight}');
  if (raw.length < 1 || raw.length > MAX_COMPONENTS) {
    throw new ParamError('components', `components: expected 1..${MAX_COMPONENTS} components, got ${raw.length}`);
  }
  const comps = raw.map((c: unknown, k): Component => {
    const where = `components[${k}]`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new ParamError('components', `${where}: expected an object {mean, cov | std, weight}`);
    const o = c as Record<string, unknown>;
    const mean = parseVec2(o.mean, 'components', `${where}.mean`);
    let cov: Cov;
    if (o.cov !== undefined && o.std !== undefined) throw new ParamError('components', `${where}: give cov or std, not both`);
    if (o.std !== undefined) {
      if (typeof o.std !== 'number' || !(o.std > 0) || !Number.isFinite(o.std * o.std)) throw new ParamError('components', `${where}.std: expected a positive number (std^2 finite)`);
      // std^2 may underflow to 0 (1e-200) or overflow (1e200): checked like an explicit cov.
      cov = parseCov([o.std * o.std, 0, o.std * o.std], 'components', `${where}.std`);
    } else if (o.cov !== undefined) {
      cov = parseCov(o.cov, 'components', `${where}.cov`);
    } else {
      throw new ParamError('components', `${where}: needs cov [s11, s12, s22] or std`);
    }
    const weight = o.weight === undefined ? 1 : o.weight;
    if (typeof weight !== 'number' || !(weight > 0) || !Number.isFinite(weight)) {
      throw new ParamError('components', `${where}.weight: expected a finite positive number, got ${JSON.stringify(weight) ?? String(weight)}`);
    }
    return { mean, cov, weight };
  });
  const weights = normalisedWeights(comps.map((c) => c.weight));
  return comps.map((c, k) => ({ ...c, weight: weights[k] ?? MIN_WEIGHT }));
}

/**
 * Smallest normalised weight kept. A component whose weight is below it (relative to the total) is
 * raised to it, so that after any input every weight stays positive and the JSON round-trips: e.g.
 * weights 1e308 and 1e-300 would otherwise normalise to exactly 1 and 0 (underflow), and the next
 * edit would be refused. log(1e-300) = -690.8 is still an f32 (the GPU packs log weights).
 */
export const MIN_WEIGHT = 1e-300;

/**
 * w / sum(w) without overflow or underflow of the sum: divide by the largest weight first (the
 * scaled weights lie in (0, 1], their sum in [1, 16]), then floor at MIN_WEIGHT. Weights must be
 * finite and positive (checked by the caller).
 */
export function normalisedWeights(w: readonly number[]): number[] {
  const max = w.reduce((m, v) => Math.max(m, v), 0);
  const scaled = w.map((v) => v / max);
  const total = scaled.reduce((s, v) => s + v, 0);
  return scaled.map((v) => Math.max(v / total, MIN_WEIGHT));
}

/** Equal-sided rectangle around [xmin, xmax] x [ymin, ymax] with a 5 % margin. */
export function squareView(xmin: number, xmax: number, ymin: number, ymax: number): View {
  const cx = 0.5 * (xmin + xmax);
  const cy = 0.5 * (ymin + ymax);
  const h = 0.525 * Math.max(xmax - xmin, ymax - ymin);
  return [cx - h, cx + h, cy - h, cy + h];
}

/** Lower Cholesky factor [l11, l21, l22] of [s11, s12, s22]. */
export function chol2(cov: Cov): Cov {
  const l11 = Math.sqrt(cov[0]);
  const l21 = cov[1] / l11;
  return [l11, l21, Math.sqrt(cov[2] - l21 * l21)];
}

function mixtureView(comps: readonly Component[]): View {
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const c of comps) {
    const sx = 3 * Math.sqrt(c.cov[0]);
    const sy = 3 * Math.sqrt(c.cov[2]);
    xmin = Math.min(xmin, c.mean[0] - sx);
    xmax = Math.max(xmax, c.mean[0] + sx);
    ymin = Math.min(ymin, c.mean[1] - sy);
    ymax = Math.max(ymax, c.mean[1] + sy);
  }
  return squareView(xmin, xmax, ymin, ymax);
}

export function mixtureSampler(comps: readonly Component[]): (rng: Rng, n: number) => Float64Array {
  const ls = comps.map((c) => chol2(c.cov));
  const cum: number[] = [];
  let acc = 0;
  for (const c of comps) cum.push((acc += c.weight));
  return (rng, n) => {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      let k = 0;
      if (comps.length > 1) {
        const u = rng.uniform() * acc;
        while (k < comps.length - 1 && u > (cum[k] ?? acc)) k++;
      }
      const c = comps[k];
      const l = ls[k];
      if (!c || !l) continue;
      const z0 = rng.normal();
      const z1 = rng.normal();
      out[2 * i] = c.mean[0] + l[0] * z0;
      out[2 * i + 1] = c.mean[1] + l[1] * z0 + l[2] * z1;
    }
    return out;
  };
}

/** Density and score come from the packed data (single source of truth with the WGSL). */
export function instanceFromPacked(
  id: string,
  params: Params,
  packed: PackedTarget,
  view: View,
  sample?: (rng: Rng, n: number) => Float64Array,
): TargetInstance {
  const inst: TargetInstance = {
    id,
    params,
    packed,
    view,
    logDensity: (x, y) => targetLogp(packed, x, y),
    score: (x, y) => targetScore(packed, x, y),
  };
  if (sample) inst.sample = sample;
  return inst;
}

function mixtureInstance(id: string, params: Params, comps: Component[]): TargetInstance {
  const inst = instanceFromPacked(id, params, packMixture(comps), mixtureView(comps), mixtureSampler(comps));
  inst.components = comps;
  return inst;
}

export const DEFAULT_COMPONENTS: Component[] = [
  { mean: [-1.5, -1.5], cov: [0.8, 0, 0.8], weight: 1 },
  { mean: [1.5, 1.5], cov: [0.8, 0, 0.8], weight: 1 },
  { mean: [-2, 2], cov: [0.5, 0, 0.5], weight: 1 },
];

export const gaussian: TargetDef = {
  id: 'gaussian',
  label: 'Gaussian',
  description: 'N(m, S). Exact samples.',
  about: {
    tex: String.raw`\pi(x) = \mathcal{N}(x;\ m, S) = \frac{1}{2\pi\sqrt{\det S}}\,\exp\!\Big(-\tfrac12\,(x - m)^{\top} S^{-1} (x - m)\Big)`,
    text: 'The reference target: everything is known in closed form (mean, covariance, exact samples), so you can see how close each method gets and how the step size biases it. Drag its handle on the canvas to move the mean.',
    params: { mean: 'The mean m = (m₁, m₂).', cov: 'The covariance S as s₁₁, s₁₂, s₂₂ (symmetric positive definite): the ellipse drawn around the handle.' },
  },
  params: [
    { name: 'mean', label: 'Mean m (m1, m2)', kind: 'vector', length: 2, default: [0, 0], description: 'Mean m = (m1, m2).' },
    { name: 'cov', label: 'Covariance S (s11, s12, s22)', kind: 'vector', default: [1, 0, 1], description: 'Covariance S as s11,s12,s22 or row-major s11,s12,s21,s22; symmetric positive definite.' },
  ],
  create(params) {
    const mean = parseVec2(params.mean, 'mean');
    const cov = parseCov(params.cov, 'cov');
    const comps: Component[] = [{ mean, cov, weight: 1 }];
    const s = 3.5 * Math.sqrt(Math.max(cov[0], cov[2]));
    const inst = instanceFromPacked('gaussian', params, packMixture(comps), [mean[0] - s, mean[0] + s, mean[1] - s, mean[1] + s], mixtureSampler(comps));
    inst.components = comps;
    return inst;
  },
};

const componentsSpec: ParamSpec = {
  name: 'components',
  label: 'components',
  kind: 'json',
  default: JSON.stringify(DEFAULT_COMPONENTS),
  description: `JSON array of 1..${MAX_COMPONENTS} components {"mean":[x,y],"cov":[s11,s12,s22] or "std":s,"weight":w}; weights are normalised.`,
};

export const mixture: TargetDef = {
  id: 'mixture',
  label: 'Gaussian mixture',
  description: 'sum_k w_k N(m_k, S_k); drag the components on the canvas. Exact samples.',
  about: {
    tex: String.raw`\pi(x) = \sum_{k=1}^{K} w_k\,\mathcal{N}(x;\ m_k, S_k), \qquad \sum_{k} w_k = 1`,
    text: 'Separated modes: a sampler must find each bump and put the right share w_k of the particles in it. Drag a component on the canvas and watch the particles follow; the side panel sets each weight and spread.',
    params: { components: 'The components {mean m_k, covariance S_k (or std), weight w_k}, 1 to 16; weights are normalised to sum to 1.' },
  },
  params: [componentsSpec],
  // drag the components on the canvas; the side panel sets weights and spreads, adds and removes
  editor: { kind: 'components', params: (comps) => componentsParams(comps), freshCov: [0.5, 0, 0.5] },
  create(params) {
    const text: ParamValue | undefined = params.components;
    if (typeof text !== 'string') throw new ParamError('components', 'components: expected JSON text');
    return mixtureInstance('mixture', params, parseComponents(text));
  },
};

/** The `components` JSON parameter for these components (what the canvas and the side panel write). */
export function componentsParams(comps: readonly Component[]): Params {
  return { components: JSON.stringify(comps.map((c) => ({ mean: c.mean, cov: c.cov, weight: c.weight }))) };
}

/** A mixture instance with the given components (e.g. after a drag on the canvas); checked like the JSON. */
export function mixtureFromComponents(comps: readonly Component[]): TargetInstance {
  const text = JSON.stringify(comps.map((c) => ({ mean: c.mean, cov: c.cov, weight: c.weight })));
  return mixture.create({ components: text });
}
