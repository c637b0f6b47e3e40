/** GPU kernel: ULA / MALA moves in d dimensions (shaders/nd/langevinNd.wgsl). Twin: src/nd/reference/langevinNd.ts. */
import { NdKernel } from './ndKernel';

const WG = 256;

export class LangevinNd extends NdKernel {
  constructor(device: GPUDevice) {
    super(device, 'langevinNd', ['uniform', 'storage', 'storage', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage'], { WG }, ['ula', 'propose', 'accept']);
  }
  configure(p: { n: number; d: number; h: number; seed: number; step: number }): void {
    this.setParams({ n: p.n, d: p.d, h: p.h, seed: p.seed >>> 0, step: p.step >>> 0 });
  }
  /** x, y: N x d; sx, sy: scores at x and y; lp: 2N (log pi(x), then log pi(y)); counters: 2 u32. */
  bindIO(x: GPUBuffer, y: GPUBuffer, sx: GPUBuffer, sy: GPUBuffer, lp: GPUBuffer, counters: GPUBuffer): GPUBindGroup {
    return this.bind([x, y, sx, sy, lp, counters]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, entry: 'ula' | 'propose' | 'accept', n: number, d: number): void {
    this.dispatch(pass, io, Math.ceil((entry === 'accept' ? n : n * d) / WG), entry);
  }
}
