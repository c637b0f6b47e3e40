/**
 * The steps sidecar of an .npy trajectory (issue 22 item 9). An .npy file holds one array, [frames,
 * n, 2], and cannot say which step each frame is; the sidecar beside it, `<name>.steps.json`, does:
 *
 *   { "npy": "traj.npy", "shape": [frames, n, 2], "meta": {...}, "steps": [s0, s1, ...] }
 *
 * `meta` and `steps` are the trajectory JSON's own (./trajectoryJson.ts): frame f of the .npy is the
 * positions after steps[f] steps. In numpy:
 *
 *   x = np.load('traj.npy'); steps = json.load(open('traj.steps.json'))['steps']
 *
 * Written by the browser's Export (NPY) and by `wgf run --out traj.npy`. Pure, no Node or DOM imports.
 */
import { IoError } from './errors';

export interface NpySidecar {
  /** The .npy file's name (no directory). */
  npy: string;
  shape: [number, number, number];
  meta: Record<string, unknown>;
  steps: number[];
}

/** The sidecar's file name for an .npy name or path: `traj.npy` -> `traj.steps.json` (other names: `+ .steps.json`). */
export function npySidecarName(npyName: string): string {
  return /\.npy$/i.test(npyName) ? npyName.replace(/\.npy$/i, '.steps.json') : `${npyName}.steps.json`;
}

/** The file name without its directory (either separator). */
function baseName(path: string): string {
  return path.split(/[/\\]/).pop() ?? path;
}

function checkSteps(steps: readonly unknown[], where: string): asserts steps is number[] {
  const bad = steps.findIndex((s) => typeof s !== 'number' || !Number.isInteger(s) || s < 0);
  if (bad >= 0) throw new IoError('json', `${where}: steps[${bad}] must be a non-negative integer, got ${JSON.stringify(steps[bad]) ?? String(steps[bad])}`);
}

/** The sidecar text (one JSON object and '\n') for `steps.length` frames of `n` particles written to `npyName`. */
export function encodeNpySidecar(npyName: string, meta: object, steps: readonly number[], n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new IoError('json', `steps sidecar: particle count must be a non-negative integer, got ${n}`);
  checkSteps(steps, 'steps sidecar');
  const body = { npy: baseName(npyName), shape: [steps.length, n, 2], meta, steps };
  return `${JSON.stringify(body)}\n`;
}

/** Read a sidecar back (named messages on anything malformed). */
export function decodeNpySidecar(text: string): NpySidecar {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new IoError('json', `steps sidecar: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new IoError('json', 'steps sidecar: expected an object { npy, shape, meta, steps }');
  const o = v as Record<string, unknown>;
  if (typeof o.npy !== 'string') throw new IoError('json', 'steps sidecar: "npy" must be the .npy file name');
  const shape = o.shape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0) || shape[2] !== 2) {
    throw new IoError('json', `steps sidecar: "shape" must be [frames, n, 2], got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(o.steps)) throw new IoError('json', 'steps sidecar: "steps" must be an array');
  checkSteps(o.steps, 'steps sidecar');
  if (o.steps.length !== shape[0]) throw new IoError('json', `steps sidecar: ${o.steps.length} steps for ${String(shape[0])} frames`);
  const meta = typeof o.meta === 'object' && o.meta !== null && !Array.isArray(o.meta) ? (o.meta as Record<string, unknown>) : {};
  return { npy: o.npy, shape: shape as [number, number, number], meta, steps: o.steps };
}
