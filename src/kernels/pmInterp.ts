/** GPU kernel: cloud-in-cell interpolation of the grid velocity and the wrapped step (shaders/pmInterp.wgsl). Twin: src/reference/pmInterp.ts. */
import { Kernel } from './kernel';

export class PmInterp extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'pmInterp', bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'] });
  }
  configure(p: { n: number; g: number; h: number }): void {
    this.setParams({ n: p.n, g: p.g, h: p.h });
  }
  bindIO(posIn: GPUBuffer, field: GPUBuffer, posOut: GPUBuffer): GPUBindGroup {
    return this.bind([posIn, field, posOut]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n));
  }
}
