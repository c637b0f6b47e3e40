import { describe, expect, it } from 'vitest';
import { philox4x32, philoxUniform, Rng } from './philox';

describe('philox4x32 (CPU twin)', () => {
  it('matches the Random123 known-answer vectors for Philox4x32-10', () => {
    // Known-answer tests from Random123's kat_vectors (philox4x32 10 rounds).
    expect(Array.from(philox4x32(0, 0, 0, 0, 0, 0))).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    expect(Array.from(philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff)))
      .toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
    expect(Array.from(philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0)))
      .toEqual([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
  });

  it('gives uniforms strictly inside (0,1) with mean 1/2 and variance 1/12', () => {
    const rng = new Rng(7, 1);
    let s = 0, s2 = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (!(u > 0 && u < 1)) throw new Error(`uniform out of (0,1): ${u}`);
      s += u; s2 += u * u;
    }
    const mean = s / n, v = s2 / n - mean * mean;
    // standard error of the mean: sqrt(1/12/n) = 6.5e-4; 5 sigma
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(v - 1 / 12)).toBeLessThan(2e-3);
    expect(philoxUniform(0)).toBeCloseTo(0.5 / 16777216, 20);
  });

  it('gives standard normals with the right first four moments', () => {
    const rng = new Rng(3, 2);
    const n = 200_000;
    let m1 = 0, m2 = 0, m4 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      m1 += z; m2 += z * z; m4 += z ** 4;
    }
    m1 /= n; m2 /= n; m4 /= n;
    // SE(mean) = 1/sqrt(n) = 2.2e-3, SE(m2) = sqrt(2/n) = 3.2e-3, SE(m4) = sqrt(96/n) = 2.2e-2; 5 sigma each
    expect(Math.abs(m1)).toBeLessThan(0.012);
    expect(Math.abs(m2 - 1)).toBeLessThan(0.016);
    expect(Math.abs(m4 - 3)).toBeLessThan(0.11);
  });
});
