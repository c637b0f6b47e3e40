/**
 * The float64 d-D samplers against exact answers: MALA on gaussian-nd (d = 32, condition 100) hits
 * the exact moments; ULA's known stationary bias matches its closed form; SVGD's variance
 * underestimation in high d is measured; GWG moves towards the target and adapts p; MALA on
 * eight-schools matches the shipped reference draws.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../reference/philox';
import { meanSd } from './diagnostics';
import { langevinNdStep } from './reference/langevinNd';
import { medianBandwidthNd, svgdNd } from './reference/svgdNd';
import { gwgAdaptNd, gwgNdStep } from './reference/gwgNd';
import { parseReference } from './referenceDraws';
import { createNdTarget } from './targets';
import type { NdTarget } from './types';

function normals(n: number, d: number, seed: number, scale = 1, shift = 0): Float64Array {
  const rng = new Rng(seed, 9);
  return Float64Array.from({ length: n * d }, () => shift + scale * rng.normal());
}

function runLangevin(t: NdTarget, x0: Float64Array, n: number, steps: number, h: number, mala: boolean): { x: Float64Array; acceptance: number } {
  let x = x0, acc = 0;
  for (let s = 0; s < steps; s++) {
    const r = langevinNdStep(t, x, { n, d: t.d, h, seed: 3, step: s, mala });
    x = r.x;
    acc += r.accepted;
  }
  return { x, acceptance: acc / (n * steps) };
}

describe('Langevin on gaussian-nd, d = 32, condition 100 (variances 1 .. 0.01)', () => {
  const t = createNdTarget('gaussian-nd', { d: '32', cond: '100', mean: '0.5' });
  const sd = t.exact?.sd ?? new Float64Array();
  const n = 400, steps = 800, h = 0.008;
  // every coordinate relaxes like exp(-t / s_k^2) with s_k^2 <= 1: t = steps h = 6.4 leaves e^-6.4 of
  // the start's error; particles are then independent draws, so the mean's SE is s_k / sqrt(N)
  it('MALA matches the exact mean and sd of every coordinate (N = 400 independent chains, 800 steps)', () => {
    const { x, acceptance } = runLangevin(t, normals(n, 32, 5), n, steps, h, true);
    const m = meanSd(x, n, 32);
    expect(acceptance).toBeGreaterThan(0.6);
    for (let k = 0; k < 32; k++) {
      const s = sd[k] ?? 1;
      expect(Math.abs((m.mean[k] ?? 0) - 0.5), `mean x${k + 1}`).toBeLessThan((4.5 * s) / Math.sqrt(n));
      expect(Math.abs((m.sd[k] ?? 0) / s - 1), `sd x${k + 1}`).toBeLessThan(4.5 / Math.sqrt(2 * n));
    }
  });
  it('ULA (same step) is biased as its closed form says: stationary variance s^2 / (1 - h / (2 s^2))', () => {
    const { x } = runLangevin(t, normals(n, 32, 6), n, steps, h, false);
    const m = meanSd(x, n, 32);
    const k = 31, s2 = (sd[k] ?? 1) ** 2;
    const ulaSd = Math.sqrt(s2 / (1 - h / (2 * s2)));
    // stiffest coordinate: ULA inflates its sd by 29%, far beyond the 4.5-SE band of 16%
    expect(ulaSd / Math.sqrt(s2)).toBeGreaterThan(1.25);
    expect(Math.abs((m.sd[k] ?? 0) / ulaSd - 1)).toBeLessThan(4.5 / Math.sqrt(2 * n));
  });
});

describe('SVGD in high dimension (rbf, median bandwidth, N = 100, target N(0, I_d))', () => {
  /** Mean over coordinates of the particle variance after `steps` steps of size h, from N(0, I). */
  function svgdVariance(d: number, steps: number): number {
    const t = createNdTarget('gaussian-nd', { d: String(d), cond: '1' });
    const n = 100;
    let x = normals(n, d, 5);
    for (let s = 0; s < steps; s++) {
      const g = new Float64Array(n * d);
      t.logpGrad(x, n, g);
      x = svgdNd(x, g, { n, d, h: 1, bandwidth: medianBandwidthNd(x, n, d).bandwidth, kernel: 'rbf' });
    }
    const { sd } = meanSd(x, n, d);
    return sd.reduce((a, s) => a + s * s, 0) / d;
  }
  it('underestimates the variance, more as d grows (measured; N(0, I) start, 300 steps of h = 1)', () => {
    const v2 = svgdVariance(2, 300), v64 = svgdVariance(64, 300);
    console.log(`SVGD rbf N=100 variance / true: d=2 ${v2.toFixed(3)}, d=64 ${v64.toFixed(3)}`);
    expect(v2).toBeGreaterThan(0.85);
    expect(v64).toBeLessThan(0.15);
  });
});

describe('GWG in d dimensions', () => {
  it('moves a shifted cloud onto gaussian-nd (d = 6) and adaptive p falls far from the target, rises near it', () => {
    const t = createNdTarget('gaussian-nd', { d: '6', cond: '4' });
    const n = 64, d = 6;
    let x = normals(n, d, 8, 0.5, 3);
    let c: Float64Array = new Float64Array(n * d);
    let p = 2;
    const pFar: number[] = [];
    for (let s = 0; s < 150; s++) {
      const g = new Float64Array(n * d);
      t.logpGrad(x, n, g);
      const sigma2 = medianBandwidthNd(x, n, d).bandwidth;
      const r = gwgNdStep(x, g, c, { n, d, h: 0.2, sigma2, p, inner: 3, lr: 1, eps2: 1e-4, move: 'gradHStar' });
      x = r.x;
      c = r.c;
      p = gwgAdaptNd(r.f, p, { n, d, rate: 0.05, eps2: 1e-4, move: 'gradHStar' }).p;
      if (s < 5) pFar.push(p);
    }
    const m = meanSd(x, n, d);
    for (let k = 0; k < d; k++) expect(Math.abs(m.mean[k] ?? 9), `mean x${k + 1}`).toBeLessThan(0.3);
    expect(pFar[4] ?? 2).toBeLessThan(2);
    expect(p).toBeGreaterThan(pFar[4] ?? 2);
  });
});

describe('MALA on eight-schools against the shipped reference draws', () => {
  it('per-coordinate mean within 0.25 reference sd, sd ratio within [0.8, 1.2] (N = 400, 1,500 steps)', () => {
    const dir = new URL('../../public/data/nd-reference/', import.meta.url);
    const ref = parseReference(readFileSync(new URL('eight-schools.json', dir), 'utf8'), new Uint8Array(readFileSync(new URL('eight-schools.npy', dir))));
    const t = createNdTarget('eight-schools');
    const n = 400;
    const { x, acceptance } = runLangevin(t, normals(n, 10, 9), n, 1500, 0.06, true);
    expect(acceptance).toBeGreaterThan(0.5);
    const m = meanSd(x, n, 10);
    for (let k = 0; k < 10; k++) {
      const rs = ref.info.sd[k] ?? 1;
      // MC error of N = 400 independent chains: 0.05 sd (mean), 0.035 (sd ratio): the bands are ~5 SE
      expect(Math.abs((m.mean[k] ?? 0) - (ref.info.mean[k] ?? 0)) / rs, `mean ${t.names[k]}`).toBeLessThan(0.25);
      expect(Math.abs((m.sd[k] ?? 0) / rs - 1), `sd ${t.names[k]}`).toBeLessThan(0.2);
    }
  });
});
