/**
 * GPU kernel: barycentric projection of the entropic plan fused with an axpy
 * (shaders/sinkhornBarycenter.wgsl): out_i = alpha x_i + beta T(x_i) + gamma addend_i,
 * T(x_i) = sum_j P_ij y_j / sum_j P_ij. Twin: src/reference/sinkhornBarycenter.ts.
 */
import { BlockKernel } from './paramBlocks';

export interface BarycenterBlock {
  n: number;
  m: number;
  alpha: number;
  beta: number;
  gamma: number;
}

export class SinkhornBarycenter extends BlockKernel {
  constructor(device: GPUDevice) {
    super(device, {
      name: 'sinkhornBarycenter',
      bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage'],
    });
  }
  block(p: BarycenterBlock, label: string): GPUBuffer {
    return this.paramBlock({ ...p }, label);
  }
  /** out (array<vec2f>) must not alias x, y or addend. */
  bindIO(block: GPUBuffer, io: { sched: GPUBuffer; x: GPUBuffer; y: GPUBuffer; logw: GPUBuffer; pot: GPUBuffer; addend: GPUBuffer; out: GPUBuffer }, label: string): GPUBindGroup {
    return this.bindBlock(block, [io.sched, io.x, io.y, io.logw, io.pot, io.addend, io.out], label);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n));
  }
}
