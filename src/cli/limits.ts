/**
 * The stated ranges of every numeric `wgf` flag and the work bounds (issue 21 items 4 and 5): each
 * flag is checked against its range before anything is allocated or read, so `--n 1e308` or
 * `--steps 9007199254740993` is one line naming the flag (exit 2), never "Invalid typed array
 * length" or a run that never ends. The numbers are printed by `wgf --help` (LIMITS_TEXT).
 */
import { CPU_MAX_PARTICLES } from '../engine/backend';
import { CliError, integerFlag, numberFlag } from './args';

/** Largest particle count of the GPU backend (65,535 workgroups of 256; src/gpu/device.ts maxParticlesFor). */
export const GPU_MAX_PARTICLES = 65_535 * 256;
export { CPU_MAX_PARTICLES };
/** `wgf run --steps` and `wgf train --steps`. */
export const MAX_RUN_STEPS = 10_000_000;
export const MAX_TRAIN_STEPS = 1_000_000;
/** `--step-size` upper end (a step this large only diverges; the stable defaults are <= 0.1). */
export const MAX_STEP_SIZE = 1e6;
/** Float32 values `wgf run --out` may hold in memory: frames x n x 2 <= 2^28 (1 GiB). */
export const MAX_FRAME_VALUES = 2 ** 28;
/** Particle-steps n x steps of one `wgf run` (a run this long would take days). */
export const MAX_PARTICLE_STEPS = { gpu: 1e13, cpu: 1e11 } as const;
/** Input files (--init, --target-file, sinkhorn A B, --model): regular files up to this size. */
export const MAX_INPUT_BYTES = 1024 ** 3;
/** `wgf sinkhorn`: pair evaluations n x m x (4 debiased, 2 not) x (annealing levels + --max-iter), worst case. */
export const MAX_SINKHORN_PAIRS = { gpu: 1e14, cpu: 1e11 } as const;
export const MAX_SINKHORN_ITER = 1_000_000;
/** `wgf sample --n`. */
export const MAX_SAMPLES = 1 << 24;
/** `wgf train --param`: batch sizes and inner counts; and the work estimate of a training run. */
export const MAX_TRAIN_BATCH = 16_384;
export const MAX_TRAIN_COUNT = 1000;
export const MAX_TRAIN_WORK = 1e13;
export const MAX_SEED = 0xffffffff;

/** The bounds, as `wgf --help` and `wgf list` state them. */
export const LIMITS_TEXT = `Limits (checked before anything runs; exit 2 naming the flag):
  run     --n 1..${GPU_MAX_PARTICLES.toLocaleString('en-US')} (gpu), 1..${CPU_MAX_PARTICLES.toLocaleString('en-US')} (cpu); --steps 0..${MAX_RUN_STEPS.toLocaleString('en-US')};
          --every 1..steps; --seed 0..2^32-1; --step-size (0, ${MAX_STEP_SIZE.toExponential(0)}]; --target-samples 1..max n;
          n x steps <= ${MAX_PARTICLE_STEPS.gpu.toExponential(0)} (gpu), ${MAX_PARTICLE_STEPS.cpu.toExponential(0)} (cpu); with --out frames x n <= ${(MAX_FRAME_VALUES / 2).toLocaleString('en-US')};
          --param counts (step 1 in wgf list: iterations, inner, k, m, ...) must be integers
  files   --init, --target-file, sinkhorn A B, --model: regular files of at most ${MAX_INPUT_BYTES / 1024 ** 3} GiB;
          point coordinates finite and within float32's range (|v| <= 3.4e38)
  sinkhorn --max-iter 0..${MAX_SINKHORN_ITER.toLocaleString('en-US')}, --check-every 1..${MAX_SINKHORN_ITER.toLocaleString('en-US')}; n x m x (4 debiased, 2 not) x (levels + max-iter)
          <= ${MAX_SINKHORN_PAIRS.gpu.toExponential(0)} pair evaluations (gpu), ${MAX_SINKHORN_PAIRS.cpu.toExponential(0)} (cpu)
  train   --steps 1..${MAX_TRAIN_STEPS.toLocaleString('en-US')}; --param batch, batchEnd <= ${MAX_TRAIN_BATCH.toLocaleString('en-US')}; iterations, critic, fit, anneal <= ${MAX_TRAIN_COUNT};
          steps x batch x (batch x iterations + hidden^2 x layers) <= ${MAX_TRAIN_WORK.toExponential(0)}
  sample  --n 1..${MAX_SAMPLES.toLocaleString('en-US')}
Runs longer than ~2 s show progress on stderr (a bar on a terminal, a line per 10% otherwise);
Ctrl-C stops a run cleanly: wgf run writes the frames so far, wgf train the model so far (exit 130).
`;

/** Large numbers with thousands separators ("16,776,960"), small ones plain. */
export function fmtInt(v: number): string {
  return v.toLocaleString('en-US');
}

/**
 * An integer flag in [min, max] (undefined when absent). Below min or not an integer: the old
 * message "--NAME must be an integer >= MIN, got 'RAW'"; above max (1e308, 2^53 + 1): "--NAME must
 * be at most MAX<why>, got 'RAW'".
 */
export function boundedInt(name: string, raw: string | undefined, min: number, max: number, prefix = 'wgf', why = ''): number | undefined {
  const v = integerFlag(name, raw, min, prefix);
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v > max) throw new CliError(`--${name} must be at most ${fmtInt(max)}${why}, got '${raw ?? ''}'`, prefix);
  return v;
}

/** A finite number flag passing `check` and at most `max` (undefined when absent). */
export function boundedNumber(name: string, raw: string | undefined, check: (v: number) => boolean, what: string, max: number, prefix = 'wgf'): number | undefined {
  const v = numberFlag(name, raw, check, what, prefix);
  if (v === undefined) return undefined;
  if (v > max) throw new CliError(`--${name} must be at most ${String(max)}, got '${raw ?? ''}'`, prefix);
  return v;
}

/** "1.2e+12" -> "1.2e12" for messages. */
export function sci(v: number): string {
  return v.toExponential(1).replace('e+', 'e');
}
