/**
 * `wgf sinkhorn a.npy b.npy [options]`: the debiased Sinkhorn divergence S_eps(a, b) (Feydy et al.
 * 2019), or OT_eps with --no-debias, between two 2-D point clouds with uniform weights, through the
 * one Sinkhorn loop of src/ot/sinkhorn.ts (GeomLoss parameterisation: eps = blur^2, annealing by
 * scaling^2 from the diameter^2, reach = KL-relaxed marginals with rho = reach^2). Prints ONE JSON line:
 *   {"backend","adapter","n","m","blur","scaling","reach","debias","value","iterations",
 *    "marginalError","converged","ms"}
 * Exit codes: 0 ok, 1 runtime failure (no GPU adapter, GPU error), 2 bad arguments or a bad point
 * file (named A or B), 3 the divergence is not finite (nothing printed on stdout), 130 Ctrl-C.
 * The work n x m x (annealing levels + --max-iter) is bounded per backend before anything runs
 * (src/cli/limits.ts); runs past ~2 s show progress on stderr.
 */
import { acquireDevice } from '../gpu/device';
import { nodeGpu } from '../gpu/node';
import { pointsFromFile } from '../io/points';
import { createCpuSinkhorn } from '../ot/cpuSinkhorn';
import { createGpuSinkhorn } from '../ot/gpuSinkhorn';
import { choiceFlag, CliError, numberFlag, parseFlags, type FlagSpec } from './args';
import {
  cloudDiameter, epsilonSchedule, sinkhornDivergence, SinkhornOptionError, SINKHORN_DEFAULTS, type Measure, type SinkhornOptions, type SoftminBackend, type SoftminProblem,
} from '../ot/sinkhorn';
import { readInputFile } from './files';
import { boundedInt, boundedNumber, fmtInt, LIMITS_TEXT, MAX_SINKHORN_ITER, MAX_SINKHORN_PAIRS, sci } from './limits';
import { Progress } from './progress';

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
Exit codes: 0 ok, 1 runtime failure, 2 bad arguments or point file (named A or B), 3 non-finite value, 130 Ctrl-C.

${LIMITS_TEXT}`;

export interface SinkhornCliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY?: boolean;
  progress?: boolean;
  signal?: AbortSignal;
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
  const num = (name: string, check: (v: number) => boolean, what: string): number | undefined => boundedNumber(name, values.get(name), check, what, MAX_LENGTH, PREFIX);
  const backend = choiceFlag('backend', values.get('backend'), ['gpu', 'cpu'] as const, PREFIX) ?? 'gpu';
  const reach = values.get('reach') === 'none' ? null : num('reach', (v) => v > 0, 'a positive number or none') ?? null;
  const options: SinkhornOptions = {
    blur: num('blur', (v) => v > 0, 'a positive number') ?? 0.05,
    scaling: numberFlag('scaling', values.get('scaling'), (v) => v > 0 && v < 1, 'a number in (0, 1)', PREFIX) ?? SINKHORN_DEFAULTS.scaling,
    reach,
    debias: !flags.has('no-debias'),
    tol: num('tol', (v) => v >= 0, 'a number >= 0') ?? SINKHORN_DEFAULTS.tol,
    checkEvery: boundedInt('check-every', values.get('check-every'), 1, MAX_SINKHORN_ITER, PREFIX) ?? SINKHORN_DEFAULTS.checkEvery,
    maxIter: boundedInt('max-iter', values.get('max-iter'), 0, MAX_SINKHORN_ITER, PREFIX) ?? SINKHORN_DEFAULTS.maxIter,
  };
  return { files: [positionals[0] ?? '', positionals[1] ?? ''], backend, options };
}

/** Upper end of --blur, --reach and --tol (lengths in the clouds' units). */
const MAX_LENGTH = 1e6;

/** Point file A or B: a bad or unreadable file is a CliError naming it (exit 2). */
async function readPoints(file: string, label: 'A' | 'B'): Promise<Float64Array> {
  const bytes = await readInputFile(file, label, PREFIX);
  try {
    return Float64Array.from(pointsFromFile(file, bytes).data);
  } catch (e) {
    throw new CliError(`${label} ${file}: ${e instanceof Error ? e.message : String(e)}`, PREFIX);
  }
}

class Interrupted extends Error {}

function maxAbs(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  for (const v of b) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * The backend with its problems counted: every commit is one iteration (progress), every read-back
 * a point where Ctrl-C stops the loop.
 */
function watched(backend: SoftminBackend, progress: Progress, signal: AbortSignal | undefined): SoftminBackend {
  let iterations = 0;
  return {
    kind: backend.kind,
    description: backend.description,
    destroy: () => backend.destroy(),
    problem(a: Measure, b: Measure): SoftminProblem {
      const p = backend.problem(a, b);
      const check = (): void => {
        if (signal?.aborted) throw new Interrupted('interrupted');
      };
      return {
        n: p.n, m: p.m,
        setSchedule: (eps, rho, period, offset) => p.setSchedule(eps, rho, period, offset),
        softmin: (q, blend) => p.softmin(q, blend),
        commit: (tick) => {
          p.commit(tick);
          progress.update(++iterations);
        },
        reset: () => p.reset(),
        marginalError: async () => {
          const e = await p.marginalError();
          await new Promise<void>((resolve) => setImmediate(resolve));
          check();
          return e;
        },
        value: (debias) => p.value(debias),
        potentials: () => p.potentials(),
        destroy: () => p.destroy(),
      };
    },
  };
}

/** `wgf sinkhorn ...`; returns the exit code (never calls process.exit). */
export async function sinkhornCommand(argv: string[], io: SinkhornCliIo): Promise<number> {
  const args = parseSinkhornArgs(argv); // a CliError: main prints it (exit 2)
  if (args === 'help') {
    io.out(SINKHORN_USAGE);
    return 0;
  }
  const a = await readPoints(args.files[0], 'A'); // a CliError: exit 2, naming the file
  const b = await readPoints(args.files[1], 'B');
  // the work, worst case, before any device is opened
  const n = a.length / 2, m = b.length / 2;
  let levels: number;
  try {
    levels = epsilonSchedule(cloudDiameter(a, b), args.options.blur, args.options.scaling ?? SINKHORN_DEFAULTS.scaling).length;
  } catch (e) {
    if (e instanceof SinkhornOptionError) throw new CliError(e.message, PREFIX);
    if (e instanceof Interrupted) {
      io.err('wgf sinkhorn: interrupted (nothing printed)\n');
      return 130;
    }
    throw e;
  }
  const maxIter = args.options.maxIter ?? SINKHORN_DEFAULTS.maxIter;
  const iterations = levels + maxIter + 2;
  const pairs = n * m * (args.options.debias === false ? 2 : 4) * iterations;
  const cap = MAX_SINKHORN_PAIRS[args.backend];
  if (pairs > cap) {
    throw new CliError(
      `A (${fmtInt(n)} points) x B (${fmtInt(m)} points) x up to ${fmtInt(iterations)} iterations = ${sci(pairs)} pair evaluations, over the ${args.backend} backend's limit of ${sci(cap)}: fewer points, a smaller --max-iter${args.backend === 'cpu' ? ' or --backend gpu' : ''}`,
      PREFIX,
    );
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
    const progress = new Progress(io, 'wgf sinkhorn', iterations, 'iterations at most');
    let r;
    try {
      r = await sinkhornDivergence(watched(backend, progress, io.signal), { points: a }, { points: b }, args.options);
    } finally {
      progress.finish();
    }
    const ms = performance.now() - t0;
    const gpuError = await device?.popErrorScope();
    if (gpuError) throw new Error(`GPU validation error: ${gpuError.message.split('\n')[0] ?? ''}`);
    if (!Number.isFinite(r.value)) {
      io.err(`wgf sinkhorn: the ${args.options.debias === false ? 'OT_eps' : 'S_eps'} value is not finite (${String(r.value)}) after ${r.iterations} iterations; try a larger --blur (nothing printed)\n`);
      return 3;
    }
    if (!Number.isFinite(r.marginalError)) {
      // the potentials overflowed (coordinates near float32's limit): the value cannot be trusted
      io.err(`wgf sinkhorn: the marginal error is not finite (${String(r.marginalError)}) after ${r.iterations} iterations: the potentials overflowed (coordinates up to ${maxAbs(a, b).toExponential(2)}); rescale the clouds (nothing printed)\n`);
      return 3;
    }
    io.out(JSON.stringify({
      backend: backend.kind, adapter: backend.description, n: a.length / 2, m: b.length / 2,
      blur: args.options.blur, scaling: args.options.scaling, reach: args.options.reach ?? 'none', debias: args.options.debias ?? true,
      value: r.value, iterations: r.iterations, marginalError: r.marginalError, converged: r.converged, ms: Math.round(ms * 100) / 100,
    }) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof SinkhornOptionError) throw new CliError(e.message, PREFIX);
    if (e instanceof Interrupted) {
      io.err('wgf sinkhorn: interrupted (nothing printed)\n');
      return 130;
    }
    io.err(`wgf sinkhorn: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    backend.destroy();
    device?.destroy();
  }
}
