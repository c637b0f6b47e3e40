/**
 * A landscape method (src/methods/{wgd,wgdPerturbed,wNewton,wsfn,jko}.ts) as a registry MethodDef
 * (issue 10): needs 'landscape', its readouts declared (energy F, |g|, the smallest Ritz value,
 * the inner residual), a CPU stepper (the float64 twins) and a GPU stepper:
 *   - `gpu(run)` gives LandscapeGpuStepper options: the steps run in WGSL (landscapeGrad,
 *     landscapeHvp + GpuLanczos, lanczosVec axpy), asynchronously (GpuStepper.stepAsync: each step
 *     reads back Lanczos's 2k + 1 numbers and one energy per line-search trial);
 *   - `hostNote(params)` a reason (jko always, having no gpu(); w-newton / wsfn with solver 'dense'):
 *     the GPU backend runs the float64 twin on the host, keeping its float64 state and writing the
 *     positions to the simulation's buffers after each step. That declaration (MethodDef.hostNote)
 *     is the one source: createGpu picks the stepper by it, and src/engine/compat.ts runsOn()
 *     answers the engine, the status bar and the CLI from it.
 */
import type { CpuStepper, GpuMethodContext, GpuStepper, MethodDef, MethodRun, ReadoutSpec, ReadoutWhen, Readouts, StepSizeRule } from './types';
import { ParamError, type ParamSpec, type Params } from '../core/params';
import type { About } from '../targets/types';
import type { PackedLandscape } from '../reference/landscapes';
import { GpuResources, type Readback } from '../gpu/buffers';
import { LandscapeGpuStepper, type LandscapeGpuOptions } from '../landscapes/gpuStepper';
import type { LandscapeCpuStepper, LandscapeReadouts, LandscapeRun } from '../landscapes/stepper';
import { landscapePasses } from './landscapeCost';
import { hostTwinSpawn, InThreadHostTwin, WorkerHostTwin, type HostTwin } from './hostTwin';

/**
 * The key of the 'stats' readout (ParticleStats.readouts, snap.stats.readouts) that is 1 when the GPU
 * backend runs the method's float64 twin on the host (jko, solver 'dense'; runsOn 'host'); absent
 * otherwise. Not a declared ReadoutSpec (nothing to plot): the UI says "float64 twin on the host".
 */
export const HOST_TWIN_READOUT = 'hostTwin';

/** The readouts a landscape method may declare (key = the result line's `final.<key>`). */
export const LANDSCAPE_READOUTS = {
  energy: { key: 'energy', label: 'F', description: 'the energy F(rho_N) = (1/N) sum V(x_i) + (1/2N^2) sum W(x_i, x_j) after the last step', when: 'metrics', plot: true, scale: 'log' },
  gradNorm: { key: 'gradNorm', label: '|g|', description: 'the Wasserstein gradient norm sqrt((1/N) sum |g_i|^2) at the start of the last step', when: 'metrics', plot: true, scale: 'log' },
  minEig: { key: 'minEig', label: 'min eig', description: 'the smallest eigenvalue estimate of the particle Wasserstein Hessian H (smallest Lanczos Ritz value, or the dense eigenvalue) at the start of the last step', when: 'metrics', plot: true },
  innerResidual: { key: 'innerResidual', label: 'inner res', description: 'the inner solve\'s residual: jko, RMS of grad F + (y - x)/tau at the returned Y; w-newton/wsfn (Lanczos), the relative residual estimate of the matrix function', when: 'metrics', plot: true, scale: 'log' },
  stepScale: { key: 'stepScale', label: 'step t', description: 'the accepted fraction t of the (trust-scaled) step after backtracking (1: full step, 0: refused)', when: 'metrics' },
} as const satisfies Record<string, ReadoutSpec>;

export type LandscapeReadoutKey = keyof typeof LANDSCAPE_READOUTS;

/** What a landscape method file declares (src/methods/wgd.ts etc.). */
export interface LandscapeMethodSpec {
  id: string;
  label: string;
  description: string;
  params: ParamSpec[];
  /** The readouts this method reports, in display order. */
  readouts: LandscapeReadoutKey[];
  defaultStep: StepSizeRule;
  /** The About panel (update rule in TeX, a line per parameter, the papers). */
  about: About;
  /** MethodDef.priority: the method the UI picks first for a landscape target (wsfn). */
  priority?: number;
  createCpu(run: LandscapeRun): LandscapeCpuStepper;
  /** GPU stepper options (n, h and the buffers are added here); absent: the twin always runs on the host. */
  gpu?(run: LandscapeRun): Omit<LandscapeGpuOptions, 'n' | 'h' | 'pos'>;
  /**
   * When the GPU backend runs the float64 twin on the host instead of gpu(), the reason in a few words
   * (said by the status bar and the CLI through src/engine/compat.ts runsOn), from the parameters
   * with their defaults filled; undefined: gpu() runs. Without gpu() the twin always runs on the
   * host: the reason then defaults to 'steps on the host (float64 twin)'.
   */
  hostNote?(params: Params): string | undefined;
}

/** The host note of w-newton and wsfn: solver 'dense' (the exact 2N x 2N reference) has no WGSL stepper. */
export function denseSolverHostNote(params: Params): string | undefined {
  return params.solver === 'dense' ? 'solver=dense: the 2N x 2N eigendecomposition on the host (float64 twin)' : undefined;
}

/** MethodDef.hostNote of a landscape method (see LandscapeMethodSpec.hostNote). */
function landscapeHostNote(spec: LandscapeMethodSpec, params: Params): string | undefined {
  const note = spec.hostNote?.(withDefaults(spec.params, params));
  return spec.gpu ? note : note ?? 'steps on the host (float64 twin)';
}

/** The readouts' values by key (the declared ones that have a value). */
export function readoutValues(r: LandscapeReadouts, keys: readonly LandscapeReadoutKey[]): Readouts {
  const out: Readouts = {};
  for (const k of keys) {
    const v = r[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function landscapeRun(run: MethodRun): LandscapeRun {
  if (!run.landscape) throw new Error('a landscape method needs a landscape target (MethodRun.landscape)');
  return { n: run.n, stepSize: run.stepSize, seed: run.seed, params: run.params, landscape: run.landscape };
}

/** The CPU stepper: the twin; a new landscape rebuilds it at the current step size (particles kept). */
function cpuStepper(spec: LandscapeMethodSpec, base: LandscapeRun): CpuStepper & { inner(): LandscapeCpuStepper } {
  let run = base;
  let st = spec.createCpu(run);
  let stepped = false;
  return {
    inner: () => st,
    step(x, step) {
      stepped = true;
      return st.step(x, step);
    },
    setStepSize(h) {
      run = { ...run, stepSize: h };
      st.setStepSize(h);
    },
    setLandscape(L: PackedLandscape) {
      run = { ...run, landscape: L };
      st = spec.createCpu(run);
      stepped = false;
    },
    readouts: (when: ReadoutWhen) => (when === 'metrics' && stepped ? readoutValues(st.readouts(), spec.readouts) : {}),
  };
}

/** The WGSL stepper behind GpuStepper.stepAsync. */
class AsyncLandscapeStepper implements GpuStepper {
  private readonly s: LandscapeGpuStepper;
  private stepped = false;

  constructor(ctx: GpuMethodContext, run: LandscapeRun, opts: Omit<LandscapeGpuOptions, 'n' | 'h' | 'pos'>, private readonly keys: readonly LandscapeReadoutKey[]) {
    this.s = new LandscapeGpuStepper(ctx.device, run.landscape, { ...opts, n: run.n, h: run.stepSize, pos: ctx.pos });
  }
  encode(): 0 | 1 {
    throw new Error('a landscape stepper is asynchronous: GpuSimulation calls stepAsync');
  }
  async stepAsync(cur: 0 | 1, step: number): Promise<0 | 1> {
    this.s.setCurrent(cur);
    await this.s.step(step);
    this.stepped = true;
    return this.s.current;
  }
  hostReadouts(when: ReadoutWhen): Readouts {
    return when === 'metrics' && this.stepped ? readoutValues(this.s.readouts(), this.keys) : {};
  }
  positionsChanged(): void {
    this.s.invalidate();
  }
  setLandscape(L: PackedLandscape): void {
    this.s.setLandscape(L);
  }
  setStepSize(h: number): void {
    this.s.setStepSize(h);
  }
  destroy(): void {
    this.s.destroy();
  }
}

/**
 * The twin on the GPU backend, said as such (runsOn 'host', HOST_TWIN_READOUT): float64 state in the
 * twin (a Web Worker in the browser, src/methods/hostTwin.ts, so the page never blocks; this thread in
 * Node), the new positions written into pos[1 - cur] after each step; pos[cur] is read back (and
 * posted to the twin) only on the first step and after the simulation overwrote it (setPositions).
 * The GPU buffer stays the source of truth for drawing and metrics.
 */
class HostLandscapeStepper implements GpuStepper {
  private readonly res: GpuResources;
  private readonly staging: Readback;
  private twin: HostTwin;
  /** The GPU buffer holds positions the twin has not seen (first step, setPositions). */
  private stale = true;

  constructor(private readonly ctx: GpuMethodContext, private readonly spec: LandscapeMethodSpec, private run: LandscapeRun) {
    this.twin = this.createTwin();
    this.res = new GpuResources(ctx.device, 'HostLandscapeStepper');
    this.staging = this.res.readback('positions', 8 * run.n);
  }
  /** Off the main thread when a worker can be spawned and the landscape can be posted (a formula's V and W are host functions: this thread). */
  private createTwin(): HostTwin {
    const spawn = hostTwinSpawn();
    const run = this.run;
    if (spawn && !run.landscape.host) return new WorkerHostTwin(spawn, { method: this.spec.id, n: run.n, stepSize: run.stepSize, seed: run.seed, params: run.params, landscape: run.landscape });
    return new InThreadHostTwin(cpuStepper(this.spec, run));
  }
  /** Where the twin steps: 'worker' or 'main' (tests, the e2e). */
  get twinRunsIn(): 'worker' | 'main' {
    return this.twin.where;
  }
  encode(): 0 | 1 {
    throw new Error('a landscape stepper is asynchronous: GpuSimulation calls stepAsync');
  }
  async stepAsync(cur: 0 | 1, step: number): Promise<0 | 1> {
    const { device, pos } = this.ctx;
    let x: Float64Array | null = null;
    if (this.stale) {
      const enc = device.createCommandEncoder({ label: 'HostLandscapeStepper.read' });
      enc.copyBufferToBuffer(pos[cur], 0, this.staging.buffer, 0, this.staging.bytes);
      device.queue.submit([enc.finish()]);
      const data = await this.staging.read();
      if (!data) throw new Error('HostLandscapeStepper destroyed');
      x = Float64Array.from(new Float32Array(data));
      this.stale = false;
    }
    let next: Float64Array;
    try {
      next = await this.twin.step(x, step);
    } catch (e) {
      // the twin did not take this step: the next one posts the buffer again
      if (x) this.stale = true;
      throw e;
    }
    const to = (1 - cur) as 0 | 1;
    device.queue.writeBuffer(pos[to], 0, Float32Array.from(next));
    return to;
  }
  /** The twin's readouts; 'stats' also carries HOST_TWIN_READOUT = 1 (ParticleStats.readouts.hostTwin), for the UI to say so. */
  hostReadouts(when: ReadoutWhen): Readouts {
    if (when === 'stats') return { [HOST_TWIN_READOUT]: 1 };
    return this.twin.readouts();
  }
  positionsChanged(): void {
    this.stale = true;
  }
  setLandscape(L: PackedLandscape): void {
    this.run = { ...this.run, landscape: L };
    if (this.twin.where === 'worker' && L.host) {
      // a landscape with host functions cannot be posted: continue in this thread from the GPU buffer
      this.twin.destroy();
      this.twin = new InThreadHostTwin(cpuStepper(this.spec, this.run));
      this.stale = true;
      return;
    }
    this.twin.setLandscape(L);
  }
  setStepSize(h: number): void {
    this.run = { ...this.run, stepSize: h };
    this.twin.setStepSize(h);
  }
  destroy(): void {
    this.twin.destroy();
    this.res.destroy();
  }
}

/**
 * Largest N for solver 'dense': the Jacobi eigendecomposition of the 2N x 2N Hessian costs ~60 sweeps
 * of (2N)^3 per step: one wsfn step took 175 ms at N = 64 and 492 ms at N = 128 (measured, CPU twin);
 * by the (2N)^3 scaling N = 512 would take ~30 s a step.
 */
export const DENSE_MAX_N = 128;

/** The registry entry of a landscape method. */
export function landscapeMethod(spec: LandscapeMethodSpec): MethodDef {
  return {
    id: spec.id,
    label: spec.label,
    description: spec.description,
    needs: 'landscape',
    params: spec.params,
    about: spec.about,
    readouts: spec.readouts.map((k) => LANDSCAPE_READOUTS[k]),
    defaultStep: spec.defaultStep,
    // benchmarked by the 'newton' suite (src/bench/newtonBench.ts), not by 'steps' (it runs densities)
    bench: false,
    hostNote: (params) => landscapeHostNote(spec, params),
    // the step's passes of N^2 pair evaluations (gradient, k Hessian-vector products, line search; jko times
    // its inner iterations), the count src/engine/work.ts estimates a step with (src/methods/landscapeCost.ts)
    pairSweeps: (params) => landscapePasses({ id: spec.id, params: spec.params, hostNote: (p) => landscapeHostNote(spec, p) }, params),
    ...(spec.priority !== undefined ? { priority: spec.priority } : {}),
    check(params, _domain, _cloud, n) {
      if (params.solver === 'dense' && n !== undefined && n > DENSE_MAX_N) {
        throw new ParamError('solver', `solver 'dense' (the full 2N x 2N eigendecomposition, the exact reference) is for N <= ${DENSE_MAX_N}; use 'lanczos' for N = ${n}`);
      }
    },
    createCpu: (run) => cpuStepper(spec, landscapeRun(run)),
    createGpu(ctx, run) {
      const lr = landscapeRun(run);
      // the declaration compat.ts runsOn() reads: a host note means the twin on the host
      const onHost = landscapeHostNote(spec, run.params) !== undefined;
      return spec.gpu && !onHost ? new AsyncLandscapeStepper(ctx, lr, spec.gpu(lr), spec.readouts) : new HostLandscapeStepper(ctx, spec, lr);
    },
  };
}

/** Resolved params with the ParamSpec defaults filled (the registry resolves them; tests may not). */
export function withDefaults(specs: readonly ParamSpec[], params: Params): Params {
  const out: Params = { ...params };
  for (const s of specs) out[s.name] ??= s.default;
  return out;
}
