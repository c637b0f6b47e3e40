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

function checkFinite(data: ArrayLike<number>, what: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] ?? NaN)) {
      throw new IoError('points', `${what}: point ${Math.floor(i / 2)} has a non-finite coordinate`);
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
  checkFinite(points.data, 'npy');
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
    if (width === 2) return { data: table.data, n: rows };
    throw new IoError('points', `csv: expected 2 columns, or a header with columns x and y; got ${width} columns`);
  }
  const si = header?.indexOf('step') ?? -1;
  let lastStep = -Infinity;
  if (si >= 0) for (let r = 0; r < rows; r++) lastStep = Math.max(lastStep, table.data[r * width + si] ?? -Infinity);
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    if (si >= 0 && table.data[r * width + si] !== lastStep) continue;
    out.push(table.data[r * width + xi] ?? NaN, table.data[r * width + yi] ?? NaN);
  }
  return { data: Float64Array.from(out), n: out.length / 2 };
}

/** Dispatch on the file name's extension (.npy or .csv). */
export function pointsFromFile(name: string, bytes: Uint8Array): Points {
  const lower = name.toLowerCase();
  if (lower.endsWith('.npy')) return pointsFromNpy(bytes);
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return pointsFromCsv(new TextDecoder().decode(bytes));
  throw new IoError('points', `unknown point file type '${name}' (expected .npy or .csv)`);
}
