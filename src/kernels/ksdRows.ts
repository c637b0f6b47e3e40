/** GPU kernel: IMQ Stein-kernel row sums for the KSD (shaders/ksdRows.wgsl). Twin: src/reference/ksdRows.ts. */
import { Kernel, groups } from './kernel';

export class KsdRows extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'ksdRows', bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'] });
  }
  configure(m: number): void {
    this.setParams({ m });
  }
  bindIO(pos: GPUBuffer, scores: GPUBuffer, rows: GPUBuffer): GPUBindGroup {
    return this.bind([pos, scores, rows]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, m: number): void {
    this.dispatch(pass, io, groups(m));
  }
}
