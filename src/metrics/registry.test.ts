/**
 * The metric registry (src/metrics/registry.ts): each def's appliesTo is today's metricPlan rule
 * (the old function body kept below as the oracle, every input combination), ids are unique and
 * usable as history keys and data-plot selectors, every def has a GPU and a CPU implementation (or
 * says why not), the status texts; a toy metric given to both backends (their `metrics` option)
 * runs through the same batch contract as the registered ones; and no metric id is spelled in the
 * UI, engine, renderer, URL state or CLI code (they iterate the registry).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../engine/backend';
import type { Backend } from '../engine/types';
import { uploadBuffer, withValidation } from '../gpu/testing';
import { Rng } from '../reference/philox';
import { createTarget } from '../targets/registry';
import { CpuMetrics } from './cpu';
import { GpuMetrics } from './gpu';
import { metricPlan, expectedMetrics, type PlanInputs } from './plan';
import { metricIds, metrics, metricsWithValues, perMetric, readMetric } from './registry';
import { targetSamples } from './settings';
import type { MetricDef } from './types';

/** metricPlan's body before the registry (main cc1f05f, src/metrics/plan.ts:27-37): the oracle. */
function oldMetricPlan(p: PlanInputs): Record<'ksd' | 'energy' | 'mmd' | 'sinkhorn' | 'l2', boolean> {
  const torus = p.domain === 'torus';
  if (p.landscape) return { l2: false, ksd: false, energy: false, mmd: false, sinkhorn: false };
  return {
    l2: torus,
    ksd: !torus && !p.sampleOnly,
    energy: p.hasSamples,
    mmd: p.hasSamples,
    sinkhorn: p.hasSamples && (p.sampleBased || p.sampleOnly),
  };
}

/** Every input combination: 2 domains x 2^3 flags x landscape absent / false / true = 48. */
function allInputs(): PlanInputs[] {
  const out: PlanInputs[] = [];
  for (const domain of ['plane', 'torus'] as const)
    for (const sampleOnly of [false, true])
      for (const hasSamples of [false, true])
        for (const sampleBased of [false, true])
          for (const landscape of [undefined, false, true]) out.push({ domain, sampleOnly, hasSamples, sampleBased, ...(landscape === undefined ? {} : { landscape }) });
  return out;
}

describe('the metric registry', () => {
  it('each metric applies exactly where the old metricPlan said so, for all 48 input combinations; metricPlan is the registry', () => {
    const inputs = allInputs();
    expect(inputs).toHaveLength(48);
    expect([...metricIds].sort()).toEqual(['energy', 'ksd', 'l2', 'mmd', 'sinkhorn']);
    for (const p of inputs) {
      const old = oldMetricPlan(p);
      for (const def of metrics) expect(def.appliesTo(p), `${def.id} at ${JSON.stringify(p)}`).toBe(old[def.id]);
      expect(metricPlan(p)).toEqual(old);
    }
  });

  it('ids are unique, usable as data-plot selectors, and never clash with the history fields or another metric extras', () => {
    const ids = metrics.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const extras = metrics.flatMap((d) => d.extras ?? []);
    expect(new Set([...ids, ...extras]).size).toBe(ids.length + extras.length);
    for (const key of [...ids, ...extras]) {
      expect(key).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(['step', 'msPerStep', 'readouts', 'stale', 'flowMarginalError']).not.toContain(key);
    }
    // the plot panes keep today's order (ksd, energy, sinkhorn, mmd, l2: the e2e selectors and the panes' layout)
    expect(ids).toEqual(['ksd', 'energy', 'sinkhorn', 'mmd', 'l2']);
  });

  it('every def has a GPU and a CPU implementation, or says why not; plot and label texts are set', () => {
    for (const def of metrics) {
      for (const impl of [def.gpu, def.cpu]) {
        if (typeof impl === 'function') continue;
        expect(impl.none.length, `${def.id}: why no implementation`).toBeGreaterThan(10);
      }
      // all five registered metrics have both today
      expect(typeof def.gpu, def.id).toBe('function');
      expect(typeof def.cpu, def.id).toBe('function');
      expect(def.label.length).toBeGreaterThan(0);
      expect(def.plot.title.length).toBeGreaterThan(0);
      expect(def.plot.yTitle.length).toBeGreaterThan(0);
      expect(def.plot.what.length).toBeGreaterThan(0);
      expect(['log', 'linear']).toContain(def.plot.yScale);
    }
    // the torus L2 pane is log-log, the others log-linear (as before the registry)
    expect(metrics.filter((d) => d.plot.logX === true).map((d) => d.id)).toEqual(['l2']);
    expect(metrics.every((d) => d.plot.yScale === 'log')).toBe(true);
  });

  it("status texts: KSD and L2 for every run, the S_eps solve as the primary run's detail, nothing for absent values", () => {
    const fmt = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(3));
    const values: Record<string, number> = { ksd: 0.1234, l2: 2, energy: 0.5, mmd: 0.25, sinkhorn: 0.01, sinkhornIterations: 42, sinkhornMarginalError: 0.0005 };
    const shown = metrics.flatMap((d) => {
      const s = d.status?.((k) => values[k], fmt);
      return s ? [`${s.detail === true ? 'detail ' : ''}${s.text}`] : [];
    });
    expect(shown).toEqual(['KSD 0.123', 'detail Sε 42 it., marginal err 0.001', 'L2 2.000']);
    expect(metrics.flatMap((d) => (d.status?.(() => undefined, fmt) ? [d.id] : []))).toEqual([]);
  });

  it('readMetric, metricsWithValues and perMetric read by id, in plot order', () => {
    const m = { step: 3, l2: 0.5, ksd: 0.25, readouts: { energy: 9 }, stale: undefined };
    expect(readMetric(m, 'ksd')).toBe(0.25);
    expect(readMetric(m, 'energy')).toBeUndefined();
    expect(readMetric(m, 'readouts')).toBeUndefined();
    expect(readMetric(undefined, 'ksd')).toBeUndefined();
    expect(metricsWithValues(m).map(({ def, value }) => [def.id, value])).toEqual([['ksd', 0.25], ['l2', 0.5]]);
    expect(Object.keys(perMetric((d) => d.label))).toEqual(['ksd', 'energy', 'sinkhorn', 'mmd', 'l2']);
  });

  it('expectedMetrics (the plots before the first read) is the plan with the target instance as facts', () => {
    const banana = createTarget('banana');
    expect(expectedMetrics(banana, 'plane', false)).toEqual(metricPlan({ domain: 'plane', sampleOnly: false, hasSamples: banana.sample !== undefined, sampleBased: false }));
    expect(expectedMetrics(banana, 'plane', false).ksd).toBe(true);
    expect(Object.values(expectedMetrics(undefined, 'plane', true)).some(Boolean)).toBe(false);
  });
});

describe('a toy metric through both backends (the batch contract a new metric file uses)', () => {
  let gpu: Backend;
  let device: GPUDevice;
  beforeAll(async () => {
    gpu = await createBackend('gpu'); // throws (fails the suite) when there is no adapter
    if (!gpu.device) throw new Error('the GPU backend has no device');
    device = gpu.device;
  });
  afterAll(() => gpu.destroy());

  /** Mean squared norm of the measured subsample, and the subsample size as an extra; plane only. */
  const toy: MetricDef = {
    id: 'toyMeanSq',
    label: 'E|x|²',
    plot: { title: 'Toy', yTitle: 'E|x|²', what: 'mean squared norm', yScale: 'linear' },
    appliesTo: (f) => f.domain === 'plane',
    needsSamples: false,
    extras: ['toyCount'],
    gpu: (host) => ({
      measure: (b) =>
        b.readBack(host.x, 8 * b.m, (bytes, off) => {
          const x = new Float32Array(bytes, off, 2 * b.m);
          let s = 0;
          for (let i = 0; i < 2 * b.m; i++) s += (x[i] ?? 0) ** 2;
          return { value: s / b.m, extra: { toyCount: b.m } };
        }),
    }),
    cpu: () => ({
      measure: (b) => {
        let s = 0;
        for (let i = 0; i < 2 * b.m; i++) s += (b.sub[i] ?? 0) ** 2;
        return Promise.resolve({ value: s / b.m, extra: { toyCount: b.m } });
      },
    }),
  };
  const needy: MetricDef = { ...toy, id: 'toyNeedy', extras: [], needsSamples: true };

  it('GPU and CPU give the same value (f32 inputs: exactly), beside a registered metric; its extras land by key', async () => {
    const target = createTarget('banana');
    const rng = new Rng(5, 9);
    const n = 1500; // over METRIC_SUBSAMPLE: both measure the first 1024
    const x = Float64Array.from(Float32Array.from({ length: 2 * n }, () => 2 * rng.normal()));
    const ksd = metrics.find((d) => d.id === 'ksd');
    if (!ksd) throw new Error('no ksd metric');
    const g = new GpuMetrics(device, { domain: 'plane', sampleBased: false, metrics: [toy, ksd] });
    const c = new CpuMetrics({ domain: 'plane', sampleBased: false, metrics: [toy, ksd] });
    g.setTarget(target, targetSamples(target, 1));
    c.setTarget(target, targetSamples(target, 1));
    expect(g.plan()).toEqual({ toyMeanSq: true, ksd: true });
    const [vg, vc] = await withValidation(device, async () => [await g.measure(uploadBuffer(device, Float32Array.from(x)), n), await c.measure(x, n)]);
    g.destroy();
    c.destroy();
    let s = 0;
    for (let i = 0; i < 2 * 1024; i++) s += (x[i] ?? 0) ** 2;
    expect(readMetric(vc, 'toyMeanSq')).toBe(s / 1024);
    expect(readMetric(vg, 'toyMeanSq')).toBe(s / 1024);
    expect(readMetric(vg, 'toyCount')).toBe(1024);
    expect(readMetric(vc, 'toyCount')).toBe(1024);
    // the registered metric in the same batch still agrees with its twin (f32 rows vs float64: ~1e-5 relative)
    const kg = readMetric(vg, 'ksd'), kc = readMetric(vc, 'ksd');
    expect(kc).toBeGreaterThan(0);
    expect(Math.abs((kg ?? NaN) - (kc ?? NaN)) / (kc ?? NaN)).toBeLessThan(1e-3);
    // the toy does not apply on the torus: not measured there
    const t = new CpuMetrics({ domain: 'torus', sampleBased: false, metrics: [toy] });
    expect(t.plan()).toEqual({ toyMeanSq: false });
  });

  it("KSD follows a formula target's own WGSL on the GPU (targetEval rebuilt when the shader key changes), equal to the twin", async () => {
    const rng = new Rng(6, 9);
    const n = 600;
    const x = Float64Array.from(Float32Array.from({ length: 2 * n }, () => 1.5 * rng.normal()));
    const g = new GpuMetrics(device, { domain: 'plane', sampleBased: false });
    const c = new CpuMetrics({ domain: 'plane', sampleBased: false });
    const buf = uploadBuffer(device, Float32Array.from(x));
    const rel = (a: number | undefined, b: number | undefined): number => Math.abs((a ?? NaN) - (b ?? NaN)) / Math.abs(b ?? NaN);
    const results: [number | undefined, number | undefined][] = [];
    await withValidation(device, async () => {
      for (const target of [createTarget('banana'), createTarget('formula', { logp: '-(x^2 + y^2) / 2' }), createTarget('formula', { logp: '-((x - 1)^2 + y^2 / 4) / 2' })]) {
        g.setTarget(target, undefined);
        c.setTarget(target, undefined);
        results.push([readMetric(await g.measure(buf, n), 'ksd'), readMetric(await c.measure(x, n), 'ksd')]);
      }
    });
    g.destroy();
    for (const [kg, kc] of results) {
      expect(kc).toBeGreaterThan(0);
      // f32 scores and rows vs float64 (as for the built-in targets in metrics.test.ts)
      expect(rel(kg, kc)).toBeLessThan(1e-3);
    }
    // three different targets: three different values (a stale targetEval would repeat the banana's)
    expect(new Set(results.map(([kg]) => kg?.toPrecision(4))).size).toBe(3);
  });

  it('a metric that needs samples, asked with none, is refused by name on both backends', async () => {
    const target = createTarget('banana');
    const x = new Float64Array(64).fill(0.5);
    const c = new CpuMetrics({ domain: 'plane', sampleBased: false, metrics: [needy] });
    c.setTarget(target, undefined);
    // measureMetrics is given the plan (here forced), so the backend's own check speaks
    const cb = c.begin(x, 32);
    expect(() => cb?.measure(needy)).toThrow(/toyNeedy metric needs target samples/);
    const g = new GpuMetrics(device, { domain: 'plane', sampleBased: false, metrics: [needy] });
    g.setTarget(target, undefined);
    const gb = g.begin(uploadBuffer(device, Float32Array.from(x)), 32);
    expect(() => gb?.measure(needy)).toThrow(/toyNeedy metric needs target samples/);
    gb?.run();
    g.destroy();
  });
});

/** Source files under `dir` (recursive), tests left out. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

/** The code without comments (block and line comments; naive about '//' inside strings, which only hides text). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

/**
 * Uses of the words that are not metrics (file, the exact line text): the landscape's energy F
 * readout and divergence cause, the `wgf sinkhorn` command and `wgf train --no-sinkhorn` option, the
 * distilled model card's energy distance.
 */
const NOT_METRICS: readonly [string, RegExp][] = [
  ['src/engine/divergence.ts', /DivergenceCause = .*'energy'|readouts\?\.energy|baseline\.energy|cause: 'energy'/],
  ['src/cli/main.ts', /case 'sinkhorn':/],
  ['src/cli/train.ts', /args\.sinkhorn/],
  ['src/ui/messages.ts', /c\.energy/],
];

describe('no metric id in ui/, engine/, render/, state/ or cli/ code (they iterate the registry)', () => {
  it('no quoted id and no property access by id, outside the listed non-metric uses', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const files = ['ui', 'engine', 'render', 'state', 'cli'].flatMap((d) => sources(join(root, 'src', d)));
    expect(files.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const file of files) {
      const rel = relative(root, file).split('\\').join('/');
      const lines = code(readFileSync(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        for (const id of metricIds) {
          const quoted = new RegExp(`['"\`]${id}['"\`]`);
          // obj.id, obj?.id, obj['id'] (object keys are not looked for: 'wgf sinkhorn: ...' is words)
          const access = new RegExp(`\\.${id}\\b|\\[['"\`]${id}['"\`]\\]`);
          if (!quoted.test(line) && !access.test(line)) continue;
          if (NOT_METRICS.some(([f, re]) => f === rel && re.test(line))) continue;
          found.push(`${rel}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(found).toEqual([]);
  });
});
