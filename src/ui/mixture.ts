/** Mixture components <-> the `components` JSON parameter of the mixture target. */
import type { TargetConfig } from '../engine/types';
import type { Component, TargetInstance } from '../targets/types';

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

/** A (normalised) weight as the panel shows it: 3 decimals, or 3 significant digits below 1e-3 (never a bare 0). */
export function formatWeight(w: number): string {
  if (!(w > 0) || !Number.isFinite(w)) return String(w);
  return w >= 1e-3 ? String(Math.round(w * 1000) / 1000) : w.toExponential(2);
}

/** Check a weight typed into the panel: a finite positive number, or the message to show (numbered like the panel). */
export function weightInput(raw: string, k: number): { weight: number } | { error: string } {
  const w = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(w) || !(w > 0)) return { error: `Component ${k + 1} weight: must be a finite positive number, got '${raw}'` };
  return { weight: w };
}

/** The double well's two wells (its minimisers m -+ d, from the packed V: vKind 2), or undefined for any other target. */
export function wellsOf(target: TargetInstance | undefined): [[number, number], [number, number]] | undefined {
  const L = target?.landscape;
  if (!L || L.vKind !== 2) return undefined;
  const [m0, m1, d0, d1] = [L.v[0] ?? 0, L.v[1] ?? 0, L.v[2] ?? 0, L.v[3] ?? 0];
  return [
    [m0 - d0, m1 - d1],
    [m0 + d0, m1 + d1],
  ];
}

/** The landscape target config with well `index` (0: well1, 1: well2) moved to (x, y), the other kept (3 decimals, like a component). */
export function movedWell(config: TargetConfig, wells: readonly [number, number][], index: number, x: number, y: number): TargetConfig {
  const at = (k: number): [number, number] => {
    const w = wells[k] ?? [0, 0];
    return k === index ? [round(x), round(y)] : [round(w[0]), round(w[1])];
  };
  return { ...config, params: { ...config.params, well1: at(0), well2: at(1) } };
}
