/**
 * The engine's public types. No React, no DOM: the browser UI, the CLI and the benchmarks
 * all drive a `Simulation` (one run: particles + method + target) created on a `Backend`.
 */
import type { MetricValues } from '../metrics/measure';
import type { Readouts } from '../methods/types';
import type { Params } from '../core/params';

export type BackendKind = 'gpu' | 'cpu';

/** Where the particles start. Default: i.i.d. N(mean, std^2 I) drawn from the Philox init stream. */
export type InitSpec =
  | { kind: 'gaussian'; mean: [number, number]; std: number }
  /** Explicit positions, interleaved [x0, y0, x1, y1, ...]; length must be 2 n. */
  | { kind: 'positions'; data: Float32Array | Float64Array };

export interface TargetConfig {
  id: string;
  params: Params;
  /** A fixed sample cloud (interleaved x, y) for id 'cloud' (a file, an image, a painting). */
  cloud?: Float64Array;
}

export interface RunConfig {
  method: string;
  /** Method parameters (unresolved: missing ones take their defaults). */
  params: Params;
  target: TargetConfig;
  n: number;
  stepSize: number;
  seed: number;
  init: InitSpec;
  /** Size m of the target cloud drawn for sample-based methods (default n); ignored when the target has a fixed cloud. */
  targetSamples?: number;
  /**
   * 'plane' (default): R^2. 'torus': the periodic domain T^2 = [0,1)^2 (positions wrapped mod 1 by the
   * method; the target must be periodic, the method must list 'torus' in its `domains`).
   */
  domain?: Domain;
}

export type Domain = 'plane' | 'torus';

/** Reduced over all particles on the device (no particle read-back): for display and blow-up detection. */
export interface ParticleStats {
  step: number;
  mean: [number, number];
  /** [c11, c12, c22] */
  cov: [number, number, number];
  /** Number of particles with a NaN or infinite coordinate. */
  nonFinite: number;
  /** max_i max(|x_i|, |y_i|) over finite particles. */
  maxAbs: number;
  /** MALA acceptance rate since the last stats() call, when the method reports one. */
  acceptance?: number;
  /** Current kernel bandwidth sigma (SVGD), when the method has one. */
  bandwidth?: number;
  /**
   * The method's 'stats' readouts (MethodDef.readouts), by key, e.g. { acceptance: 0.74 } or
   * { bandwidth: 0.31 }; `acceptance` and `bandwidth` are also copied to the fields above.
   */
  readouts?: Record<string, number>;
  /** Set when the simulation was destroyed before this read completed: the numbers mean nothing (NaN). */
  stale?: true;
}

/**
 * One metrics read: the registered metrics' values by id and their extras (MetricValues, see
 * src/metrics/registry.ts; those that apply to the run), the step, and the method's readouts.
 */
export interface Metrics extends MetricValues {
  step: number;
  /** sinkhorn-flow: the marginal error of the flow's own plan after the last step's iterations. */
  flowMarginalError?: number;
  /**
   * The method's 'metrics' readouts (MethodDef.readouts), by key, read after at least one step, e.g.
   * { flowMarginalError: 0.09 } (also copied to the field above).
   */
  readouts?: Record<string, number>;
  /** Set when the simulation was destroyed before this read completed: no metric is filled in. */
  stale?: true;
}

export interface BackendInfo {
  kind: BackendKind;
  /** Human description, e.g. 'google swiftshader (fallback adapter)' or 'CPU float64'. */
  description: string;
  /** Largest particle count this backend accepts. */
  maxParticles: number;
}

/**
 * One run. Read-backs and destroy(): destroy() may be called at any time, also while stats(),
 * metrics() or positions() are pending (a method switch, Reset). Those promises then RESOLVE quietly,
 * never reject: stats() and metrics() with `stale: true` (and no meaningful numbers), positions() with
 * an empty Float32Array (length 0, not 2 n). Callers recognise and drop such results. The same holds
 * for calls made after destroy(). No GPU buffer is destroyed while a read-back maps it.
 */
export interface Simulation {
  readonly backend: BackendInfo;
  readonly config: RunConfig;
  readonly n: number;
  /** Steps taken since creation / the last reset. */
  readonly stepCount: number;
  /**
   * GPU backend: where the method's steps run, 'gpu' (WGSL) or 'cpu' (its float64 twin on the host, e.g.
   * jko, or a landscape method with solver 'dense'); absent on the CPU backend.
   */
  readonly stepperRunsOn?: 'gpu' | 'cpu';
  /** Advance `count` steps (GPU: records and submits, no read-back). */
  step(count: number): void;
  /** Change the target in place (e.g. a dragged mixture component); particles are kept. */
  setTarget(target: TargetConfig): void;
  /** Change the step size in place. */
  setStepSize(h: number): void;
  /** Read the particle positions, interleaved [x0, y0, ...] (float32). */
  positions(): Promise<Float32Array>;
  /** Overwrite the positions (length 2 n); used to restore a snapshot. */
  setPositions(data: Float32Array | Float64Array, stepCount?: number): void;
  /** Reduced statistics (a few numbers read back). */
  stats(): Promise<ParticleStats>;
  /** Convergence metrics on a subsample (a few KB read back). */
  metrics(): Promise<Metrics>;
  /** Wait for queued work to finish (GPU); resolves immediately on the CPU. */
  finish(): Promise<void>;
  destroy(): void;
}

/** A compute backend: creates simulations. GPU: owns one GPUDevice. CPU: float64 twins. */
export interface Backend {
  readonly info: BackendInfo;
  /**
   * Validate `config` and allocate a new run. Throws (ConfigError / ParamError, message names the
   * offending field) without side effects when the config is invalid or too large for the device.
   */
  createSimulation(config: RunConfig): Simulation;
  /** GPU only: the device (the renderer draws from the simulation's buffers with it). */
  readonly device?: GPUDevice;
  /** GPU only: resolves with a reason when the device is lost. */
  readonly lost?: Promise<string>;
  destroy(): void;
}

export { ConfigError } from '../core/errors';

/** Stats of a read abandoned by destroy(): `stale`, no meaningful numbers. */
export function staleStats(step: number): ParticleStats {
  return { step, mean: [NaN, NaN], cov: [NaN, NaN, NaN], nonFinite: 0, maxAbs: 0, stale: true };
}

/** A method's 'stats' readouts into ParticleStats: `readouts`, and acceptance / bandwidth in their own fields too. */
export function withStatsReadouts(out: ParticleStats, r: Readouts): ParticleStats {
  if (Object.keys(r).length === 0) return out;
  out.readouts = r;
  if (r.acceptance !== undefined) out.acceptance = r.acceptance;
  if (r.bandwidth !== undefined) out.bandwidth = r.bandwidth;
  return out;
}

/** A method's 'metrics' readouts into Metrics: `readouts`, and flowMarginalError in its own field too. */
export function withMetricsReadouts(out: Metrics, r: Readouts): Metrics {
  if (Object.keys(r).length === 0) return out;
  out.readouts = r;
  if (r.flowMarginalError !== undefined) out.flowMarginalError = r.flowMarginalError;
  return out;
}
