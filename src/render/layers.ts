/** What the canvas shows (the "Layers" group), and what a renderer reports at the plot rate. */

export interface Layers {
  /** The target density under the particles (score targets). */
  density: boolean;
  /** The target cloud (sample-only targets). */
  targetSamples: boolean;
  /** Velocity arrows: the mean displacement per step over the last batch, magnified. */
  arrows: boolean;
  /** Trails of the last `trailLength` drawn positions. */
  trails: boolean;
  /** Marginal histograms along the canvas edges. */
  histograms: boolean;
  /** Positions per trail (2..MAX_TRAIL). */
  trailLength: number;
  /** Histogram bins across the view. */
  bins: number;
}

export const DEFAULT_LAYERS: Layers = { density: true, targetSamples: true, arrows: false, trails: false, histograms: false, trailLength: 12, bins: 48 };

/** Positions read at the plot rate (never per frame): histograms and the arrow scale. */
export interface ParticleSample {
  /** The first `count` particles, interleaved [x0, y0, ...]. */
  points: Float32Array | Float64Array;
  count: number;
  /** The run's particle count. */
  n: number;
  step: number;
  periodic: boolean;
  /** RMS displacement per step over the arrow subset (world units), when known. */
  rmsStep: number | undefined;
}

/** Histogram sample: at most this many particles (the first ones: the initial draw is i.i.d.). */
export const MAX_SAMPLE = 65536;
/** How often a renderer reads the sample (ms): the metrics' cadence. */
export const SAMPLE_EVERY_MS = 300;
