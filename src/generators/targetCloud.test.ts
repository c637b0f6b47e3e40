/**
 * targetCloud (src/generators/targetCloud.ts): which way each kind of target is sampled, and the
 * density-grid sampler against exact answers.
 *
 * Gaussian through the grid (its exact sampler removed, so the density route runs): mean and
 * covariance within 5 standard errors at n = 65,536 (SE of a mean sqrt(s_ii / n) ~ 0.004, of a
 * (co)variance ~ sqrt(2 / n) s ~ 0.006). The grid's own biases stay below that tolerance: the view box cuts
 * the density at ~3.5 std (a standard normal cut at +-3.5 loses 7 phi(3.5) / (2 Phi(3.5) - 1) = 0.006
 * of its variance), the
 * cell jitter adds h^2 / 12 = 6e-5 (h = 7 / 256).
 * One lit pixel: every point lies inside that pixel, both for an image cloud (way 1) and for a
 * density that is zero outside one grid-aligned square (way 3), exactly (no tolerance).
 */
import { describe, expect, it } from 'vitest';
import { Rng, Stream } from '../reference/philox';
import { cloudTarget } from '../targets/cloud';
import { cloudFromIntensity } from '../targets/image';
import { createTarget } from '../targets/registry';
import type { TargetInstance } from '../targets/types';
import { sampleDensityGrid, targetCloud, TargetCloudError } from './targetCloud';

function moments(x: Float64Array): { mean: [number, number]; cov: [number, number, number] } {
  const n = x.length / 2;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[2 * i] ?? 0; my += x[2 * i + 1] ?? 0; }
  mx /= n; my /= n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const a = (x[2 * i] ?? 0) - mx, b = (x[2 * i + 1] ?? 0) - my;
    sxx += a * a; sxy += a * b; syy += b * b;
  }
  return { mean: [mx, my], cov: [sxx / (n - 1), sxy / (n - 1), syy / (n - 1)] };
}

function withoutSampler(t: TargetInstance): TargetInstance {
  const { sample: _drop, ...rest } = t;
  void _drop;
  return rest;
}

describe('targetCloud: the way each target is sampled', () => {
  it('cloud targets give their points; exact samplers are used when present; same seed, same points', () => {
    const pts = Float64Array.of(0, 0, 1, 1, 2, 0);
    expect(targetCloud(cloudTarget(pts), 100, 1)).toEqual({ points: pts, source: 'cloud' });
    const g = createTarget('8gaussians');
    const a = targetCloud(g, 1000, 7);
    expect(a.source).toBe('sampler');
    expect(a.points.length).toBe(2000);
    expect(targetCloud(g, 1000, 7).points).toEqual(a.points);
    expect(targetCloud(g, 1000, 8).points).not.toEqual(a.points);
    const d = targetCloud(createTarget('donut'), 500, 3);
    expect(d.source).toBe('density');
    expect(targetCloud(createTarget('donut'), 500, 3).points).toEqual(d.points);
  });

  it('refuses a landscape, a target with nothing to sample, and bad counts, with clear messages', () => {
    expect(() => targetCloud(createTarget('double-well'), 100, 1)).toThrow(/energy landscape/);
    const empty = { ...withoutSampler(createTarget('checkerboard')), sampleOnly: true };
    expect(() => targetCloud(empty, 100, 1)).toThrow(/neither samples nor a density/);
    expect(() => targetCloud(createTarget('gaussian'), 0, 1)).toThrow(TargetCloudError);
    const zero: TargetInstance = { ...withoutSampler(createTarget('gaussian')), logDensity: () => -Infinity };
    expect(() => targetCloud(zero, 10, 1)).toThrow(/zero .* everywhere/);
  });
});

describe('targetCloud: the density grid', () => {
  it('a correlated Gaussian drawn from its density has its mean and covariance (5 SE, n = 65,536)', () => {
    const mean = [0.5, -0.3], cov = [1, 0.6, 1.5];
    const t = withoutSampler(createTarget('gaussian', { mean, cov }));
    const n = 65_536;
    const r = targetCloud(t, n, 11);
    expect(r.source).toBe('density');
    const m = moments(r.points);
    const se = (v: number): number => Math.sqrt(v / n);
    expect(Math.abs(m.mean[0] - 0.5)).toBeLessThan(5 * se(1));
    expect(Math.abs(m.mean[1] + 0.3)).toBeLessThan(5 * se(1.5));
    // (co)variance SEs: var(s_ij) = (s_ii s_jj + s_ij^2) / n
    expect(Math.abs(m.cov[0] - 1)).toBeLessThan(5 * se(2 * 1 * 1));
    expect(Math.abs(m.cov[1] - 0.6)).toBeLessThan(5 * se(1 * 1.5 + 0.36));
    expect(Math.abs(m.cov[2] - 1.5)).toBeLessThan(5 * se(2 * 1.5 * 1.5));
  });

  it('one lit pixel of an image: every point inside that pixel (image cloud and density grid)', () => {
    // 8 x 8 image over [-4, 4]^2: pixel (col 5, row 2) is [1, 2] x [1, 2] (row 0 is the top)
    const gray = new Uint8Array(64);
    gray[2 * 8 + 5] = 255;
    const img = cloudTarget(cloudFromIntensity(gray, 8, 8, 4096, new Rng(1, Stream.sampler)));
    const a = targetCloud(img, 4096, 1).points;
    const inside = (x: Float64Array, x0: number, x1: number, y0: number, y1: number): boolean => {
      for (let i = 0; i < x.length / 2; i++) {
        const px = x[2 * i] ?? NaN, py = x[2 * i + 1] ?? NaN;
        if (!(px >= x0 && px <= x1 && py >= y0 && py <= y1)) return false;
      }
      return true;
    };
    expect(inside(a, 1, 2, 1, 2)).toBe(true);
    // the same pixel as a density (zero elsewhere), grid 256 over [-4, 4]^2: cells of 1/32 align with it
    const logp = (x: number, y: number): number => (x >= 1 && x < 2 && y >= 1 && y < 2 ? 0 : -Infinity);
    const b = sampleDensityGrid(logp, [-4, 4, -4, 4], 4096, new Rng(2, Stream.sampler));
    expect(inside(b, 1, 2, 1, 2)).toBe(true);
    // and it fills the pixel: each quarter of it gets about a quarter of the points (|z| < 5)
    let q = 0;
    for (let i = 0; i < 4096; i++) if ((b[2 * i] ?? 0) < 1.5 && (b[2 * i + 1] ?? 0) < 1.5) q++;
    expect(Math.abs(q - 1024) / Math.sqrt(4096 * 0.25 * 0.75)).toBeLessThan(5);
  });
});
