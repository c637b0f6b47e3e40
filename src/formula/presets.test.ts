/**
 * The formula gallery (src/formula/presets.ts): each preset compiles, passes the grid and tail
 * checks at its default values, and (densities) its normalising constant by grid quadrature
 * matches the closed form; the double well's V and W equal the built-in double well's formulas.
 */
import { describe, expect, it } from 'vitest';
import { compileFormula, compileLandscape } from './compile';
import { checkGrid, checkTails, gridQuadrature, type Box } from './numerics';
import { erf64 } from './ops';
import { FORMULA_PRESETS } from './presets';

/** Closed-form Z at the defaults, and a box holding the mass (midpoint rule; measured relative errors: funnel 1.3e-4, banana 5e-6, the rest < 1e-8). */
const KNOWN: Record<string, { Z: number; box: Box; nx: number; ny: number }> = {
  // pi int_0^inf exp(-(u - r^2)^2 / w) du, u = r^2
  ring: { Z: Math.PI * (Math.sqrt(Math.PI * 0.5) / 2) * (1 + erf64(4 / Math.sqrt(0.5))), box: [-3, 3, -3, 3], nx: 400, ny: 400 },
  // x = a u: Jacobian a, the y-shift integrates to sqrt(2 pi)
  banana: { Z: 2 * Math.PI * 2, box: [-14, 14, -40, 12], nx: 200, ny: 400 },
  // int exp(-y^2/(2 s^2) - y/2) sqrt(2 pi e^y) dy = 2 pi s
  funnel: { Z: 2 * Math.PI * 1.5, box: [-120, 120, -10, 10], nx: 1200, ny: 300 },
  rosenbrock: { Z: (2 * Math.PI) / Math.sqrt(10), box: [-6, 8, -10, 50], nx: 200, ny: 600 },
  mixture3: { Z: 3 * 2 * Math.PI * 0.36, box: [-6, 6, -4, 7], nx: 400, ny: 400 },
};

describe('formula presets', () => {
  it.each(FORMULA_PRESETS.filter((p) => p.logp !== undefined).map((p) => [p.id, p] as const))('%s: compiles, passes the checks, Z by quadrature = closed form', (id, p) => {
    const f = compileFormula(p.logp ?? '', 'logp');
    const values = f.params.map((name) => {
      const v = p.values[name];
      if (v === undefined) throw new Error(`${id}: no default for ${name}`);
      return v;
    });
    checkGrid(f, values, [-5, 5, -5, 5]);
    checkTails(f, values);
    const k = KNOWN[id];
    if (!k) throw new Error(`${id}: no closed form in the test`);
    const q = gridQuadrature(f, values, k.box, k.nx, k.ny);
    expect(Math.abs(q.Z - k.Z) / k.Z, id).toBeLessThan(1e-3);
  });

  it('double well: V and W are the built-in double well (V = (x1^2 - 1)^2 / 4 + x2^2 / 2, W = (c/2)|z|^2)', () => {
    const p = FORMULA_PRESETS.find((q) => q.id === 'double-well');
    const { V, W, params } = compileLandscape(p?.V ?? '', p?.W ?? '');
    expect(params).toEqual(['c']);
    const out = new Float64Array(6);
    V.evaluate(0, 0, [0.5], out);
    expect([...out].map((v) => v + 0)).toEqual([0.25, 0, 0, -1, 0, 1]); // the strict saddle: F = 1/4, Hessian diag(-1, 1)
    V.evaluate(1, 0, [0.5], out);
    expect(out[0]).toBe(0);
    expect(out[3]).toBe(2);
    W.evaluate(0.3, -0.4, [0.5], out);
    expect(out[0]).toBeCloseTo(0.25 * 0.25, 15);
    expect([out[3], out[4], out[5]]).toEqual([0.5, 0, 0.5]);
  });
});
