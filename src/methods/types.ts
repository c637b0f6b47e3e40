/**
 * A method is a registry entry: id, declarative params, and two steppers built from the same
 * mathematics: `createGpu` records WGSL kernels, `createCpu` calls their float64 twins.
 * Adding a method = its .wgsl + kernel class + twin + a file here + one line in registry.ts.
 */
import type { ParamSpec, Params } from '../core/params';
import type { About, PackedTarget } from '../targets/types';
import type { TargetShader } from '../core/packed';
import type { PackedLandscape } from '../reference/landscapes';

export interface MethodRun {
  n: number;
  stepSize: number;
  seed: number;
  /** Resolved (defaults filled, checked) method params. */
  params: Params;
  /** needs 'samples' only: the target cloud y (interleaved, 2m numbers), fixed for this run unless setCloud says otherwise. */
  cloud?: Float64Array;
  /** 'torus': positions live in [0,1)^2 and the method wraps them after each step. */
  domain: 'plane' | 'torus';
  /** needs 'landscape' only: the energy the method descends (src/targets/landscape.ts). */
  landscape?: PackedLandscape;
}

/**
 * GPU resources a simulation owns and lends to its method. A buffer only some methods use (MALA's
 * acceptance counters, the SVGD/GWG bandwidth state) is the method's own: its createGpu makes it, its
 * stepper's destroy() frees it, and a readout of it declares the region (GpuReadout.region).
 */
export interface GpuMethodContext {
  device: GPUDevice;
  /** Ping-pong particle buffers, array<vec2f> of n. */
  pos: [GPUBuffer, GPUBuffer];
  /** array<vec4f> of n: (score, logp, 0) scratch. */
  scores: GPUBuffer;
  /** array<u32>: clock[0] = step counter. */
  clock: GPUBuffer;
  /** needs 'samples' only: the target cloud, array<vec2f> with capacity >= m, uploaded by the simulation. */
  cloud?: { buffer: GPUBuffer; m: number };
  /**
   * The per-target WGSL of a formula target (PackedTarget.shader): every kernel of the stepper that
   * reads the target is built with it (TargetEval, LangevinStep). A target with another key needs a
   * new stepper; one with the same key (a parameter moved) only rewrites the target uniform.
   */
  targetShader?: TargetShader;
}

/**
 * Readouts: numbers a method reports about itself (MALA acceptance, the kernel bandwidth, an inner
 * solver's residual, ...), declared once on the MethodDef and shown, printed and plotted generically:
 * the status bar renders every declared readout that has a value (title = description), the CLI
 * spreads them into its result line, `ParticleStats.readouts` / `Metrics.readouts` carry them.
 * Adding one = a ReadoutSpec in `MethodDef.readouts` + the value from the GPU stepper (a buffer
 * region and its decode) and from the CPU stepper (`readouts(when)`); no UI, engine or CLI code.
 */
export type ReadoutWhen = 'stats' | 'metrics';

/** Values by readout key; a key left out has no value now (e.g. no proposals yet). */
export type Readouts = Record<string, number>;

export interface ReadoutSpec {
  /** camelCase JSON key, e.g. 'acceptance' (the result line's `final.acceptance`). */
  key: string;
  /** Short label shown before the value, e.g. 'accept'. */
  label: string;
  /** 'number' (default): 3 decimals, or exponent form for tiny/huge; 'percent': 100 v, 1 decimal, '%'; 'integer'. */
  format?: 'number' | 'percent' | 'integer';
  /** Shown after the value, e.g. 'ms'. */
  unit?: string;
  /** One line: what the number is (the tooltip). */
  description: string;
  /**
   * 'stats': read with every stats() call (cheap: a few bytes in the same read-back);
   * 'metrics': read with metrics() (after at least one step), e.g. a solver residual.
   */
  when: ReadoutWhen;
  /** Plot this readout against the step for every run that reports it (the plots draw declared readouts generically). */
  plot?: boolean;
  /** The plot's y axis (default 'linear'); 'log' drops non-positive values. */
  scale?: 'linear' | 'log';
}

/** GPU side of a stepper's readouts for one `when`: a small region of a GPU buffer and its decode. */
export interface GpuReadout {
  /** Where the values live now (may change, e.g. when the stepper re-creates its solver). Offset and bytes multiples of 4. */
  region(): { buffer: GPUBuffer; offset: number; bytes: number };
  /** Zero the region after each read (counts accumulated since the last read); the buffer needs COPY_DST. */
  resetOnRead?: boolean;
  /** The values from the region's bytes, by ReadoutSpec key. */
  decode(bytes: ArrayBuffer): Readouts;
}

export interface GpuStepper {
  /** Record one step reading pos[cur]; returns the index of the buffer holding the new positions. */
  encode(pass: GPUComputePassEncoder, cur: 0 | 1, target: GPUBindGroup): 0 | 1;
  setStepSize(h: number): void;
  /** needs 'samples': the simulation re-uploaded the cloud buffer in place (e.g. a dragged cloud); m may change. */
  setCloud?(m: number): void;
  /** The readouts this run reports (see MethodDef.readouts), by when they are read. */
  readonly readouts?: Partial<Record<ReadoutWhen, GpuReadout>>;
  /**
   * Asynchronous steppers (the landscape methods: each step reads back a few numbers, Lanczos's
   * tridiagonal and the line search's energies): one step from pos[cur] at clock `step`, resolving
   * with the index of the buffer that holds the new positions. When present, encode() is never
   * called: GpuSimulation.step() chains these steps and finish() awaits them.
   */
  stepAsync?(cur: 0 | 1, step: number): Promise<0 | 1>;
  /** Readouts the stepper already holds on the host (read back during its asynchronous steps). */
  hostReadouts?(when: ReadoutWhen): Readouts;
  /** The simulation overwrote the positions (setPositions): drop anything computed from the old ones. */
  positionsChanged?(): void;
  /** needs 'landscape': the energy's parameters changed in place (particles kept). */
  setLandscape?(L: PackedLandscape): void;
  destroy(): void;
}

export interface CpuStepper {
  /** One step from x (interleaved, 2n) at clock `step`; returns the new positions (may be x itself). */
  step(x: Float64Array, step: number, target: PackedTarget): Float64Array;
  setStepSize(h: number): void;
  /** needs 'samples': the target cloud changed (e.g. dragged). */
  setCloud?(cloud: Float64Array): void;
  /** The readouts of this run for `when` (see MethodDef.readouts), at the state after the last step. */
  readouts?(when: ReadoutWhen): Readouts | Promise<Readouts>;
  /** needs 'landscape': the energy's parameters changed in place (particles kept). */
  setLandscape?(L: PackedLandscape): void;
}

/**
 * A method's default step size. Score-based: h = perCurvature / L, L the curvature scale of -log pi
 * (src/engine/defaults.ts targetCurvature), at most `max`. Sample-based flows: `fixed` (their step moves a
 * fraction of the transport, whatever pi's scale).
 */
export interface StepSizeRule {
  perCurvature?: number;
  fixed?: number;
  /** Upper bound (default 0.1). */
  max?: number;
}

/** What a method sets when the run moves to a domain (see MethodDef.domainDefaults). */
export interface DomainDefaults {
  params?: Params;
  /** The default step size there (overrides the method's StepSizeRule). */
  stepSize?: number;
}

export interface MethodDef {
  id: string;
  label: string;
  description: string;
  /**
   * 'score' (default): needs grad log pi; 'samples': flows toward the target's sample cloud;
   * 'landscape': descends an energy landscape target (TargetInstance.landscape, issue 10).
   */
  needs?: 'score' | 'samples' | 'landscape';
  /** Domains the method supports (default ['plane']). */
  domains?: ('plane' | 'torus')[];
  params: ParamSpec[];
  /** What the About panel shows: the update equation in TeX, one line per parameter, the paper(s). */
  about?: About;
  /** What the method reports about itself (default none): see ReadoutSpec. */
  readouts?: ReadoutSpec[];
  /** Its default step size (src/engine/defaults.ts defaultStepSize); absent: DEFAULT_STEP_RULE (score-based, from the target's curvature). */
  defaultStep?: StepSizeRule;
  /**
   * Defaults that follow the domain, e.g. { torus: { params: { kernel: 'riesz' }, stepSize: 5e-4 } }: when the run
   * moves to a domain, a parameter still at the old domain's default takes the new one's (src/engine/defaults.ts followDefaults).
   */
  domainDefaults?: Partial<Record<'plane' | 'torus', DomainDefaults>>;
  /**
   * Defaults on one target (by registry id) where the method's general ones do not show it at its best,
   * measured (src/defaults.pairs.test.ts), e.g. SVGD on 25gaussians: a bandwidth below the mode spacing
   * and its step. A parameter here is what a run on that target gets when it does not set the parameter
   * (src/engine/config.ts resolveRun, src/engine/defaults.ts pairParam); the step size wins over the method's
   * StepSizeRule but not over a domain's.
   */
  targetDefaults?: Partial<Record<string, DomainDefaults>>;
  /**
   * How many all-pairs sweeps (a kernel sum over N x N, or N x M target samples) one step makes, from the
   * resolved parameters: the work estimate a run gets before it starts (src/engine/work.ts). Absent: O(N).
   */
  pairSweeps?: (params: Params) => number;
  /** When the UI must pick a method for a target (e.g. one known only by samples): the compatible one with the highest priority wins (default 0; ties: registry order). */
  priority?: number;
  /**
   * On the GPU backend, what of this method runs on the host instead (its float64 twin) with these
   * parameters, in a few words for the status bar and the CLI (e.g. 'inner solve on the host
   * (float64 twin)'); undefined or absent: every step in WGSL. The method's own declaration, read in
   * one place, src/engine/compat.ts runsOn() (the engine, the UI and the CLI ask it); the method's
   * createGpu builds its host stepper on the same answer (landscape methods: src/methods/landscapeMethod.ts).
   */
  hostNote?(params: Params): string | undefined;
  /** false: left out of `npm run bench` (default: every method is benchmarked). */
  bench?: boolean;
  /**
   * Checks that depend on several parameters or on the domain (each value alone is checked against
   * its ParamSpec); throws ParamError naming the parameter. Called when a run is resolved, so a bad
   * combination is refused before anything is created. `cloud`: needs 'samples' only, the target
   * cloud the run will flow toward (e.g. a schedule whose length depends on its diameter). `n`: the
   * particle count (e.g. a dense 2N x 2N eigendecomposition refused at large N).
   */
  check?(params: Params, domain: 'plane' | 'torus', cloud?: Float64Array, n?: number): void;
  createGpu(ctx: GpuMethodContext, run: MethodRun): GpuStepper;
  createCpu(run: MethodRun): CpuStepper;
}
