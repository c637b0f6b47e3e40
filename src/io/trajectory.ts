/**
 * One entry point for writing a trajectory in any format, chosen by file extension: used by the
 * CLI (`--out traj.npy|.csv|.json`) and the browser's export button alike. Pure, no Node imports.
 *
 * A trajectory is `steps.length` frames of `n` particles, frame-major, interleaved x, y (float32):
 * .npy  float32 array of shape [frames, n, 2]
 * .csv  step,particle,x,y
 * .json { meta, steps, frames }
 */
import type { ExportChunk } from './chunks';
import { trajectoryCsvChunks } from './csv';
import { npyChunks } from './npy';
import { trajectoryJsonChunks } from './trajectoryJson';
import { IoError } from './errors';

export type TrajectoryFormat = 'npy' | 'csv' | 'json';
export const TRAJECTORY_FORMATS: readonly TrajectoryFormat[] = ['npy', 'csv', 'json'];

/** The format for a file name by its extension (case-insensitive), or undefined when unknown. */
export function formatFromFileName(name: string): TrajectoryFormat | undefined {
  const ext = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase();
  return TRAJECTORY_FORMATS.find((f) => f === ext);
}

export function mimeType(format: TrajectoryFormat): string {
  switch (format) {
    case 'npy':
      return 'application/octet-stream';
    case 'csv':
      return 'text/csv';
    case 'json':
      return 'application/json';
  }
}

/** The file in chunks (see chunks.ts: drainChunks for progress and responsiveness). */
export function trajectoryChunks(
  format: TrajectoryFormat,
  frames: Float32Array,
  steps: readonly number[],
  n: number,
  meta: object = {},
): Generator<ExportChunk> {
  switch (format) {
    case 'npy':
      if (frames.length !== steps.length * n * 2) {
        throw new IoError('npy', `npy: ${steps.length} frames of ${n} particles need ${steps.length * n * 2} values, got ${frames.length}`);
      }
      return npyChunks(frames, [steps.length, n, 2]);
    case 'csv':
      return trajectoryCsvChunks(frames, steps, n);
    case 'json':
      return trajectoryJsonChunks(meta, frames, steps, n);
  }
}
