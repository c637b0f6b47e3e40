import { describe, expect, it } from 'vitest';
import type { ReadoutSpec } from '../methods/types';
import { ReadoutRecorder } from './readoutHistory';

const specs: ReadoutSpec[] = [
  { key: 'energy', label: 'F', description: 'energy', when: 'metrics', plot: true, scale: 'log' },
  { key: 'stepScale', label: 't', description: 'not plotted', when: 'metrics' },
  { key: 'bandwidth', label: 'σ', description: 'stats readout', when: 'stats', plot: true },
];

describe('ReadoutRecorder', () => {
  it('keeps one point per new step of each plotted readout, skips unplotted ones, and starts over when the step goes back', () => {
    const r = new ReadoutRecorder();
    expect(r.get()).toEqual({});
    r.add(specs, 'metrics', { step: 0, readouts: {} }); // nothing yet: no series
    expect(r.get()).toEqual({});
    r.add(specs, 'metrics', { step: 10, readouts: { energy: 2, stepScale: 1 } });
    const first = r.get();
    r.add(specs, 'metrics', { step: 10, readouts: { energy: 2 } }); // the same snapshot again
    expect(r.get()).toBe(first);
    r.add(specs, 'metrics', { step: 20, readouts: {} }); // a gap
    r.add(specs, 'metrics', { step: 30, readouts: { energy: 0.5 } });
    r.add(specs, 'stats', { step: 31, readouts: { bandwidth: 0.3 } });
    expect(r.get()).toEqual({ energy: { step: [10, 20, 30], value: [2, null, 0.5] }, bandwidth: { step: [31], value: [0.3] } });
    r.add(specs, 'metrics', { step: 5, readouts: { energy: 9 } }); // Reset: a new run
    expect(r.get().energy).toEqual({ step: [5], value: [9] });
    expect(r.get().bandwidth).toEqual({ step: [31], value: [0.3] });
  });

  it('thins to every other point past 4000', () => {
    const r = new ReadoutRecorder();
    for (let i = 1; i <= 4001; i++) r.add(specs, 'metrics', { step: i, readouts: { energy: i } });
    const s = r.get().energy;
    expect(s?.step.length).toBe(2001);
    expect(s?.step.slice(0, 3)).toEqual([1, 3, 5]);
    expect(s?.value[2000]).toBe(4001);
  });
});
