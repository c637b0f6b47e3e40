/**
 * A method is a registry entry: id, declarative params, and two steppers built from the same
 * mathematics: `createGpu` records WGSL kernels, `createCpu` calls their float64 twins.
 * Adding a method = its .wgsl + kernel class + twin + a file here + one line in registry.ts.
 */
import type { ParamSpec, Params } from '../params';
import type { PackedTarget } from '../targets/types';

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
}

/** GPU resources a simulation owns and lends to its method. */
export interface GpuMethodContext {
  device: GPUDevice;
  /** Ping-pong particle buffers, array<vec2f> of n. */
  pos: [GPUBuffer, GPUBuffer];
  /** array<vec4f> of n: (score, logp, 0) scratch. */
  scores: GPUBuffer;
  /** array<u32>: clock[0] = step counter. */
  clock: GPUBuffer;
  /** array<atomic<u32>, 2>: accepted, proposed. */
  counters: GPUBuffer;
  /** array<f32, 4>: [sigma^2, med^2, ...] kernel bandwidth state. */
  bw: GPUBuffer;
  /** needs 'samples' only: the target cloud, array<vec2f> with capacity >= m, uploaded by the simulation. */
  cloud?: { buffer: GPUBuffer; m: number };
}

/** What a stepper can say about its own inner solve, read at metrics time (not per step). */
export interface StepperDiagnostics {
  /** sinkhorn-flow: the (particles, target) plan's marginal error after the last step's iterations. */
  marginalError?: number;
}

/** GPU side: the stepper keeps its diagnostics in a GPU buffer; metrics() copies and decodes them. */
export interface GpuDiagnostics {
  /** Bytes to copy (a multiple of 4). */
  readonly bytes: number;
  /** Record the copy of the diagnostics into dst at offset. */
  copy(enc: GPUCommandEncoder, dst: GPUBuffer, offset: number): void;
  decode(data: Float32Array): StepperDiagnostics;
}

export interface GpuStepper {
  /** Record one step reading pos[cur]; returns the index of the buffer holding the new positions. */
  encode(pass: GPUComputePassEncoder, cur: 0 | 1, target: GPUBindGroup): 0 | 1;
  setStepSize(h: number): void;
  /** True when the counters buffer holds MALA acceptances. */
  readonly reportsAcceptance: boolean;
  /** True when bw[0] holds the current sigma^2. */
  readonly reportsBandwidth: boolean;
  /** needs 'samples': the simulation re-uploaded the cloud buffer in place (e.g. a dragged cloud); m may change. */
  setCloud?(m: number): void;
  /** Optional diagnostics of the method's inner solve (computed on the GPU in the step, read at metrics time). */
  readonly diagnostics?: GpuDiagnostics;
  destroy(): void;
}

export interface CpuStepper {
  /** One step from x (interleaved, 2n) at clock `step`; returns the new positions (may be x itself). */
  step(x: Float64Array, step: number, target: PackedTarget): Float64Array;
  setStepSize(h: number): void;
  /** Accepted / proposed since the last take (MALA). */
  takeAcceptance?(): { accepted: number; proposed: number };
  /** Current sigma (SVGD). */
  bandwidth?(): number;
  /** needs 'samples': the target cloud changed (e.g. dragged). */
  setCloud?(cloud: Float64Array): void;
  /** Optional diagnostics of the method's inner solve, at the state after the last step. */
  diagnostics?(): Promise<StepperDiagnostics>;
}

export interface MethodDef {
  id: string;
  label: string;
  description: string;
  /** 'score' (default): needs grad log pi; 'samples': flows toward the target's sample cloud. */
  needs?: 'score' | 'samples';
  /** Domains the method supports (default ['plane']). */
  domains?: ('plane' | 'torus')[];
  params: ParamSpec[];
  /**
   * Checks that depend on several parameters or on the domain (each value alone is checked against
   * its ParamSpec); throws ParamError naming the parameter. Called when a run is resolved, so a bad
   * combination is refused before anything is created.
   */
  check?(params: Params, domain: 'plane' | 'torus'): void;
  createGpu(ctx: GpuMethodContext, run: MethodRun): GpuStepper;
  createCpu(run: MethodRun): CpuStepper;
}
