/**
 * Train a generator, export it as ONNX and measure its model card: the one pipeline behind
 * `wgf train` (src/cli/train.ts), `npm run train:generators` (scripts/train-generators.ts) and, in
 * the browser, "Distill now" (no Node imports here).
 *
 * The card's metrics are measured on the exported model (float32 weights, the TS forward pass,
 * equal to onnxruntime's output within 1e-5; src/generators/generators.test.ts) from noise
 * z = sampleNoise(evaluation.noiseSeed, 4096), against 4,096 held-out target samples
 * (heldOutSamples(target, evaluation.heldOutSeed)); see src/generators/metrics.ts for each metric.
 * For a --target-file cloud the held-out samples are the last min(4096, m/5) points of the
 * seed-shuffled cloud, and training draws only from the rest.
 */
import { findTarget } from '../targets/registry';
import { shufflePoints } from '../targets/toy';
import { roundToFloat32, parameterCount } from './mlp';
import { generate, sampleNoise, stageOutputName, type GeneratorMethod, type GeneratorModel } from './model';
import {
  CARD_SINKHORN, histogramTv, metricFloor, heldOutSamples, METRIC_SAMPLES, MODE_MIN_FAIR_SHARE, MODE_RADIUS_STD, SINKHORN_SAMPLES, energyDistance,
  measureSamples, targetModes, type GeneratorMetrics,
} from './metrics';
import { ONNX_IR_VERSION, ONNX_OPSET, writeGeneratorOnnx } from './onnx';
import { mapSpec, potentialSpec, resolveTrainParams, trainGenerator, type TrainHooks, type TrainParams } from './train';
import { cloudSampler, outlierFraction, OUTLIER_CENTRE, OUTLIER_RADIUS, OUTLIER_STD, targetSampler, withOutliers, type TargetSampler } from './targets';
import { Rng, Stream } from '../reference/philox';

/**
 * 2: held-out and floor samples are iid draws (targets.ts iidSampler) and the floor is the mean of
 * FLOOR_DRAWS exact samples' ED to the held-out set (1: the toy samplers' evenly spread points, one draw).
 */
export const CARD_VERSION = 2;
/** Seeds of the card's evaluation (fixed, so a test can re-measure the same numbers). */
export const EVAL_NOISE_SEED = 20251;
export const EVAL_HELDOUT_SEED = 20252;

export interface ModelSpec {
  method: GeneratorMethod;
  /** A target id with an exact sampler, or a target built from points (TargetDef.data 'points': 'cloud') with `cloud`. */
  target: string;
  cloud?: Float64Array;
  steps: number;
  seed: number;
  /** Training parameters by name (see TrainParams), plus `outliers` (a fraction in [0, 1)). */
  params: Record<string, string | number>;
}

export interface ModelCard {
  cardVersion: number;
  id: string;
  method: GeneratorMethod;
  /** Balanced OTM (uotm with penalty none), UOTM, W-Flow, S-JKO. */
  label: string;
  target: string;
  /** Fraction of the training mass on the far outlier cluster (0: clean). */
  outliers: number;
  params: TrainParams;
  architecture: {
    stages: number;
    map: string;
    potential: string | null;
    activation: 'silu';
    residual: true;
    parameters: number;
    /** ONNX outputs, x_1 .. x (S-JKO: the chain k = 1..K; k = 0 is z). */
    outputs: string[];
  };
  onnx: { irVersion: number; opset: number; input: 'z'; output: 'x'; shape: '[B, 2] float32' };
  steps: number;
  seed: number;
  wallMs: number;
  metrics: GeneratorMetrics;
  /** The perfect generator's mean ED and tv against the held-out samples, over `draws` exact samples (metrics.ts metricFloor). */
  floor: { energy: number; tv?: number; draws: number };
  evaluation: {
    samples: number;
    noiseSeed: number;
    heldOutSeed: number;
    sinkhorn: typeof CARD_SINKHORN & { samples: number };
    modes: string;
    outliers?: { centre: readonly [number, number]; std: number; radius: number };
  };
}

export function methodLabel(method: GeneratorMethod, params: TrainParams): string {
  if (method === 'wflow') return 'W-Flow';
  if (method === 'sjko') return 'S-JKO';
  return params.penalty === 'none' ? 'OTM (balanced)' : `UOTM (${params.penalty}${params.fixedSource === 1 ? ', fixed source' : ''})`;
}

function mlpName(sizes: number[]): string {
  return sizes.join('-');
}

interface Sources {
  train: TargetSampler;
  heldOut: Float64Array;
  floor: { energy: number; tv: number; draws: number };
}

function sources(spec: ModelSpec, outliers: number): Sources {
  // a target built from points (TargetDef.data 'points', the file cloud): train on its points, hold out a part
  if (findTarget(spec.target)?.data === 'points') {
    const cloud = spec.cloud;
    if (!cloud || cloud.length < 4) throw new Error('a cloud target needs at least 2 points');
    const shuffled = shufflePoints(Float64Array.from(cloud), new Rng(spec.seed >>> 0, Stream.subsample));
    const m = shuffled.length / 2;
    const k = Math.max(1, Math.min(METRIC_SAMPLES, Math.floor(m / 5)));
    const heldOut = shuffled.slice(2 * (m - k));
    const rest = shuffled.slice(0, 2 * (m - k));
    // the floor for a cloud: two halves of the held-out part (its own size)
    const half = Math.floor(k / 2);
    return { train: withOutliers(cloudSampler(rest), outliers), heldOut, floor: { energy: energyDistance(heldOut.slice(0, 2 * half), heldOut), tv: histogramTv(heldOut.slice(0, 2 * half), heldOut), draws: 1 } };
  }
  const base = targetSampler(spec.target);
  const heldOut = heldOutSamples(base, EVAL_HELDOUT_SEED);
  return { train: withOutliers(base, outliers), heldOut, floor: metricFloor(base, EVAL_HELDOUT_SEED, heldOut) };
}

export function modelId(method: GeneratorMethod, target: string, params: TrainParams, outliers: number): string {
  const m = method === 'uotm' && params.penalty === 'none' ? 'otm' : method;
  return `${m}-${target}${outliers > 0 ? '-outliers' : ''}`;
}

/** The card's metrics for a model (exported weights, i.e. float32-rounded), seeded as in the header. */
export async function measureModel(model: GeneratorModel, heldOut: Float64Array, target: string, o: { sinkhorn: boolean; outliers: boolean }): Promise<GeneratorMetrics> {
  const n = METRIC_SAMPLES;
  const exported: GeneratorModel = { method: model.method, stages: model.stages.map(roundToFloat32) };
  const x = generate(exported, sampleNoise(EVAL_NOISE_SEED, n), n);
  const metrics = await measureSamples(x, heldOut, { sinkhorn: o.sinkhorn, modes: targetModes(target) });
  if (o.outliers) metrics.outlierFraction = outlierFraction(x);
  return metrics;
}

export interface TrainedCard {
  bytes: Uint8Array;
  card: ModelCard;
  model: GeneratorModel;
}

/** Train (hooks: progress / cancel), export, measure. `sinkhorn: false` skips the S_eps metric. */
export async function trainModel(spec: ModelSpec, hooks: TrainHooks = {}, o: { sinkhorn: boolean } = { sinkhorn: true }): Promise<TrainedCard> {
  const { outliers: rawOutliers, ...rest } = spec.params;
  const outliers = rawOutliers === undefined ? 0 : Number(rawOutliers);
  if (!(Number.isFinite(outliers) && outliers >= 0 && outliers < 1)) throw new Error(`outliers must be a fraction in [0, 1), got '${String(rawOutliers)}'`);
  const params = resolveTrainParams(spec.method, rest);
  const src = sources(spec, outliers);
  const t0 = performance.now();
  const result = await trainGenerator({ method: spec.method, steps: spec.steps, seed: spec.seed, params, target: src.train }, hooks);
  const wallMs = performance.now() - t0;
  const model = result.model;
  const id = modelId(spec.method, spec.target, params, outliers);
  const K = model.stages.length;
  const outputs = Array.from({ length: K }, (_, i) => stageOutputName(i + 1, K));
  const label = methodLabel(spec.method, params);
  const bytes = writeGeneratorOnnx(model.stages, { metadata: { id, method: spec.method, label, target: spec.target, seed: String(spec.seed), steps: String(result.steps), outputs: outputs.join(',') } });
  const metrics = await measureModel(model, src.heldOut, spec.target, { sinkhorn: o.sinkhorn, outliers: outliers > 0 });
  const card: ModelCard = {
    cardVersion: CARD_VERSION,
    id,
    method: spec.method,
    label,
    target: spec.target,
    outliers,
    params,
    architecture: {
      stages: K,
      map: mlpName(mapSpec(params).sizes),
      potential: spec.method === 'wflow' ? null : mlpName(potentialSpec(params).sizes),
      activation: 'silu',
      residual: true,
      parameters: model.stages.reduce((s, m) => s + parameterCount(m), 0),
      outputs,
    },
    onnx: { irVersion: ONNX_IR_VERSION, opset: ONNX_OPSET, input: 'z', output: 'x', shape: '[B, 2] float32' },
    steps: result.steps,
    seed: spec.seed,
    wallMs: Math.round(wallMs),
    metrics,
    floor: src.floor,
    evaluation: {
      samples: METRIC_SAMPLES,
      noiseSeed: EVAL_NOISE_SEED,
      heldOutSeed: EVAL_HELDOUT_SEED,
      sinkhorn: { ...CARD_SINKHORN, samples: SINKHORN_SAMPLES },
      modes: `a mode (of K) receives samples when >= ${MODE_MIN_FAIR_SHARE}/K of the generated samples lie within ${MODE_RADIUS_STD} std of its centre`,
      ...(outliers > 0 ? { outliers: { centre: OUTLIER_CENTRE, std: OUTLIER_STD, radius: OUTLIER_RADIUS } } : {}),
    },
  };
  return { bytes, card, model };
}

