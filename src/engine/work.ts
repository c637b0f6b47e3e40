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
 */
import { resolveParams } from '../core/params';
import { ConfigError } from '../core/errors';
import { findMethod } from './compat';
import type { BackendInfo, RunConfig } from './types';

export const PAIR_BUDGET = { hardware: 1e12, software: 2e9, cpu: 4e8 } as const;

export function pairBudget(info: Pick<BackendInfo, 'kind' | 'description'>): number {
  if (info.kind === 'cpu') return PAIR_BUDGET.cpu;
  return /\(software\)\s*$/.test(info.description) ? PAIR_BUDGET.software : PAIR_BUDGET.hardware;
}

/** Pair evaluations one step of `config` makes (0 for an O(N) method). */
export function pairWork(config: Pick<RunConfig, 'method' | 'params' | 'n' | 'targetSamples'>): number {
  const method = findMethod(config.method);
  if (!method?.pairSweeps) return 0;
  let params;
  try {
    params = resolveParams(method.params, config.params);
  } catch {
    return 0; // a bad parameter is refused by name elsewhere (resolveRun)
  }
  const m = Math.max(config.n, config.targetSamples ?? 0);
  return method.pairSweeps(params) * config.n * m;
}

const sci = (v: number): string => v.toExponential(1).replace('e+', 'e');

/** Throws ConfigError('n') when a step of `config` would exceed the adapter's budget, naming the largest N that fits. */
export function checkWork(config: Pick<RunConfig, 'method' | 'params' | 'n' | 'targetSamples'>, info: Pick<BackendInfo, 'kind' | 'description'>): void {
  const work = pairWork(config);
  const budget = pairBudget(info);
  if (work <= budget) return;
  const perPair = work / (config.n * Math.max(config.n, config.targetSamples ?? 0));
  const nMax = Math.floor(Math.sqrt(budget / perPair));
  const label = findMethod(config.method)?.label ?? config.method;
  throw new ConfigError(
    'n',
    `${config.n.toLocaleString('en-US')} particles with ${label} make ${sci(work)} pair evaluations a step, over this backend's budget of ${sci(budget)} (about 10 s a step): at most ${nMax.toLocaleString('en-US')} particles`,
  );
}
