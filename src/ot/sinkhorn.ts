/**
 * Log-domain Sinkhorn and the debiased Sinkhorn divergence, GeomLoss parameterisation
 * (Feydy et al. 2019, "Interpolating between Optimal Transport and MMD using Sinkhorn Divergences";
 * GeomLoss `sinkhorn_divergence.py::sinkhorn_loop`; unbalanced: Sejourne et al. 2019). METHODS.md section 4.
 *
 * Cost C(x, y) = |x - y|^2 / 2 (p = 2), eps = blur^2, a, b weighted clouds, softmin
 *   softmin_eps(C, h)_i = -eps log sum_j exp(h_j - C_ij / eps),  damping lambda = 1 / (1 + eps / rho)
 * ONE loop, shared by every backend (GPU WGSL, CPU float64 twin), as GeomLoss's sinkhorn_loop:
 *   init (eps_0):  f_ab = lambda softmin(C_xy, log b),  g_ab = lambda softmin(C_yx, log a)  [+ f_aa, g_bb]
 *   for eps in schedule (GeomLoss epsilon_schedule: diameter^2, then x scaling^2 down to blur^2):
 *     f_ab <- (f_ab + lambda softmin(C_xy, log b + g_ab / eps)) / 2       (symmetric updates:
 *     g_ab <- (g_ab + lambda softmin(C_yx, log a + f_ab / eps)) / 2        both read the old values)
 *     f_aa <- (f_aa + lambda softmin(C_xx, log a + f_aa / eps)) / 2,  g_bb likewise     [debias]
 *   then more iterations at eps = blur^2 until the marginal error (checked every `checkEvery`
 *   iterations, a few bytes read back) is <= tol or maxIter, and a last extrapolation
 *   (non-averaged update), after which
 *     S_eps = <a, f_ab - f_aa> + <b, g_ab - g_bb>        (balanced; unbalanced: Sejourne Prop. 12)
 *     OT_eps = <a, f_ab> + <b, g_ab>                     (debias = false)
 * The loop is run by the one driver, src/ot/loop.ts (runSinkhorn), from the plan sinkhornLoop builds.
 * A backend supplies only the softmin update, the weighted reductions and storage for the potentials
 * (`SoftminProblem`): src/ot/gpuSinkhorn.ts (WGSL, potentials stay in GPU buffers and iterations are
 * recorded into one command buffer between checks) and src/ot/cpuSinkhorn.ts (float64 twin).
 * For benchmarks and scripts (src/bench/sinkhornBench.ts): sinkhornDivergence, epsilonSchedule and
 * sinkhornIteration (one symmetric iteration recorded on a problem, e.g. of createGpuSinkhorn,
 * src/ot/gpuSinkhorn.ts), the pieces the bench times.
 */
import { debiasSides, recordUpdate, runSinkhorn, type Phase, type Potentials, type SoftminProblem } from './loop';

export type { Potential, Potentials, SoftminProblem } from './loop';

/** A weighted point cloud: interleaved 2-D points; weights default to 1/n. */
export interface Measure {
  points: ArrayLike<number>;
  weights?: ArrayLike<number>;
}

export interface SoftminBackend {
  readonly kind: 'gpu' | 'cpu';
  /** Human-readable device description. */
  readonly description: string;
  problem(a: Measure, b: Measure): SoftminProblem;
  destroy(): void;
}

export interface SinkhornOptions {
  /** eps = blur^2 (GeomLoss `blur`). */
  blur: number;
  /** eps-annealing ratio in (0, 1): eps multiplied by scaling^2 per iteration (GeomLoss `scaling`). Default 0.5. */
  scaling?: number;
  /** Unbalanced: KL-relaxed marginals with rho = reach^2; null/undefined = balanced. */
  reach?: number | null;
  /** S_eps (true, default) or OT_eps. */
  debias?: boolean;
  /** Check the marginal error every k iterations once eps = blur^2 (default 10). */
  checkEvery?: number;
  /** Stop when the marginal error <= tol (default 1e-3; 0 runs to maxIter). */
  tol?: number;
  /** Iteration cap, annealing included; the annealing schedule always completes (default 1000). */
  maxIter?: number;
  /** Start eps = diameter^2 (default: the bounding-box diagonal of both clouds, as GeomLoss). */
  diameter?: number;
}

export interface ResolvedSinkhornOptions {
  blur: number;
  scaling: number;
  reach: number | null;
  debias: boolean;
  checkEvery: number;
  tol: number;
  maxIter: number;
}

export interface SinkhornResult {
  /** S_eps (debias) or OT_eps. */
  value: number;
  /** Sinkhorn iterations run (annealing + refinement, not counting the init and the last extrapolation). */
  iterations: number;
  /** Marginal error at the last check (L1, see SoftminProblem.marginalError). */
  marginalError: number;
  converged: boolean;
  /** eps at which the value was computed (= blur^2). */
  eps: number;
  /** Length of the annealing schedule. */
  scheduleLength: number;
}

export class SinkhornOptionError extends Error {
  constructor(readonly option: string, message: string) {
    super(message);
    this.name = 'SinkhornOptionError';
  }
}

export const SINKHORN_DEFAULTS = { scaling: 0.5, checkEvery: 10, tol: 1e-3, maxIter: 1000 } as const;
/** Longest annealing schedule the GPU schedule buffer holds. */
export const MAX_SCHEDULE = 1024;

export function resolveSinkhornOptions(o: SinkhornOptions): ResolvedSinkhornOptions {
  const r: ResolvedSinkhornOptions = {
    blur: o.blur,
    scaling: o.scaling ?? SINKHORN_DEFAULTS.scaling,
    reach: o.reach ?? null,
    debias: o.debias ?? true,
    checkEvery: o.checkEvery ?? SINKHORN_DEFAULTS.checkEvery,
    tol: o.tol ?? SINKHORN_DEFAULTS.tol,
    maxIter: o.maxIter ?? SINKHORN_DEFAULTS.maxIter,
  };
  if (!(Number.isFinite(r.blur) && r.blur > 0)) throw new SinkhornOptionError('blur', `blur must be a positive number, got ${String(o.blur)}`);
  if (!(Number.isFinite(r.scaling) && r.scaling > 0 && r.scaling < 1)) throw new SinkhornOptionError('scaling', `scaling must lie in (0, 1), got ${String(o.scaling)}`);
  if (r.reach !== null && !(Number.isFinite(r.reach) && r.reach > 0)) throw new SinkhornOptionError('reach', `reach must be a positive number or none, got ${String(o.reach)}`);
  if (!(Number.isInteger(r.checkEvery) && r.checkEvery >= 1)) throw new SinkhornOptionError('checkEvery', `checkEvery must be an integer >= 1, got ${String(o.checkEvery)}`);
  if (!(Number.isFinite(r.tol) && r.tol >= 0)) throw new SinkhornOptionError('tol', `tol must be a number >= 0, got ${String(o.tol)}`);
  if (!(Number.isInteger(r.maxIter) && r.maxIter >= 0)) throw new SinkhornOptionError('maxIter', `maxIter must be an integer >= 0, got ${String(o.maxIter)}`);
  if (o.diameter !== undefined && !(Number.isFinite(o.diameter) && o.diameter > 0)) throw new SinkhornOptionError('diameter', `diameter must be a positive number, got ${String(o.diameter)}`);
  return r;
}

/**
 * GeomLoss `epsilon_schedule` for p = 2: [diameter^2] + exp(arange(2 log diameter, 2 log blur, 2 log scaling)) + [blur^2].
 */
export function epsilonSchedule(diameter: number, blur: number, scaling: number): number[] {
  const out = [diameter * diameter];
  const start = 2 * Math.log(diameter), stop = 2 * Math.log(blur), step = 2 * Math.log(scaling);
  // numpy arange: ceil((stop - start) / step) values start + k step
  const count = Math.max(0, Math.ceil((stop - start) / step));
  for (let k = 0; k < count; k++) out.push(Math.exp(start + k * step));
  out.push(blur * blur);
  if (out.length > MAX_SCHEDULE) {
    throw new SinkhornOptionError('scaling', `the annealing schedule from diameter ${diameter} to blur ${blur} with scaling ${scaling} has ${out.length} steps (max ${MAX_SCHEDULE}): lower scaling`);
  }
  return out;
}

/**
 * Which schedule entry the kernels read after `iter` ticks (twin of scheduleIndex() in
 * shaders/common/schedule.wgsl): k = iter, or offset + (iter - offset) mod period once iter >= offset
 * (period > 0); then min(k, last).
 */
export function scheduleIndex(iter: number, last: number, period = 0, offset = 0): number {
  let k = iter;
  if (period > 0 && k >= offset) k = offset + ((k - offset) % period);
  return Math.min(k, last);
}

/** GeomLoss `max_diameter`: the diagonal of the bounding box of both clouds (at least the blur). */
export function cloudDiameter(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const pts of [x, y]) {
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const u = pts[i] ?? 0, v = pts[i + 1] ?? 0;
      if (u < x0) x0 = u;
      if (u > x1) x1 = u;
      if (v < y0) y0 = v;
      if (v > y1) y1 = v;
    }
  }
  const d = Math.hypot(x1 - x0, y1 - y0);
  return Number.isFinite(d) && d > 0 ? d : 1;
}

/** Log weights of a measure (validated: n points, positive finite weights; default uniform 1/n). */
export function logWeights(mu: Measure, what: string): Float64Array {
  const pts = mu.points.length;
  if (pts === 0 || pts % 2 !== 0) throw new SinkhornOptionError(what, `${what}: expected a non-empty interleaved [n, 2] point array, got ${pts} numbers`);
  const n = pts / 2;
  for (let i = 0; i < pts; i++) {
    if (!Number.isFinite(mu.points[i] ?? NaN)) throw new SinkhornOptionError(what, `${what}: point ${Math.floor(i / 2)} is not finite`);
  }
  const out = new Float64Array(n);
  if (!mu.weights) return out.fill(-Math.log(n));
  if (mu.weights.length !== n) throw new SinkhornOptionError(what, `${what}: ${mu.weights.length} weights for ${n} points`);
  for (let i = 0; i < n; i++) {
    const w = mu.weights[i] ?? NaN;
    if (!(Number.isFinite(w) && w > 0)) throw new SinkhornOptionError(what, `${what}: weight ${i} must be positive and finite, got ${w}`);
    out[i] = Math.log(w);
  }
  return out;
}

/** One symmetric Sinkhorn iteration (blend 0.5: GeomLoss's averaged update; blend 0: the init / last extrapolation), recorded by the loop driver (src/ot/loop.ts). */
export function sinkhornIteration(problem: SoftminProblem, debias: boolean, blend: 0 | 0.5, tick: boolean): void {
  recordUpdate(problem, blend === 0 ? 'jump' : 'averaged', debiasSides(debias), tick);
}

/**
 * The metric's Sinkhorn loop (GeomLoss sinkhorn_loop + convergence checks) as a plan for the driver
 * (src/ot/loop.ts runSinkhorn):
 *   cold:  zero potentials, the init jump at eps_0, one averaged iteration per eps_k of the schedule;
 *   warm:  keep the current potentials (no init): the annealing is skipped when they are still nearly
 *          optimal (marginal error <= 10 tol at eps = blur^2), else the whole schedule again from them
 *          (warm potentials far from the new optimum converge very slowly at blur^2 alone: measured
 *          S_eps 0.003 instead of 0.035 after 300 iterations);
 * then, with the schedule index saturated on blur^2, alternating updates until the marginal error is
 * under tol (checked every checkEvery iterations) or maxIter, and the last extrapolation (a jump).
 */
export async function sinkhornLoop(problem: SoftminProblem, o: ResolvedSinkhornOptions, diameter: number, warm = false): Promise<SinkhornResult> {
  const rho = o.reach === null ? null : o.reach * o.reach;
  let schedule = [o.blur * o.blur];
  if (warm) {
    problem.setSchedule(schedule, rho);
    if ((await problem.marginalError()) > 10 * o.tol) schedule = epsilonSchedule(diameter, o.blur, o.scaling);
  } else {
    schedule = epsilonSchedule(diameter, o.blur, o.scaling);
  }
  const phases: Phase[] = [
    ...(warm ? [] : [{ update: 'jump', count: 1, tick: 'none' } as const]),
    { update: 'averaged', count: schedule.length },
    { update: 'alternating', until: { tol: o.tol, checkEvery: o.checkEvery, maxIter: o.maxIter } },
    { update: 'jump', count: 1 },
  ];
  const r = await runSinkhorn(problem, { start: warm ? 'warm' : 'cold', sides: debiasSides(o.debias), phases, schedule: { eps: schedule, rho } });
  const value = await problem.value(o.debias);
  return { value, iterations: r.iterations, marginalError: r.marginalError, converged: r.converged, eps: o.blur * o.blur, scheduleLength: schedule.length };
}

export interface SinkhornDivergenceResult extends SinkhornResult {
  /** f_ab on a's points and g_ab on b's points (float64 copies). */
  f: Float64Array;
  g: Float64Array;
  potentials: Potentials;
}

/**
 * S_eps(a, b) (or OT_eps with debias: false) on a backend, from a cold start.
 * Example: `await sinkhornDivergence(createCpuSinkhorn(), {points: x}, {points: y}, {blur: 0.05, scaling: 0.9})`.
 */
export async function sinkhornDivergence(backend: SoftminBackend, a: Measure, b: Measure, options: SinkhornOptions): Promise<SinkhornDivergenceResult> {
  const o = resolveSinkhornOptions(options);
  const diameter = options.diameter ?? cloudDiameter(a.points, b.points);
  const problem = backend.problem(a, b);
  try {
    const r = await sinkhornLoop(problem, o, diameter);
    const potentials = await problem.potentials();
    return { ...r, f: potentials.fab, g: potentials.gab, potentials };
  } finally {
    problem.destroy();
  }
}

/**
 * S_eps between a changing particle cloud and a target, for live plots: every `measure` runs the
 * annealed loop; later ones start it from the previous potentials (fewer refinement iterations). The backend-specific wrappers (createGpuSinkhornMetric,
 * createCpuSinkhornMetric) load the current points into `problem` before calling `measure`.
 */
export class SinkhornMetric {
  private warm = false;
  readonly options: ResolvedSinkhornOptions;
  constructor(readonly problem: SoftminProblem, options: SinkhornOptions, readonly diameter: number) {
    this.options = resolveSinkhornOptions(options);
  }
  /** Forget the potentials (e.g. after the target changed a lot): the next measure anneals again. */
  restart(): void {
    this.warm = false;
  }
  async measure(): Promise<SinkhornResult> {
    const r = await sinkhornLoop(this.problem, this.options, this.diameter, this.warm);
    this.warm = Number.isFinite(r.value);
    return r;
  }
  destroy(): void {
    this.problem.destroy();
  }
}
