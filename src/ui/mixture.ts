/**
 * The editors a target declares (TargetDef.editor, src/targets/types.ts): components <-> the target's
 * params, wells moved on the canvas. The canvas, the legend and the side panel ask these, never a
 * target id.
 */
import type { TargetConfig } from '../engine/types';
import { findTarget } from '../targets/registry';
import type { Component, TargetEditor, TargetInstance } from '../targets/types';

export type ComponentsEditor = Extract<TargetEditor, { kind: 'components' }>;
export type WellsEditor = Extract<TargetEditor, { kind: 'wells' }>;
export type ClustersEditor = Extract<TargetEditor, { kind: 'clusters' }>;

/** The editor the target `id` declares (undefined: none, or an unknown id). */
export function editorOf(id: string | undefined): TargetEditor | undefined {
  return id === undefined ? undefined : findTarget(id)?.editor;
}

/** The components editor of the instance's target, when it declares one and the instance has components. */
export function componentsEditorOf(target: TargetInstance | undefined): ComponentsEditor | undefined {
  const e = editorOf(target?.id);
  return e?.kind === 'components' && target?.components !== undefined ? e : undefined;
}

/** The target config with these components (the editor writes its params; a wrapping editor's target wraps the means itself). */
export function componentsConfig(id: string, editor: ComponentsEditor, comps: readonly Component[]): TargetConfig {
  return { id, params: editor.params(comps) };
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

/** The wells editor's points of the instance (e.g. the double well's minimisers), or undefined. */
export function wellsOf(target: TargetInstance | undefined): { editor: WellsEditor; points: [number, number][] } | undefined {
  const e = editorOf(target?.id);
  if (e?.kind !== 'wells' || !target) return undefined;
  const points = e.points(target);
  return points ? { editor: e, points } : undefined;
}

/** The target config with well `index` moved to (x, y), the others kept (the editor writes them into the params). */
export function movedWell(config: TargetConfig, editor: WellsEditor, wells: readonly [number, number][], index: number, x: number, y: number): TargetConfig {
  const next = wells.map((w, k): [number, number] => (k === index ? [x, y] : [w[0], w[1]]));
  return { ...config, params: { ...config.params, ...editor.params(next) } };
}
