/**
 * GPU kernel: one tiled log-domain Sinkhorn half-update (shaders/sinkhornSoftmin.wgsl):
 *   out_i = blend old_i + (1 - blend) lambda_k softmin_{eps_k}(C(x_i, .), log w + p / eps_k)
 * eps_k, lambda_k read on the GPU from the schedule buffer (see SINKHORN_SCHEDULE_*).
 * Twin: src/reference/sinkhornSoftmin.ts.
 */
import { BlockKernel } from './paramBlocks';

/** Schedule buffer layout shared by the three Sinkhorn kernels (shaders/common/schedule.wgsl): header (iter, last, period, offset) u32 then vec4f steps. */
export const SINKHORN_SCHEDULE_HEADER_BYTES = 16;
export const SINKHORN_SCHEDULE_STEP_BYTES = 16;

export interface SoftminBlock {
  n: number;
  m: number;
  blend: number;
  raw: boolean;
}

export class SinkhornSoftmin extends BlockKernel {
  constructor(device: GPUDevice) {
    super(device, {
      name: 'sinkhornSoftmin',
      bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage'],
    });
  }
  block(p: SoftminBlock, label: string): GPUBuffer {
    return this.paramBlock({ n: p.n, m: p.m, blend: p.blend, raw: p.raw ? 1 : 0 }, label);
  }
  /** out must not alias any other binding; pot and old may be the same buffer (aa / bb updates). */
  bindIO(block: GPUBuffer, io: { sched: GPUBuffer; x: GPUBuffer; y: GPUBuffer; logw: GPUBuffer; pot: GPUBuffer; old: GPUBuffer; out: GPUBuffer }, label: string): GPUBindGroup {
    return this.bindBlock(block, [io.sched, io.x, io.y, io.logw, io.pot, io.old, io.out], label);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n));
  }
}
