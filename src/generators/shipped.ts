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
 * STEPS_OVERRIDE: 1500 for the models of UOTM_V2 and SJKO_V2, 3000 for uotm-25gaussians and
 * sjko-25gaussians (see PARAMS_OVERRIDE). The outlier pair and sjko on 8gaussians, rings and 2spirals
 * keep the first recipe.
 */
export const SHIPPED_STEPS = { wflow: 1500, uotm: 400, sjko: 600 } as const;
const STEPS_OVERRIDE: Record<string, number> = {
  ...Object.fromEntries(['8gaussians', 'checkerboard', 'moons', 'rings', 'pinwheel', 'swissroll', '2spirals'].map((t) => [`uotm-${t}`, 1500])),
  ...Object.fromEntries(['swissroll', 'moons', 'pinwheel', 'checkerboard'].map((t) => [`sjko-${t}`, 1500])),
  'uotm-25gaussians': 3000,
  'sjko-25gaussians': 3000,
};
/**
 * Training parameters per method (recorded in each card's `params`, src/generators/train.ts).
 * W-Flow: a residual 2-64x4-2 map with a steep first layer (init scale 6), Adam lr 1e-2 with 3 steps
 * per flow step (`fit`), the blur annealed from 0.1 to 0.03, warm-started solves (last 3 eps levels),
 * the EMA (0.995) of the weights shipped, and UNBALANCED Sinkhorn (`reach`, per target below).
 * Why (measured on cards of version 2, energy and histogram tv against their floors, and by looking at
 * 65,536 samples): the previous recipe (2-64x3-2, init scale 1, lr 2e-3, one Adam step, balanced,
 * 3,000 steps) met the energy bar on 6 of 8 targets while drawing a disk for rings (tv 3.0x), a blob
 * for checkerboard (3.1x) and 2spirals (2.8x). Two causes, each checked alone:
 * - the net: regressed directly (supervised) onto the exact radial map N(0, I) -> rings, 2-64x3-2 at
 *   init scale 1 (lr 1e-2, 1,000 steps) still drew a disk; 2-64x4-2 at init scale 6 (2,000 steps) drew
 *   the four rings. The staircase maps of these targets need depth and steep first-layer units.
 * - the minibatch transport: with that net, balanced W-Flow still drew a disk on rings (2,000 steps): the
 *   per-ring counts of two 256-batches differ by ~7, and balanced OT makes the surplus hop between rings,
 *   which the regression averages into the gaps. Unbalanced OT with reach below the gap (0.3 < 0.75)
 *   lets the surplus stay: rings tv 3.0x -> 1.4x, energy 1.6x -> 1.2x. A fresh generated batch for the
 *   self term (`fresh=1`, unbiased at the fixed point) did not help (folded rings, energy 2.1x).
 * reach: 0.3 for the thin structures (rings, 2spirals), 1 for checkerboard (0.3 left the squares'
 * masses unequal: energy 4.7x, tv 1.4x; reach 1: 2.45x, 1.44x), 0.6 elsewhere (25gaussians: 0.3 gave
 * 25/25 modes at energy 8.7x, 1 gave 24/25 at 2.2x, 0.6 gave 25/25 at 2.0x).
 */
export const SHIPPED_PARAMS: Record<'wflow' | 'uotm' | 'sjko', Record<string, string | number>> = {
  wflow: { anneal: 3, blurEnd: 0.03, ema: 0.995, layers: 4, initScale: 6, lr: 0.01, fit: 3, reach: 0.6 },
  uotm: {},
  sjko: {},
};
/**
 * UOTM on the other seven targets: the 25gaussians recipe (2-64x4-2 map and potential, one potential
 * step per map step, lr 4e-3 with the potential at 0.2x, potential init scale 6, tau 0.05, batch 512)
 * with the map's init scale 6 (W-Flow's), 1,500 steps. Energy / floor and tv / floor (the first
 * recipe, 2-64-64-2, critic 2, lr 1e-3, tau 0.2, batch 256, 400 steps, in brackets): checkerboard
 * 2.3x, 1.8x (36.9x, 3.6x); moons 2.9x, 1.15x (25.6x, 3.2x); rings 1.16x, 2.4x (4.3x, 3.1x: still
 * a disk with faint rings); pinwheel 0.72x, 1.4x (12.9x, 5.6x); swissroll 1.9x, 1.08x (8.9x, 3.2x);
 * 2spirals 1.7x, 1.8x (8.8x, 3.5x); 8gaussians 0.55x, 1.18x, 8/8 modes, 98.2% of samples within
 * 3 std of a mode (6.7x, 3.8x, 87.3%, at 600 steps).
 */
const UOTM_V2 = { critic: 1, layers: 4, initScale: 6, vInitScale: 6, lr: 4e-3, vlr: 0.2, tau: 0.05, batch: 512 };
/**
 * S-JKO on four targets: the 25gaussians recipe (3 JKO stages at h = 5, 2-64x4-2 maps and potential,
 * one potential step per map step, lr 4e-3 with the potential at 0.2x, potential init scale 6) with
 * map init scale 6, batch 512, 1,500 steps. Energy / floor, tv / floor (the first recipe, 6 stages at
 * h = 1, 2-64-64-2, critic 2, lr 1e-3, batch 256, 600 steps, in brackets): swissroll 1.14x, 1.34x
 * (30.3x, 2.8x); moons 1.45x, 1.36x (15.9x, 3.2x); pinwheel 1.05x, 1.62x (12.0x, 5.5x);
 * checkerboard 0.92x, 2.1x (14.4x, 3.7x). Not retrained (time): 8gaussians, rings, 2spirals.
 */
const SJKO_V2 = { stages: 3, h: 5, critic: 1, layers: 4, initScale: 6, vInitScale: 6, lr: 4e-3, vlr: 0.2, batch: 512 };
/**
 * Per-model parameter overrides (merged over SHIPPED_PARAMS). wflow-25gaussians: the 25 clusters (std
 * 0.0177 at spacing 0.707) need a near-piecewise-constant map: init scale 12 and a final blur of 0.015
 * (regressing the net directly onto the exact coordinate-wise quantile map reached 11/25 modes with
 * 2-64-64-2, 24/25 with three hidden layers and 25/25 with four; blurEnd 0.01 diverged).
 * The semi-dual runs on 25gaussians (seed 1, 2-64x4-2 map and potential, map init scale 12; modes,
 * energy / floor; the potential's init scale vInitScale 6 unless said):
 *   uotm 400 steps, critic 2, lr 1e-3: vInitScale 1: 0/25 (8.5x), 6: 1/25 (9.0x), 12: 3/25 (46x);
 *   lr 5e-3: 6/25 (485x, unstable); critic 5, lr 2e-3: 4/25 (190x); 1,200 steps: 8/25 (42x), with
 *   tau = 1: 6/25 (45x); 2,000 steps + R1 0.2: 8/25 (59x);
 *   2,000 steps, potential slower than the map (the S-JKO toy code trains v 5x slower): lr 2e-3,
 *   vlr 0.2: 12/25 (4.6x); lr 4e-3, vlr 0.1: 17/25 (2.6x); lr 8e-3, vlr 0.05: 16/25 (3.4x);
 *   one potential step per map step (critic 1), lr 4e-3, vlr 0.2: 3,000 steps 22/25 (2.6x), 5,000
 *   steps 24/25 (23x: the masses drift), 4,000 steps + EMA 0.999: 22/25 (2.6x); fixed source
 *   (fixedSource 1): 3,000 steps 21/25 (23x), 4,000 + EMA 0.999: 22/25 (6.1x); vlr 0.1, 4,000
 *   steps: 21/25 (2.2x); the 3,000-step run at seed 2: 22/25 (10x). The cost 4x weaker (tau 0.05, c =
 *   |z - x|^2 / 40, so the KL marginal terms dominate and the relaxation moves less mass): 3,000 steps
 *   22/25 (2.9x, tv 4.2x), 5,000 steps 25/25 (8.1x); and batch 512: 3,000 steps 25/25 (2.6x, tv 3.2x,
 *   79.1% of samples within 3 std of a mode): shipped (seed 1, the shipped seed of every model; the
 *   same recipe at seed 2: 21/25 (5.0x, two adjacent edge modes nearly empty), seed 3: 24/25 (2.2x);
 *   batch 1024 for 1,500 steps, the same samples seen, seed 2: 12/25).
 *   sjko, 2,000 steps: 6 stages h = 1, lr 2e-3, vlr 0.2: 6/25 (20x); 3 stages, lr 4e-3, vlr 0.1: 9/25
 *   (14x); 3,000 steps, 3 stages, critic 1, lr 4e-3, vlr 0.2: h = 1: 15/25 (7.1x); h = 5 (cost
 *   |x - y|^2 / 10, UOTM's tau 0.2): 25/25 (3.1x): shipped.
 */
const PARAMS_OVERRIDE: Record<string, Record<string, string | number>> = {
  'sjko-swissroll': SJKO_V2,
  'sjko-moons': SJKO_V2,
  'sjko-pinwheel': SJKO_V2,
  'sjko-checkerboard': SJKO_V2,
  'uotm-8gaussians': UOTM_V2,
  'uotm-checkerboard': UOTM_V2,
  'uotm-moons': UOTM_V2,
  'uotm-rings': UOTM_V2,
  'uotm-pinwheel': UOTM_V2,
  'uotm-swissroll': UOTM_V2,
  'uotm-2spirals': UOTM_V2,
  'wflow-rings': { reach: 0.3 },
  'wflow-2spirals': { reach: 0.3 },
  'wflow-checkerboard': { reach: 1 },
  'wflow-25gaussians': { initScale: 12, blurEnd: 0.015 },
  'uotm-25gaussians': { ...UOTM_V2, initScale: 12 },
  'sjko-25gaussians': { ...SJKO_V2, initScale: 12, batch: 256 },
};
export const SHIPPED_SEED = 1;

export function shippedJobs(): ShippedJob[] {
  const order = ['8gaussians', '25gaussians', ...toyTargets.map((t) => t.id).filter((id) => id !== '8gaussians' && id !== '25gaussians')];
  const jobs: ShippedJob[] = [];
  for (const target of order) {
    for (const method of ['wflow', 'uotm', 'sjko'] as const) {
      jobs.push({ id: `${method}-${target}`, spec: { method, target, steps: STEPS_OVERRIDE[`${method}-${target}`] ?? SHIPPED_STEPS[method], seed: SHIPPED_SEED, params: { ...SHIPPED_PARAMS[method], ...PARAMS_OVERRIDE[`${method}-${target}`] } } });
    }
    if (target === '8gaussians') {
      jobs.push({ id: 'otm-8gaussians-outliers', spec: { method: 'uotm', target, steps: SHIPPED_STEPS.uotm, seed: SHIPPED_SEED, params: { penalty: 'none', outliers: 0.01 } } });
      jobs.push({ id: 'uotm-8gaussians-outliers', spec: { method: 'uotm', target, steps: SHIPPED_STEPS.uotm, seed: SHIPPED_SEED, params: { penalty: 'kl', outliers: 0.01 } } });
    }
  }
  return jobs;
}

