/**
 * The work of a step, estimated before a run starts (issue 21 item 5): a page asked for an absurd run
 * (e.g. `#n=16776960` with SVGD: 2.8e14 kernel evaluations a step) is refused by name instead of
 * freezing the tab. A method declares its all-pairs sweeps per step (MethodDef.pairSweeps); the budget
 * is per kind of adapter, each about 10 s a step where measured:
 *   - hardware GPU 1e12 pair evaluations (an H100 did a 65,536-particle SVGD step, 4.3e9 pairs, in
 *     1.8 ms: shared/ENVIRONMENT.md; 1e12 is ~0.4 s there, seconds on a laptop GPU);
 *   - software GPU (SwiftShader) 2e9 (a 4,096-point O(N^2) sum took ~100 ms: 1.7e8 pairs/s);
 *   - the CPU engine 4e8 (float64 SVGD at N = 4,096 takes ~0.4 s a step here: 4e7 pairs/s).
 * O(N) methods are bounded by the backend's particle limit alone.
 *
 * A landscape method (needs 'landscape', issue 22 item 4) declares its passes of N^2 in pairSweeps
 * too (gradient, Lanczos Hessian-vector products, line search; jko times its inner iterations); its
 * step is counted by src/methods/landscapeCost.ts landscapeStepCost (the two-layer net's M inputs, the
 * dense eigendecomposition), and a step that runs on the host (the float64 twin: jko, solver dense,
 * the CPU engine) is held to the CPU's budget whatever the adapter. Its refusal says the estimate in
 * words (passes, where it runs).
 */
import { resolveParams } from '../core/params';
import { ConfigError } from '../core/errors';
import { findMethod } from './compat';
import { landscapeStepCost, type StepCost } from '../methods/landscapeCost';
import type { BackendInfo, RunConfig } from './types';

type WorkConfig = Pick<RunConfig, 'method' | 'params' | 'n' | 'targetSamples'> & { target?: Pick<RunConfig['target'], 'id' | 'params'> };

export const PAIR_BUDGET = { hardware: 1e12, software: 2e9, cpu: 4e8 } as const;

export function pairBudget(info: Pick<BackendInfo, 'kind' | 'description'>): number {
  if (info.kind === 'cpu') return PAIR_BUDGET.cpu;
  return /\(software\)\s*$/.test(info.description) ? PAIR_BUDGET.software : PAIR_BUDGET.hardware;
}

/**
 * The estimated step of a landscape run (undefined for any other method, or a bad parameter): pair
 * evaluations and where the step runs on a backend of `kind` (the GPU backend runs jko and solver
 * dense on the host).
 */
export function landscapeWork(config: WorkConfig, kind: BackendInfo['kind'] = 'gpu'): StepCost | undefined {
  const method = findMethod(config.method);
  if (!method || method.needs !== 'landscape') return undefined;
  try {
    const params = resolveParams(method.params, config.params);
    return landscapeStepCost(method, params, config.target?.id ?? '', config.n, kind, config.target?.params ?? {});
  } catch {
    return undefined; // a bad parameter is refused by name elsewhere (resolveRun)
  }
}

/** Pair evaluations one step of `config` makes (0 for an O(N) method) on a backend of `kind`. */
export function pairWork(config: WorkConfig, kind: BackendInfo['kind'] = 'gpu'): number {
  const method = findMethod(config.method);
  if (!method?.pairSweeps) return 0;
  const landscape = landscapeWork(config, kind);
  if (landscape) return landscape.evaluations;
  let params;
  try {
    params = resolveParams(method.params, config.params);
  } catch {
    return 0; // a bad parameter is refused by name elsewhere (resolveRun)
  }
  const m = Math.max(config.n, config.targetSamples ?? 0);
  return method.pairSweeps(params) * config.n * m;
}

/** The budget a step of `config` is held to on `info`: the adapter's, or the CPU's for a landscape step on the host. */
export function workBudget(config: WorkConfig, info: Pick<BackendInfo, 'kind' | 'description'>): number {
  return landscapeWork(config, info.kind)?.where === 'host' ? PAIR_BUDGET.cpu : pairBudget(info);
}

const sci = (v: number): string => v.toExponential(1).replace('e+', 'e');

/** Throws ConfigError('n') when a step of `config` would exceed the adapter's budget, naming the largest N that fits. */
export function checkWork(config: WorkConfig, info: Pick<BackendInfo, 'kind' | 'description'>): void {
  const work = pairWork(config, info.kind);
  const budget = workBudget(config, info);
  if (work <= budget) return;
  const landscape = landscapeWork(config, info.kind);
  let nMax: number;
  if (landscape) {
    // not a pure N^2 (the net's host pass is N M, dense adds (2N)^3): the largest N whose estimate fits
    let lo = 0;
    let hi = config.n;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (pairWork({ ...config, n: mid }, info.kind) <= budget) lo = mid;
      else hi = mid;
    }
    nMax = lo;
  } else {
    const perPair = work / (config.n * Math.max(config.n, config.targetSamples ?? 0));
    nMax = Math.floor(Math.sqrt(budget / perPair));
  }
  const label = findMethod(config.method)?.label ?? config.method;
  const estimate = landscape ? ` (estimated before the run: ${landscape.detail})` : '';
  throw new ConfigError(
    'n',
    `${config.n.toLocaleString('en-US')} particles with ${label} make ${sci(work)} pair evaluations a step${estimate}, over this backend's budget of ${sci(budget)}${landscape ? (landscape.where === 'host' ? ' for a step on the host' : '') : ' (about 10 s a step)'}: at most ${nMax.toLocaleString('en-US')} particles`,
  );
}
