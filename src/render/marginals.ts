/**
 * Marginal histograms of the particles and the target's true marginals (float64, pure).
 *
 * True marginals, once per target instance (cached; computed off the frame path by the caller):
 * - Gaussians and mixtures: analytic, sum_k w_k N(x; m_k, S_k[axis]) (weights normalised); on the
 *   torus wrapped over the images k = -4..4 (spreads are at most 0.25 there).
 * - other score targets: quadrature of exp(logp) on a QUAD x QUAD midpoint grid over the target's
 *   view widened by its width on each side (the periodic cell [0,1)^2 on the torus), normalised on
 *   the grid, tabulated and interpolated linearly.
 * - sample-only targets have no density: the caller bins their cloud instead.
 */
import type { Component, TargetInstance } from '../targets/types';

export type Axis = 0 | 1;

export interface Marginals {
  kind: 'analytic' | 'quadrature';
  /** Density of the marginal along axis 0 (x) or 1 (y). */
  density(axis: Axis, t: number): number;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);
export const QUAD = 400;

function normalPdf(t: number, mean: number, variance: number): number {
  const s = Math.sqrt(variance);
  const z = (t - mean) / s;
  return Math.exp(-0.5 * z * z) / (s * SQRT_2PI);
}

/** Analytic marginals of a Gaussian mixture (wrapped on the torus). */
export function componentMarginals(components: readonly Component[], periodic = false): Marginals {
  const total = components.reduce((a, c) => a + (c.weight > 0 && Number.isFinite(c.weight) ? c.weight : 0), 0);
  const images = periodic ? [-4, -3, -2, -1, 0, 1, 2, 3, 4] : [0];
  return {
    kind: 'analytic',
    density(axis, t) {
      if (!(total > 0)) return 0;
      // on the torus the marginal is 1-periodic: evaluate at t mod 1 over the images
      const u = periodic ? t - Math.floor(t) : t;
      let s = 0;
      for (const c of components) {
        const w = c.weight > 0 && Number.isFinite(c.weight) ? c.weight / total : 0;
        if (w === 0) continue;
        const m = c.mean[axis];
        const v = axis === 0 ? c.cov[0] : c.cov[2];
        for (const k of images) s += w * normalPdf(u + k, m, v);
      }
      return s;
    },
  };
}

/** The box the quadrature covers: the view widened by its size on each side, or the unit cell. */
export function quadratureBox(target: Pick<TargetInstance, 'view' | 'periodic'>): [number, number, number, number] {
  if (target.periodic) return [0, 1, 0, 1];
  const [x0, x1, y0, y1] = target.view;
  const wx = x1 - x0;
  const wy = y1 - y0;
  return [x0 - wx, x1 + wx, y0 - wy, y1 + wy];
}

/** Marginals by quadrature of exp(logp) on a grid x grid midpoint grid of `box`. */
export function quadratureMarginals(target: Pick<TargetInstance, 'logDensity' | 'view' | 'periodic'>, grid = QUAD, box = quadratureBox(target)): Marginals | undefined {
  const [x0, x1, y0, y1] = box;
  const hx = (x1 - x0) / grid;
  const hy = (y1 - y0) / grid;
  const lp = new Float64Array(grid * grid);
  let lmax = -Infinity;
  for (let j = 0; j < grid; j++) {
    const y = y0 + (j + 0.5) * hy;
    for (let i = 0; i < grid; i++) {
      const v = target.logDensity(x0 + (i + 0.5) * hx, y);
      lp[j * grid + i] = v;
      if (Number.isFinite(v) && v > lmax) lmax = v;
    }
  }
  if (!Number.isFinite(lmax)) return undefined;
  const mx = new Float64Array(grid);
  const my = new Float64Array(grid);
  let z = 0;
  for (let j = 0; j < grid; j++) {
    for (let i = 0; i < grid; i++) {
      const v = lp[j * grid + i] ?? -Infinity;
      const p = Number.isFinite(v) ? Math.exp(v - lmax) : 0;
      mx[i] = (mx[i] ?? 0) + p;
      my[j] = (my[j] ?? 0) + p;
      z += p;
    }
  }
  if (!(z > 0)) return undefined;
  // densities: mass per cell column / (z * width)
  for (let i = 0; i < grid; i++) mx[i] = (mx[i] ?? 0) / (z * hx);
  for (let j = 0; j < grid; j++) my[j] = (my[j] ?? 0) / (z * hy);
  const periodic = target.periodic === true;
  const interp = (table: Float64Array, lo: number, h: number, t: number): number => {
    let u = (t - lo) / h - 0.5;
    if (periodic) u = ((u % grid) + grid) % grid;
    const i = Math.floor(u);
    const f = u - i;
    const at = (k: number): number => (periodic ? table[((k % grid) + grid) % grid] : table[k]) ?? 0;
    if (!periodic && (u < -0.5 || u > grid - 0.5)) return 0;
    return (1 - f) * at(Math.max(i, periodic ? i : 0)) + f * at(Math.min(i + 1, periodic ? i + 1 : grid - 1));
  };
  return { kind: 'quadrature', density: (axis, t) => (axis === 0 ? interp(mx, x0, hx, t) : interp(my, y0, hy, t)) };
}

const cache = new WeakMap<TargetInstance, Marginals | null>();

/** The target's true marginals (cached per instance); undefined for sample-only targets or when not computable. */
export function trueMarginals(target: TargetInstance): Marginals | undefined {
  if (target.sampleOnly) return undefined;
  const hit = cache.get(target);
  if (hit !== undefined) return hit ?? undefined;
  const m = target.components && target.components.length > 0 ? componentMarginals(target.components, target.periodic === true) : quadratureMarginals(target);
  cache.set(target, m ?? null);
  return m;
}

/**
 * Histogram densities along `axis` over [lo, hi) in `bins` bins: count / (total * width), where
 * total is the number of points (points outside the range count in the total); periodic: each
 * point also at its images t + k, k in {-1, 0, 1} (the torus view shows the neighbouring cells).
 */
export function histogram(points: ArrayLike<number>, count: number, axis: Axis, lo: number, hi: number, bins: number, periodic = false): Float64Array {
  const out = new Float64Array(bins);
  const w = (hi - lo) / bins;
  if (!(w > 0) || count < 1) return out;
  const shifts = periodic ? [-1, 0, 1] : [0];
  let total = 0;
  for (let p = 0; p < count; p++) {
    const t = points[2 * p + axis] ?? NaN;
    if (!Number.isFinite(t)) continue;
    total++;
    for (const k of shifts) {
      const b = Math.floor((t + k - lo) / w);
      if (b >= 0 && b < bins) out[b] = (out[b] ?? 0) + 1;
    }
  }
  if (total > 0) for (let b = 0; b < bins; b++) out[b] = (out[b] ?? 0) / (total * w);
  return out;
}
