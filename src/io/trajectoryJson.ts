/**
 * Trajectory JSON: `{ "meta": {...}, "steps": [s0, ...], "frames": [[[x, y], ...], ...] }`,
 * frames[f][i] the position of particle i after steps[f] steps. Non-finite coordinates (not valid
 * JSON) are written as null. Numbers are the shortest text that reads back as the same float32.
 * Pure functions, no Node or DOM imports.
 */
import { formatFloat32, joinText, type ExportChunk } from './chunks';
import { IoError } from './errors';

function coord(v: number | undefined): string {
  return v !== undefined && Number.isFinite(v) ? formatFloat32(v) : 'null';
}

/** The trajectory JSON in chunks of at most `pointsPerChunk` points (progress counted in points). */
export function* trajectoryJsonChunks(
  meta: object,
  frames: Float32Array,
  steps: readonly number[],
  n: number,
  pointsPerChunk = 20_000,
): Generator<ExportChunk> {
  if (!Number.isInteger(n) || n < 0) throw new IoError('json', `json: particle count must be a non-negative integer, got ${n}`);
  if (frames.length !== steps.length * n * 2) {
    throw new IoError('json', `json: ${steps.length} frames of ${n} particles need ${steps.length * n * 2} values, got ${frames.length}`);
  }
  const total = steps.length * n;
  yield { part: `{"meta":${JSON.stringify(meta)},"steps":${JSON.stringify(steps)},"frames":[`, done: 0, total };
  let parts: string[] = [];
  let point = 0;
  for (let f = 0; f < steps.length; f++) {
    parts.push(f === 0 ? '[' : ',[');
    for (let i = 0; i < n; i++, point++) {
      const k = 2 * point;
      parts.push(`${i === 0 ? '' : ','}[${coord(frames[k])},${coord(frames[k + 1])}]`);
      if (parts.length >= pointsPerChunk) {
        yield { part: parts.join(''), done: point + 1, total };
        parts = [];
      }
    }
    parts.push(']');
  }
  parts.push(']}\n');
  yield { part: parts.join(''), done: total, total };
}

export function encodeTrajectoryJson(meta: object, frames: Float32Array, steps: number[], n: number): string {
  return joinText(trajectoryJsonChunks(meta, frames, steps, n));
}
