/**
 * GPU kernel: one-workgroup weighted sum of the Sinkhorn loop into result[slot]
 * (shaders/sinkhornReduce.wgsl): mode 'value' = dual value terms, 'error' = marginal error.
 * Twin: src/reference/sinkhornReduce.ts.
 */
import { BlockKernel } from './paramBlocks';

export interface ReduceBlock {
  n: number;
  mode: 'value' | 'error';
  slot: number;
  /** null: balanced. */
  rho: number | null;
}

export class SinkhornReduce extends BlockKernel {
  constructor(device: GPUDevice) {
    super(device, {
      name: 'sinkhornReduce',
      bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage'],
    });
  }
  block(p: ReduceBlock, label: string): GPUBuffer {
    return this.paramBlock({
      n: p.n, mode: p.mode === 'value' ? 0 : 1, slot: p.slot,
      invRho: p.rho === null ? 0 : 1 / p.rho, rho: p.rho ?? 0,
    }, label);
  }
  bindIO(block: GPUBuffer, io: { sched: GPUBuffer; logw: GPUBuffer; u: GPUBuffer; v: GPUBuffer; result: GPUBuffer }, label: string): GPUBindGroup {
    return this.bindBlock(block, [io.sched, io.logw, io.u, io.v, io.result], label);
  }
  /** One workgroup, whatever n. */
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup): void {
    this.dispatch(pass, io, 1);
  }
}
