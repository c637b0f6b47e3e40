/**
 * "Distill now": train a `wflow` generator (W-Flow, src/generators/train.ts) on a target given as a
 * point cloud, then write it as ONNX. The core of src/generators/distillWorker.ts: the worker wraps
 * this function, and Node (the tests) runs it in-process. Pure (no DOM, no Node imports).
 *
 *   cloud (m points) --seed-shuffle--> train part (m - k) + held-out part (k = min(2048, m / 5))
 *   trainGenerator({ method: 'wflow', target: cloudSampler(train part) })  (float64, seeded)
 *   bytes = writeGeneratorOnnx(model)      (float32 weights; metadata: method, target, steps, ...)
 *   card.energy = energy distance of 2,048 generated samples (the exported float32 weights, noise
 *   seed EVAL_NOISE_SEED) to the held-out part; card.energyInit the same for the untrained map
 *   (the identity: x = z), so the card says how far the training moved the generator.
 *
 * Progress: hooks.onProgress gets {step, steps, loss, elapsedMs} at most every `progressMs` (and at
 * the last step); hooks.shouldStop is checked after every step, so a cancel stops within one step
 * (the model so far is returned, `stopped: true`). hooks.checkpoint (the worker: one macrotask) is
 * awaited after every step so that a cancel message can arrive while training runs.
 */
import { shufflePoints } from '../targets/toy';
import { Rng, Stream } from '../reference/philox';
import { EVAL_NOISE_SEED } from './card';
import { energyDistance } from './metrics';
import { roundToFloat32 } from './mlp';
import { generate, sampleNoise, type GeneratorModel } from './model';
import { writeGeneratorOnnx } from './onnx';
import { resolveTrainParams, trainGenerator, type TrainParams } from './train';
import { cloudSampler } from './targets';

/**
 * Defaults of a browser distill: 300 wflow steps at batch 128. The Sinkhorn solve per step is
 * O(batch^2): at batch 256 a step took 169 ms, at 128 64 ms (Node, this machine's 2 cores shared
 * with other jobs, load ~6). Measured in headless Chromium's worker on the same machine: the default
 * distill took 17.2 s from click to download on 8gaussians (training 15.4 s; energy distance to
 * held-out samples 0.617 untrained -> 0.019, floor ~0.002) and 8.7 s on donut (density grid; 0.503
 * -> 0.013), well under a minute.
 *
 * Training parameters (DISTILL_PARAMS, issue 22 item 8): the shipped W-Flow recipe (public/models
 * wflow-*.json: lr 1e-2, blur annealed 0.1 -> 0.03 with 3 warm iterations, first layer widened x6,
 * target-side reach 0.6, 3 Adam steps per flow step, a weight average) on the default 2 hidden
 * layers, with the average's decay 1 - 1.5 / steps (the same window relative to the run's length,
 * 0.995 at 300 steps). TRAIN_DEFAULTS.wflow (lr 2e-3, no annealing, no average) gave a diffuse
 * blob on a mixture: measured in Node (distill(), seed 1, 16,384 target points; energy distance of
 * 4,096 generated points to 4,096 fresh target points; "between" = share of points farther than
 * 2 std from every mode, the target's own share in brackets; load ~15 on 2 cores, so times are noisy):
 *   dragged mixture (modes at (-3,-2.5), (3,2.5), (-3,3)), 300 steps: 0.161 -> 0.026, between 57% -> 10% (13%),
 *     32-37 s -> 36-39 s
 *   default mixture, 300 steps: 0.036 -> 0.0023, between 27% -> 9% (13%), 38 s -> 43 s
 *   dragged mixture, 40 steps: 0.940 -> 0.070, between 86% -> 20%, 5.6 s -> 9.6 s
 * The average matters: at 300 steps decay 0 gave 0.081, 0.98 gave 0.033. Four hidden layers (the
 * shipped models') took 1.7x as long for 0.049 on the dragged mixture.
 */
export const DISTILL_STEPS = 300;
export const DISTILL_BATCH = 128;
export const DISTILL_MAX_STEPS = 5000;
/** Target samples handed to the worker for targets without a cloud of their own. */
export const DISTILL_POINTS = 16_384;
/** Held-out points (at most) and generated points of the card's energy distance. */
export const DISTILL_EVAL_POINTS = 2048;
/** Minimum interval between progress reports. */
export const DISTILL_PROGRESS_MS = 250;

/** Training parameters of a distill over TRAIN_DEFAULTS.wflow (see the header); `ema` comes from distillEma(steps). */
export const DISTILL_PARAMS: Readonly<Record<string, number>> = { batch: DISTILL_BATCH, lr: 0.01, blurEnd: 0.03, anneal: 3, initScale: 6, reach: 0.6, fit: 3 };

/** The weight average's decay for a run of `steps`: 1 - 1.5 / steps (0.995 at 300), 0 for a run of 1 step. */
export function distillEma(steps: number): number {
  return Math.max(0, 1 - 1.5 / Math.max(1, steps));
}

export interface DistillRequest {
  /** Target samples, interleaved [x0, y0, x1, y1, ...], at least 10 points. */
  cloud: Float64Array;
  /** The target's name (card, ONNX metadata, file name). */
  target: string;
  steps: number;
  seed: number;
  /** Training parameters by name over TRAIN_DEFAULTS.wflow with DISTILL_PARAMS and distillEma(steps) (resolveTrainParams). */
  params?: Record<string, string | number>;
}

export interface DistillProgress {
  step: number;
  steps: number;
  /** S_eps of the training batch before the step (train.ts TrainProgress.loss). */
  loss: number;
  elapsedMs: number;
}

export interface DistillCard {
  method: 'wflow';
  label: 'W-Flow';
  target: string;
  /** Steps run (fewer than `requestedSteps` when stopped). */
  steps: number;
  requestedSteps: number;
  stopped: boolean;
  seed: number;
  wallMs: number;
  params: TrainParams;
  /** Target points used: training and held out. */
  trainPoints: number;
  heldOutPoints: number;
  /** Energy distance to the held-out points: the trained generator, and the untrained one (x = z). */
  energy: number;
  energyInit: number;
  /** The last progress loss (S_eps of a training batch). */
  loss: number;
}

export interface DistillResult {
  bytes: Uint8Array;
  card: DistillCard;
  model: GeneratorModel;
}

export interface DistillHooks {
  onProgress?: (p: DistillProgress) => void;
  shouldStop?: () => boolean;
  /** Awaited after every step (the worker lets its messages in). */
  checkpoint?: () => Promise<void>;
  progressMs?: number;
  /** Clock (ms); default performance.now. */
  now?: () => number;
}

export class DistillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DistillError';
  }
}

/** Train a wflow generator on `req.cloud` and export it (see the header). */
export async function distill(req: DistillRequest, hooks: DistillHooks = {}): Promise<DistillResult> {
  const m = req.cloud.length / 2;
  if (!Number.isInteger(m) || m < 10) throw new DistillError(`the target has ${Math.floor(m)} sample points; distilling needs at least 10`);
  for (let i = 0; i < req.cloud.length; i++) {
    if (!Number.isFinite(req.cloud[i] ?? NaN)) throw new DistillError(`target sample ${Math.floor(i / 2)} is not finite`);
  }
  if (!(Number.isInteger(req.steps) && req.steps >= 1 && req.steps <= DISTILL_MAX_STEPS)) throw new DistillError(`steps must be an integer in 1..${DISTILL_MAX_STEPS}, got ${req.steps}`);
  const params = resolveTrainParams('wflow', { ...DISTILL_PARAMS, ema: distillEma(req.steps), ...req.params });
  const now = hooks.now ?? (() => performance.now());
  const every = hooks.progressMs ?? DISTILL_PROGRESS_MS;

  const shuffled = shufflePoints(Float64Array.from(req.cloud), new Rng(req.seed >>> 0, Stream.subsample));
  const k = Math.max(1, Math.min(DISTILL_EVAL_POINTS, Math.floor(m / 5)));
  const heldOut = shuffled.slice(2 * (m - k));
  const train = shuffled.slice(0, 2 * (m - k));

  const t0 = now();
  let last = -Infinity;
  let lastLoss = NaN;
  const result = await trainGenerator(
    { method: 'wflow', steps: req.steps, seed: req.seed, params, target: cloudSampler(train) },
    {
      progressEvery: 1,
      onProgress: async (p) => {
        lastLoss = p.loss;
        const t = now();
        if (t - last >= every || p.step === p.steps) {
          last = t;
          hooks.onProgress?.({ step: p.step, steps: p.steps, loss: p.loss, elapsedMs: t - t0 });
        }
        await hooks.checkpoint?.();
      },
      shouldStop: () => hooks.shouldStop?.() ?? false,
    },
  );
  const wallMs = now() - t0;
  const model = result.model;
  if (result.stopped) hooks.onProgress?.({ step: result.steps, steps: req.steps, loss: lastLoss, elapsedMs: wallMs });

  const n = DISTILL_EVAL_POINTS;
  const z = sampleNoise(EVAL_NOISE_SEED, n);
  const exported: GeneratorModel = { method: 'wflow', stages: model.stages.map(roundToFloat32) };
  const energy = energyDistance(generate(exported, z, n), heldOut);
  const energyInit = energyDistance(z, heldOut);
  const bytes = writeGeneratorOnnx(model.stages, {
    metadata: { id: `wflow-${req.target}`, method: 'wflow', label: 'W-Flow', target: req.target, seed: String(req.seed), steps: String(result.steps), outputs: 'x', distilled: 'browser' },
  });
  const card: DistillCard = {
    method: 'wflow', label: 'W-Flow', target: req.target, steps: result.steps, requestedSteps: req.steps, stopped: result.stopped,
    seed: req.seed, wallMs: Math.round(wallMs), params, trainPoints: m - k, heldOutPoints: k, energy, energyInit, loss: lastLoss,
  };
  return { bytes, card, model };
}

/** The download's file name: wflow-<target>.onnx, the target reduced to [A-Za-z0-9._-]. */
export function distillFileName(target: string): string {
  const safe = target.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'target';
  return `wflow-${safe}.onnx`;
}
