/** Mixture components <-> the `components` JSON parameter of the mixture target. */
import type { TargetConfig } from '../engine/types';
import type { Component } from '../targets/types';

/** Targets whose components the canvas and the side panel edit. */
export type MixtureId = 'mixture' | 'torus-mixture';

export function isMixtureId(id: string | undefined): id is MixtureId {
  return id === 'mixture' || id === 'torus-mixture';
}

/** The target config with these components (`torus-mixture` wraps the means onto [0,1)^2 itself). */
export function mixtureConfig(comps: readonly Component[], id: MixtureId = 'mixture'): TargetConfig {
  return { id, params: { components: JSON.stringify(comps.map((c) => ({ mean: c.mean, cov: c.cov, weight: c.weight }))) } };
}

/** sqrt of the mean variance: the "spread" the panel edits. */
export function spreadOf(c: Component): number {
  return Math.sqrt(Math.max((c.cov[0] + c.cov[2]) / 2, 0));
}

/** Scale the covariance so that spreadOf(result) = s (the shape is kept). */
export function withSpread(c: Component, s: number): Component {
  const k = (s / Math.max(spreadOf(c), 1e-12)) ** 2;
  return { ...c, cov: [c.cov[0] * k, c.cov[1] * k, c.cov[2] * k] };
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

export function moved(c: Component, x: number, y: number): Component {
  return { ...c, mean: [round(x), round(y)] };
}
