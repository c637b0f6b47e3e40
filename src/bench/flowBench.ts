/**
 * Sinkhorn-flow benchmark rows (issue 11 part 1), for src/bench/bench.ts: the flow before (warm =
 * false: the whole eps schedule and 5 iterations every step, the old defaults) and after (the
 * defaults: warm re-annealing of the schedule's last levels, src/ot/sinkhornFlow.ts), on each
 * backend (GPU WGSL and the float64 CPU twin), target cloud and N = M:
 *   passesFirstStep, passesPerStep: softmin passes (tiled N M log-sum-exps) per step, from the
 *     step's recording plus the 2 of the marginal-error check the GPU step records (the method's
 *     documented export sinkhornFlowPasses, src/methods/sinkhornFlow.ts; the recording's passes are
 *     checked against counted passes in src/ot/sinkhornFlow.test.ts);
 *   msPerStep: wall clock of `steps` steps from the start (the first, cold step included) /
 *     steps, step(k) + finish() (timing 'wall-clock': the engine records its own passes);
 *   energyDistance: float64 energy distance (V-statistic) of all N particles to the flow's own
 *     target cloud after the same simulated time steps * tau; `energy`, `sinkhorn` and
 *     `flowMarginalError`: the engine's metrics at that time (energy to exact target samples, S_eps
 *     on a subsample, the flow plan's L1 marginal error).
 * Initial particles N(0, I), seed 1. A configuration whose cost, predicted from the previous size
 * (same backend, target, variant) scaled as N^2, exceeds the budget is recorded as skipped.
 */
import { createBackend } from '../engine/backend';
import { targetCloud } from '../engine/config';
import type { BackendKind, RunConfig } from '../engine/types';
import { getMethod } from '../methods/registry';
import { sinkhornFlowPasses } from '../methods/sinkhornFlow';
import { resolveParams, type Params } from '../core/params';
import { createTarget } from '../targets/registry';
import { fmtS } from './util';

export interface FlowBenchOptions {
  backends: BackendKind[];
  targets: string[];
  sizes: number[];
  steps: number;
  tau: number;
  budgetMs: number;
  onRow?: (row: FlowBenchRow) => void;
  /** The GPU to use (default: the engine's lookup; see BenchEnv in src/bench/bench.ts). */
  gpu?: () => Promise<GPU>;
}

export type FlowVariant = 'before' | 'after';

export interface FlowBenchRow {
  bench: 'flow';
  variant: FlowVariant;
  backend: BackendKind;
  target: string;
  n: number;
  m: number;
  params: Params;
  steps: number;
  tau: number;
  /** steps * tau. */
  time: number;
  passesFirstStep?: number;
  passesPerStep?: number;
  msPerStep?: number;
  energyDistance?: number;
  energy?: number;
  sinkhorn?: number;
  flowMarginalError?: number;
  timing?: 'wall-clock';
  adapter?: string;
  skipped?: string;
  error?: string;
}

export const FLOW_VARIANTS: Record<FlowVariant, Params> = {
  before: { warm: false, iterations: 5 },
  after: {},
};

const SEED = 1;

/** Energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| (V-statistics), float64. */
export function energyDistance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mean = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    const na = a.length / 2, nb = b.length / 2;
    let s = 0;
    for (let i = 0; i < na; i++) {
      const a0 = a[2 * i] ?? 0, a1 = a[2 * i + 1] ?? 0;
      for (let j = 0; j < nb; j++) s += Math.hypot(a0 - (b[2 * j] ?? 0), a1 - (b[2 * j + 1] ?? 0));
    }
    return s / (na * nb);
  };
  return 2 * mean(x, y) - mean(x, x) - mean(y, y);
}

export async function flowBench(o: FlowBenchOptions): Promise<FlowBenchRow[]> {
  const rows: FlowBenchRow[] = [];
  const method = getMethod('sinkhorn-flow');
  for (const kind of o.backends) {
    const backend = await createBackend(kind, kind === 'gpu' ? await o.gpu?.() : undefined);
    const adapter = kind === 'gpu' ? { adapter: backend.info.description } : {};
    try {
      for (const target of o.targets) {
        for (const variant of ['before', 'after'] as const) {
          let prev: FlowBenchRow | undefined;
          for (const n of o.sizes) {
            const params = FLOW_VARIANTS[variant];
            const base: FlowBenchRow = { bench: 'flow', variant, backend: kind, target, n, m: n, params, steps: o.steps, tau: o.tau, time: o.steps * o.tau, ...adapter };
            const cloud = targetCloud(createTarget(target), SEED, n);
            if (!cloud) throw new Error(`flowBench: target '${target}' has no sampler`);
            const counted = sinkhornFlowPasses({ n, stepSize: o.tau, seed: SEED, params: resolveParams(method.params, params), cloud, domain: 'plane' });
            const passes = { passesFirstStep: counted.first, passesPerStep: counted.later };
            let row: FlowBenchRow;
            if (prev?.msPerStep !== undefined && prev.msPerStep * (n / prev.n) ** 2 * o.steps > o.budgetMs) {
              row = { ...base, ...passes, skipped: `estimated ${fmtS(prev.msPerStep * (n / prev.n) ** 2 * o.steps)} (from N = ${prev.n}, scaled as N^2)` };
            } else if (prev?.skipped !== undefined) {
              row = { ...base, ...passes, skipped: `N = ${prev.n} skipped; larger N skipped` };
            } else {
              row = await runOne(backend, base, passes, target, n, params, o);
            }
            rows.push(row);
            o.onRow?.(row);
            prev = row;
          }
        }
      }
    } finally {
      backend.destroy();
    }
  }
  return rows;
}

async function runOne(
  backend: Awaited<ReturnType<typeof createBackend>>, base: FlowBenchRow, passes: { passesFirstStep: number; passesPerStep: number },
  target: string, n: number, params: Params, o: FlowBenchOptions,
): Promise<FlowBenchRow> {
  const config: RunConfig = {
    method: 'sinkhorn-flow', params, target: { id: target, params: {} }, n, targetSamples: n, stepSize: o.tau, seed: SEED,
    init: { kind: 'gaussian', mean: [0, 0], std: 1 },
  };
  const sim = backend.createSimulation(config);
  try {
    const t0 = performance.now();
    sim.step(o.steps);
    await sim.finish();
    const msPerStep = (performance.now() - t0) / o.steps;
    const x = await sim.positions();
    const cloud = targetCloud(createTarget(target), SEED, n) ?? new Float64Array(0);
    const m = await sim.metrics();
    return {
      ...base, ...passes, msPerStep, energyDistance: energyDistance(x, cloud), timing: 'wall-clock',
      ...(m.energy !== undefined ? { energy: m.energy } : {}),
      ...(m.sinkhorn !== undefined ? { sinkhorn: m.sinkhorn } : {}),
      ...(m.flowMarginalError !== undefined ? { flowMarginalError: m.flowMarginalError } : {}),
    };
  } catch (e) {
    return { ...base, ...passes, error: e instanceof Error ? e.message : String(e) };
  } finally {
    sim.destroy();
  }
}
