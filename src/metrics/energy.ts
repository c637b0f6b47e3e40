/**
 * The energy distance to the target samples: MMD^2 with the energy kernel -|x - y|, i.e.
 * ED = 2 E|X-Y| - E|X-X'| - E|Y-Y'| (the MMD machinery of src/metrics/mmd.ts with another kernel).
 */
import { mmdLikeCpu, mmdLikeGpu } from './mmd';
import type { MetricDef } from './types';

export const energyMetric = {
  id: 'energy',
  label: 'energy',
  plot: {
    title: 'Energy distance to target samples',
    yTitle: 'energy dist.',
    what: 'Energy distance between the particles and exact target samples',
    yScale: 'log',
  },
  appliesTo: (f) => !f.landscape && f.hasSamples,
  needsSamples: true,
  gpu: mmdLikeGpu('energy', 1, 'GpuMetrics.energy'),
  cpu: mmdLikeCpu('energy', 1),
} as const satisfies MetricDef;
