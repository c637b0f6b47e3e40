import type { Simulation } from '../engine/types';
import type { TargetInstance } from '../targets/types';
import type { View } from './view';

/** Draws the density and the particles of a run into one canvas. */
export interface Renderer {
  setView(view: View): void;
  /** One frame; must not read particles back from a GPU (CPU runs hand over their array). */
  draw(sim: Simulation, target: TargetInstance): void;
  destroy(): void;
}
