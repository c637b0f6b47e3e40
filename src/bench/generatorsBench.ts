/**
 * `npm run bench -- --suites generators` (issue 9, "Speed"): each shipped one-step generator
 * (public/models/index.json, read at run time) against the playground's flow reaching the same
 * Sinkhorn divergence from N(0, I), at N = 4,096 and 65,536 (--gen-sizes).
 *
 * Generator: one call of the ONNX model in onnxruntime-web (Node: wasm EP, one thread,
 *   src/generators/nodeOrt.ts) on n points of the card's seeded noise z; 3 untimed warm-up calls, then the
 *   median of --gen-repeats (15) timed calls (`session.run`, tensor creation and output check included;
 *   drawing z is not). samplesPerSec = n / msPerCall. The WebGPU EP is tried once; in Node the
 *   onnxruntime-web build has none, so its row records onnxruntime's refusal as the reason.
 *   sinkhorn = S_eps of the samples against held-out target samples, exactly the model cards' metric
 *   (src/generators/metrics.ts sinkhornMetric: blur 0.05, the first 512 points a side, CPU float64),
 *   held-out samples drawn with the cards' seed.
 * Flow: the engine's `sinkhorn-flow` (the flow W-Flow compresses; for uotm/sjko the same flow is the
 *   reference, as the row's `reference` says) at the playground's defaults (blur 0.1, its default
 *   step size 0.2) toward a cloud of m = min(n, --gen-m) exact target samples, from N(0, I)
 *   particles (seed 1), on each backend. Every `every` steps the particles are read back and S_eps
 *   measured with the same metric (also after steps 1 and 2: the cold step, then a warm probe
 *   that sizes the chunks to fit the time cap) (first 512 particles vs the same held-out samples); only
 *   step(k) + finish() is timed (wall clock; the metric and the read-back are not). The first
 *   (cold) step is included: it builds the pipelines and anneals the whole eps schedule
 *   (firstStepMs says how long it took). One flow runs per (target, n, backend), until it reaches
 *   the lowest generator S_eps of the target's selected models or a cap (--gen-max-steps,
 *   --gen-max-s); each model's row reads its own answer off that curve (stepsToReach). A flow whose
 *   first step is estimated (from the previous size on that backend, scaled as n m) to exceed the
 *   time cap is skipped with the estimate; the CPU backend runs only n <= --gen-cpu-max-n.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBackend } from '../engine/backend';
import type { Backend, BackendKind, Simulation } from '../engine/types';
import { defaultStepSize } from '../engine/defaults';
import { EVAL_HELDOUT_SEED, EVAL_NOISE_SEED } from '../generators/card';
import { CARD_SINKHORN, heldOutSamples, METRIC_SAMPLES, SINKHORN_SAMPLES, sinkhornMetric } from '../generators/metrics';
import { sampleNoise } from '../generators/model';
import { nodeOrt } from '../generators/nodeOrt';
import { OnnxGenerator, type OrtModule } from '../generators/runtime';
import { targetSampler } from '../generators/targets';
import { fmtS, median } from './util';

/** One S_eps measurement of the flow: after `steps` steps and `ms` of timed stepping. */
export interface CurvePoint {
  steps: number;
  ms: number;
  sinkhorn: number;
}

export interface ReachResult {
  reached: boolean;
  steps: number;
  ms: number;
  sinkhorn: number;
}

/**
 * The first point of the curve with S_eps <= goal (reached), else the point with the lowest S_eps
 * (not reached; the earliest such point on ties). Undefined for an empty curve or a non-finite goal.
 * The resolution is the curve's: a flow measured every 5 steps reports a multiple of 5.
 */
export function stepsToReach(curve: readonly CurvePoint[], goal: number): ReachResult | undefined {
  if (!Number.isFinite(goal)) return undefined;
  let best: CurvePoint | undefined;
  for (const p of curve) {
    if (p.sinkhorn <= goal) return { reached: true, steps: p.steps, ms: p.ms, sinkhorn: p.sinkhorn };
    if (best === undefined || p.sinkhorn < best.sinkhorn) best = p;
  }
  return best === undefined ? undefined : { reached: false, steps: best.steps, ms: best.ms, sinkhorn: best.sinkhorn };
}

/** The card fields this suite reads from public/models/index.json. */
export interface IndexedModel {
  id: string;
  method: string;
  target: string;
  file: string;
  metrics?: { sinkhorn?: number };
}

/** The 8gaussians models by default (one flow target keeps the default run bounded); 'all': every model. */
export function selectModels(models: readonly IndexedModel[], wanted: readonly string[] | undefined): IndexedModel[] {
  if (wanted === undefined) return models.filter((m) => m.target === '8gaussians');
  if (wanted.length === 1 && wanted[0] === 'all') return [...models];
  const byId = new Map(models.map((m) => [m.id, m]));
  return wanted.map((id) => {
    const m = byId.get(id);
    if (!m) throw new Error(`--models: no model '${id}' in index.json (have ${models.map((x) => x.id).join(', ')})`);
    return m;
  });
}

export interface GeneratorsBenchOptions {
  /** Model ids, ['all'], or undefined: the 8gaussians models. */
  models: string[] | undefined;
  modelsDir: string;
  sizes: number[];
  backends: BackendKind[];
  repeats: number;
  /** Generator: timed calls per (model, n, EP). */
  genRepeats: number;
  /** Flow: read back and measure S_eps every this many steps (and after steps 1 and 2). */
  every: number;
  maxSteps: number;
  /** Flow: cap on timed stepping per run (ms). */
  maxMs: number;
  /** Flow target samples m = min(n, maxM). */
  maxM: number;
  /** The CPU backend's flows run only for n <= cpuMaxN. */
  cpuMaxN: number;
  /** Flow step size; undefined: the playground's default for sinkhorn-flow. */
  tau: number | undefined;
  onRow?: (row: GeneratorsBenchRow) => void;
  gpu?: () => Promise<GPU>;
  /** The ort module (default: onnxruntime-web's wasm build in Node). */
  ort?: () => Promise<OrtModule>;
}

export interface GeneratorTiming {
  ep: string;
  msPerCall?: number;
  samplesPerSec?: number;
  /** S_eps (blur 0.05) of the n samples vs held-out target samples, the cards' metric. */
  sinkhorn?: number;
  repeats?: number;
  samplesMs?: number[];
  /** Where the EP (or onnxruntime) is not available: onnxruntime's own message. */
  unavailable?: string;
  error?: string;
}

export interface FlowResult {
  backend: BackendKind;
  method: 'sinkhorn-flow';
  /** Why this flow is the comparison. */
  reference: string;
  /** The S_eps to reach: the generator's, measured here ('measured'), or the card's where onnxruntime is unavailable ('card'). */
  goal?: number;
  goalFrom?: 'measured' | 'card';
  stepSize: number;
  params: Record<string, never>;
  /** Target cloud size. */
  m: number;
  adapter?: string;
  steps?: number;
  ms?: number;
  reached?: boolean;
  sinkhorn?: number;
  /** n / (ms / 1000): particles delivered per second of flow time up to that point. */
  samplesPerSec?: number;
  /** flow ms / generator ms per call (reached rows). */
  msOverGenerator?: number;
  firstStepMs?: number;
  /** S_eps of the initial N(0, I) particles. */
  initialSinkhorn?: number;
  /** Why the flow run ended: reached (the target's lowest goal), max-steps, time cap. */
  stopped?: string;
  cap: { maxSteps: number; maxMs: number; every: number };
  timing?: 'wall-clock';
  curve?: CurvePoint[];
  skipped?: string;
  error?: string;
}

export interface GeneratorsBenchRow {
  suite: 'generators';
  model: string;
  method: string;
  target: string;
  n: number;
  generator: GeneratorTiming;
  /** The WebGPU execution provider (in Node: unavailable, with the reason). */
  generatorWebgpu: GeneratorTiming;
  flow: FlowResult;
}

export interface GeneratorsRuntime {
  onnxruntimeWeb?: string;
  threads?: number;
  sinkhornMetric: typeof CARD_SINKHORN & { samples: number; heldOutSeed: number; noiseSeed: number };
}

const FLOW_SEED = 1;
/** Untimed generator calls before the timed ones. */
const WARMUP_CALLS = 3;

function reference(method: string): string {
  if (method === 'wflow') return 'sinkhorn-flow: the flow W-Flow compresses';
  return `sinkhorn-flow as the reference flow (${method} compresses no flow of the playground)`;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function timeCalls(gen: OnnxGenerator, z: Float64Array, n: number, repeats: number): Promise<{ x: Float32Array; ms: number[] }> {
  let x = await gen.forward(z, n); // warm-up: the session's first runs (allocation, wasm tier-up)
  for (let w = 1; w < WARMUP_CALLS; w++) x = await gen.forward(z, n);
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    x = await gen.forward(z, n);
    ms.push(performance.now() - t0);
  }
  return { x, ms };
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms); })]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

const sig = (v: number): number => Number(v.toPrecision(4));

/** Time one model at one n on an EP. */
async function generatorTiming(ort: OrtModule, bytes: Uint8Array, ep: string, n: number, repeats: number, heldOut: Float64Array): Promise<GeneratorTiming> {
  let gen: OnnxGenerator;
  try {
    gen = await withTimeout(OnnxGenerator.load(ort, bytes, { executionProviders: [ep] }), 30000, `${ep} session`);
  } catch (e) {
    return { ep, unavailable: message(e) };
  }
  try {
    const { x, ms } = await timeCalls(gen, sampleNoise(EVAL_NOISE_SEED, n), n, repeats);
    const msPerCall = median(ms);
    return { ep, msPerCall: sig(msPerCall), samplesPerSec: sig(n / (msPerCall / 1000)), sinkhorn: await sinkhornMetric(x, heldOut), repeats, samplesMs: ms.map(sig) };
  } catch (e) {
    return { ep, error: message(e) };
  } finally {
    gen.release();
  }
}

interface FlowRun {
  base: Omit<FlowResult, 'cap'>;
  curve: CurvePoint[];
  msPerStep?: number;
}

/** One flow on one backend: S_eps every `every` steps until the goal or a cap. */
async function runFlow(backend: Backend, target: string, n: number, m: number, tau: number, goal: number, heldOut: Float64Array, o: GeneratorsBenchOptions, keep: Simulation[]): Promise<FlowRun> {
  const sim = backend.createSimulation({
    method: 'sinkhorn-flow', params: {}, target: { id: target, params: {} }, n, targetSamples: m, stepSize: tau, seed: FLOW_SEED,
    init: { kind: 'gaussian', mean: [0, 0], std: 1 },
  });
  // kept alive until the backend's runs end (destroy()/GC cycles mid-run have crashed Dawn; shared/ENVIRONMENT.md)
  keep.push(sim);
  const measure = async (): Promise<number> => sinkhornMetric(await sim.positions(), heldOut);
  const initial = await measure();
  const curve: CurvePoint[] = [{ steps: 0, ms: 0, sinkhorn: initial }];
  let steps = 0, ms = 0, firstStepMs: number | undefined;
  let stopped = 'max-steps';
  while (steps < o.maxSteps) {
    const perStep = steps > 1 && firstStepMs !== undefined ? (ms - firstStepMs) / (steps - 1) : undefined;
    // the first two chunks are one step each (the cold one, then a warm probe), so later chunks can
    // be sized from warm steps to fit the time cap
    let k = steps < 2 ? 1 : Math.min(o.every - (steps % o.every), o.maxSteps - steps);
    if (perStep !== undefined) {
      const fit = Math.floor((o.maxMs - ms) / perStep);
      if (fit < 1) { stopped = `time cap (next step estimated ${fmtS(perStep)})`; break; }
      k = Math.min(k, fit);
    }
    const t0 = performance.now();
    sim.step(k);
    await sim.finish();
    const dt = performance.now() - t0;
    if (steps === 0) firstStepMs = dt;
    steps += k;
    ms += dt;
    const s = await measure();
    curve.push({ steps, ms: sig(ms), sinkhorn: s });
    if (s <= goal) { stopped = 'reached'; break; }
    if (ms >= o.maxMs) { stopped = 'time cap'; break; }
  }
  const msPerStep: number | undefined = steps > 1 && firstStepMs !== undefined ? (ms - firstStepMs) / (steps - 1) : firstStepMs;
  return {
    base: {
      backend: backend.info.kind, method: 'sinkhorn-flow', reference: '', stepSize: tau, params: {}, m, timing: 'wall-clock',
      ...(backend.info.kind === 'gpu' ? { adapter: backend.info.description } : {}),
      ...(firstStepMs !== undefined ? { firstStepMs: sig(firstStepMs) } : {}), initialSinkhorn: initial, stopped,
    },
    curve,
    ...(msPerStep !== undefined ? { msPerStep } : {}),
  };
}

export async function generatorsBench(o: GeneratorsBenchOptions): Promise<{ rows: GeneratorsBenchRow[]; runtime: GeneratorsRuntime; errors: string[] }> {
  const rows: GeneratorsBenchRow[] = [];
  const errors: string[] = [];
  const index = JSON.parse(await readFile(join(o.modelsDir, 'index.json'), 'utf8')) as { models: IndexedModel[] };
  const models = selectModels(index.models, o.models);
  const runtime: GeneratorsRuntime = { sinkhornMetric: { ...CARD_SINKHORN, samples: SINKHORN_SAMPLES, heldOutSeed: EVAL_HELDOUT_SEED, noiseSeed: EVAL_NOISE_SEED } };
  let ort: OrtModule | undefined;
  let ortError: string | undefined;
  try {
    ort = await (o.ort ?? nodeOrt)();
    runtime.onnxruntimeWeb = ort.env.versions.web ?? ort.env.versions.common;
    runtime.threads = ort.env.wasm.numThreads ?? 1;
  } catch (e) {
    ortError = `onnxruntime-web: ${message(e)}`;
    errors.push(ortError);
  }
  const heldOut = new Map<string, Float64Array>();
  const heldOutOf = (target: string): Float64Array => {
    let y = heldOut.get(target);
    if (!y) {
      y = heldOutSamples(targetSampler(target), EVAL_HELDOUT_SEED, METRIC_SAMPLES);
      heldOut.set(target, y);
    }
    return y;
  };
  // 1. generator timings, per model and n (wasm, and the WebGPU EP where onnxruntime has one)
  const timings = new Map<string, { wasm: GeneratorTiming; webgpu: GeneratorTiming }>();
  let webgpuRefusal: string | undefined;
  for (const model of models) {
    const bytes = new Uint8Array(await readFile(join(o.modelsDir, model.file)));
    for (const n of o.sizes) {
      const y = heldOutOf(model.target);
      const wasm: GeneratorTiming = ort ? await generatorTiming(ort, bytes, 'wasm', n, o.genRepeats, y) : { ep: 'wasm', unavailable: ortError ?? '' };
      let webgpu: GeneratorTiming;
      if (webgpuRefusal !== undefined) webgpu = { ep: 'webgpu', unavailable: webgpuRefusal };
      else if (ort) {
        webgpu = await generatorTiming(ort, bytes, 'webgpu', n, o.genRepeats, y);
        if (webgpu.unavailable !== undefined) webgpuRefusal = webgpu.unavailable;
      } else webgpu = { ep: 'webgpu', unavailable: ortError ?? '' };
      if (wasm.error !== undefined) errors.push(`generators ${model.id} n=${n} wasm: ${wasm.error}`);
      timings.set(`${model.id}@${n}`, { wasm, webgpu });
    }
  }
  // 2. one flow per (target, n, backend), to the lowest goal of the target's models
  const goalOf = (model: IndexedModel, n: number): number => {
    const t = timings.get(`${model.id}@${n}`)?.wasm.sinkhorn;
    return t ?? model.metrics?.sinkhorn ?? NaN; // without onnxruntime: the card's S_eps
  };
  const targets = [...new Set(models.map((m) => m.target))];
  const tauOf = (target: string): number => o.tau ?? defaultStepSize('sinkhorn-flow', target);
  for (const kind of o.backends) {
    let backend: Backend;
    try {
      backend = await createBackend(kind, kind === 'gpu' ? await o.gpu?.() : undefined);
    } catch (e) {
      errors.push(`generators: ${kind} backend: ${message(e)}`);
      continue;
    }
    const keep: Simulation[] = [];
    try {
      for (const target of targets) {
        const mine = models.filter((m) => m.target === target);
        let prev: { n: number; m: number; msPerStep: number } | undefined;
        for (const n of o.sizes) {
          const m = Math.min(n, o.maxM);
          const tau = tauOf(target);
          const cap = { maxSteps: o.maxSteps, maxMs: o.maxMs, every: o.every };
          const goals = mine.map((x) => goalOf(x, n)).filter((g) => Number.isFinite(g));
          const goal = goals.length > 0 ? Math.min(...goals) : NaN;
          let run: FlowRun | undefined;
          let skipped: string | undefined;
          let error: string | undefined;
          if (kind === 'cpu' && n > o.cpuMaxN) skipped = `CPU flows run only for n <= ${o.cpuMaxN} (--gen-cpu-max-n)`;
          else if (prev && prev.msPerStep * ((n * m) / (prev.n * prev.m)) > o.maxMs) {
            skipped = `a step estimated ${fmtS(prev.msPerStep * ((n * m) / (prev.n * prev.m)))} (from n = ${prev.n}, scaled as n m) > the cap ${fmtS(o.maxMs)}`;
          } else {
            try {
              run = await runFlow(backend, target, n, m, tau, goal, heldOutOf(target), o, keep);
              if (run.msPerStep !== undefined) prev = { n, m, msPerStep: run.msPerStep };
            } catch (e) {
              error = message(e);
              errors.push(`generators flow ${kind} ${target} n=${n}: ${error}`);
            }
          }
          for (const model of mine) {
            const t = timings.get(`${model.id}@${n}`) ?? { wasm: { ep: 'wasm' }, webgpu: { ep: 'webgpu' } };
            const measured = t.wasm.sinkhorn !== undefined;
            const flow: FlowResult = {
              backend: kind, method: 'sinkhorn-flow', reference: reference(model.method), goal: goalOf(model, n), goalFrom: measured ? 'measured' : 'card', stepSize: tau, params: {}, m, cap,
            };
            if (skipped !== undefined) flow.skipped = skipped;
            if (error !== undefined) flow.error = error;
            if (run) {
              Object.assign(flow, run.base, { reference: reference(model.method), goal: flow.goal, goalFrom: flow.goalFrom, cap });
              const r = stepsToReach(run.curve, goalOf(model, n));
              if (r) {
                Object.assign(flow, { steps: r.steps, ms: r.ms, reached: r.reached, sinkhorn: r.sinkhorn });
                if (r.ms > 0) flow.samplesPerSec = sig(n / (r.ms / 1000));
                if (r.reached && t.wasm.msPerCall !== undefined && t.wasm.msPerCall > 0) flow.msOverGenerator = sig(r.ms / t.wasm.msPerCall);
              }
              flow.curve = run.curve;
            }
            const row: GeneratorsBenchRow = { suite: 'generators', model: model.id, method: model.method, target, n, generator: t.wasm, generatorWebgpu: t.webgpu, flow };
            rows.push(row);
            o.onRow?.(row);
          }
        }
      }
    } finally {
      for (const sim of keep) sim.destroy();
      backend.destroy();
    }
  }
  return { rows, runtime, errors };
}

/** The rows as a text table (stderr). */
export function generatorsTable(rows: readonly GeneratorsBenchRow[]): string {
  const head = ['model', 'n', 'gen ms', 'gen samples/s', 'gen S_eps', 'flow', 'steps', 'flow ms', 'reached', 'flow S_eps'];
  const cells = rows.map((r) => {
    const g = r.generator, f = r.flow;
    return [
      r.model, String(r.n), g.msPerCall !== undefined ? String(g.msPerCall) : '-', g.samplesPerSec !== undefined ? g.samplesPerSec.toPrecision(3) : '-',
      g.sinkhorn !== undefined ? g.sinkhorn.toPrecision(3) : '-', f.backend,
      f.skipped !== undefined ? 'skipped' : f.error !== undefined ? 'error' : String(f.steps ?? '-'), f.ms !== undefined ? String(Math.round(f.ms)) : '-',
      f.reached === undefined ? '-' : f.reached ? 'yes' : 'no', f.sinkhorn !== undefined ? f.sinkhorn.toPrecision(3) : '-',
    ];
  });
  const all = [head, ...cells];
  const widths = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return `${all.map((r) => r.map((s, c) => s.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}
