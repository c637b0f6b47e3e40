/**
 * The shape of one live metric (src/metrics/registry.ts lists them): its id (the key of its value in
 * Metrics / MetricValues, of its series in the plots' history and of its plot pane's data-plot), what
 * the plots and the status bar show, when it applies, and its two implementations: the GPU one
 * (recorded into the metrics backend's one compute pass, read back once) and the float64 CPU one
 * (the twins). Code outside src/metrics iterates the registry; it never names a metric.
 */
import type { GpuResources } from '../gpu/buffers';
import type { TargetInstance } from '../targets/types';

/** What decides which metrics apply to a run (metricPlan, MetricDef.appliesTo). */
export interface MetricFacts {
  domain: 'plane' | 'torus';
  /** The target is known only by samples (no score). */
  sampleOnly: boolean;
  /** Target samples are available to compare against. */
  hasSamples: boolean;
  /** The method flows toward the target's samples (MethodDef.needs === 'samples'). */
  sampleBased: boolean;
  /** The target is an energy landscape (TargetInstance.landscape). */
  landscape?: boolean;
}

/** One metric's result: its value, plus named numbers about how it was computed (e.g. a solve's iterations). */
export interface MetricReading {
  value: number;
  /** Copied into the metric values under these keys (each key listed in MetricDef.extras). */
  extra?: Readonly<Record<string, number>>;
}

/** What the GPU metrics backend (src/metrics/gpu.ts) shares with every metric's GPU implementation. */
export interface GpuMetricHost {
  device: GPUDevice;
  /** Buffers and kernels tracked here are destroyed with the backend. */
  res: GpuResources;
  /** The measured subsample: the first min(n, METRIC_SUBSAMPLE) points (array<vec2f>), copied at each batch's start. */
  x: GPUBuffer;
  /** The target samples (array<vec2f>, capacity TARGET_SAMPLES). */
  samples: GPUBuffer;
}

/** One GPU measurement in progress, as a metric sees it. */
export interface GpuMetricBatch {
  /** The batch's one compute pass: record the metric's dispatches here. */
  pass: GPUComputePassEncoder;
  /** All points (array<vec2f>) and their count (the L2 metric uses all of them). */
  points: GPUBuffer;
  n: number;
  /** Points in host.x: min(n, METRIC_SUBSAMPLE). */
  m: number;
  /** Target samples in host.samples (0: none; a metric with needsSamples is then never asked). */
  M: number;
  target: TargetInstance;
  /** The target's uniform (targetLayout), for kernels that evaluate the target. */
  targetBG: GPUBindGroup;
  /**
   * Copy the first `bytes` of `src` into the batch's one staging buffer after the pass; `decode` gets
   * the read-back bytes from `offset` (finish in float64 there). Undefined when the backend was destroyed first.
   */
  readBack<T>(src: GPUBuffer, bytes: number, decode: (bytes: ArrayBuffer, offset: number) => T): Promise<T | undefined>;
  /** Run `f` once the pass is submitted (a metric with its own loop over host.x, e.g. S_eps). */
  afterSubmit<T>(f: () => Promise<T | undefined>): Promise<T | undefined>;
}

/** A metric's GPU state, made once per backend on first use (its kernels and buffers go into host.res). */
export interface GpuMetric {
  /** The target samples changed (rows cached per sample set go stale). */
  samplesChanged?(): void;
  measure(b: GpuMetricBatch): Promise<MetricReading | undefined>;
  /** Anything not tracked in host.res. */
  destroy?(): void;
}

/** One CPU measurement, as a metric sees it (all float64, interleaved x, y). */
export interface CpuMetricBatch {
  /** All points and their count. */
  points: Float64Array;
  n: number;
  /** The first m = min(n, METRIC_SUBSAMPLE) points. */
  sub: Float64Array;
  m: number;
  /** The target samples (at most TARGET_SAMPLES); undefined: none (a metric with needsSamples is then never asked). */
  samples: Float64Array | undefined;
  target: TargetInstance;
}

/** A metric's CPU state, made once per backend on first use. */
export interface CpuMetric {
  samplesChanged?(): void;
  measure(b: CpuMetricBatch): Promise<MetricReading>;
  destroy?(): void;
}

/** Where an implementation is missing, the def says why instead (MetricDef.gpu / .cpu). */
export interface NoImplementation {
  none: string;
}

/** A text in the status bar: `text`, with `title` as its tooltip. */
export interface MetricStatus {
  text: string;
  title?: string;
  /** Solver detail: shown for the primary run only (the compared runs' lines stay short). */
  detail?: boolean;
}

export interface MetricDef {
  /** The key of its value (Metrics, MetricValues, the CLI's JSON), its history series and its plot's data-plot. */
  readonly id: string;
  /** Short name (status bar, generator line, legends), e.g. 'KSD'. */
  readonly label: string;
  readonly plot: {
    /** The pane's title. */
    readonly title: string;
    /** The y-axis title. */
    readonly yTitle: string;
    /** The pane's tooltip: what the curve is. */
    readonly what: string;
    readonly yScale: 'log' | 'linear';
    /** Log x axis (step) too. */
    readonly logX?: boolean;
  };
  /** Whether the metric applies to a run with these facts (metricPlan is this, for each metric). */
  appliesTo(f: MetricFacts): boolean;
  /** It compares against target samples: a backend with none refuses it by name. */
  readonly needsSamples: boolean;
  /**
   * It runs its own loop (seconds on a software GPU): a live run's backend (GpuMetricsOptions.live)
   * leaves it out of the run's first measurement, so the first point of the cheap metrics is not held
   * back by it (its series starts at the next point; the history keeps each series at its own steps).
   */
  readonly slow?: boolean;
  /** Keys of MetricReading.extra, e.g. a solve's iterations (the MetricValues type lists them). */
  readonly extras?: readonly string[];
  /** The GPU implementation (recorded into the shared pass), or why there is none. */
  readonly gpu: ((host: GpuMetricHost) => GpuMetric) | NoImplementation;
  /** The float64 CPU implementation (the twins), or why there is none. */
  readonly cpu: (() => CpuMetric) | NoImplementation;
  /**
   * The status bar's text for a run's values (`read(key)`: a value or an extra; `fmt` the bar's
   * number format); undefined: nothing shown. No status: the metric is only plotted.
   */
  status?(read: (key: string) => number | undefined, fmt: (v: number | undefined) => string): MetricStatus | undefined;
}
