/**
 * Lanczos on the GPU: k steps with full (CGS2) reorthogonalisation over landscapeHvp and the
 * lanczosVec kernels, all recorded into one compute pass with the scalars kept on the GPU
 * (LanczosState); only alpha, beta and |b| (2k + 1 floats) are read back. The k x k tridiagonal
 * eigenproblem is solved on the CPU (src/reference/lanczos.ts ritz: k <= 256 numbers, dense
 * Jacobi in float64 costs less than a launch), which uploads the coefficients y of f(H) b ~ Q y
 * for `combine`. Twin: src/reference/lanczos.ts (same steps, float64).
 */
import type { TargetShader } from '../core/packed';
import { GpuResources } from '../gpu/buffers';
import { LANCZOS_BREAKDOWN_F32 } from '../reference/lanczos';
import { LandscapeHvp } from './landscapeHvp';
import { LanczosVec, lanczosStateLayout } from './lanczosVec';

/** Read at construction: GPUBufferUsage exists only once WebGPU's globals are installed. */
const storageUsage = (): number => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;

export class GpuLanczos {
  readonly res: GpuResources;
  readonly state: GPUBuffer;
  /** The basis, (kmax + 1) vectors of n vec2f. */
  readonly q: GPUBuffer;
  readonly w: GPUBuffer;
  readonly layout = lanczosStateLayout();
  readonly hvp: LandscapeHvp;
  readonly vec: LanczosVec;
  private readonly readback;

  /** `landscape`: a formula landscape's WGSL (PackedLandscape.shader) for the Hessian-vector products. */
  constructor(readonly device: GPUDevice, readonly n: number, readonly kmax: number, landscape?: TargetShader) {
    if (kmax > this.layout.kmax) throw new Error(`GpuLanczos: k = ${kmax} exceeds LANCZOS_KMAX = ${this.layout.kmax}`);
    this.res = new GpuResources(device, 'GpuLanczos');
    this.state = this.res.buffer('state', this.layout.bytes, storageUsage());
    this.q = this.res.buffer('q', (kmax + 1) * n * 8, storageUsage());
    this.w = this.res.buffer('w', n * 8, storageUsage());
    this.hvp = this.res.track(new LandscapeHvp(device, landscape));
    this.vec = this.res.track(new LanczosVec(device));
    this.hvp.configure(n);
    this.readback = this.res.readback('state.readback', this.layout.bytes);
  }

  /** Bind groups for one (landscape, positions, b, out) set: out receives combine's Q y. */
  bindIO(land: GPUBuffer, pos: GPUBuffer, b: GPUBuffer, out: GPUBuffer): { hvp: GPUBindGroup; vec: GPUBindGroup } {
    return { hvp: this.hvp.bindIO(land, pos, this.q, this.state, this.w), vec: this.vec.bindIO(this.state, this.q, this.w, b, b, out) };
  }

  /** Set the uniform (n, breakdown tolerance, combine's count) before the submit that uses it. */
  configure(count = 0, tol = LANCZOS_BREAKDOWN_F32): void {
    this.vec.configure({ n: this.n, count, tol });
  }

  /** Record k Lanczos steps from b. */
  encode(pass: GPUComputePassEncoder, io: { hvp: GPUBindGroup; vec: GPUBindGroup }, k: number): void {
    if (k > this.kmax) throw new Error(`GpuLanczos: k = ${k} > kmax = ${this.kmax}`);
    const { vec, hvp, n } = this;
    const g = this.vec.groups(n);
    vec.run(pass, io.vec, 'start', 1);
    for (let j = 0; j < k; j++) {
      hvp.encode(pass, io.hvp, n);
      vec.run(pass, io.vec, 'hnorm', 1);
      for (let twice = 0; twice < 2; twice++) {
        vec.run(pass, io.vec, 'dots', j + 1);
        vec.run(pass, io.vec, 'subtract', g);
      }
      vec.run(pass, io.vec, 'finish', 1);
    }
  }

  /** Record the copy of the state for readAlphaBeta. */
  copyState(enc: GPUCommandEncoder): void {
    enc.copyBufferToBuffer(this.state, 0, this.readback.buffer, 0, this.layout.bytes);
  }

  /** alpha, beta (k each) and |b| after a submitted copyState; undefined once destroyed. */
  async readAlphaBeta(k: number): Promise<{ alpha: Float64Array; beta: Float64Array; norm: number } | undefined> {
    const buf = await this.readback.read();
    if (!buf) return undefined;
    const f = new Float32Array(buf);
    const { alpha, beta, norm0 } = this.layout;
    return {
      alpha: Float64Array.from(f.subarray(alpha / 4, alpha / 4 + k)),
      beta: Float64Array.from(f.subarray(beta / 4, beta / 4 + k)),
      norm: f[norm0 / 4] ?? NaN,
    };
  }

  /** Upload y (queue write, before the submit that records combine) and set count = y.length. */
  setCoefficients(y: ArrayLike<number>): void {
    this.device.queue.writeBuffer(this.state, this.layout.coef, Float32Array.from(y));
    this.configure(y.length);
  }

  /** Record out = sum_m y_m q_m (after setCoefficients). */
  encodeCombine(pass: GPUComputePassEncoder, io: { vec: GPUBindGroup }): void {
    this.vec.run(pass, io.vec, 'combine', this.vec.groups(this.n));
  }

  destroy(): void {
    this.res.destroy();
  }
}
