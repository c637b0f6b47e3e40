/**
 * hessianSpectrum: exact answers. At the double well's saddle (every x = 0, c = 0.5) H is block
 * diagonal per coordinate: x1 block = -I + c (I - 11^T / N), eigenvalues -1 (the all-together
 * mode, once) and -1 + c = -0.5 (N - 1 times); x2 block = I + c (I - 11^T / N): 1 (once) and 1.5
 * (N - 1 times). Lanczos Ritz values (N > 128) bracket the same extremes.
 */
import { describe, expect, it } from 'vitest';
import { createLandscape } from './presets';
import { hessianSpectrum } from './spectrum';

describe('hessianSpectrum', () => {
  const L = createLandscape('double-well', {});
  it('dense at small N: the saddle spectrum exactly', () => {
    const n = 20;
    const s = hessianSpectrum(L, new Float64Array(2 * n), n);
    expect(s.kind).toBe('dense');
    const want = [-1, ...Array<number>(n - 1).fill(-0.5), 1, ...Array<number>(n - 1).fill(1.5)];
    expect(s.values.length).toBe(2 * n);
    s.values.forEach((v, i) => expect(v).toBeCloseTo(want[i] ?? NaN, 10));
  });
  it('Ritz values at larger N: the extremes -1 and 1.5', () => {
    const n = 200;
    const s = hessianSpectrum(L, new Float64Array(2 * n), n);
    expect(s.kind).toBe('ritz');
    expect(s.values[0]).toBeCloseTo(-1, 8);
    expect(s.values[s.values.length - 1]).toBeCloseTo(1.5, 8);
  });
});
