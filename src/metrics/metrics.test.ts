/**
 * The metrics layer: one plan for both backends; `measure(points, n)` on any point set (not only a
 * simulation's particles), the GPU against the float64 CPU twins, with exact answers; and the
 * read-backs never outlive their buffers: destroy() with stats(), metrics() and positions() pending
 * resolves them quietly (issue 8, bug 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../engine/backend';
import type { Backend, Metrics, ParticleStats } from '../engine/types';
import { uploadBuffer, withValidation } from '../gpu/testing';
import { Rng } from '../reference/philox';
import { createTarget } from '../targets/registry';
import { CpuMetrics } from './cpu';
import { GpuMetrics } from './gpu';
import { metricPlan } from './plan';
import { targetSamples } from './settings';

let gpu: Backend;
let device: GPUDevice;
beforeAll(async () => {
  gpu = await createBackend('gpu'); // throws (fails the suite) when there is no adapter
  if (!gpu.device) throw new Error('the GPU backend has no device');
  device = gpu.device;
});
afterAll(() => gpu.destroy());

/** n points of N(mean, s^2 I), rounded to f32 (both backends then see the same numbers). */
function cloud(n: number, seed: number, mean: [number, number] = [0, 0], s = 1): Float64Array {
  const rng = new Rng(seed, 9);
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = mean[0] + s * rng.normal();
    x[2 * i + 1] = mean[1] + s * rng.normal();
  }
  return Float64Array.from(Float32Array.from(x));
}

describe('metricPlan: which metrics apply (one decision, both backends)', () => {
  it('plane score target, sample-only target, sample-based flow, torus', () => {
    expect(metricPlan({ domain: 'plane', sampleOnly: false, hasSamples: true, sampleBased: false })).toEqual({ ksd: true, energy: true, mmd: true, sinkhorn: false, l2: false });
    expect(metricPlan({ domain: 'plane', sampleOnly: true, hasSamples: true, sampleBased: true })).toEqual({ ksd: false, energy: true, mmd: true, sinkhorn: true, l2: false });
    expect(metricPlan({ domain: 'plane', sampleOnly: false, hasSamples: true, sampleBased: true }).sinkhorn).toBe(true);
    expect(metricPlan({ domain: 'plane', sampleOnly: false, hasSamples: false, sampleBased: false })).toEqual({ ksd: true, energy: false, mmd: false, sinkhorn: false, l2: false });
    // the plane Stein kernel is not periodic: the torus reports L2 instead of the KSD
    expect(metricPlan({ domain: 'torus', sampleOnly: false, hasSamples: true, sampleBased: false })).toEqual({ ksd: false, energy: true, mmd: true, sinkhorn: false, l2: true });
  });
});

describe('measure(points, n) on any point set: GPU vs the float64 twins', () => {
  const target = createTarget('banana');
  const samples = targetSamples(target, 1);

  it('a point set against itself: MMD^2 and the energy distance are exactly 0 on both backends', async () => {
    const x = cloud(700, 3, [0.5, -0.5], 1.3);
    const g = new GpuMetrics(device, { domain: 'plane', sampleBased: false });
    const c = new CpuMetrics({ domain: 'plane', sampleBased: false });
    g.setTarget(target, x);
    c.setTarget(target, x);
    const [vg, vc] = await withValidation(device, async () => [await g.measure(uploadBuffer(device, Float32Array.from(x)), 700), await c.measure(x, 700)]);
    // identical row sums (xx = yy = xy): s/n^2 + s/n^2 - 2 s/n^2 is exactly 0 in floating point
    expect(vg?.mmd).toBe(0);
    expect(vg?.energy).toBe(0);
    expect(vc?.mmd).toBe(0);
    expect(vc?.energy).toBe(0);
    expect(vg?.ksd).toBeGreaterThan(0);
    g.destroy();
  });

  it('KSD, energy and MMD^2 of generator-like samples (300 and 1500 points) agree with the twins', async () => {
    const g = new GpuMetrics(device, { domain: 'plane', sampleBased: false });
    const c = new CpuMetrics({ domain: 'plane', sampleBased: false });
    g.setTarget(target, samples);
    c.setTarget(target, samples);
    for (const n of [300, 1500]) {
      const x = cloud(n, 4 + n, [0, 1], 1.2);
      const [vg, vc] = await withValidation(device, async () => [await g.measure(uploadBuffer(device, Float32Array.from(x)), n), await c.measure(x, n)]);
      if (!vg || !vc) throw new Error('a metrics backend answered stale before destroy()');
      expect(Object.keys(vg).sort()).toEqual(['energy', 'ksd', 'mmd']);
      expect(Object.keys(vc).sort()).toEqual(['energy', 'ksd', 'mmd']);
      // f32 row sums of up to 1024 (KSD) and 2048 (energy, MMD) terms, float64 totals: ~1e-5
      // relative (as the simulation metrics in src/engine/convergence.test.ts); tolerance 1e-4.
      for (const k of ['ksd', 'energy', 'mmd'] as const) {
        const a = vg[k] ?? NaN, b = vc[k] ?? NaN;
        expect(Math.abs(a - b), `${k} at n = ${n}: GPU ${a} vs CPU ${b}`).toBeLessThan(1e-4 * Math.abs(b) + 1e-6);
        expect(b).toBeGreaterThan(0);
      }
    }
    g.destroy();
  });

  it('torus: the L2 distance over all n points agrees with the twin (buffers measured directly)', async () => {
    const t = createTarget('torus-mixture');
    const rng = new Rng(5, 1);
    const n = 1200;
    const x = Float64Array.from(Float32Array.from({ length: 2 * n }, () => rng.uniform()));
    const g = new GpuMetrics(device, { domain: 'torus', sampleBased: false });
    const c = new CpuMetrics({ domain: 'torus', sampleBased: false });
    g.setTarget(t, undefined);
    c.setTarget(t, undefined);
    const [vg, vc] = await withValidation(device, async () => [await g.measure(uploadBuffer(device, Float32Array.from(x)), n), await c.measure(x, n)]);
    expect(Object.keys(vg ?? {})).toEqual(['l2']);
    // f32 phasor sums over 1200 points per mode, then float64 against the same pihat: ~1e-5.
    expect(Math.abs((vg?.l2 ?? NaN) - (vc?.l2 ?? NaN))).toBeLessThan(1e-4 * (vc?.l2 ?? NaN));
    g.destroy();
  });

  it('a measure pending at destroy() resolves to undefined; later ones too', async () => {
    const g = new GpuMetrics(device, { domain: 'plane', sampleBased: false });
    g.setTarget(target, samples);
    const pending = g.measure(uploadBuffer(device, Float32Array.from(cloud(500, 9))), 500);
    await new Promise((r) => setTimeout(r, 0)); // the copies are submitted and the map is pending
    g.destroy();
    expect(await pending).toBeUndefined();
    expect(await g.measure(uploadBuffer(device, new Float32Array(16)), 8)).toBeUndefined();
  });

  it('a live backend (issue 22 item 5): the warm-up compiles ahead; the first measure leaves out the slow S_eps, the second has it, with the same cheap values', async () => {
    const x = uploadBuffer(device, Float32Array.from(cloud(600, 5, [0.3, 0.2])));
    const live = new GpuMetrics(device, { domain: 'plane', sampleBased: true, live: true });
    const plain = new GpuMetrics(device, { domain: 'plane', sampleBased: true });
    live.setTarget(target, samples);
    plain.setTarget(target, samples);
    const [first, second, ref] = await withValidation(device, async () => {
      await live.warmUpDone;
      return [await live.measure(x, 600), await live.measure(x, 600), await plain.measure(x, 600)];
    });
    expect(Object.keys(first ?? {}).sort()).toEqual(['energy', 'ksd', 'mmd']);
    expect(Object.keys(second ?? {}).sort()).toEqual(['energy', 'ksd', 'mmd', 'sinkhorn', 'sinkhornIterations', 'sinkhornMarginalError']);
    expect(second).toEqual(ref);
    expect(first?.ksd).toBe(ref?.ksd);
    expect(first?.energy).toBe(ref?.energy);
    live.destroy();
    plain.destroy();
  }, 300_000); // two S_eps loops (512 x 512) on a software adapter: 31 s each measured on the shared box

  it('a live backend destroyed right after setTarget: the warm-up settles quietly, nothing rejects, no GPU error', async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: unknown): void => void rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      await withValidation(device, async () => {
        const g = new GpuMetrics(device, { domain: 'plane', sampleBased: true, live: true });
        g.setTarget(target, samples);
        g.destroy();
        await g.warmUpDone;
        expect(await g.measure(uploadBuffer(device, new Float32Array(16)), 8)).toBeUndefined();
      });
      await new Promise((res) => setTimeout(res, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});

describe('issue 8 bug 4: destroy() with read-backs pending (GpuSimulation)', () => {
  const runs = [
    // the case: a sample target, sample-based flows (S_eps metric loop, the flow plan's readout)
    { method: 'sinkhorn-flow', params: {}, target: 'moons' },
    { method: 'mmd-flow', params: {}, target: 'moons' },
    { method: 'langevin', params: { mala: true }, target: 'banana' },
  ];
  for (const r of runs) {
    it(`${r.method}: stats(), metrics(), positions() resolve quietly (stale), nothing rejects, no GPU error`, async () => {
      const rejections: unknown[] = [];
      const onRejection = (e: unknown): void => void rejections.push(e);
      process.on('unhandledRejection', onRejection);
      try {
        await withValidation(device, async () => {
          for (const wait of [false, true]) {
            const sim = gpu.createSimulation({
              method: r.method, params: r.params, target: { id: r.target, params: {} }, n: 256, stepSize: 0.05, seed: 1,
              init: { kind: 'gaussian', mean: [0, 0], std: 1 },
            });
            sim.step(2);
            const reads: [Promise<ParticleStats>, Promise<Metrics>, Promise<Float32Array>, Promise<ParticleStats>] = [sim.stats(), sim.metrics(), sim.positions(), sim.stats()];
            // wait: the copies are submitted and the maps pending when destroy() comes (the bug);
            // otherwise destroy() comes before the queued reads start
            if (wait) await new Promise((res) => setTimeout(res, 0));
            sim.destroy();
            const [s, m, p, s2] = await Promise.all(reads);
            expect(p.length === 0 || p.length === 512).toBe(true);
            expect(s2.stale).toBe(true);
            expect(m.stale).toBe(true);
            if (!wait) {
              expect(s.stale).toBe(true);
              expect(p.length).toBe(0);
            }
            // calls after destroy() resolve as stale too
            expect((await sim.stats()).stale).toBe(true);
            expect((await sim.metrics()).stale).toBe(true);
            expect((await sim.positions()).length).toBe(0);
          }
          await device.queue.onSubmittedWorkDone();
        });
        await new Promise((res) => setTimeout(res, 50));
        expect(rejections).toEqual([]);
      } finally {
        process.off('unhandledRejection', onRejection);
      }
    });
  }

  it('readouts: MALA acceptance and the SVGD bandwidth land in stats.readouts and their own fields', async () => {
    for (const backend of [gpu, await createBackend('cpu')]) {
      const mala = backend.createSimulation({ method: 'langevin', params: { mala: true }, target: { id: 'gaussian', params: {} }, n: 512, stepSize: 0.3, seed: 1, init: { kind: 'gaussian', mean: [0, 0], std: 1 } });
      mala.step(10);
      const s = await mala.stats();
      expect(s.readouts?.acceptance).toBe(s.acceptance);
      expect(s.acceptance).toBeGreaterThan(0.5);
      expect(s.acceptance).toBeLessThanOrEqual(1);
      expect((await mala.stats()).readouts).toBeUndefined(); // counters reset on read: no proposals since
      mala.destroy();
      const svgd = backend.createSimulation({ method: 'svgd', params: { bandwidth: 0.7 }, target: { id: 'gaussian', params: {} }, n: 64, stepSize: 0.1, seed: 1, init: { kind: 'gaussian', mean: [0, 0], std: 1 } });
      svgd.step(1);
      const t = await svgd.stats();
      // a fixed bandwidth: sigma = 0.7 exactly in float64 (CPU), f32(0.49) then sqrt (GPU)
      expect(Math.abs((t.readouts?.bandwidth ?? NaN) - 0.7)).toBeLessThan(1e-7);
      expect(t.bandwidth).toBe(t.readouts?.bandwidth);
      expect((await svgd.metrics()).readouts).toBeUndefined(); // svgd has no 'metrics' readouts
      svgd.destroy();
    }
  });
});
