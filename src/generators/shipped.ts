/**
 * The shipped generator models (public/models, `npm run train:generators`): ids, training specs.
 *   <method>-<target> for the 8 sample targets x wflow, uotm, sjko, plus the UOTM paper's outlier
 *   demo on 8gaussians with 1% of the mass on a far cluster: otm-8gaussians-outliers (balanced,
 *   penalty none) and uotm-8gaussians-outliers (KL).
 */
import { toyTargets } from '../targets/toy';
import type { ModelSpec } from './card';

export interface ShippedJob {
  id: string;
  spec: ModelSpec;
}

/**
 * Steps per model, sized to the shared 2-core machines they were trained on (wall time in each card).
 * STEPS_OVERRIDE: uotm-8gaussians 600; wflow-2spirals 5000 (3000 gave 3.1x its floor); wflow-rings 1200
 * (3000 steps gave 143x its floor against 94x at 1200).
 */
export const SHIPPED_STEPS = { wflow: 3000, uotm: 400, sjko: 600 } as const;
const STEPS_OVERRIDE: Record<string, number> = { 'uotm-8gaussians': 600, 'wflow-2spirals': 5000, 'wflow-rings': 1200 };
/**
 * Training parameters per method (recorded in each card's `params`): W-Flow anneals its blur from
 * 0.1 to 0.03 over the steps and warm-starts each step's Sinkhorn solve from the previous step's
 * potentials, re-annealing only the last 3 eps levels, and ships the EMA (0.995) of its weights
 * (src/generators/train.ts).
 */
export const SHIPPED_PARAMS: Record<'wflow' | 'uotm' | 'sjko', Record<string, string | number>> = {
  wflow: { anneal: 3, blurEnd: 0.03, ema: 0.995 },
  uotm: {},
  sjko: {},
};
export const SHIPPED_SEED = 1;

export function shippedJobs(): ShippedJob[] {
  const order = ['8gaussians', '25gaussians', ...toyTargets.map((t) => t.id).filter((id) => id !== '8gaussians' && id !== '25gaussians')];
  const jobs: ShippedJob[] = [];
  for (const target of order) {
    for (const method of ['wflow', 'uotm', 'sjko'] as const) {
      jobs.push({ id: `${method}-${target}`, spec: { method, target, steps: STEPS_OVERRIDE[`${method}-${target}`] ?? SHIPPED_STEPS[method], seed: SHIPPED_SEED, params: { ...SHIPPED_PARAMS[method] } } });
    }
    if (target === '8gaussians') {
      jobs.push({ id: 'otm-8gaussians-outliers', spec: { method: 'uotm', target, steps: SHIPPED_STEPS.uotm, seed: SHIPPED_SEED, params: { penalty: 'none', outliers: 0.01 } } });
      jobs.push({ id: 'uotm-8gaussians-outliers', spec: { method: 'uotm', target, steps: SHIPPED_STEPS.uotm, seed: SHIPPED_SEED, params: { penalty: 'kl', outliers: 0.01 } } });
    }
  }
  return jobs;
}

