/**
 * Dragging a sample target: the whole cloud, or one cluster of a target that declares a clusters
 * editor (TargetDef.editor, e.g. 8gaussians / 25gaussians). The target becomes the registered target
 * built from points (TargetDef.data 'points') with the translated points (the run's own target cloud,
 * drawn from the seed's sampler stream, so the particles keep flowing toward the same samples).
 */
import { targetCloud } from '../engine/config';
import type { RunConfig, TargetConfig } from '../engine/types';
import { findTarget, pointsTarget } from '../targets/registry';
import type { TargetInstance } from '../targets/types';

/** The points a sample-based run flows toward (its fixed cloud, or m exact samples from the seed). */
export function runCloud(config: RunConfig, target: TargetInstance): Float64Array | undefined {
  return targetCloud(target, config.seed, config.targetSamples ?? config.n);
}

export function centroid(p: Float64Array): [number, number] {
  const m = p.length / 2;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < m; i++) {
    sx += p[2 * i] ?? 0;
    sy += p[2 * i + 1] ?? 0;
  }
  return m > 0 ? [sx / m, sy / m] : [0, 0];
}

/** Cluster centres of a target that declares a clusters editor (others: none, whole-cloud drag only). */
export function clusterCentres(target: TargetInstance): [number, number][] | undefined {
  const e = findTarget(target.id)?.editor;
  return e?.kind === 'clusters' ? e.centres(target) : undefined;
}

/** The target config of a dragged cloud: the registered target built from points, with these points. */
export function cloudConfig(points: Float64Array): TargetConfig {
  return { id: pointsTarget().id, params: {}, cloud: points };
}

/** True when the run's target is built from points (a dragged, uploaded or painted cloud). */
export function isCloudConfig(t: TargetConfig): boolean {
  return findTarget(t.id)?.data === 'points';
}

/** Index of the nearest centre for every point. */
export function labelPoints(p: Float64Array, centres: readonly [number, number][]): Int32Array {
  const m = p.length / 2;
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    let best = Infinity;
    centres.forEach(([cx, cy], k) => {
      const d = ((p[2 * i] ?? 0) - cx) ** 2 + ((p[2 * i + 1] ?? 0) - cy) ** 2;
      if (d < best) {
        best = d;
        out[i] = k;
      }
    });
  }
  return out;
}

/** A copy of `p` with every point (or those labelled `cluster`) moved by (dx, dy). */
export function translated(p: Float64Array, dx: number, dy: number, labels?: Int32Array, cluster?: number): Float64Array {
  const out = new Float64Array(p);
  for (let i = 0; i < out.length / 2; i++) {
    if (labels && cluster !== undefined && labels[i] !== cluster) continue;
    out[2 * i] = (out[2 * i] ?? 0) + dx;
    out[2 * i + 1] = (out[2 * i + 1] ?? 0) + dy;
  }
  return out;
}

/** Cluster state kept while a toy mixture is dragged apart (its points, labels and current centres). */
export interface ClusterState {
  /** The cloud last sent to the engine (identity tells whether the state is still current). */
  cloud: Float64Array;
  labels: Int32Array;
  centres: [number, number][];
}
