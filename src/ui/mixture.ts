/** Mixture components <-> the `components` JSON parameter of the mixture target. */
import type { TargetConfig } from '../engine/types';
import type { Component } from '../targets/types';

export function mixtureConfig(comps: readonly Component[]): TargetConfig {
  return { id: 'mixture', params: { components: JSON.stringify(comps.map((c) => ({ mean: c.mean, cov: c.cov, weight: c.weight }))) } };
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
