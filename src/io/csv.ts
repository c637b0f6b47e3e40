/**
 * CSV for trajectories (written) and point clouds (read). Pure functions, no Node or DOM imports.
 *
 * Trajectory CSV: header `step,particle,x,y`, one row per particle per frame, frames in order;
 * numbers printed as the shortest text that reads back as the same float32.
 * Point clouds: one point per row, numbers separated by commas or whitespace, an optional header
 * line of column names, '#' comment lines and blank lines ignored, every row the same width.
 */
import { formatFloat32, joinText, type ExportChunk } from './chunks';
import { IoError } from './errors';

export const TRAJECTORY_CSV_HEADER = 'step,particle,x,y';

function checkFrames(frames: Float32Array, steps: readonly number[], n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new IoError('csv', `csv: particle count must be a non-negative integer, got ${n}`);
  if (frames.length !== steps.length * n * 2) {
    throw new IoError('csv', `csv: ${steps.length} frames of ${n} particles need ${steps.length * n * 2} values, got ${frames.length}`);
  }
}

/** The trajectory CSV in chunks of at most `rowsPerChunk` rows (progress counted in rows). */
export function* trajectoryCsvChunks(
  frames: Float32Array,
  steps: readonly number[],
  n: number,
  rowsPerChunk = 20_000,
): Generator<ExportChunk> {
  checkFrames(frames, steps, n);
  const total = steps.length * n;
  yield { part: `${TRAJECTORY_CSV_HEADER}\n`, done: 0, total };
  let lines: string[] = [];
  let row = 0;
  for (let f = 0; f < steps.length; f++) {
    const step = String(steps[f]);
    for (let i = 0; i < n; i++, row++) {
      const k = 2 * row;
      lines.push(`${step},${i},${formatFloat32(frames[k] ?? NaN)},${formatFloat32(frames[k + 1] ?? NaN)}\n`);
      if (lines.length >= rowsPerChunk) {
        yield { part: lines.join(''), done: row + 1, total };
        lines = [];
      }
    }
  }
  if (lines.length > 0) yield { part: lines.join(''), done: total, total };
}

/** frames: steps.length * n * 2 float32, frame-major, interleaved x, y. Columns step,particle,x,y. */
export function encodeTrajectoryCsv(frames: Float32Array, steps: number[], n: number): string {
  return joinText(trajectoryCsvChunks(frames, steps, n));
}

export interface PointsCsv {
  /** Row-major values, shape[0] rows of shape[1] columns. */
  data: Float64Array;
  shape: [number, number];
  /** Column names when the file has a header line. */
  header?: string[];
}

function splitRow(line: string): string[] {
  return line.includes(',') ? line.split(',').map((s) => s.trim()) : line.trim().split(/\s+/);
}

/** Read a table of finite numbers (a point cloud). Throws an Error naming the line on bad input. */
export function decodePointsCsv(text: string): PointsCsv {
  const values: number[] = [];
  let width = -1;
  let rows = 0;
  let header: string[] | undefined;
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const line = (lines[li] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = splitRow(line);
    const nums = cells.map((c) => (c === '' ? NaN : Number(c)));
    const numeric = nums.every((v) => Number.isFinite(v));
    if (!numeric && rows === 0 && header === undefined && nums.every((v, j) => !Number.isFinite(v) && (cells[j] ?? '') !== '')) {
      header = cells;
      width = cells.length;
      continue;
    }
    if (width >= 0 && cells.length !== width) {
      throw new IoError('csv', `csv line ${li + 1}: expected ${width} columns, got ${cells.length}`);
    }
    if (!numeric) {
      const bad = cells.find((_, j) => !Number.isFinite(nums[j] ?? NaN)) ?? '';
      throw new IoError('csv', `csv line ${li + 1}: '${bad}' is not a finite number`);
    }
    width = cells.length;
    // One push per value: push(...nums) overflows the call stack on a row of ~10^5 numbers.
    for (const v of nums) values.push(v);
    rows++;
  }
  if (rows === 0) throw new IoError('csv', 'csv: no data rows');
  const out: PointsCsv = { data: Float64Array.from(values), shape: [rows, width] };
  if (header !== undefined) out.header = header;
  return out;
}
