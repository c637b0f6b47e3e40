/**
 * The target cloud drawn under the particles for sample-only targets: the run's own target
 * cloud (the fixed cloud, or the m exact samples the seed draws), at most DISPLAY_MAX points,
 * as float32, cached per target instance and run size.
 */
import { targetCloud } from '../engine/config';
import type { RunConfig } from '../engine/types';
import type { TargetInstance } from '../targets/types';
import type { ParticleStyle } from './particlePass';

export const DISPLAY_MAX = 8192;

/** Sky blue, smaller than the particles: the cloud reads as "where to go". */
export const CLOUD_STYLE: ParticleStyle = { radiusPx: 1.7, colour: [0.35, 0.72, 1.0] };

const cache = new WeakMap<TargetInstance, { key: string; points: Float32Array<ArrayBuffer> }>();

export function displayCloud(target: TargetInstance, config: Pick<RunConfig, 'seed' | 'n' | 'targetSamples'>): Float32Array<ArrayBuffer> | undefined {
  const m = config.targetSamples ?? config.n;
  const key = `${config.seed}:${m}`;
  const hit = cache.get(target);
  if (hit && hit.key === key) return hit.points;
  let ys: Float64Array | undefined;
  try {
    ys = targetCloud(target, config.seed, m);
  } catch {
    ys = undefined;
  }
  if (!ys) return undefined;
  const count = Math.min(ys.length / 2, DISPLAY_MAX);
  const points = Float32Array.from(ys.subarray(0, 2 * count));
  cache.set(target, { key, points });
  return points;
}
