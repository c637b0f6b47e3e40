/**
 * Marginals and histograms (float64): analytic mixture marginals vs closed forms and vs the
 * quadrature on the same target; quadrature marginals of targets without a closed form vs
 * histograms of their exact samplers; histogram normalisation with exact counts.
 */
import { describe, expect, it } from 'vitest';
import { Rng, Stream } from '../reference/philox';
import { createTarget } from '../targets/registry';
import { componentMarginals, histogram, quadratureMarginals, trueMarginals, type Axis } from './marginals';

/** Integral of f over [lo, hi] by the midpoint rule with m cells. */
function integrate(f: (t: number) => number, lo: number, hi: number, m = 4000): number {
  const h = (hi - lo) / m;
  let s = 0;
  for (let i = 0; i < m; i++) s += f(lo + (i + 0.5) * h);
  return s * h;
}

describe('true marginals', () => {
  it('a Gaussian: the closed-form N(m, s11) and N(m, s22) densities', () => {
    const m = componentMarginals([{ mean: [1, -2], cov: [4, 0.7, 0.25], weight: 3 }]);
    // exact values at the means: 1 / sqrt(2 pi s)
    expect(m.density(0, 1)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI * 4), 14);
    expect(m.density(1, -2)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI * 0.25), 14);
    // one standard deviation out: exp(-1/2) of the peak
    expect(m.density(0, 3) / m.density(0, 1)).toBeCloseTo(Math.exp(-0.5), 14);
    expect(integrate((t) => m.density(0, t), -20, 20)).toBeCloseTo(1, 10);
  });

  it('mixture weights are normalised; each marginal integrates to 1', () => {
    const t = createTarget('mixture');
    const m = trueMarginals(t);
    if (!m) throw new Error('no marginals');
    expect(m.kind).toBe('analytic');
    for (const axis of [0, 1] as Axis[]) expect(integrate((s) => m.density(axis, s), -30, 30)).toBeCloseTo(1, 8);
  });

  // The quadrature grid is 3x the view (26.4 units / 400 cells: h = 0.066) and interpolated linearly:
  // the interpolation error h^2/8 |f''| is ~h^2 / (8 s^2) = 1.1e-3 of a component's peak for the
  // narrowest (s = 0.71); measured 8.3e-4.
  it('the quadrature agrees with the analytic marginals of the default mixture (2e-3 of the peak)', () => {
    const t = createTarget('mixture');
    const a = componentMarginals(t.components ?? []);
    const q = quadratureMarginals(t);
    if (!q) throw new Error('no quadrature');
    for (const axis of [0, 1] as Axis[]) {
      let peak = 0;
      let worst = 0;
      for (let s = -5; s <= 5; s += 0.0371) {
        peak = Math.max(peak, a.density(axis, s));
        worst = Math.max(worst, Math.abs(a.density(axis, s) - q.density(axis, s)));
      }
      expect(worst / peak).toBeLessThan(2e-3);
    }
  });

  it('torus mixture: wrapped marginals are 1-periodic, integrate to 1 over the cell and match the quadrature', () => {
    const t = createTarget('torus-mixture');
    const a = trueMarginals(t);
    const q = quadratureMarginals(t, 256);
    if (!a || !q) throw new Error('no marginals');
    for (const axis of [0, 1] as Axis[]) {
      expect(integrate((s) => a.density(axis, s), 0, 1)).toBeCloseTo(1, 8);
      expect(a.density(axis, 0.3)).toBeCloseTo(a.density(axis, 1.3), 12);
      let peak = 0;
      let worst = 0;
      for (let s = 0.01; s < 1; s += 0.0173) {
        peak = Math.max(peak, a.density(axis, s));
        worst = Math.max(worst, Math.abs(a.density(axis, s) - q.density(axis, s)));
      }
      expect(worst / peak).toBeLessThan(2e-3);
    }
  });

  // Quadrature against the exact samplers: 200,000 samples in 40 bins; the bin-mean density of the
  // quadrature vs the histogram, within 4 binomial standard deviations + 2% of the peak (grid error).
  // (The funnel is left out: its y-marginal has an integrable spike at 0 that no grid resolves.)
  it.each(['banana', 'squiggle'])('%s: quadrature marginals match a histogram of the exact sampler', (id) => {
    const t = createTarget(id);
    const sample = t.sample;
    if (!sample) throw new Error(`${id} has no sampler`);
    const q = trueMarginals(t);
    if (!q) throw new Error('no marginals');
    expect(q.kind).toBe('quadrature');
    const n = 200_000;
    const xs = sample(new Rng(11, Stream.sampler), n);
    const [x0, x1, y0, y1] = t.view;
    for (const [axis, lo, hi] of [[0, x0, x1], [1, y0, y1]] as [Axis, number, number][]) {
      const bins = 40;
      const h = histogram(xs, n, axis, lo, hi, bins);
      const w = (hi - lo) / bins;
      let peak = 0;
      for (let b = 0; b < bins; b++) peak = Math.max(peak, h[b] ?? 0);
      for (let b = 0; b < bins; b++) {
        const mean = integrate((s) => q.density(axis, s), lo + b * w, lo + (b + 1) * w, 20) / w;
        const pBin = mean * w;
        const sd = Math.sqrt((pBin * (1 - pBin)) / n) / w;
        expect(Math.abs((h[b] ?? 0) - mean), `${id} axis ${axis} bin ${b}`).toBeLessThan(4 * sd + 0.02 * peak);
      }
    }
  });
});

describe('histogram', () => {
  it('exact counts / (total * width); points outside the range count in the total; NaN does not', () => {
    const pts = [0.1, 0, 0.2, 0, 0.9, 0, 5, 0, NaN, 0];
    const h = histogram(pts, 5, 0, 0, 1, 2);
    // 4 finite points, width 0.5: bin 0 holds 2, bin 1 holds 1
    expect(Array.from(h)).toEqual([2 / (4 * 0.5), 1 / (4 * 0.5)]);
  });

  it('periodic: points counted at their images in the neighbouring cells', () => {
    const h = histogram([0.95, 0.5], 1, 0, -0.1, 1.1, 12, true);
    // 0.95 falls in bin 10 ([0.9,1.0)) and its image -0.05 in bin 0 ([-0.1,0))
    expect(h[10]).toBeCloseTo(1 / 0.1, 12);
    expect(h[0]).toBeCloseTo(1 / 0.1, 12);
    expect(h.reduce((a, b) => a + b, 0) * 0.1).toBeCloseTo(2, 12);
  });
});
