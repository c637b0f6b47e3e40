/**
 * The shipped generator models, read at run time from `models/index.json` (public/models, written by
 * `npm run train:generators`): never a hard-coded id or number. A model is offered for the current
 * target when its card's `target` is the target's id and its `outliers` fraction equals the target's
 * `outliers` parameter (0 when the target has none).
 */
export interface ShippedModel {
  id: string;
  label: string;
  method: string;
  target: string;
  outliers: number;
  /** ONNX outputs x_1 .. x (an S-JKO chain has more than one). */
  outputs: string[];
  /** The card's measured metrics (energy distance, S_eps, modes ...), as written. */
  metrics: Record<string, number>;
}

export const MODELS_DIR = 'models/';

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** The index's models, each checked for the fields the page uses (a malformed entry is left out). */
export function parseModelIndex(json: unknown): ShippedModel[] {
  const list = json !== null && typeof json === 'object' && 'models' in json && Array.isArray(json.models) ? (json.models as unknown[]) : [];
  const out: ShippedModel[] = [];
  for (const m of list) {
    if (m === null || typeof m !== 'object') continue;
    const r = m as Record<string, unknown>;
    if (typeof r.id !== 'string' || typeof r.target !== 'string' || !/^[\w.-]+$/.test(r.id)) continue;
    const arch = r.architecture !== null && typeof r.architecture === 'object' ? (r.architecture as Record<string, unknown>) : {};
    const outputs = Array.isArray(arch.outputs) ? arch.outputs.filter((o): o is string => typeof o === 'string') : ['x'];
    const metrics: Record<string, number> = {};
    if (r.metrics !== null && typeof r.metrics === 'object') for (const [k, v] of Object.entries(r.metrics)) if (typeof v === 'number') metrics[k] = v;
    out.push({
      id: r.id,
      label: typeof r.label === 'string' ? r.label : r.id,
      method: typeof r.method === 'string' ? r.method : '',
      target: r.target,
      outliers: num(r.outliers, 0),
      outputs,
      metrics,
    });
  }
  return out;
}

/** The target's outlier fraction: its `outliers` parameter when it has one, else 0. */
export function targetOutliers(params: Record<string, unknown>): number {
  const v = params.outliers;
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'boolean' ? (v ? NaN : 0) : 0;
  return Number.isFinite(x) ? x : 0;
}

/** The models for a target (id + its outlier fraction), in index order. */
export function modelsFor(models: readonly ShippedModel[], targetId: string, outliers: number): ShippedModel[] {
  return models.filter((m) => m.target === targetId && Math.abs(m.outliers - outliers) < 1e-9);
}

/** A model's name in the select and the plots: "W-Flow (wflow-8gaussians)". */
export function modelName(m: ShippedModel): string {
  return `${m.label} (${m.id})`;
}

let index: Promise<ShippedModel[]> | undefined;

/** models/index.json, fetched once (relative to the page: the app is built with base './'). */
export function loadModelIndex(base: string): Promise<ShippedModel[]> {
  index ??= fetch(new URL(`${MODELS_DIR}index.json`, base).href)
    .then((r) => (r.ok ? r.json() : { models: [] }))
    .then(parseModelIndex)
    .catch(() => {
      index = undefined;
      return [];
    });
  return index;
}

export async function fetchModelBytes(id: string, base: string): Promise<Uint8Array> {
  const r = await fetch(new URL(`${MODELS_DIR}${id}.onnx`, base).href);
  if (!r.ok) throw new Error(`models/${id}.onnx: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}
