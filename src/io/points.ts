/**
 * Read a 2-D point cloud (initial particle positions) from the bytes of an .npy or .csv file.
 * Accepted layouts, so a run can restart from an earlier run's output:
 *   .npy  [n, 2], or [frames, n, 2] (the last frame is taken)
 *   .csv  two numeric columns; or a header naming columns x and y (and optionally step: the
 *         rows of the largest step are taken, i.e. the last frame of a trajectory CSV)
 * Pure, no Node imports (the browser's upload uses it too).
 */
import { decodePointsCsv } from './csv';
import { decodeNpy } from './npy';
import { IoError } from './errors';

export interface Points {
  /** Interleaved [x0, y0, x1, y1, ...]. */
  data: Float32Array | Float64Array;
  n: number;
}

/** The largest finite float32 (the engine's particles and the trajectory files are float32). */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Every coordinate finite and within float32's range: a float64 value beyond +-3.4e38 would become
 * +-Infinity in the engine (issue 21: such a file ran and exited 0 with non-finite particles).
 * `where(i)` names the row of point i (a data row of the file, 1-based) for the message.
 */
function checkFinite(data: ArrayLike<number>, what: string, where: (point: number) => string = (p) => `point ${p}`): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i] ?? NaN;
    const column = i % 2 === 0 ? 'column 1 (x)' : 'column 2 (y)';
    if (!Number.isFinite(v)) {
      throw new IoError('points', `${what}: point ${Math.floor(i / 2)} has a non-finite coordinate (${where(Math.floor(i / 2))}, ${column}: ${String(v)})`);
    }
    if (Math.abs(v) > FLOAT32_MAX) {
      throw new IoError('points', `${what}: ${where(Math.floor(i / 2))}, ${column} is ${String(v)}, beyond float32's range (|v| <= 3.4e38) that the engine computes in`);
    }
  }
}

export function pointsFromNpy(bytes: Uint8Array): Points {
  const { data, shape } = decodeNpy(bytes);
  const dims = shape.join(', ');
  let points: Points;
  if (shape.length === 2 && shape[1] === 2) {
    points = { data, n: shape[0] ?? 0 };
  } else if (shape.length === 3 && shape[2] === 2 && (shape[0] ?? 0) > 0) {
    const frames = shape[0] ?? 1;
    const n = shape[1] ?? 0;
    points = { data: data.slice((frames - 1) * n * 2, frames * n * 2), n };
  } else {
    throw new IoError('points', `npy: expected shape (n, 2) or (frames, n, 2), got (${dims})`);
  }
  if (points.n === 0) throw new IoError('points', 'npy: no points');
  const frame = shape.length === 3 ? `frame ${(shape[0] ?? 1) - 1}, ` : '';
  checkFinite(points.data, 'npy', (p) => `${frame}row ${p}`);
  return points;
}

export function pointsFromCsv(text: string): Points {
  const table = decodePointsCsv(text);
  const [rows, width] = table.shape;
  const header = table.header?.map((h) => h.toLowerCase());
  const xi = header?.indexOf('x') ?? -1;
  const yi = header?.indexOf('y') ?? -1;
  // A header naming x and y picks the columns (so 'y,x' is read the right way round).
  if (xi < 0 || yi < 0) {
    if (width === 2) {
      checkFinite(table.data, 'csv', (p) => `line ${csvLine(text, p)}`);
      return { data: table.data, n: rows };
    }
    throw new IoError('points', `csv: expected 2 columns, or a header with columns x and y; got ${width} columns`);
  }
  const si = header?.indexOf('step') ?? -1;
  let lastStep = -Infinity;
  if (si >= 0) for (let r = 0; r < rows; r++) lastStep = Math.max(lastStep, table.data[r * width + si] ?? -Infinity);
  const out: number[] = [];
  const rowOf: number[] = [];
  for (let r = 0; r < rows; r++) {
    if (si >= 0 && table.data[r * width + si] !== lastStep) continue;
    out.push(table.data[r * width + xi] ?? NaN, table.data[r * width + yi] ?? NaN);
    rowOf.push(r);
  }
  checkFinite(out, 'csv', (p) => `line ${csvLine(text, rowOf[p] ?? p)}`);
  return { data: Float64Array.from(out), n: out.length / 2 };
}

/** The 1-based line number of data row `row` of a CSV text (as decodePointsCsv counts rows: blank, '#' and header lines skipped). */
function csvLine(text: string, row: number): number {
  const lines = text.split(/\r?\n/);
  let seen = -1;
  let first = true;
  for (let li = 0; li < lines.length; li++) {
    const line = (lines[li] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    if (first) {
      first = false;
      const cells = line.includes(',') ? line.split(',') : line.split(/\s+/);
      // a header line (no cell a finite number) is not a data row
      if (cells.every((c) => c.trim() !== '' && !Number.isFinite(Number(c)))) continue;
    }
    if (++seen === row) return li + 1;
  }
  return row + 1;
}

/** Dispatch on the file name's extension (.npy or .csv). */
export function pointsFromFile(name: string, bytes: Uint8Array): Points {
  const lower = name.toLowerCase();
  if (lower.endsWith('.npy')) return pointsFromNpy(bytes);
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return pointsFromCsv(new TextDecoder().decode(bytes));
  throw new IoError('points', `unknown point file type '${name}' (expected .npy or .csv)`);
}
