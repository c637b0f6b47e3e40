/**
 * `wgf sinkhorn a.npy b.npy [options]`: the debiased Sinkhorn divergence S_eps(a, b) (Feydy et al.
 * 2019), or OT_eps with --no-debias, between two 2-D point clouds with uniform weights, through the
 * one Sinkhorn loop of src/ot/sinkhorn.ts (GeomLoss parameterisation: eps = blur^2, annealing by
 * scaling^2 from the diameter^2, reach = KL-relaxed marginals with rho = reach^2). Prints ONE JSON line:
 *   {"backend","adapter","n","m","blur","scaling","reach","debias","value","iterations",
 *    "marginalError","converged","ms"}
 * Exit codes: 0 ok, 1 runtime failure (no GPU adapter, unreadable file, GPU error), 2 bad arguments.
 */
import { readFile } from 'node:fs/promises';
import { acquireDevice } from '../gpu/device';
import { nodeGpu } from '../gpu/node';
import { pointsFromFile } from '../io/points';
import { createCpuSinkhorn } from '../ot/cpuSinkhorn';
import { createGpuSinkhorn } from '../ot/gpuSinkhorn';
import { sinkhornDivergence, SinkhornOptionError, SINKHORN_DEFAULTS, type SinkhornOptions, type SoftminBackend } from '../ot/sinkhorn';

export const SINKHORN_USAGE = `Usage: wgf sinkhorn A B [options]
  A, B                  point clouds: .npy [n,2] (or the last frame of [frames,n,2]) or .csv (x,y)
  --blur B              entropic blur, eps = B^2 [0.05]
  --scaling S           eps-annealing ratio in (0,1) [${SINKHORN_DEFAULTS.scaling}]
  --reach R             unbalanced OT with rho = R^2 [none: balanced]
  --no-debias           OT_eps(a,b) instead of S_eps(a,b)
  --tol T               stop when the marginal error <= T [${SINKHORN_DEFAULTS.tol}]
  --check-every K       check the marginal error every K iterations [${SINKHORN_DEFAULTS.checkEvery}]
  --max-iter I          iteration cap (the annealing always completes) [${SINKHORN_DEFAULTS.maxIter}]
  --backend gpu|cpu     WebGPU (Dawn) or the float64 CPU twin [gpu]
Output: one JSON line {"backend","adapter","n","m","blur","scaling","reach","debias","value",
"iterations","marginalError","converged","ms"}.
`;

export interface SinkhornCliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

class ArgError extends Error {}

const VALUE_FLAGS = ['blur', 'scaling', 'reach', 'tol', 'check-every', 'max-iter', 'backend'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
const isValueFlag = (s: string): s is ValueFlag => (VALUE_FLAGS as readonly string[]).includes(s);

interface SinkhornArgs {
  files: [string, string];
  backend: 'gpu' | 'cpu';
  options: SinkhornOptions;
}

function numberFlag(values: Map<ValueFlag, string>, name: ValueFlag, check: (v: number) => boolean, what: string): number | undefined {
  const raw = values.get(name);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || !check(v)) throw new ArgError(`--${name} must be ${what}, got '${raw}'`);
  return v;
}

export function parseSinkhornArgs(argv: readonly string[]): SinkhornArgs | 'help' {
  const files: string[] = [];
  const values = new Map<ValueFlag, string>();
  let debias = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--no-debias') {
      debias = false;
      continue;
    }
    if (!arg.startsWith('--')) {
      files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!isValueFlag(name)) throw new ArgError(`unknown option '--${name}' (see wgf sinkhorn --help)`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new ArgError(`--${name} needs a value`);
      i++;
    }
    if (values.has(name)) throw new ArgError(`--${name} given twice`);
    values.set(name, value);
  }
  if (files.length !== 2) throw new ArgError(`expected two point files A B, got ${files.length}`);
  const backend = values.get('backend') ?? 'gpu';
  if (backend !== 'gpu' && backend !== 'cpu') throw new ArgError(`--backend must be gpu or cpu, got '${backend}'`);
  const reachRaw = values.get('reach');
  const reach = reachRaw === 'none' ? null : numberFlag(values, 'reach', (v) => v > 0, 'a positive number or none') ?? null;
  const options: SinkhornOptions = {
    blur: numberFlag(values, 'blur', (v) => v > 0, 'a positive number') ?? 0.05,
    scaling: numberFlag(values, 'scaling', (v) => v > 0 && v < 1, 'a number in (0, 1)') ?? SINKHORN_DEFAULTS.scaling,
    reach,
    debias,
    tol: numberFlag(values, 'tol', (v) => v >= 0, 'a number >= 0') ?? SINKHORN_DEFAULTS.tol,
    checkEvery: numberFlag(values, 'check-every', (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1') ?? SINKHORN_DEFAULTS.checkEvery,
    maxIter: numberFlag(values, 'max-iter', (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0') ?? SINKHORN_DEFAULTS.maxIter,
  };
  return { files: [files[0] ?? '', files[1] ?? ''], backend, options };
}

async function readPoints(file: string): Promise<Float64Array> {
  const bytes = new Uint8Array(await readFile(file));
  return Float64Array.from(pointsFromFile(file, bytes).data);
}

/** `wgf sinkhorn ...`; returns the exit code (never calls process.exit). */
export async function sinkhornCommand(argv: string[], io: SinkhornCliIo): Promise<number> {
  let args: SinkhornArgs | 'help';
  try {
    args = parseSinkhornArgs(argv);
  } catch (e) {
    if (e instanceof ArgError) {
      io.err(`wgf sinkhorn: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    io.out(SINKHORN_USAGE);
    return 0;
  }
  let a: Float64Array, b: Float64Array;
  try {
    a = await readPoints(args.files[0]);
    b = await readPoints(args.files[1]);
  } catch (e) {
    io.err(`wgf sinkhorn: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  let backend: SoftminBackend;
  let device: GPUDevice | undefined;
  try {
    if (args.backend === 'gpu') {
      const handle = await acquireDevice(await nodeGpu(), 'wgf-sinkhorn');
      device = handle.device;
      backend = createGpuSinkhorn(device, handle.description);
    } else {
      backend = createCpuSinkhorn();
    }
  } catch (e) {
    io.err(`wgf sinkhorn: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  try {
    device?.pushErrorScope('validation');
    const t0 = performance.now();
    const r = await sinkhornDivergence(backend, { points: a }, { points: b }, args.options);
    const ms = performance.now() - t0;
    const gpuError = await device?.popErrorScope();
    if (gpuError) throw new Error(`GPU validation error: ${gpuError.message.split('\n')[0] ?? ''}`);
    io.out(JSON.stringify({
      backend: backend.kind, adapter: backend.description, n: a.length / 2, m: b.length / 2,
      blur: args.options.blur, scaling: args.options.scaling, reach: args.options.reach ?? 'none', debias: args.options.debias ?? true,
      value: r.value, iterations: r.iterations, marginalError: r.marginalError, converged: r.converged, ms: Math.round(ms * 100) / 100,
    }) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof SinkhornOptionError) {
      io.err(`wgf sinkhorn: ${e.message}\n`);
      return 2;
    }
    io.err(`wgf sinkhorn: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    backend.destroy();
    device?.destroy();
  }
}
