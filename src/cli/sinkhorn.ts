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
import { choiceFlag, CliError, numberFlag, parseFlags, type FlagSpec } from './args';
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

const PREFIX = 'wgf sinkhorn';

const SINKHORN_FLAGS: Readonly<Record<string, FlagSpec>> = {
  blur: { type: 'string' }, scaling: { type: 'string' }, reach: { type: 'string' }, tol: { type: 'string' },
  'check-every': { type: 'string' }, 'max-iter': { type: 'string' }, backend: { type: 'string' }, 'no-debias': { type: 'boolean' },
};

interface SinkhornArgs {
  files: [string, string];
  backend: 'gpu' | 'cpu';
  options: SinkhornOptions;
}

/** Parse and check `wgf sinkhorn` arguments; throws CliError (prefix 'wgf sinkhorn') naming the argument. */
export function parseSinkhornArgs(argv: readonly string[]): SinkhornArgs | 'help' {
  const { values, flags, positionals, help } = parseFlags(argv, SINKHORN_FLAGS, { positionals: true, seeHelp: 'wgf sinkhorn --help', helpStops: true, prefix: PREFIX });
  if (help) return 'help';
  if (positionals.length !== 2) throw new CliError(`expected two point files A B, got ${positionals.length}`, PREFIX);
  const num = (name: string, check: (v: number) => boolean, what: string): number | undefined => numberFlag(name, values.get(name), check, what, PREFIX);
  const backend = choiceFlag('backend', values.get('backend'), ['gpu', 'cpu'] as const, PREFIX) ?? 'gpu';
  const reach = values.get('reach') === 'none' ? null : num('reach', (v) => v > 0, 'a positive number or none') ?? null;
  const options: SinkhornOptions = {
    blur: num('blur', (v) => v > 0, 'a positive number') ?? 0.05,
    scaling: num('scaling', (v) => v > 0 && v < 1, 'a number in (0, 1)') ?? SINKHORN_DEFAULTS.scaling,
    reach,
    debias: !flags.has('no-debias'),
    tol: num('tol', (v) => v >= 0, 'a number >= 0') ?? SINKHORN_DEFAULTS.tol,
    checkEvery: num('check-every', (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1') ?? SINKHORN_DEFAULTS.checkEvery,
    maxIter: num('max-iter', (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0') ?? SINKHORN_DEFAULTS.maxIter,
  };
  return { files: [positionals[0] ?? '', positionals[1] ?? ''], backend, options };
}

async function readPoints(file: string): Promise<Float64Array> {
  const bytes = new Uint8Array(await readFile(file));
  return Float64Array.from(pointsFromFile(file, bytes).data);
}

/** `wgf sinkhorn ...`; returns the exit code (never calls process.exit). */
export async function sinkhornCommand(argv: string[], io: SinkhornCliIo): Promise<number> {
  const args = parseSinkhornArgs(argv); // a CliError: main prints it (exit 2)
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
    if (e instanceof SinkhornOptionError) throw new CliError(e.message, PREFIX);
    io.err(`wgf sinkhorn: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    backend.destroy();
    device?.destroy();
  }
}
