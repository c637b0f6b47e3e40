/**
 * The playground side of the generators (issue 9), the parts without a browser: the model index and
 * its matching to a target, the choice kept across targets, the timing arithmetic, the map's grid
 * (exact through an identity model run by onnxruntime-web), the flat plot line, and a bad file
 * refused before onnxruntime is loaded, and the metrics worker answering what the main thread would.
 */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../engine/config';
import { serve } from '../../platform/worker/host';
import type { Port as P } from '../../platform/worker/protocol';
import { GeneratorMetricsClient } from '../../generators/browserMetrics';
import { generatorMetricsHandlers } from '../../generators/browserMetricsHandlers';
import { sampleNoise } from '../../generators/model';
import { CpuMetrics } from '../../metrics/cpu';
import { targetSamples } from '../../metrics/settings';
import { createMlp, forward } from '../../generators/mlp';
import { GeneratorModelError, writeGeneratorOnnx } from '../../generators/onnx';
import { nodeOrt } from '../../generators/nodeOrt';
import { OnnxGenerator } from '../../generators/runtime';
import { openBrowserGenerator, phaseText, providerText } from '../../generators/browserOrt';
import { Rng } from '../../reference/philox';
import { DEFAULT_GRID, gridPoints, gridPolylines } from './mapGrid';
import { modelsFor, parseModelIndex, targetOutliers } from './models';
import { generatorHistory } from './plotRun';
import { FlowClock, flowTiming, flowWallMs, formatMs, formatRate } from './timing';
import { countNonFinite, nonFiniteText, resolveChoice } from './useGenerator';

const card = (id: string, target: string, method: string, label: string, outliers = 0, outputs = ['x']) => ({
  id, target, method, label, outliers, architecture: { outputs }, metrics: { energy: 0.01, modes: 1 },
});
const INDEX = {
  cardVersion: 1,
  models: [
    card('wflow-8gaussians', '8gaussians', 'wflow', 'W-Flow'),
    card('sjko-8gaussians', '8gaussians', 'sjko', 'S-JKO', 0, ['x_1', 'x_2', 'x']),
    card('otm-8gaussians-outliers', '8gaussians', 'uotm', 'OTM (balanced)', 0.01),
    card('wflow-moons', 'moons', 'wflow', 'W-Flow'),
    { id: '../evil', target: 'moons' },
    { target: 'moons' },
    7,
  ],
};

describe('the model index and its matching', () => {
  const models = parseModelIndex(INDEX);
  it('keeps the well-formed entries, with their outputs and metrics', () => {
    expect(models.map((m) => m.id)).toEqual(['wflow-8gaussians', 'sjko-8gaussians', 'otm-8gaussians-outliers', 'wflow-moons']);
    expect(models[1]?.outputs).toEqual(['x_1', 'x_2', 'x']);
    expect(models[0]?.metrics).toEqual({ energy: 0.01, modes: 1 });
    expect(parseModelIndex(null)).toEqual([]);
    expect(parseModelIndex({ models: 'no' })).toEqual([]);
  });
  it('matches target id and outlier fraction', () => {
    expect(modelsFor(models, '8gaussians', 0).map((m) => m.id)).toEqual(['wflow-8gaussians', 'sjko-8gaussians']);
    expect(modelsFor(models, '8gaussians', 0.01).map((m) => m.id)).toEqual(['otm-8gaussians-outliers']);
    expect(modelsFor(models, 'banana', 0)).toEqual([]);
    expect(targetOutliers({})).toBe(0);
    expect(targetOutliers({ outliers: 0.01 })).toBe(0.01);
    expect(targetOutliers({ outliers: '0.01' })).toBe(0.01);
    expect(targetOutliers({ outliers: false })).toBe(0);
  });
  it('a new target keeps a shipped choice only where the same kind of model exists', () => {
    const moons = modelsFor(models, 'moons', 0);
    expect(resolveChoice('shipped:wflow-8gaussians', moons, models)).toBe('shipped:wflow-moons');
    expect(resolveChoice('shipped:sjko-8gaussians', moons, models)).toBe('none');
    expect(resolveChoice('shipped:wflow-8gaussians', modelsFor(models, '8gaussians', 0), models)).toBe('shipped:wflow-8gaussians');
    expect(resolveChoice('user:1', [], models)).toBe('user:1');
    expect(resolveChoice('none', moons, models)).toBe('none');
  });
});

describe('timings', () => {
  it('integrates the step wall time from the history (exact)', () => {
    // 10 steps at 2 ms, 10 more at 4 ms, then 5 steps at the current 3 ms: 20 + 40 + 15
    expect(flowWallMs([10, 20], [2, 4], 25, 3)).toBe(75);
    expect(flowWallMs([], [], 8, 1.5)).toBe(12);
    expect(flowWallMs([0, 10], [NaN, 2], 10, 2)).toBe(20);
  });
  it('FlowClock counts playing time up to each step rise, not pauses; a reset restarts it (exact)', () => {
    const c = new FlowClock();
    expect(c.observe(0, true, 1000)).toBe(0);
    expect(c.observe(0, true, 1100)).toBe(0); // still compiling: no step yet
    expect(c.observe(3, true, 1500)).toBe(500);
    expect(c.observe(3, true, 1600)).toBe(500);
    expect(c.observe(6, true, 1700)).toBe(700);
    expect(c.observe(7, false, 5000)).toBe(700); // paused for a long time: not counted
    expect(c.observe(7, true, 9000)).toBe(700);
    expect(c.observe(9, true, 9200)).toBe(900);
    expect(c.observe(2, true, 9300)).toBe(0); // reset
    expect(c.observe(4, true, 9350)).toBe(50);
    expect(c.wallMs).toBe(50);
  });
  it('samples per second: N / wall time, particle-steps: N k / wall time', () => {
    const t = flowTiming(4096, 100, 500);
    expect(t?.samplesPerSec).toBeCloseTo(8192, 9);
    expect(t?.particleStepsPerSec).toBeCloseTo(819200, 6);
    expect(flowTiming(4096, 0, 0)).toBeUndefined();
    expect(formatRate(819200)).toBe('819k');
    expect(formatRate(1.5e6)).toBe('1.50M');
    expect(formatMs(0.5)).toBe('0.50 ms');
    expect(formatMs(2500)).toBe('2.50 s');
  });
});

describe('the generator as a flat plot line', () => {
  it('spans the flow steps at its metric values, null where it has none, no ms per step', () => {
    const flow = { step: [5, 50, 90], ksd: [null, null, null], energy: [1, 0.5, 0.2], sinkhorn: [null, null, null], mmd: [0.3, 0.1, 0.05], l2: [null, null, null], msPerStep: [1, 1, 1] };
    const h = generatorHistory({ energy: 0.01, mmd: 0.002 }, flow, 120);
    expect(h.step).toEqual([5, 120]);
    expect(h.energy).toEqual([0.01, 0.01]);
    expect(h.mmd).toEqual([0.002, 0.002]);
    expect(h.ksd).toEqual([null, null]);
    expect(h.msPerStep.every((v) => !Number.isFinite(v))).toBe(true);
  });
});

describe('the map: the z grid through G', () => {
  it('lays out 2 x lines polylines of points each on [-3, 3]^2 and cuts them back (exact)', () => {
    const g = { lines: 3, points: 4, radius: 3 };
    const xy = gridPoints(g);
    expect(xy.length).toBe(2 * 2 * 3 * 4);
    const lines = gridPolylines(xy, g);
    expect(lines.length).toBe(6);
    // first vertical line x = -3, y from -3 to 3; last horizontal line y = 3
    expect(Array.from(lines[0] ?? [])).toEqual([-3, -3, -3, -1, -3, 1, -3, 3]);
    expect(Array.from(lines[5] ?? [])).toEqual([-3, 3, -1, 3, 1, 3, 3, 3]);
  });

  it('an identity generator (zero last layer) leaves the grid as it is; a random one equals the TS forward pass', async () => {
    const ort = await nodeOrt();
    const spec = { sizes: [2, 8, 8, 2], activation: 'silu' as const, residual: true };
    const id = await OnnxGenerator.load(ort, writeGeneratorOnnx([createMlp(spec, new Rng(1, 11, 3), true)]));
    const g = gridPoints(DEFAULT_GRID);
    const out = gridPolylines(await id.forward(g, g.length / 2));
    const want = gridPolylines(g);
    let worst = 0;
    out.forEach((line, l) => line.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (want[l]?.[i] ?? NaN))))));
    // float32 round trip of numbers k * 0.1 in [-3, 3]: within 2^-22 * 3
    expect(worst).toBeLessThan(1e-6);
    id.release();

    const net = createMlp(spec, new Rng(2, 11, 1), false);
    const gen = await OnnxGenerator.load(ort, writeGeneratorOnnx([net]));
    const got = await gen.forward(g, g.length / 2);
    const ts = forward(net, g, g.length / 2);
    let err = 0;
    for (let i = 0; i < ts.length; i++) err = Math.max(err, Math.abs((got[i] ?? NaN) - (ts[i] ?? NaN)) / Math.max(1, Math.abs(ts[i] ?? 0)));
    // float32 weights and activations vs float64 (the project's stated ONNX tolerance)
    expect(err).toBeLessThan(1e-5);
    gen.release();
  });
});

describe('the browser runtime', () => {
  it('refuses a non-ONNX file with a GeneratorModelError before onnxruntime is loaded', async () => {
    const junk = new Uint8Array(256).map((_, i) => (i * 97 + 13) & 255);
    await expect(openBrowserGenerator(junk, { base: 'http://localhost/', webgpu: false })).rejects.toBeInstanceOf(GeneratorModelError);
    await expect(openBrowserGenerator(new Uint8Array(0), { base: 'http://localhost/', webgpu: false })).rejects.toThrow(/empty/);
  });
  it('says which provider runs', () => {
    expect(providerText({ provider: 'webgpu' })).toBe('onnxruntime-web · WebGPU');
    expect(providerText({ provider: 'wasm', fallbackReason: 'no adapter' })).toBe('onnxruntime-web · wasm (WebGPU unavailable: no adapter)');
  });
  it('says each phase of getting ready, and opens on wasm telling them in order', async () => {
    expect(phaseText('runtime', 'webgpu')).toMatch(/loading onnxruntime-web \(WebGPU build/);
    expect(phaseText('session', 'wasm')).toMatch(/creating the wasm session/);
    expect(phaseText('first-call', 'webgpu')).toMatch(/compiling its shaders/);
    const phases: string[] = [];
    const net = createMlp({ sizes: [2, 4, 2], activation: 'silu', residual: true }, new Rng(1, 11, 1), false);
    const o = await openBrowserGenerator(writeGeneratorOnnx([net]), { base: 'http://localhost/', webgpu: false, onPhase: (p, provider) => phases.push(`${p}:${provider}`) });
    expect(phases).toEqual(['runtime:wasm', 'session:wasm']);
    expect(o.provider).toBe('wasm');
    await o.generator.release();
  });
});

describe('non-finite generator samples', () => {
  it('are counted per point and said, never silently', () => {
    expect(countNonFinite([0, 1, NaN, 2, 3, Infinity, -Infinity, NaN, 4, 5])).toBe(3);
    expect(countNonFinite(new Float64Array(8))).toBe(0);
    expect(nonFiniteText(0, 10)).toBeUndefined();
    expect(nonFiniteText(3, 1000)).toMatch(/^3 of 1,000 samples are not finite \(NaN or ±Inf\).*those are not drawn/);
    expect(nonFiniteText(512, 512)).toMatch(/^all 512 samples are not finite.*nothing is drawn/);
  });
});

describe('the generator metrics worker', () => {
  it('over a MessageChannel, answers exactly what CpuMetrics gives on the main thread; landscapes have none', async () => {
    const ch = new MessageChannel();
    const served = serve(ch.port1 as unknown as P, generatorMetricsHandlers());
    const client = new GeneratorMetricsClient(() => ({ port: ch.port2 as unknown as P, dispose: () => ch.port2.close() }));
    const points = sampleNoise(3, 600).map((v) => 2 * v);
    const config = { id: 'banana', params: {} };
    const got = await client.measure({ target: config, seed: 1, sampleBased: false, points, n: 600 });
    const direct = new CpuMetrics({ domain: 'plane', sampleBased: false });
    const target = resolveTarget(config);
    direct.setTarget(target, targetSamples(target, 1));
    const want = await direct.measure(points, 600);
    expect(got).toEqual(want);
    expect(got?.energy).toBeGreaterThan(0);
    expect(await client.measure({ target: { id: 'double-well', params: {} }, seed: 1, sampleBased: false, points, n: 600 })).toBeUndefined();
    client.destroy();
    served.close();
    ch.port1.close();
  });
});
