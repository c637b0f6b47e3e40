/**
 * The energy landscapes as targets (src/targets/landscape.ts): resolved through the registry with
 * their parameters, the packed energy equal to the preset's, -V and -grad V for drawing (exact values
 * and a finite-difference check), the double well's default init next to its saddle.
 */
import { describe, expect, it } from 'vitest';
import { createLandscape, landscapes } from '../landscapes/presets';
import { landV } from '../reference/landscapes';
import { TargetKind } from './pack';
import { createTarget, targets } from './registry';
import { landscapeTargets } from './landscape';

describe('landscape targets', () => {
  it('are registry targets with the presets\' parameters; the packed energy is the preset\'s', () => {
    expect(landscapeTargets.map((t) => t.id)).toEqual(['double-well', 'attract-repel', 'quadratic', 'two-layer-net']);
    for (const def of landscapeTargets) {
      expect(targets).toContain(def);
      const t = createTarget(def.id);
      expect(t.landscape).toEqual(createLandscape(def.id));
      expect(t.packed.kind).toBe(TargetKind.none);
      expect(t.sample).toBeUndefined();
    }
    expect(createTarget('double-well', { c: 2 }).landscape?.w[0]).toBe(2);
    expect(() => createTarget('attract-repel', { a: 2, b: 3 })).toThrow(/a > b/);
  });

  it('logDensity = -V exactly (double well: V(0) = 1/4, V(+-1, 0) = 0) and score = -grad V (finite differences)', () => {
    const t = createTarget('double-well');
    expect(t.logDensity(0, 0)).toBe(-0.25);
    expect(t.logDensity(1, 0)).toBe(-0);
    expect(t.logDensity(-1, 2)).toBe(-2);
    for (const def of landscapeTargets) {
      const u = createTarget(def.id);
      const L = createLandscape(def.id);
      for (const [x, y] of [[0.3, -0.4], [1.2, 0.7], [-0.8, 1.5]] as const) {
        expect(u.logDensity(x, y)).toBe(-landV(L, x, y));
        const d = 1e-6;
        const [sx, sy] = u.score(x, y);
        expect(sx).toBeCloseTo((u.logDensity(x + d, y) - u.logDensity(x - d, y)) / (2 * d), 6);
        expect(sy).toBeCloseTo((u.logDensity(x, y + d) - u.logDensity(x, y - d)) / (2 * d), 6);
      }
    }
  });

  it("the double well's default init is the preset's: x1 ~ 0.01 N(0,1), x2 ~ N(0,1)", () => {
    const t = createTarget('double-well');
    const x = t.defaultInit?.(5000, 1);
    expect(x).toEqual(landscapes['double-well'].init(5000, 1));
    let s1 = 0, s2 = 0;
    for (let i = 0; i < 5000; i++) {
      s1 += (x?.[2 * i] ?? NaN) ** 2;
      s2 += (x?.[2 * i + 1] ?? NaN) ** 2;
    }
    // sample std within 4 standard errors (sd / sqrt(2 n) = 1 %)
    expect(Math.abs(Math.sqrt(s1 / 5000) / 0.01 - 1)).toBeLessThan(0.04);
    expect(Math.abs(Math.sqrt(s2 / 5000) - 1)).toBeLessThan(0.04);
  });
});
