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
 * wflow-8gaussians and uotm-8gaussians have 600 (STEPS_OVERRIDE: they were trained first, with more).
 */
export const SHIPPED_STEPS = { wflow: 400, uotm: 400, sjko: 600 } as const;
const STEPS_OVERRIDE: Record<string, number> = { 'wflow-8gaussians': 600, 'uotm-8gaussians': 600 };
export const SHIPPED_SEED = 1;

export function shippedJobs(): ShippedJob[] {
  const order = ['8gaussians', '25gaussians', ...toyTargets.map((t) => t.id).filter((id) => id !== '8gaussians' && id !== '25gaussians')];
  const jobs: ShippedJob[] = [];
  for (const target of order) {
    for (const method of ['wflow', 'uotm', 'sjko'] as const) {
      jobs.push({ id: `${method}-${target}`, spec: { method, target, steps: STEPS_OVERRIDE[`${method}-${target}`] ?? SHIPPED_STEPS[method], seed: SHIPPED_SEED, params: {} } });
    }
    if (target === '8gaussians') {
      jobs.push({ id: 'otm-8gaussians-outliers', spec: { method: 'uotm', target, steps: SHIPPED_STEPS.uotm, seed: SHIPPED_SEED, params: { penalty: 'none', outliers: 0.01 } } });
      jobs.push({ id: 'uotm-8gaussians-outliers', spec: { method: 'uotm', target, steps: SHIPPED_STEPS.uotm, seed: SHIPPED_SEED, params: { penalty: 'kl', outliers: 0.01 } } });
    }
  }
  return jobs;
}

