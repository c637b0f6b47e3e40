/**
 * Issue 21 item 3: a run that explodes below the NaN threshold is divergence too, judged by what the
 * run knows (src/engine/divergence.ts), in the library (the CLI's verdict) and in the page (Engine).
 */
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './backend';
import { resolveTarget } from './config';
import { BOX_FACTOR, DIVERGENCE_LIMIT, DivergenceWatch, divergenceRule, metricsDivergence, runDivergence, statsDivergence } from './divergence';
import { Engine } from './Engine';
import type { ParticleStats, RunConfig } from './types';

const backend = createCpuBackend();

/** `wgf run --target attract-repel --method wgd --n 1024 --steps 10` at its former default step 0.2 (issue 21 item 3). */
const exploding: RunConfig = {
  method: 'wgd', params: {}, target: { id: 'attract-repel', params: {} }, n: 1024, stepSize: 0.2, seed: 0,
  init: { kind: 'gaussian', mean: [0, 0], std: 1 },
};

const stats = (over: Partial<ParticleStats>): ParticleStats => ({ step: 5, mean: [0, 0], cov: [1, 0, 1], nonFinite: 0, maxAbs: 1, ...over });

describe('divergence: the one rule (issue 21 item 3)', () => {
  it('attract-repel + wgd at h = 0.2: |x| ~ 1e7 after 10 steps, under the old 1e8 threshold, is caught by the box', async () => {
    const sim = backend.createSimulation(exploding);
    sim.step(10);
    const s = await sim.stats();
    const m = await sim.metrics();
    // what the old rule (NaN or |x| > 1e8) let pass with exit 0
    expect(s.nonFinite).toBe(0);
    expect(s.maxAbs).toBeGreaterThan(1e5);
    expect(s.maxAbs).toBeLessThan(DIVERGENCE_LIMIT);
    const rule = divergenceRule(resolveTarget(exploding.target), exploding.init);
    // attract-repel's view is +-1.5 and the N(0, I) start reaches 8 std: the box is 100 x 8
    expect(rule.box).toBe(BOX_FACTOR * 8);
    const d = runDivergence(rule, s, m);
    expect(d?.cause).toBe('box');
    expect(d?.reason).toMatch(/left the box \|x\| ≤ 800/);
    sim.destroy();
  });

  it('the box is found within the first steps (the page checks once a frame)', async () => {
    const sim = backend.createSimulation(exploding);
    const rule = divergenceRule(resolveTarget(exploding.target), exploding.init);
    let at = -1;
    for (let k = 1; k <= 10 && at < 0; k++) {
      sim.step(1);
      if (statsDivergence(rule, await sim.stats())) at = k;
    }
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThanOrEqual(4);
    sim.destroy();
  });

  it('the box follows the target and the start: a far mean, given positions, the funnel, the torus', () => {
    const g = resolveTarget({ id: 'gaussian', params: {} });
    expect(divergenceRule(g, { kind: 'gaussian', mean: [0, 0], std: 1 }).box).toBe(100 * 8);
    expect(divergenceRule(g, { kind: 'gaussian', mean: [500, 0], std: 1 }).box).toBe(100 * 508);
    expect(divergenceRule(g, { kind: 'positions', data: new Float64Array([0, 0, -3000, 1]) }).box).toBe(3e5);
    expect(divergenceRule(resolveTarget({ id: 'funnel', params: {} }), { kind: 'gaussian', mean: [0, 0], std: 1 }).box).toBe(1e5);
    expect(divergenceRule(resolveTarget({ id: 'quadratic', params: { mean: [900, 0] } }), { kind: 'gaussian', mean: [0, 0], std: 1 }).box).toBe(9e4);
    expect(divergenceRule(resolveTarget({ id: 'torus-mixture', params: {} }), { kind: 'gaussian', mean: [0, 0], std: 1 }).box).toBe(100);
    // never above the float32 limit
    expect(divergenceRule(g, { kind: 'gaussian', mean: [1e9, 0], std: 1 }).box).toBe(DIVERGENCE_LIMIT);
  });

  it('stats: NaN first, then |x| > 1e8, then the box; stale stats say nothing', () => {
    const rule = { box: 100 };
    expect(statsDivergence(rule, stats({ nonFinite: 3, maxAbs: 1e9 }))?.cause).toBe('nan');
    expect(statsDivergence(rule, stats({ maxAbs: 2e8 }))?.cause).toBe('overflow');
    expect(statsDivergence(rule, stats({ maxAbs: 101 }))?.cause).toBe('box');
    expect(statsDivergence(rule, stats({ maxAbs: 99 }))).toBeUndefined();
    expect(statsDivergence(rule, stats({ maxAbs: 1e9, stale: true }))).toBeUndefined();
  });

  it('metrics: F rising by six orders of magnitude, |g| exploding, or a non-finite F (against the first values read)', () => {
    const w = new DivergenceWatch({ box: 100 });
    expect(w.metrics({ step: 1, readouts: { energy: 3.2, gradNorm: 4 } })).toBeUndefined();
    expect(w.metrics({ step: 2, readouts: { energy: 1e3, gradNorm: 40 } })).toBeUndefined();
    expect(w.metrics({ step: 3, readouts: { energy: 2.9e25, gradNorm: 40 } })?.cause).toBe('energy');
    expect(w.metrics({ step: 4, readouts: { energy: 1, gradNorm: 5e7 } })?.cause).toBe('gradient');
    expect(metricsDivergence({ step: 4, readouts: { energy: NaN } }, {})?.cause).toBe('nan');
    // a negative F (attract-repel's minimum is -1/12) is no rise
    expect(metricsDivergence({ step: 4, readouts: { energy: -0.08 } }, { energy: 3 })).toBeUndefined();
  });

  it('the page: the Engine pauses the exploding run and says why (the box), not a plain cyan canvas and "running"', async () => {
    let pending: ((t: number) => void) | undefined;
    const engine = new Engine({
      config: exploding, backend: 'cpu', createBackend: () => Promise.resolve(createCpuBackend()),
      requestFrame: (cb) => {
        pending = cb;
        return 1;
      },
      cancelFrame: () => undefined,
    });
    await engine.start();
    for (let i = 0; i < 60 && engine.getSnapshot().playing; i++) {
      pending?.(performance.now());
      for (let k = 0; k < 5; k++) await new Promise((r) => setTimeout(r, 0));
    }
    const snap = engine.getSnapshot();
    expect(snap.playing).toBe(false);
    expect(snap.diverged).toBe(true);
    expect(snap.message?.event).toEqual(expect.objectContaining({ type: 'diverged', run: 'main', cause: 'box', limit: 800, reason: expect.stringMatching(/left the box/) }));
    expect(snap.message?.text).toMatch(/left the box/);
    engine.dispose();
  });
});
