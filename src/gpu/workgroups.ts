/**
 * Workgroup sizes, one place. Every tunable compute kernel declares `override WG: u32 = <default>u;`
 * and `@workgroup_size(WG)` (shared-memory tiles sized by the same WG); its kernel class (src/kernels/
 * kernel.ts) reads the size here when it builds its pipelines, passes it as the pipeline constant WG
 * and sizes its dispatches with it (`Kernel.groups`). So a size set here must be set BEFORE the
 * kernels (simulations, metrics) are created: a pipeline keeps the size it was built with.
 *
 * Defaults are what each kernel used before (256 everywhere). The benchmark (issue 11) picks
 * sizes per adapter with `setWorkgroupSizes`. Sizes must be powers of two (the tree reductions of
 * particleStats, gwgAdapt and medianBandwidth halve WG) and fit the device's
 * maxComputeInvocationsPerWorkgroup (checked when a kernel is built).
 *
 * Not listed: clockTick (one invocation by design), and kernels whose classes still size dispatches
 * with the fixed `groups()` of kernel.ts (mmdRows, distRows, ksdRows); their WGSL keeps
 * its default of 256 = kernel.ts WG until they adopt this module (src/gpu/workgroups.test.ts checks it).
 */
import type { KernelName } from './shaders';

export const DEFAULT_WORKGROUP_SIZES = {
  targetEval: 256,
  langevinStep: 256,
  svgdStep: 256,
  medianBandwidth: 256,
  particleStats: 256,
  philoxWords: 256,
  torusDft: 256,
  torusSynth: 256,
  pmDeposit: 256,
  fft: 256,
  pmMultiply: 256,
  pmInterp: 256,
  gwgStep: 256,
  gwgAdapt: 256,
  mmdFlowStep: 256,
  sinkhornSoftmin: 256,
  sinkhornBarycenter: 256,
  sinkhornReduce: 256,
} as const satisfies Partial<Record<KernelName, number>>;

export type TunedKernel = keyof typeof DEFAULT_WORKGROUP_SIZES;
export type WorkgroupSizes = Record<TunedKernel, number>;

const current: WorkgroupSizes = { ...DEFAULT_WORKGROUP_SIZES };

export function isTuned(name: string): name is TunedKernel {
  return Object.hasOwn(DEFAULT_WORKGROUP_SIZES, name);
}

/**
 * The size `name`'s pipelines are built with now (undefined: not tunable, the WGSL's own size; so
 * for a kernel with its own source, src/gpu/shaders.ts KernelSource, which is never listed here).
 */
export function workgroupSize(name: string): number | undefined {
  return isTuned(name) ? current[name] : undefined;
}

/** A copy of every tunable kernel's current size. */
export function workgroupSizes(): WorkgroupSizes {
  return { ...current };
}

export function checkWorkgroupSize(name: string, size: number): void {
  if (!(Number.isInteger(size) && size >= 1 && size <= 1024 && (size & (size - 1)) === 0)) {
    throw new Error(`workgroup size for ${name} must be a power of two in 1..1024, got ${size}`);
  }
}

/**
 * Override some sizes (e.g. per adapter, from a benchmark); kernels created afterwards use them.
 * Throws without changing anything when a name is unknown or a size is not a power of two.
 */
export function setWorkgroupSizes(sizes: Partial<Record<string, number>>): void {
  const next: Partial<WorkgroupSizes> = {};
  for (const [name, size] of Object.entries(sizes)) {
    if (size === undefined) continue;
    if (!Object.hasOwn(DEFAULT_WORKGROUP_SIZES, name)) throw new Error(`unknown tunable kernel '${name}' (known: ${Object.keys(DEFAULT_WORKGROUP_SIZES).join(', ')})`);
    checkWorkgroupSize(name, size);
    next[name as TunedKernel] = size;
  }
  Object.assign(current, next);
}

/** Back to the defaults. */
export function resetWorkgroupSizes(): void {
  Object.assign(current, DEFAULT_WORKGROUP_SIZES);
}

/** Run `fn` with some sizes set, restoring the previous ones afterwards (tests, benchmarks). */
export async function withWorkgroupSizes<T>(sizes: Partial<Record<TunedKernel, number>>, fn: () => Promise<T> | T): Promise<T> {
  const saved = workgroupSizes();
  setWorkgroupSizes(sizes);
  try {
    return await fn();
  } finally {
    Object.assign(current, saved);
  }
}

/** The smallest size among the kernels that dispatch one invocation per particle (bounds N by the dispatch limit). */
export function minParticleWorkgroup(): number {
  return Math.min(current.targetEval, current.langevinStep, current.svgdStep, current.particleStats, current.torusSynth,
    current.pmDeposit, current.pmInterp, current.gwgStep, current.mmdFlowStep, current.sinkhornSoftmin, current.sinkhornBarycenter);
}
