/**
 * The three one-step generator trainers, float64 on the CPU, deterministic for a seed (every random
 * draw from Philox streams keyed by the seed, src/generators/model.ts TRAIN_HI; no Math.random):
 *
 * wflow (W-Flow; METHODS.md section 9): per step draw z (batch B) and a target batch y (B), x = G(z);
 *   move x one step along the debiased Sinkhorn-divergence flow with the project's log-domain
 *   solver (the loop driver src/ot/loop.ts on the CPU softmin, src/ot/cpuSinkhorn.ts; barycentric
 *   projections by the twin src/reference/sinkhornBarycenter.ts, as the sinkhorn-flow method does):
 *     x' = x + tau (T_ab(x) - T_aa(x))
 *   and take one Adam step on the MSE  (1/B) sum_i |G(z_i) - stop_grad(x'_i)|^2.
 *   The MSE gradient is 2 tau (T_aa - T_ab) / B = 2 tau grad_x S_eps: W-Flow is gradient descent
 *   on the minibatch Sinkhorn divergence through G.
 *
 * uotm (UOTM; METHODS.md section 8, Choi et al.): potential v (MLP 2-H-H-1) and map T (the residual
 *   generator). c(z, x) = tau |z - x|^2 / 2. Per step: `critic` potential steps minimising
 *     L_v = mean_z Psi1*(-(c(z, T(z)) - v(T(z)))) + mean_y Psi2*(-v(y))     (T fixed)
 *   then one map step minimising  L_T = mean_z [c(z, T(z)) - v(T(z))]   (v fixed; needs grad_x v).
 *   Psi* (the convex conjugate of the marginal penalty): kl  e^t - 1;  chi2  t + t^2/4 (t >= -2),
 *   else -1;  none  t (balanced OT: the OTM baseline). Adam with betas (0.5, 0.9), as adversarial
 *   training usually does. Optional R1 gradient penalty on v at the target batch (`r1`; its
 *   Hessian-vector parameter gradient by a central difference of the backward, r1Penalty), the
 *   potential's own init scale (`vInitScale`) and learning-rate ratio (`vlr`).
 *
 * sjko (S-JKO; METHODS.md section 7): K = `stages` JKO steps for F(rho) = KL(rho | nu) with step h:
 *   rho_{k+1} = argmin_rho KL(rho | nu) + W2^2(rho, rho_k) / (2 h)
 *   each written as the semi-dual UOT problem with a hard source marginal (Psi1*(t) = t), a KL
 *   target penalty (Psi2*(t) = e^t - 1) and c(x, y) = |x - y|^2 / (2 h), i.e. one uotm stage whose
 *   source is rho_k = (T_k o ... o T_1)#N(0, I). T_{k+1} starts at the identity (zero last layer),
 *   v is warm-started from stage k; steps / K map steps per stage. The trained maps are all kept:
 *   the chain x_k = T_k(x_{k-1}) steps through k = 0..K.
 *
 * All methods: Adam's learning rate follows a cosine from lr to lr / 20 over the steps (per stage
 * for sjko): the last steps settle the fine structure.
 */
import { CpuSoftminProblem } from '../ot/cpuSinkhorn';
import { recordSinkhorn, type Phase } from '../ot/loop';
import { cloudDiameter, epsilonSchedule } from '../ot/sinkhorn';
import { sinkhornBarycenter } from '../reference/sinkhornBarycenter';
import { sinkhornSoftmin } from '../reference/sinkhornSoftmin';
import type { Rng } from '../reference/philox';
import { Adam, backward, cloneMlp, createMlp, forward, forwardCached, zeroGrads, type Mlp, type MlpCache, type MlpGrads, type MlpSpec } from './mlp';
import { generateChain, TRAIN_HI, type GeneratorMethod, type GeneratorModel } from './model';
import { trainRng, type TargetSampler } from './targets';

export type Penalty = 'kl' | 'chi2' | 'none';

export interface TrainParams {
  /** Hidden width and number of hidden layers of every MLP. */
  hidden: number;
  layers: number;
  batch: number;
  lr: number;
  /** wflow: flow step; uotm: cost coefficient (c = tau |z - x|^2 / 2); sjko: unused (see h). */
  tau: number;
  /** wflow: the Sinkhorn blur (eps = blur^2) and annealing ratio of the flow's solve. */
  blur: number;
  scaling: number;
  /** wflow: Sinkhorn iterations at blur^2 after the annealing (cap). */
  iterations: number;
  /**
   * wflow: the training blur anneals geometrically from `blur` (first step) to `blurEnd` (last step):
   * coarse structure first, then the fine one (the 25-mode grid has std 0.018). Default = blur.
   */
  blurEnd: number;
  /**
   * wflow: 0 = every step solves from a cold start with the full eps-annealing (GeomLoss); k > 0 =
   * warm start: the previous step's potentials, extended to the new points by one softmin each,
   * then only the schedule's last k levels are re-annealed (as the sinkhorn-flow method does).
   */
  anneal: number;
  /** wflow: the batch grows linearly from `batch` to `batchEnd` over the steps (default = batch). */
  batchEnd: number;
  /**
   * Init scale of every map's first layer (weights and biases U(-s/sqrt(2), s/sqrt(2))): s > 1 starts
   * with steep first-layer units, which the sharp clusters of 25gaussians need (1 = PyTorch default).
   */
  initScale: number;
  /**
   * uotm / sjko: the same init scale for the potential v's first layer (1 = PyTorch default). The
   * optimal v of a target with sharp clusters has sharp wells; v starting smooth must first grow
   * its first-layer weights before the map can be pulled into the clusters.
   */
  vInitScale: number;
  /**
   * wflow: 0 = balanced Sinkhorn; r > 0 = unbalanced (KL-relaxed marginals, rho = r^2, Sejourne et
   * al. 2019): a minibatch whose clusters hold more or fewer points than the target batch's is not
   * forced to send the surplus to a far cluster, which is what smears minibatch-OT targets between
   * modes (the surplus shifts from batch to batch).
   */
  reach: number;
  /** wflow: Adam steps per flow step on the same regression pairs (z, x') (1 = the W-Flow paper's one). */
  fit: number;
  /**
   * wflow: 0 = the self term T_aa is the batch's own entropic self-transport (the debiased S_eps of the
   * minibatch); 1 = it is the transport to a FRESH generated batch x~ = G(z~), x' = x + tau (T_ab(x) -
   * T_ax~(x)). With the same batch, a generator equal to the target is not a fixed point of the
   * minibatch update: T_ab matches x to an independent target batch (per-ring counts of 256 points
   * differ by ~7, so points hop between rings) while x's self-transport does not hop, so E[x' | z]
   * smears the target's fine structure (the shipped rings model was a disk). With a fresh batch both
   * terms see an independent sample of the same law when G#N(0, I) = target: E[x' - x | z] = 0.
   * Measured on rings (2-64x4-2, 2,000 steps): it did not help (folded rings, energy 2.1x its floor);
   * unbalanced OT (`reach`) did, and the shipped models keep fresh = 0 (shipped.ts).
   */
  fresh: number;
  /** Exponential moving average of the map's weights (0 = none): the model returned is the average. */
  ema: number;
  /** uotm: the marginal penalty (both sides); sjko uses kl on the target side. */
  penalty: Penalty;
  /**
   * uotm: 1 = the source marginal is hard (Psi1*(t) = t) and `penalty` relaxes the target side only:
   * the "fixed-source UOTM" of the S-JKO paper's toy runs, and what each S-JKO stage is; 0 = both
   * sides relaxed (UOTM as its paper states it).
   */
  fixedSource: number;
  /** uotm / sjko: potential steps per map step. */
  critic: number;
  /**
   * uotm / sjko: R1 gradient penalty on the potential at the target batch, (r1 / 2) mean_y
   * |grad_y v(y)|^2 (Mescheder et al. 2018), as the UOTM code uses (0 = none). Its parameter gradient
   * is a Hessian-vector product, taken by a central difference of the parameter gradient along
   * grad_y v (r1Penalty below).
   */
  r1: number;
  /** uotm / sjko: the potential's learning rate as a multiple of lr (the S-JKO toy code trains v 5x slower than T). */
  vlr: number;
  /** sjko: number of JKO steps K and the JKO step h. */
  stages: number;
  h: number;
}

export const TRAIN_DEFAULTS: Record<GeneratorMethod, TrainParams> = {
  wflow: { hidden: 64, layers: 2, batch: 256, lr: 2e-3, tau: 1, blur: 0.1, scaling: 0.5, iterations: 3, blurEnd: 0.1, anneal: 0, batchEnd: 256, initScale: 1, vInitScale: 1, ema: 0, fit: 1, fresh: 0, reach: 0, penalty: 'none', critic: 1, r1: 0, vlr: 1, fixedSource: 0, stages: 1, h: 1 },
  uotm: { hidden: 64, layers: 2, batch: 256, lr: 1e-3, tau: 0.2, blur: 0.05, scaling: 0.5, iterations: 10, blurEnd: 0.05, anneal: 0, batchEnd: 256, initScale: 1, vInitScale: 1, ema: 0, fit: 1, fresh: 0, reach: 0, penalty: 'kl', critic: 2, r1: 0, vlr: 1, fixedSource: 0, stages: 1, h: 1 },
  sjko: { hidden: 64, layers: 2, batch: 256, lr: 1e-3, tau: 1, blur: 0.05, scaling: 0.5, iterations: 10, blurEnd: 0.05, anneal: 0, batchEnd: 256, initScale: 1, vInitScale: 1, ema: 0, fit: 1, fresh: 0, reach: 0, penalty: 'kl', critic: 2, r1: 0, vlr: 1, fixedSource: 0, stages: 6, h: 1 },
};

const NUMERIC: readonly (keyof TrainParams)[] = ['hidden', 'layers', 'batch', 'lr', 'tau', 'blur', 'scaling', 'iterations', 'critic', 'stages', 'h', 'blurEnd', 'anneal', 'batchEnd', 'initScale', 'vInitScale', 'ema', 'fit', 'reach', 'fresh', 'r1', 'vlr', 'fixedSource'];
const INTEGER = new Set<keyof TrainParams>(['hidden', 'layers', 'batch', 'iterations', 'critic', 'stages', 'anneal', 'batchEnd', 'fit', 'fresh', 'fixedSource']);
/** May be 0 (the others must be positive). */
const NON_NEGATIVE = new Set<keyof TrainParams>(['anneal', 'ema', 'reach', 'fresh', 'r1', 'fixedSource']);

export class TrainParamError extends Error {
  constructor(readonly param: string, message: string) {
    super(message);
    this.name = 'TrainParamError';
  }
}

/** Defaults overlaid with `given` (strings or numbers), checked. Unknown names are refused. */
export function resolveTrainParams(method: GeneratorMethod, givenParams: Record<string, string | number>): TrainParams {
  const p: TrainParams = { ...TRAIN_DEFAULTS[method] };
  // blurEnd / batchEnd follow blur / batch unless given
  const given = { ...givenParams };
  if (given.blur !== undefined && given.blurEnd === undefined) given.blurEnd = given.blur;
  if (given.batch !== undefined && given.batchEnd === undefined) given.batchEnd = given.batch;
  for (const [name, raw] of Object.entries(given)) {
    if (name === 'penalty') {
      if (raw !== 'kl' && raw !== 'chi2' && raw !== 'none') throw new TrainParamError(name, `penalty must be kl, chi2 or none, got '${raw}'`);
      p.penalty = raw;
      continue;
    }
    const key = NUMERIC.find((k) => k === name);
    if (!key) throw new TrainParamError(name, `unknown training parameter '${name}' (known: ${[...NUMERIC, 'penalty'].join(', ')})`);
    const v = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(v) || v < 0 || (v === 0 && !NON_NEGATIVE.has(key)) || (INTEGER.has(key) && !Number.isInteger(v))) {
      throw new TrainParamError(name, `${name} must be a ${NON_NEGATIVE.has(key) ? 'non-negative' : 'positive'} ${INTEGER.has(key) ? 'integer' : 'number'}, got '${raw}'`);
    }
    if ((key === 'fresh' || key === 'fixedSource') && v > 1) throw new TrainParamError(name, `${key} must be 0 or 1, got ${v}`);
    if (key === 'ema' && v >= 1) throw new TrainParamError(name, `ema must lie in [0, 1), got ${v}`);
    if (key === 'scaling' && v >= 1) throw new TrainParamError(name, `scaling must lie in (0, 1), got ${v}`);
    if (key === 'hidden' && v > 1024) throw new TrainParamError(name, `hidden must be at most 1024, got ${v}`);
    if (key === 'layers' && v > 8) throw new TrainParamError(name, `layers must be at most 8, got ${v}`);
    if (key === 'stages' && v > 64) throw new TrainParamError(name, `stages must be at most 64, got ${v}`);
    p[key] = v as never;
  }
  return p;
}

export function mapSpec(p: TrainParams): MlpSpec {
  return { sizes: [2, ...Array.from({ length: p.layers }, () => p.hidden), 2], activation: 'silu', residual: true };
}

export function potentialSpec(p: TrainParams): MlpSpec {
  return { sizes: [2, ...Array.from({ length: p.layers }, () => p.hidden), 1], activation: 'silu', residual: false };
}

export interface TrainProgress {
  step: number;
  steps: number;
  /** wflow: S_eps of the batch before the step; uotm/sjko: the potential loss L_v. */
  loss: number;
  /** sjko: the stage being trained (1-based); 1 otherwise. */
  stage: number;
}

export interface TrainHooks {
  /** Called every `progressEvery` steps and at the end; may return a promise (e.g. to yield in a worker). */
  onProgress?: (p: TrainProgress) => void | Promise<void>;
  progressEvery?: number;
  /** Checked at each progress call: true stops the training (the model so far is returned). */
  shouldStop?: () => boolean;
}

export interface TrainRequest {
  method: GeneratorMethod;
  steps: number;
  seed: number;
  params: TrainParams;
  target: TargetSampler;
}

export interface TrainResult {
  model: GeneratorModel;
  /** Steps actually run (fewer when stopped). */
  steps: number;
  stopped: boolean;
  /** Loss every progressEvery steps. */
  history: TrainProgress[];
}

function lrAt(p: TrainParams, step: number, steps: number): number {
  const t = steps > 1 ? step / (steps - 1) : 1;
  return p.lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * t)));
}

function noiseBatch(rng: Rng, n: number): Float64Array {
  const z = new Float64Array(2 * n);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return z;
}

class Progress {
  readonly history: TrainProgress[] = [];
  stopped = false;
  private readonly every: number;
  constructor(private readonly hooks: TrainHooks, private readonly total: number) {
    this.every = Math.max(1, Math.round(hooks.progressEvery ?? 50));
  }
  /** Whether step `done` (1-based) is reported (its loss is then computed). */
  due(done: number): boolean {
    return done % this.every === 0 || done === this.total;
  }
  /** After step `done` (1-based count); returns true to stop. */
  async after(done: number, loss: number, stage: number): Promise<boolean> {
    if (!this.due(done)) return false;
    const p = { step: done, steps: this.total, loss, stage };
    this.history.push(p);
    await this.hooks.onProgress?.(p);
    if (this.hooks.shouldStop?.()) this.stopped = true;
    return this.stopped;
  }
}

/** Polyak / EMA weights of a net: avg <- decay avg + (1 - decay) net after every optimiser step. */
class WeightAverage {
  readonly avg: Mlp;
  constructor(private readonly net: Mlp, private readonly decay: number) {
    this.avg = cloneMlp(net);
  }
  update(): void {
    const a = this.decay, b = 1 - this.decay;
    this.net.layers.forEach((d, l) => {
      const e = this.avg.layers[l];
      if (!e) return;
      for (let i = 0; i < d.w.length; i++) e.w[i] = a * (e.w[i] ?? 0) + b * (d.w[i] ?? 0);
      for (let i = 0; i < d.b.length; i++) e.b[i] = a * (e.b[i] ?? 0) + b * (d.b[i] ?? 0);
    });
  }
  /** The averaged weights copied into the net (the model returned). */
  apply(): void {
    this.net.layers.forEach((d, l) => {
      const e = this.avg.layers[l];
      if (!e) return;
      d.w.set(e.w);
      d.b.set(e.b);
    });
  }
}

// ---------------------------------------------------------------- wflow
/** The training blur and batch of step `step` (of `steps`): geometric blur -> blurEnd, linear batch -> batchEnd. */
export function wflowSchedule(p: TrainParams, step: number, steps: number): { blur: number; batch: number } {
  const t = steps > 1 ? step / (steps - 1) : 1;
  return { blur: p.blur * Math.pow(p.blurEnd / p.blur, t), batch: Math.round(p.batch + (p.batchEnd - p.batch) * t) };
}

/** What a warm step keeps of the previous one: its points and the potentials g_ab (on y) and f_aa (on x). */
export interface WarmState {
  x: Float64Array;
  y: Float64Array;
  loga: Float64Array;
  logb: Float64Array;
  gab: Float64Array;
  faa: Float64Array;
}

/** f_ab, g_ab and f_aa: the potentials the step reads (g_bb only for the reported loss). */
const WFLOW_SIDES = { ab: true, aa: true, bb: false } as const;

/**
 * The potentials the W-Flow step needs, f_ab, g_ab and f_aa at eps = blur^2, by the project's loop
 * driver (src/ot/loop.ts) on the CPU twin: GeomLoss's averaged symmetric updates along the
 * eps-schedule, then `iterations` alternating updates at blur^2. The target's self-potential g_bb is
 * not needed for the step (T_ab reads g_ab, T_aa reads f_aa) and is skipped; `sinkhornValue` adds it
 * when the loss is reported. Cold (warm undefined): zero potentials, one init jump at eps_0 and
 * the full schedule. Warm: f_ab(x) and f_aa(x) are the previous step's potentials extended to the new
 * points by one softmin each (f(x) = softmin_eps(C(x, y_old), log b + g_old / eps), the Sinkhorn
 * formula for a potential off its own points), g_ab follows from f_ab, and only the schedule's last
 * `anneal` levels run.
 */
function wflowPotentials(problem: CpuSoftminProblem, schedule: readonly number[], p: TrainParams, warm: WarmState | undefined): void {
  const reanneal = warm !== undefined && p.anneal > 0;
  const levels = reanneal ? schedule.slice(Math.max(0, schedule.length - p.anneal)) : schedule;
  const rho = p.reach > 0 ? p.reach * p.reach : null;
  problem.setSchedule(levels, rho);
  if (reanneal) {
    // seed the warm start: the previous potentials extended to the new points, then g_ab from f_ab
    const eps0 = levels[0] ?? 1;
    const B = problem.n;
    const lambda = rho === null ? 1 : 1 / (1 + eps0 / rho);
    sinkhornSoftmin(problem.x, B, warm.y, warm.y.length / 2, warm.logb, warm.gab, warm.gab, { eps: eps0, lambda, blend: 0 }, problem.current('fab'));
    sinkhornSoftmin(problem.x, B, warm.x, warm.x.length / 2, warm.loga, warm.faa, warm.faa, { eps: eps0, lambda, blend: 0 }, problem.current('faa'));
    problem.softmin('gab', 0);
    problem.commit(false);
  }
  const phases: Phase[] = [
    ...(reanneal ? [] : [{ update: 'jump', count: 1, tick: 'none' } as const]),
    { update: 'averaged', count: levels.length },
    { update: 'alternating', count: p.iterations },
  ];
  recordSinkhorn(problem, { start: reanneal ? 'warm' : 'cold', sides: WFLOW_SIDES, phases });
}

/** S_eps of the batch at the solved potentials: g_bb by its own annealed symmetric updates (the driver on g_bb alone), then the value. */
async function sinkhornValue(problem: CpuSoftminProblem, schedule: readonly number[], iterations: number, reach: number): Promise<number> {
  problem.current('gbb').fill(0);
  recordSinkhorn(problem, {
    start: 'warm',
    sides: { ab: false, aa: false, bb: true },
    schedule: { eps: schedule, rho: reach > 0 ? reach * reach : null },
    phases: [{ update: 'jump', count: 1, tick: 'none' }, { update: 'averaged', count: schedule.length + iterations }],
  });
  return problem.value(true);
}

/**
 * One W-Flow move of the batch x (B points) towards the target batch y (B points) at `blur`:
 *   x' = x + tau (T_ab(x) - T_aa(x)),
 * with the warm state for the next step, and S_eps of the batch when `withLoss` (else NaN).
 */
export async function wflowStep(x: Float64Array, y: Float64Array, blur: number, p: TrainParams, warm: WarmState | undefined, withLoss: boolean, fresh?: Float64Array): Promise<{ next: Float64Array; warm: WarmState; loss: number }> {
  const B = x.length / 2;
  const problem = new CpuSoftminProblem({ points: x }, { points: y });
  const schedule = epsilonSchedule(cloudDiameter(x, y), blur, p.scaling);
  wflowPotentials(problem, schedule, p, warm);
  const eps = blur * blur;
  const gab = problem.current('gab'), faa = problem.current('faa');
  const tab = sinkhornBarycenter(x, B, problem.y, y.length / 2, problem.logb, gab, x, { eps, alpha: 0, beta: 1, gamma: 0 });
  let next: Float64Array;
  if (fresh) {
    // the self term against an independent generated batch: T_ax~ from a cold solve of (x, x~)
    const self = new CpuSoftminProblem({ points: x }, { points: fresh });
    wflowPotentials(self, epsilonSchedule(cloudDiameter(x, fresh), blur, p.scaling), p, undefined);
    next = sinkhornBarycenter(x, B, self.y, fresh.length / 2, self.logb, self.current('gab'), tab, { eps, alpha: 1, beta: -p.tau, gamma: p.tau });
    self.destroy();
  } else {
    next = sinkhornBarycenter(x, B, x, B, problem.loga, faa, tab, { eps, alpha: 1, beta: -p.tau, gamma: p.tau });
  }
  const loss = withLoss ? await sinkhornValue(problem, schedule, p.iterations, p.reach) : NaN;
  const state = { x: problem.x, y: problem.y, loga: problem.loga, logb: problem.logb, gab: gab.slice(), faa: faa.slice() };
  problem.destroy();
  return { next, warm: state, loss };
}

async function trainWflow(req: TrainRequest, progress: Progress): Promise<{ model: GeneratorModel; steps: number }> {
  const p = req.params;
  const g = createMlp(mapSpec(p), trainRng(req.seed, TRAIN_HI.weights), true, p.initScale);
  const opt = new Adam(g, { lr: p.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  const zr = trainRng(req.seed, TRAIN_HI.noise), yr = trainRng(req.seed, TRAIN_HI.target);
  const ema = p.ema > 0 ? new WeightAverage(g, p.ema) : undefined;
  let warm: WarmState | undefined;
  let done = 0;
  for (let step = 0; step < req.steps; step++) {
    const { blur, batch: B } = wflowSchedule(p, step, req.steps);
    const z = noiseBatch(zr, B);
    const y = req.target(yr, B);
    const cache = forwardCached(g, z, B);
    const x = cache.out;
    const fresh = p.fresh > 0 ? forward(g, noiseBatch(zr, B), B) : undefined;
    const r = await wflowStep(x, y, blur, p, warm, progress.due(step + 1), fresh);
    warm = r.warm;
    const xNew = r.next;
    const loss = r.loss;
    // MSE to stop_grad(x'): dL/dG = 2 (G(z) - x') / B; `fit` Adam steps on the same pairs (z, x')
    const d = new Float64Array(2 * B);
    for (let f = 0; f < p.fit; f++) {
      const c = f === 0 ? cache : forwardCached(g, z, B);
      for (let i = 0; i < d.length; i++) d[i] = (2 * ((c.out[i] ?? 0) - (xNew[i] ?? 0))) / B;
      const grads = zeroGrads(g);
      backward(g, c, d, grads);
      opt.step(grads, lrAt(p, step, req.steps));
      ema?.update();
    }
    done = step + 1;
    if (await progress.after(done, loss, 1)) break;
  }
  ema?.apply();
  return { model: { method: 'wflow', stages: [g] }, steps: done };
}

// ---------------------------------------------------------------- semi-dual (U)OT stages: uotm, sjko
function conj(pen: Penalty, t: number): { value: number; slope: number } {
  switch (pen) {
    case 'kl': {
      const e = Math.exp(Math.min(t, 50));
      return { value: e - 1, slope: e };
    }
    case 'chi2':
      return t >= -2 ? { value: t + (t * t) / 4, slope: 1 + t / 2 } : { value: -1, slope: 0 };
    case 'none':
      return { value: t, slope: 1 };
  }
}

/**
 * The R1 penalty  P = (gamma / 2) (1/n) sum_i |g_i|^2,  g_i = grad_y v(y_i), for the n points y
 * (interleaved [n, 2]; `cache` = v's forward pass at y when the caller has it); ADDS dP/dtheta into
 * `grads` and returns P.
 *   dP/dtheta = (gamma / n) sum_i (d g_i / d theta)^T g_i = (gamma / n) sum_i d/de [dv(y_i + e g_i)/dtheta] at e = 0
 * (g_i held fixed: the derivative of g . grad v along g is the Hessian-vector product), taken by the
 * central difference  [dv(y_i + e_i g_i)/dtheta - dv(y_i - e_i g_i)/dtheta] / (2 e_i)  with
 * e_i |g_i| = R1_STEP: two more backward passes instead of second-order reverse mode. Truncation
 * error O(R1_STEP^2 |third derivatives|), rounding ~1e-16 / R1_STEP: ~1e-8 relative in float64.
 */
export const R1_STEP = 1e-4;
export function r1Penalty(v: Mlp, y: Float64Array, n: number, gamma: number, grads: MlpGrads, cache: MlpCache = forwardCached(v, y, n)): number {
  const g = backward(v, cache, new Float64Array(n).fill(1));
  const plus = new Float64Array(2 * n), minus = new Float64Array(2 * n);
  const dPlus = new Float64Array(n), dMinus = new Float64Array(n);
  let value = 0;
  for (let i = 0; i < n; i++) {
    const g0 = g[2 * i] ?? 0, g1 = g[2 * i + 1] ?? 0;
    const norm = Math.hypot(g0, g1);
    value += (0.5 * gamma * norm * norm) / n;
    const e = norm > 1e-12 ? R1_STEP / norm : 0;
    plus[2 * i] = (y[2 * i] ?? 0) + e * g0;
    plus[2 * i + 1] = (y[2 * i + 1] ?? 0) + e * g1;
    minus[2 * i] = (y[2 * i] ?? 0) - e * g0;
    minus[2 * i + 1] = (y[2 * i + 1] ?? 0) - e * g1;
    const w = e > 0 ? gamma / (n * 2 * e) : 0;
    dPlus[i] = w;
    dMinus[i] = -w;
  }
  backward(v, forwardCached(v, plus, n), dPlus, grads);
  backward(v, forwardCached(v, minus, n), dMinus, grads);
  return value;
}

interface SemiDualStage {
  /** Source batch x (interleaved, n points): noise for uotm, rho_k for sjko. */
  source: (n: number) => Float64Array;
  map: Mlp;
  potential: Mlp;
  /** Cost coefficient: c(x, y) = tau |x - y|^2 / 2. */
  tau: number;
  psi1: Penalty;
  psi2: Penalty;
}

async function trainSemiDual(stage: SemiDualStage, req: TrainRequest, yr: Rng, steps: number, progress: Progress, offset: number, stageIndex: number): Promise<number> {
  const p = req.params;
  const B = p.batch;
  const { map, potential: v, tau } = stage;
  const adamT = new Adam(map, { lr: p.lr, beta1: 0.5, beta2: 0.9, eps: 1e-8 });
  const adamV = new Adam(v, { lr: p.lr, beta1: 0.5, beta2: 0.9, eps: 1e-8 });
  const ones = new Float64Array(B).fill(1);
  const ema = p.ema > 0 ? new WeightAverage(map, p.ema) : undefined;
  let done = 0;
  for (let step = 0; step < steps; step++) {
    const lr = lrAt(p, step, steps);
    let lossV = 0;
    for (let c = 0; c < p.critic; c++) {
      const x = stage.source(B);
      const tx = forward(map, x, B);
      const y = req.target(yr, B);
      const cg = forwardCached(v, tx, B);
      const cy = forwardCached(v, y, B);
      const dg = new Float64Array(B), dy = new Float64Array(B);
      lossV = 0;
      for (let i = 0; i < B; i++) {
        const d0 = (tx[2 * i] ?? 0) - (x[2 * i] ?? 0), d1 = (tx[2 * i + 1] ?? 0) - (x[2 * i + 1] ?? 0);
        const cost = 0.5 * tau * (d0 * d0 + d1 * d1);
        // Psi1*(-(c - v(T x))): d/dv(Tx) = Psi1*'(v - c)
        const a = conj(stage.psi1, (cg.out[i] ?? 0) - cost);
        // Psi2*(-v(y)): d/dv(y) = -Psi2*'(-v(y))
        const b = conj(stage.psi2, -(cy.out[i] ?? 0));
        lossV += (a.value + b.value) / B;
        dg[i] = a.slope / B;
        dy[i] = -b.slope / B;
      }
      const grads = zeroGrads(v);
      backward(v, cg, dg, grads);
      backward(v, cy, dy, grads);
      if (p.r1 > 0) lossV += r1Penalty(v, y, B, p.r1, grads, cy);
      adamV.step(grads, lr * p.vlr);
    }
    // map step: L_T = mean [tau |x - T x|^2 / 2 - v(T x)]
    const x = stage.source(B);
    const ct = forwardCached(map, x, B);
    const tx = ct.out;
    const gv = backward(v, forwardCached(v, tx, B), ones);
    const d = new Float64Array(2 * B);
    for (let i = 0; i < d.length; i++) d[i] = (tau * ((tx[i] ?? 0) - (x[i] ?? 0)) - (gv[i] ?? 0)) / B;
    const grads = zeroGrads(map);
    backward(map, ct, d, grads);
    adamT.step(grads, lr);
    ema?.update();
    done = step + 1;
    if (await progress.after(offset + done, lossV, stageIndex)) break;
  }
  ema?.apply();
  return done;
}

async function trainUotm(req: TrainRequest, progress: Progress): Promise<{ model: GeneratorModel; steps: number }> {
  const p = req.params;
  const map = createMlp(mapSpec(p), trainRng(req.seed, TRAIN_HI.weights), true, p.initScale);
  const potential = createMlp(potentialSpec(p), trainRng(req.seed, TRAIN_HI.potential), false, p.vInitScale);
  const zr = trainRng(req.seed, TRAIN_HI.noise), yr = trainRng(req.seed, TRAIN_HI.target);
  const steps = await trainSemiDual({ source: (n) => noiseBatch(zr, n), map, potential, tau: p.tau, psi1: p.fixedSource === 1 ? 'none' : p.penalty, psi2: p.penalty }, req, yr, req.steps, progress, 0, 1);
  return { model: { method: 'uotm', stages: [map] }, steps };
}

async function trainSjko(req: TrainRequest, progress: Progress): Promise<{ model: GeneratorModel; steps: number }> {
  const p = req.params;
  const K = p.stages;
  const per = Math.max(1, Math.floor(req.steps / K));
  const wr = trainRng(req.seed, TRAIN_HI.weights);
  const zr = trainRng(req.seed, TRAIN_HI.noise), yr = trainRng(req.seed, TRAIN_HI.target);
  const potential = createMlp(potentialSpec(p), trainRng(req.seed, TRAIN_HI.potential), false, p.vInitScale);
  const model: GeneratorModel = { method: 'sjko', stages: [] };
  let total = 0;
  for (let k = 1; k <= K; k++) {
    const map = createMlp(mapSpec(p), wr, true, p.initScale);
    const prev: GeneratorModel = { method: 'sjko', stages: [...model.stages] };
    const source = (n: number): Float64Array => {
      const z = noiseBatch(zr, n);
      const chain = generateChain(prev, z, n);
      return chain[chain.length - 1] ?? z;
    };
    model.stages.push(map);
    const steps = k === K ? Math.max(1, req.steps - per * (K - 1)) : per;
    total += await trainSemiDual({ source, map, potential, tau: 1 / p.h, psi1: 'none', psi2: p.penalty }, req, yr, steps, progress, total, k);
    if (progress.stopped) break;
  }
  return { model, steps: total };
}

/** Train a generator (see the header); deterministic for (method, steps, seed, params, target). */
export async function trainGenerator(req: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  if (!(Number.isInteger(req.steps) && req.steps >= 1)) throw new TrainParamError('steps', `steps must be an integer >= 1, got ${req.steps}`);
  const progress = new Progress(hooks, req.steps);
  const run = req.method === 'wflow' ? trainWflow : req.method === 'uotm' ? trainUotm : trainSjko;
  const r = await run(req, progress);
  return { model: r.model, steps: r.steps, stopped: progress.stopped, history: progress.history };
}
