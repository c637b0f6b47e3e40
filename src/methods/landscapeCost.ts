/**
 * The cost of one step of a landscape method, estimated before a run starts (issue 22 item 4), and
 * the particle count its cost allows (the default N of a landscape run, src/engine/defaults.ts defaultN).
 *
 * Unit: one pair evaluation, W(x_i, x_j) or its gradient or Hessian-vector product for one pair
 * (i, j). A step's count, at N particles:
 *   pass     = N^2 pair evaluations on the GPU (the O(N^2) sums of shaders/landscapeGrad.wgsl and
 *              landscapeHvp.wgsl), times M on the two-layer net (W is an average over M inputs);
 *              on the host (float64 twin: jko, solver dense, the CPU backend) the net costs N M
 *              (src/reference/landscapeNet.ts forms f_rho once);
 *   solve    = 1 gradient pass + k Hessian-vector passes (methods with a Lanczos `k`) + 2 energy
 *              passes when the line search is on (backtracking usually accepts t = 1 or 1/2);
 *   jko      = innerIters solves (inner 'newton'), or innerIters gradient passes (inner 'gd'),
 *              plus the energy of the result;
 *   dense    = the 2N x 2N eigendecomposition, ~ (2N)^3 flops, counted as that many evaluations.
 * The budget: on the software adapter (SwiftShader on 2 cores, issue 22: wsfn at N = 4,096, k = 20,
 * about 23 N^2 = 3.9e8 evaluations, took 70-80 s a step, i.e. ~5e6 evaluations/s), GPU_BUDGET = 3e5
 * is ~60 ms a step, a fraction of a second on any adapter; the host twin (float64 JavaScript, about
 * 1e7 pair evaluations/s on this machine's cores) gets HOST_BUDGET = 5e5, ~50 ms a step. The
 * "Saddle escape" preset's N = 64 for w-newton and wsfn is what this gives.
 *
 * The per-step time target is about 0.5 s (the page answers, the plots move every step). On the
 * software adapter a landscape step is bound by its readbacks, not by its N^2 sums: measured here
 * (double well, default parameters, SwiftShader in Node's webgpu, 2 busy cores, 3 steps after a warm
 * one) wsfn took 0.58 s a step at N = 64, 0.98 s at 128, 1.14 s at 256; w-newton 0.79 / 1.17 / 1.14 s;
 * wgd 14 / 18 / 27 ms at 64 / 128 / 256; jko (host twin) 50 / 89 / 350 ms. So GPU_BUDGET (3e5, the
 * ~60 ms above is its compute alone) gives wsfn and w-newton 64 there (~0.6-0.8 s), wgd 512, jko 64.
 * A hardware adapter gets HARDWARE_GPU_BUDGET (1e8: wsfn and w-newton 2,048, wgd 4,096); the host
 * twin (jko, solver dense, the CPU engine) keeps HOST_BUDGET on every adapter (the CPU engine
 * measured wsfn 11 / 40 ms at 64 / 128, jko 38 / 91 ms). The default is computed before the run
 * starts (src/engine/defaults.ts adapterDefaultN, applied by src/engine/Engine.ts start() when the
 * link names no N); a typed N is kept, refused only beyond the hard budget of src/engine/work.ts,
 * which counts these same evaluations (MethodDef.pairSweeps, landscapeStepCost).
 */
import type { MethodDef } from './types';
import type { Params, ParamValue } from '../core/params';
import { landscapes, type LandscapeId } from '../landscapes/presets';

/** Pair evaluations a GPU step may cost at the default N when the adapter is a software one or not yet known (see the header). */
export const GPU_BUDGET = 3e5;
/**
 * The same on a hardware GPU (issue 22 item 4: the default N follows the adapter). Not measured on a
 * landscape run: the H100 sums 2.4e12 SVGD pairs/s (shared/ENVIRONMENT.md); at a 250 times slower
 * 1e10 pair evaluations/s (a laptop GPU, and the heavier Hessian-vector sums) 1e8 is 10 ms of compute,
 * plus the step's readbacks (one per Lanczos iteration, about 23 of them, well under 1 ms each on a
 * hardware adapter): far inside the 0.5 s a step target.
 */
export const HARDWARE_GPU_BUDGET = 1e8;
/** The kind of adapter a default N is picked for: unknown (no backend yet) counts as software. */
export type AdapterClass = 'hardware' | 'software' | 'cpu';
/** Pair evaluations a host (float64 twin) step may cost at the default N. */
export const HOST_BUDGET = 5e5;
/** The default N of a landscape run: a power of two in [MIN_N, MAX_N]. */
export const MIN_N = 16;
export const MAX_N = 4096;

export interface StepCost {
  /** Pair evaluations per step (see the header). */
  evaluations: number;
  /** Where the steps run: the GPU (WGSL) or the host (the float64 twin). */
  where: 'gpu' | 'host';
  /** The count in words, e.g. "about 9.4e4 pair evaluations a step (23 passes of N^2, on the GPU)". */
  text: string;
  /** What the count is made of, e.g. "23 passes of N², on the GPU". */
  detail: string;
}

function value(method: Pick<MethodDef, 'params'>, params: Params, name: string): ParamValue | undefined {
  return params[name] ?? method.params.find((p) => p.name === name)?.default;
}

function numberOf(method: Pick<MethodDef, 'params'>, params: Params, name: string, fallback: number): number {
  const v = value(method, params, name);
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** The two-layer net's input count M (its `m` parameter), undefined for the other landscapes. */
function netInputs(targetId: string, targetParams: Params): number | undefined {
  if (targetId !== 'two-layer-net') return undefined;
  const m = targetParams.m ?? landscapes[targetId as LandscapeId].params.find((p) => p.name === 'm')?.default;
  return typeof m === 'number' && m > 0 ? m : 32;
}

/**
 * The estimated cost of one step of `method` (a landscape method) with `params` on the landscape
 * `targetId` at `n` particles, on `backend` (the CPU backend runs every step on the host).
 */
export function landscapeStepCost(method: Pick<MethodDef, 'id' | 'params' | 'hostNote'>, params: Params, targetId: string, n: number, backend: 'gpu' | 'cpu' = 'gpu', targetParameters: Params = {}): StepCost {
  const dense = value(method, params, 'solver') === 'dense';
  // the method's own host declaration (MethodDef.hostNote), as src/engine/compat.ts runsOn reads it
  const where: 'gpu' | 'host' = backend === 'cpu' || method.hostNote?.(params) !== undefined ? 'host' : 'gpu';
  const M = netInputs(targetId, targetParameters);
  const pass = M === undefined ? n * n : where === 'gpu' ? n * n * M : n * M;
  const hasK = method.params.some((p) => p.name === 'k');
  const k = hasK && !dense ? numberOf(method, params, 'k', 20) : 0;
  const lineSearch = value(method, params, 'lineSearch') === true;
  const solve = 1 + k + (lineSearch ? 2 : 0);
  let passes: number;
  if (method.params.some((p) => p.name === 'innerIters')) {
    const iters = numberOf(method, params, 'innerIters', 5);
    passes = iters * (value(method, params, 'inner') === 'gd' ? 1 : solve) + 1;
  } else passes = solve;
  const eig = dense ? (2 * n) ** 3 * (method.params.some((p) => p.name === 'innerIters') ? numberOf(method, params, 'innerIters', 5) : 1) : 0;
  const evaluations = passes * pass + eig;
  const unit = M === undefined ? 'N²' : where === 'gpu' ? `N² × ${M} inputs` : `N × ${M} inputs`;
  const detail = `${passes} passes of ${unit}${dense ? ' and a dense 2N × 2N eigendecomposition' : ''}, on the ${where === 'gpu' ? 'GPU' : 'host, float64 twin'}`;
  const text = `about ${evaluations.toExponential(1).replace('e+', 'e')} pair evaluations a step (${detail})`;
  return { evaluations, where, text, detail };
}

/**
 * The passes of N^2 pair evaluations (gradient, Hessian-vector products, line-search energies) one
 * step of `method` makes with `params`: MethodDef.pairSweeps of a landscape method, the count
 * src/engine/work.ts multiplies by N^2 (landscapeStepCost adds the two-layer net's M and the dense
 * eigendecomposition where they apply).
 */
export function landscapePasses(method: Pick<MethodDef, 'id' | 'params' | 'hostNote'>, params: Params): number {
  return landscapeStepCost(method, { ...params, solver: 'lanczos' }, 'double-well', 1).evaluations;
}

/** The budget of a step that runs `where`, on `adapter` (the host twin is the CPU's wherever the run is). */
export function landscapeBudget(where: 'gpu' | 'host', adapter: AdapterClass = 'software'): number {
  if (where === 'host' || adapter === 'cpu') return HOST_BUDGET;
  return adapter === 'hardware' ? HARDWARE_GPU_BUDGET : GPU_BUDGET;
}

/**
 * The largest power of two N in [MIN_N, MAX_N] whose estimated step cost stays within the budget of
 * where the steps run (GPU_BUDGET or HOST_BUDGET); MIN_N when even that is over.
 */
export function affordableN(method: Pick<MethodDef, 'id' | 'params' | 'hostNote'>, params: Params, targetId: string, backend: 'gpu' | 'cpu' = 'gpu', adapter?: AdapterClass): number {
  const kind = backend === 'cpu' ? 'cpu' : (adapter ?? 'software');
  let best = MIN_N;
  for (let n = MIN_N; n <= MAX_N; n *= 2) {
    const c = landscapeStepCost(method, params, targetId, n, backend);
    if (c.evaluations <= landscapeBudget(c.where, kind)) best = n;
  }
  return best;
}
