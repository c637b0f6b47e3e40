/**
 * Series of a run's plotted readouts (MethodDef.readouts with `plot: true`), gathered on the UI side
 * from the snapshots' latest stats / metrics (`readouts` field): one point per new step of the
 * readout's `when`. A run that starts over (its step goes back) starts a new series. The plots draw
 * these generically, so a method that declares a readout gets its plot with no UI code.
 */
import { useMemo } from 'react';
import type { ReadoutSpec } from '../methods/types';

export interface Series {
  step: readonly number[];
  value: readonly (number | null)[];
}

export type ReadoutSeries = Readonly<Record<string, Series>>;

const MAX_POINTS = 4000;

interface Sample {
  step: number;
  readouts?: Record<string, number> | undefined;
}

/** Appends readout samples; pure (no React), one per run. */
export class ReadoutRecorder {
  private series = new Map<string, { step: number[]; value: (number | null)[] }>();
  private version = 0;
  private cached: { version: number; out: ReadoutSeries } = { version: -1, out: {} };

  /** Record the values of `specs` (those read at `when`) from `sample`; a step going back resets them. */
  add(specs: readonly ReadoutSpec[], when: 'stats' | 'metrics', sample: Sample | undefined): void {
    if (!sample || !Number.isFinite(sample.step)) return;
    for (const spec of specs) {
      if (!spec.plot || spec.when !== when) continue;
      let s = this.series.get(spec.key);
      const last = s?.step[s.step.length - 1];
      if (s && last !== undefined && sample.step < last) {
        this.series.delete(spec.key); // the run started over
        s = undefined;
      }
      if (s && last === sample.step) continue;
      const v = sample.readouts?.[spec.key];
      if (v === undefined && !s) continue; // nothing yet
      s ??= { step: [], value: [] };
      this.series.set(spec.key, s);
      s.step.push(sample.step);
      s.value.push(v !== undefined && Number.isFinite(v) ? v : null);
      if (s.step.length > MAX_POINTS) {
        s.step = s.step.filter((_, i) => i % 2 === 0);
        s.value = s.value.filter((_, i) => i % 2 === 0);
        this.series.set(spec.key, s);
      }
      this.version++;
    }
  }

  reset(): void {
    if (this.series.size === 0) return;
    this.series.clear();
    this.version++;
  }

  /** The series now (a new object only when something changed). */
  get(): ReadoutSeries {
    if (this.cached.version !== this.version) {
      const out: Record<string, Series> = {};
      for (const [k, s] of this.series) out[k] = { step: [...s.step], value: [...s.value] };
      this.cached = { version: this.version, out };
    }
    return this.cached.out;
  }
}

/**
 * The plotted readout series of one run, fed from the snapshot's latest stats and metrics (adding
 * is idempotent per step, so a repeated render adds nothing).
 */
export function useReadoutSeries(specs: readonly ReadoutSpec[], method: string, stats: Sample | undefined, metrics: Sample | undefined): ReadoutSeries {
  const run = useMemo(() => ({ method, recorder: new ReadoutRecorder() }), [method]); // a new method: new series
  return useMemo(() => {
    run.recorder.add(specs, 'stats', stats);
    run.recorder.add(specs, 'metrics', metrics);
    return run.recorder.get();
  }, [run, specs, stats, metrics]);
}
