/**
 * GPU backend of the torus L2 metric (src/reference/torusL2.ts): torusDft computes the particles'
 * modes rhohat_N(xi), |xi|_inf <= K, on the GPU (O(N K^2)); the (2K+1)^2 modes (32 bytes each) are
 * read back and `fromModes` finishes D against the target's pihat on the CPU.
 * Usage: encode(pass) inside a frame, copy `coef` (coefBytes) to a staging buffer, fromModes(bytes, target);
 * or `measure(target)` which submits and reads back itself.
 */
import { l2FromModes, targetModes, TORUS_L2_DEFAULTS, type TorusL2Options } from '../reference/torusL2';
import { TorusDft } from './torusDft';

export class TorusL2Metric {
  readonly coef: GPUBuffer;
  readonly coefBytes: number;
  private readonly dft: TorusDft;
  /** One bind group per position buffer (a simulation's ping-pong pair). */
  private readonly io: GPUBindGroup[];
  private readonly dummyScores: GPUBuffer;
  readonly modes: number;
  readonly sigma: number;
  private readonly quadrature: number;

  /** x: array<vec2f> whose first n particles are measured (or several such buffers, chosen at encode). */
  constructor(private readonly device: GPUDevice, x: GPUBuffer | readonly GPUBuffer[], n: number, opts: TorusL2Options = {}) {
    this.modes = opts.modes ?? TORUS_L2_DEFAULTS.modes;
    this.sigma = opts.sigma ?? TORUS_L2_DEFAULTS.sigma;
    this.quadrature = opts.quadrature ?? TORUS_L2_DEFAULTS.quadrature;
    this.dft = new TorusDft(device);
    this.dft.configure({ n, modes: this.modes, withScores: false });
    this.coefBytes = TorusDft.coefBytes(this.modes);
    this.coef = device.createBuffer({ label: 'TorusL2Metric.coef', size: this.coefBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    this.dummyScores = device.createBuffer({ label: 'TorusL2Metric.noScores', size: 16, usage: GPUBufferUsage.STORAGE });
    this.io = (Array.isArray(x) ? x : [x]).map((b: GPUBuffer) => this.dft.bindIO(b, this.dummyScores, this.coef));
  }

  /** which: index of the position buffer given at construction. */
  encode(pass: GPUComputePassEncoder, which = 0): void {
    const io = this.io[which];
    if (!io) throw new Error(`TorusL2Metric: no position buffer ${which}`);
    this.dft.encode(pass, io);
  }

  /** D from the read-back coef bytes (f32, torusDft layout). */
  fromModes(bytes: ArrayBuffer, target: { logDensity(x: number, y: number): number }): number {
    return l2FromModes(new Float32Array(bytes), targetModes(target, this.modes, this.quadrature), this.modes, this.sigma);
  }

  /** Encode, submit, read back, finish (own staging buffer; for tests, benches, CLI). */
  async measure(target: { logDensity(x: number, y: number): number }): Promise<number> {
    const staging = this.device.createBuffer({ label: 'TorusL2Metric.staging', size: this.coefBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = this.device.createCommandEncoder({ label: 'TorusL2Metric.measure' });
    const pass = enc.beginComputePass();
    this.encode(pass);
    pass.end();
    enc.copyBufferToBuffer(this.coef, 0, staging, 0, this.coefBytes);
    this.device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const bytes = staging.getMappedRange().slice(0);
    staging.unmap();
    staging.destroy();
    return this.fromModes(bytes, target);
  }

  destroy(): void {
    this.dft.destroy();
    this.coef.destroy();
    this.dummyScores.destroy();
  }
}
