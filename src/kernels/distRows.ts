/** GPU kernel: distance row sums for the energy distance (shaders/distRows.wgsl). Twin: src/reference/distRows.ts. */
import { Kernel, groups } from './kernel';

export class DistRows extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'distRows', bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'] });
  }
  configure(na: number, nb: number): void {
    this.setParams({ na, nb });
  }
  bindIO(a: GPUBuffer, b: GPUBuffer, rows: GPUBuffer): GPUBindGroup {
    return this.bind([a, b, rows]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, na: number): void {
    this.dispatch(pass, io, groups(na));
  }
}
