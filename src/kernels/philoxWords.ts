/** GPU kernel: raw Philox words + normals (shaders/philoxWords.wgsl). Twin: src/reference/philoxWords.ts. */
import { Kernel } from './kernel';

export class PhiloxWords extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'philoxWords', bindings: ['uniform', 'storage', 'storage'] });
  }
  configure(p: { n: number; c1: number; c2: number; seed: number }): void {
    this.setParams(p);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n));
  }
}
