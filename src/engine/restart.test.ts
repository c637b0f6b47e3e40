import { describe, expect, it } from 'vitest';
import { changedKeys, planChange } from './restart';
import type { RunConfig } from './types';

const config: RunConfig = {
  method: 'langevin',
  params: {},
  target: { id: 'donut', params: {} },
  n: 256,
  stepSize: 0.1,
  seed: 1,
  init: { kind: 'gaussian', mean: [0, 0], std: 1 },
};
const healthy = { hasRun: true, diverged: false };

describe('restart rule: which config changes restart the run', () => {
  it('finds the changed keys by value', () => {
    expect(changedKeys(config, { n: 256, stepSize: 0.1, params: {} })).toEqual([]);
    expect(changedKeys(config, { n: 512, target: { id: 'donut', params: {} } })).toEqual(['n']);
    expect(changedKeys(config, { target: { id: 'donut', params: { radius: 3 } } })).toEqual(['target']);
    const cloud = new Float64Array([0, 1]);
    const withCloud = { ...config, target: { id: 'cloud', params: {}, cloud } };
    expect(changedKeys(withCloud, { target: { id: 'cloud', params: {}, cloud } })).toEqual([]);
    expect(changedKeys(withCloud, { target: { id: 'cloud', params: {}, cloud: new Float64Array([0, 1]) } })).toEqual(['target']);
  });

  it('a healthy run: step size and target in place, anything else restarts', () => {
    expect(planChange([], healthy)).toEqual({ kind: 'none' });
    expect(planChange(['stepSize'], healthy)).toEqual({ kind: 'in-place', target: false, stepSize: true });
    expect(planChange(['target', 'stepSize'], healthy)).toEqual({ kind: 'in-place', target: true, stepSize: true });
    for (const k of ['method', 'params', 'n', 'seed', 'domain', 'targetSamples'] as const) {
      expect(planChange([k], healthy)).toEqual({ kind: 'restart', after: undefined });
      expect(planChange([k, 'stepSize'], healthy)).toEqual({ kind: 'restart', after: undefined });
    }
  });

  it('after a blow-up every change restarts (bug 2); with no run every change revives it', () => {
    for (const k of ['stepSize', 'target', 'method', 'n'] as const) {
      expect(planChange([k], { hasRun: true, diverged: true })).toEqual({ kind: 'restart', after: 'divergence' });
      expect(planChange([k], { hasRun: false, diverged: false })).toEqual({ kind: 'restart', after: 'failed-start' });
    }
    expect(planChange([], { hasRun: true, diverged: true })).toEqual({ kind: 'none' });
  });
});
