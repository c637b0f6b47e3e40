/**
 * One run slot of the browser engine: a Simulation with its own step timing, statistics,
 * metrics history and renderer. The Engine holds the primary slot and, in split view, a second
 * ("Compare with") slot on the same backend; both step in the Engine's frame loop.
 *
 * The slot knows nothing of React, recording or messages: it reports events through `hooks`.
 */
import type { Metrics, ParticleStats, Simulation } from './types';
import { metricIds, perMetric, readMetric, type MetricId } from '../metrics/registry';
import type { TargetInstance } from '../targets/types';

/** What the engine draws with (src/render): set by a canvas. */
export interface FrameRenderer {
  draw(sim: Simulation, target: TargetInstance): void;
}

/**
 * Metric series (null where a metric is absent at that point): one per registered metric, keyed by
 * its id (src/metrics/registry.ts), beside the steps and the ms per step.
 */
export interface MetricsHistory extends Readonly<Record<MetricId, readonly (number | null)[]>> {
  step: readonly number[];
  msPerStep: readonly number[];
}

/** The registered metrics' ids, in plot order. */
export const METRIC_KEYS: readonly MetricId[] = metricIds;
export type MetricKey = MetricId;

type MutableHistory = { step: number[]; msPerStep: number[] } & Record<MetricKey, (number | null)[]>;

function emptyHistory(): MutableHistory {
  return { step: [], msPerStep: [], ...perMetric(() => []) };
}

export function copyHistory(h: MetricsHistory): MetricsHistory {
  return { step: [...h.step], msPerStep: [...h.msPerStep], ...perMetric((d) => [...h[d.id]]) };
}

export interface SlotHooks {
  /** Called after a batch's work finished on the queue (recording, snapshots). */
  afterBatch?: (sim: Simulation) => Promise<void>;
  onStats?: (s: ParticleStats, sim: Simulation) => void;
  /** Each metrics read of this run (the divergence rule reads a landscape's F and |g|). */
  onMetrics?: (m: Metrics, sim: Simulation) => void;
  onStepFailed: (e: unknown) => void;
  markDirty: () => void;
}

const MAX_STEPS_PER_FRAME = 512;
const HISTORY_MAX = 4000;

export class RunSlot {
  sim: Simulation | undefined;
  renderer: FrameRenderer | undefined;
  runId = 0;
  busy = false;
  stepsPerFrame = 1;
  msPerStep = 0;
  stats: ParticleStats | undefined;
  metrics: Metrics | undefined;
  private statsBusy = false;
  private metricsBusy = false;
  private lastMetricsAt = 0;
  /** How long the last metrics() took: on a slow (software) GPU they are asked for less often. */
  private metricsMs = 0;
  private hist: MutableHistory = emptyHistory();

  constructor(private readonly hooks: SlotHooks) {}

  get history(): MetricsHistory {
    return this.hist;
  }

  /** Install a new simulation (the old one is destroyed); timing and history start over. */
  replace(sim: Simulation | undefined): void {
    const old = this.sim;
    this.sim = sim;
    this.runId++;
    this.busy = false;
    this.statsBusy = false;
    this.metricsBusy = false;
    this.stats = undefined;
    this.metrics = undefined;
    this.msPerStep = 0;
    this.stepsPerFrame = 1;
    this.hist = emptyHistory();
    this.lastMetricsAt = 0;
    if (old && old !== sim) old.destroy();
  }

  destroy(): void {
    this.replace(undefined);
    this.renderer = undefined;
  }

  /** Record `k` steps, time them, then run the afterBatch hook. */
  runBatch(k: number, budgetMs: number): void {
    const sim = this.sim;
    if (!sim || this.busy) return;
    const t0 = performance.now();
    try {
      sim.step(k);
    } catch (e) {
      this.hooks.onStepFailed(e);
      return;
    }
    const runId = this.runId;
    this.busy = true;
    void (async () => {
      await sim.finish();
      if (runId !== this.runId) return;
      this.noteTiming(k, performance.now() - t0, budgetMs);
      await this.hooks.afterBatch?.(sim);
    })()
      .catch((e: unknown) => {
        // A step that fails off the main thread (the CPU worker) or while finishing: pause and say why, as a
        // synchronous failure does, instead of retrying every frame.
        if (runId === this.runId) this.hooks.onStepFailed(e);
      })
      .finally(() => {
        if (runId === this.runId) this.busy = false;
      });
  }

  private noteTiming(k: number, dt: number, budgetMs: number): void {
    const ms = dt / k;
    this.msPerStep = this.msPerStep === 0 ? ms : 0.7 * this.msPerStep + 0.3 * ms;
    const target = Math.floor(budgetMs / Math.max(this.msPerStep, 1e-3));
    // grow gently (x2 at most per batch), shrink at once
    this.stepsPerFrame = Math.max(1, Math.min(MAX_STEPS_PER_FRAME, target, this.stepsPerFrame * 2));
  }

  draw(target: TargetInstance): void {
    const sim = this.sim;
    if (!sim || !this.renderer) return;
    try {
      this.renderer.draw(sim, target);
    } catch (e) {
      console.warn('render failed', e);
    }
  }

  /** Ask for stats (one request in flight) and, when due, metrics. */
  poll(now: number, metricsEveryMs: number): void {
    const sim = this.sim;
    if (!sim) return;
    if (!this.statsBusy) this.pollStats(sim);
    if (!this.metricsBusy && now - this.lastMetricsAt >= Math.min(1500, Math.max(metricsEveryMs, 3 * this.metricsMs))) this.pollMetrics(sim, now);
  }

  private pollStats(sim: Simulation): void {
    this.statsBusy = true;
    const runId = this.runId;
    sim
      .stats()
      .then((s) => {
        if (runId !== this.runId || sim !== this.sim) return;
        this.stats = s;
        this.hooks.onStats?.(s, sim);
      })
      .catch((e: unknown) => {
        if (runId === this.runId) console.warn('stats failed', e);
      })
      .finally(() => {
        if (runId === this.runId) this.statsBusy = false;
      });
  }

  private pollMetrics(sim: Simulation, now: number): void {
    this.metricsBusy = true;
    this.lastMetricsAt = now;
    const runId = this.runId;
    const msPerStep = this.msPerStep;
    sim
      .metrics()
      .then((m) => {
        if (runId !== this.runId || sim !== this.sim) return;
        this.metricsMs = performance.now() - now;
        this.metrics = m;
        this.hooks.onMetrics?.(m, sim);
        const h = this.hist;
        if (h.step.length > 0 && h.step[h.step.length - 1] === m.step) return;
        h.step.push(m.step);
        for (const key of METRIC_KEYS) {
          const v = readMetric(m, key);
          h[key].push(v !== undefined && Number.isFinite(v) ? v : null);
        }
        h.msPerStep.push(msPerStep);
        if (h.step.length > HISTORY_MAX) this.thin();
        this.hooks.markDirty();
      })
      .catch((e: unknown) => {
        if (runId === this.runId) console.warn('metrics failed', e);
      })
      .finally(() => {
        if (runId === this.runId) this.metricsBusy = false;
      });
  }

  /** Keep every other point once the history is long (plots stay cheap). */
  private thin(): void {
    const h = this.hist;
    const even = <T,>(a: T[]): T[] => a.filter((_, i) => i % 2 === 0);
    this.hist = { step: even(h.step), msPerStep: even(h.msPerStep), ...perMetric((d) => even(h[d.id])) };
  }
}
