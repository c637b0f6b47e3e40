/**
 * The `formula` target (src/targets/formula.ts) on the CPU: parameters from formulaParamSpecs,
 * density and score from the twin, the CPU engine's evaluation (targetEvalPoint) through the packed
 * target's evalPoint, the grid sampler's moments, Langevin (ULA and MALA) and SVGD (float64
 * steppers) reaching a Gaussian formula's mean and covariance, and bad input as a ParamError naming logp.
 */
import { describe, expect, it } from 'vitest';
import { getMethod } from '../methods/registry';
import { ParamError, resolveParams, type Params } from '../core/params';
import { Rng } from '../reference/philox';
import { targetEvalPoint } from '../reference/targetEval';
import { FORMULA_PRESETS } from '../formula/presets';
import { formulaLandscapeParamSpecs, formulaLandscapeTarget, formulaParamSpecs, formulaTarget } from './formula';
import { createLandscape, landscapes } from '../landscapes/presets';
import { createTarget } from './registry';
import { compatibility, factsOf, gpuRefusal } from '../engine/compat';
import type { TargetInstance } from './types';

/** As a caller that knows the text resolves it: the formula's own parameters come from formulaParamSpecs. */
function create(given: Params): TargetInstance {
  const specs = formulaParamSpecs(typeof given.logp === 'string' ? given.logp : '');
  return formulaTarget.create(resolveParams(specs, given));
}

function moments(x: Float64Array): { mean: [number, number]; cov: [number, number, number] } {
  const n = x.length / 2;
  let a = 0, b = 0;
  for (let i = 0; i < n; i++) { a += x[2 * i] ?? 0; b += x[2 * i + 1] ?? 0; }
  a /= n; b /= n;
  let c11 = 0, c12 = 0, c22 = 0;
  for (let i = 0; i < n; i++) {
    const d0 = (x[2 * i] ?? 0) - a, d1 = (x[2 * i + 1] ?? 0) - b;
    c11 += d0 * d0; c12 += d0 * d1; c22 += d1 * d1;
  }
  return { mean: [a, b], cov: [c11 / n, c12 / n, c22 / n] };
}

// N((a, -1), [[1, 0.5], [0.5, 1]]): precision (4/3) [[1, -0.5], [-0.5, 1]]
const GAUSS = '-(2/3) ((x - a)^2 - (x - a) (y + 1) + (y + 1)^2)';

describe('formula target (CPU)', () => {
  it('parameters: logp plus one number per named parameter, values resolved and used', () => {
    const specs = formulaParamSpecs(GAUSS);
    expect(specs.map((s) => s.name)).toEqual(['logp', 'a']);
    expect(formulaParamSpecs('x +').map((s) => s.name)).toEqual(['logp']);
    const t = create({ logp: GAUSS, a: 2 });
    expect(t.logDensity(2, -1)).toBeCloseTo(0, 15);
    const [sx, sy] = t.score(3, -1);
    expect(sx).toBeCloseTo(-4 / 3, 14);
    expect(sy).toBeCloseTo(2 / 3, 14);
    // the CPU engine's evaluation reads the same twin
    expect(targetEvalPoint(t.packed, 3, -1)).toEqual([sx, sy, t.logDensity(3, -1)]);
    expect(t.packed.data[0]).toBe(2); // the GPU's tgt.data[0].x
    expect(t.view[0]).toBeLessThan(-1);
    expect(t.view[1]).toBeGreaterThan(5);
  });

  it('the grid sampler draws the density: 40,000 samples, mean and covariance within 0.02', () => {
    const t = create({ logp: GAUSS, a: 1 });
    const m = moments(t.sample?.(new Rng(3, 1), 40000) ?? new Float64Array(2));
    expect(Math.abs(m.mean[0] - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.mean[1] + 1)).toBeLessThan(0.02);
    expect(Math.abs(m.cov[0] - 1)).toBeLessThan(0.03);
    expect(Math.abs(m.cov[1] - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(m.cov[2] - 1)).toBeLessThan(0.03);
  });

  it.each([
    ['langevin', { mala: false }, 0.05, 300],
    ['langevin', { mala: true }, 0.2, 300],
  ] as const)('%s %o (float64 stepper) reaches the Gaussian formula\'s mean and covariance', (id, extra, h, steps) => {
    const t = create({ logp: GAUSS, a: 1 });
    const method = getMethod(id);
    const n = extra.mala ? 1000 : 2000;
    const stepper = method.createCpu({ n, stepSize: h, seed: 5, params: resolveParams(method.params, extra), domain: 'plane' });
    const rng = new Rng(11, 2);
    let x: Float64Array<ArrayBufferLike> = Float64Array.from({ length: 2 * n }, () => 2 * rng.normal());
    for (let s = 0; s < steps; s++) x = stepper.step(x, s, t.packed);
    const m = moments(x);
    // ULA's O(h) bias at h = 0.05 is ~2.5% of the covariance; 1,000-2,000 particles: sd of the mean <= 0.032
    expect(Math.abs(m.mean[0] - 1), `${id} mean x`).toBeLessThan(0.08);
    expect(Math.abs(m.mean[1] + 1), `${id} mean y`).toBeLessThan(0.08);
    expect(Math.abs(m.cov[0] - 1), `${id} var x`).toBeLessThan(0.12);
    expect(Math.abs(m.cov[1] - 0.5), `${id} cov`).toBeLessThan(0.1);
    expect(Math.abs(m.cov[2] - 1), `${id} var y`).toBeLessThan(0.12);
  });

  it('SVGD (float64 stepper) on the formula target follows the built-in Gaussian target step for step', () => {
    const t = create({ logp: GAUSS, a: 1 });
    const builtin = createTarget('gaussian', { mean: [1, -1], cov: [1, 0.5, 1] });
    const method = getMethod('svgd');
    const n = 200;
    const run = { n, stepSize: 0.3, seed: 5, params: resolveParams(method.params, {}), domain: 'plane' as const };
    const a = method.createCpu(run), b = method.createCpu(run);
    const rng = new Rng(11, 2);
    let x: Float64Array<ArrayBufferLike> = Float64Array.from({ length: 2 * n }, () => 2 * rng.normal());
    let y: Float64Array<ArrayBufferLike> = Float64Array.from(x);
    for (let s = 0; s < 100; s++) {
      x = a.step(x, s, t.packed);
      y = b.step(y, s, builtin.packed);
    }
    // the built-in mixture adds the normaliser and uses the precision in closed form: the scores agree to ~1e-15 per step
    let worst = 0;
    for (let i = 0; i < 2 * n; i++) worst = Math.max(worst, Math.abs((x[i] ?? NaN) - (y[i] ?? NaN)));
    expect(worst).toBeLessThan(1e-9);
    expect(Math.abs(moments(x).mean[0] - 1)).toBeLessThan(0.1);
  });

  it('the density presets build (view, sampler) at their defaults', () => {
    for (const p of FORMULA_PRESETS) {
      if (!p.logp) continue;
      const t = create({ logp: p.logp, ...p.values });
      expect(t.view[1] - t.view[0], p.id).toBeGreaterThan(1);
      const pts = t.sample?.(new Rng(1, 1), 100) ?? new Float64Array();
      expect(pts.every(Number.isFinite), p.id).toBe(true);
    }
  });

  it.each([
    ['x +', /^logp: column 4: unexpected end of expression/],
    ['log(x) - y^2', /^logp: log of a negative number in log\(x\) at \(x, y\) = \(-8, -8\)$/],
    ['x^2 + y^2', /^logp: the density's mass on the plane is not finite/],
    ['-x^2', /^logp: the formula does not use y/],
  ])('bad formula %s: a ParamError naming logp', (logp, re) => {
    let err: unknown;
    try {
      create({ logp });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParamError);
    expect((err as ParamError).param).toBe('logp');
    expect((err as Error).message).toMatch(re);
  });
});

describe('formula landscape (CPU)', () => {
  const dw = FORMULA_PRESETS.find((p) => p.id === 'double-well');
  const make = (given: Params): TargetInstance => {
    const specs = formulaLandscapeParamSpecs(String(given.V), String(given.W));
    return formulaLandscapeTarget.create(resolveParams(specs, given));
  };

  it.each([['w-newton', {}, 5], ['wsfn', { lambda: 0.5 }, 40], ['wgd', {}, 30]] as const)(
    'the double well typed as V and W: %s follows the built-in double well step for step (float64 steppers, N = 64, from the saddle)',
    async (id, extra, steps) => {
      const t = make({ V: dw?.V ?? '', W: dw?.W ?? '', ...dw?.values });
      expect(formulaLandscapeParamSpecs(dw?.V ?? '', dw?.W ?? '').map((p) => p.name)).toEqual(['V', 'W', 'c']);
      const builtin = createLandscape('double-well', {});
      const method = getMethod(id);
      const n = 64;
      const run = (L: typeof builtin) => method.createCpu({ n, stepSize: 1, seed: 1, params: resolveParams(method.params, extra), domain: 'plane', landscape: L });
      const a = run(t.landscape ?? builtin), b = run(builtin);
      let x: Float64Array<ArrayBufferLike> = landscapes['double-well'].init(n, 1);
      let y: Float64Array<ArrayBufferLike> = Float64Array.from(x);
      let fa = NaN, fb = NaN, worst = 0;
      for (let s = 0; s < steps; s++) {
        x = a.step(x, s, t.packed);
        y = b.step(y, s, t.packed);
        fa = (await a.readouts?.('metrics'))?.energy ?? NaN;
        fb = (await b.readouts?.('metrics'))?.energy ?? NaN;
        for (let i = 0; i < 2 * n; i++) worst = Math.max(worst, Math.abs((x[i] ?? NaN) - (y[i] ?? NaN)));
        if (id === 'wsfn' && fa < 1e-6) break; // escaped the saddle: done
      }
      // the same mathematics by another road (symbolic derivatives of the typed V, W vs the closed forms): rounding-level differences
      expect(worst, `${id}: max |x_formula - x_builtin|`).toBeLessThan(1e-9);
      expect(Math.abs(fa - fb), `${id}: energy`).toBeLessThan(1e-12);
      if (id === 'w-newton') expect(Math.abs(fa - 0.25)).toBeLessThan(1e-12); // stays at the saddle, F = 1/4
      if (id === 'wsfn') expect(fa).toBeLessThan(1e-6); // escapes the saddle
    },
  );

  it('bad V or W: named (a W that is not even, a V with a log of a negative number)', () => {
    expect(() => make({ V: 'x^2 + y^2', W: 'x + y^2' })).toThrow(/^W: W must be even, W\(-x, -y\) = W\(x, y\)/);
    expect(() => make({ V: 'log(x) + y^2', W: 'x^2' })).toThrow(/^V: log of a negative number in log\(x\)/);
    expect(() => make({ V: 'x^2 +', W: 'x^2' })).toThrow(/^V: column 6: unexpected end of expression/);
  });
});

describe('formula targets: what runs where (src/engine/compat.ts)', () => {
  it('a formula density has its WGSL (kind 11, PackedTarget.shader): every score method runs on the GPU', () => {
    const t = create({ logp: GAUSS, a: 1 });
    expect(t.packed.kind).toBe(11);
    expect(t.packed.shader?.key).toMatch(/^formula:logp:/);
    expect(t.packed.shader?.code).toContain('fn target_formula(x: vec2f) -> vec3f');
    const facts = factsOf(t);
    expect(facts.hostOnly).toBeUndefined();
    expect(gpuRefusal(facts, 'formula')).toBeUndefined();
    for (const id of ['langevin', 'svgd', 'gwg', 'mmd-flow', 'sinkhorn-flow']) {
      expect(compatibility({ method: getMethod(id), target: facts, targetId: 'formula', domain: 'plane', backend: 'gpu' }), id).toEqual({ ok: true, runsOn: 'gpu' });
    }
  });

  it('a formula landscape carries its WGSL (vKind / wKind 4, PackedLandscape.shader) and runs on the GPU; host functions without WGSL are refused by the GPU backend by name', () => {
    const t = formulaLandscapeTarget.create(resolveParams(formulaLandscapeParamSpecs('(x^2 - 1)^2 / 4 + y^2 / 2', 'c (x^2 + y^2) / 2'), { V: '(x^2 - 1)^2 / 4 + y^2 / 2', W: 'c (x^2 + y^2) / 2', c: 0.5 }));
    const L = t.landscape;
    if (!L) throw new Error('a landscape');
    expect([L.vKind, L.wKind]).toEqual([4, 4]);
    expect(L.shader?.landscape).toBe(true);
    expect(L.shader?.code).toContain('fn land_formula_W_hess(L: Landscape, p: vec2<f32>) -> vec3<f32>');
    expect(Array.from(L.v)).toEqual([0.5, 0, 0, 0]); // c in slot 0 (V has no parameter)
    const wgd = getMethod('wgd');
    expect(factsOf(t).hostOnly).toBeUndefined();
    expect(compatibility({ method: wgd, target: factsOf(t), targetId: 'formula-landscape', domain: 'plane', backend: 'gpu' })).toEqual({ ok: true, runsOn: 'gpu' });
    // the same landscape without its WGSL: the twin only
    const { shader: _dropped, ...hostOnly } = L;
    const facts = factsOf({ ...t, landscape: hostOnly });
    expect(facts.hostOnly).toBe(true);
    const gpu = compatibility({ method: wgd, target: facts, targetId: 'formula-landscape', domain: 'plane', backend: 'gpu' });
    expect(!gpu.ok && gpu.problem).toEqual({
      field: 'target', short: 'CPU backend only',
      message: "'formula-landscape' is evaluated by its float64 twin only (it has no WGSL): run it on the CPU backend",
    });
    expect(compatibility({ method: wgd, target: facts, targetId: 'formula-landscape', domain: 'plane', backend: 'cpu' })).toEqual({ ok: true, runsOn: 'cpu' });
    // a query that names no backend asks about the method and the target only
    expect(compatibility({ method: wgd, target: facts, domain: 'plane' }).ok).toBe(true);
    // the built-in landscapes have their WGSL
    expect(gpuRefusal(factsOf(createTarget('double-well')), 'double-well')).toBeUndefined();
  });
});
