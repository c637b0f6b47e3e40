import type { RunConfig } from '../engine/types';
import type { TargetInstance } from '../targets/types';
import type { Layers, ParticleSample } from './layers';
import type { View } from './view';

/**
 * What the renderers draw from: any run with particles (the engine's GpuSimulation and
 * CpuSimulation have these members structurally). render/ depends on this interface only, never on
 * the concrete simulation classes.
 */
export interface ParticleSource {
  readonly n: number;
  /** Steps taken so far (arrows and trails keep a position copy per new step count). */
  readonly stepCount: number;
  /** The run's domain (torus: images drawn too) and what picks the sample-only target's display cloud. */
  readonly config: Pick<RunConfig, 'seed' | 'n' | 'targetSamples' | 'domain'>;
  /** GPU runs: the buffer holding the current positions (array<vec2f>), drawn without a read-back. */
  getPositionBuffer?(): GPUBuffer | undefined;
  /** CPU runs: the current positions, interleaved [x0, y0, ...], read synchronously (no GPU). */
  positions64?(): Float64Array;
  /** Any run: the positions read back (float32). Not used per frame. */
  positions(): Promise<Float32Array>;
}

/** Draws the density and the particles of a run into one canvas. */
export interface Renderer {
  setView(view: View): void;
  /** One frame; must not read particles back from a GPU (CPU runs hand over their array). */
  draw(source: ParticleSource, target: TargetInstance): void;
  /** Which layers to draw (default DEFAULT_LAYERS). */
  setLayers?(layers: Layers): void;
  /** Called at the plot rate (SAMPLE_EVERY_MS) with a positions sample while histograms or arrows are on. */
  setSampleListener?(listener: ((s: ParticleSample) => void) | undefined): void;
  /** Draw the last frame again now, synchronously, so the canvas can be copied in the same task (screenshots). */
  redraw?(): boolean;
  destroy(): void;
}
