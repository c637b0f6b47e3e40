/**
 * GPU kernel: one tiled MMD-flow step, posIn -> posOut (shaders/mmdFlowStep.wgsl), towards the
 * target cloud y (array<vec2f>, m points):
 *   x_i <- x_i + h [ (1/N) sum_j w(|x_i - x_j|^2)(x_i - x_j) - (1/M) sum_m w(|x_i - y_m|^2)(x_i - y_m) ]
 * Twin: src/reference/mmdFlowStep.ts (kernels gaussian | imq | energy, bw2 = sigma^2 or c^2).
 */
import { MMD_KERNEL_CODE, type MmdKernel } from '../reference/mmdFlowStep';
import { Kernel } from './kernel';

export class MmdFlowStep extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'mmdFlowStep', bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'] });
  }
  configure(p: { n: number; m: number; h: number; kernel: MmdKernel; bw2: number }): void {
    this.setParams({ n: p.n, m: p.m, kernel: MMD_KERNEL_CODE[p.kernel], h: p.h, bw2: p.bw2 });
  }
  bindIO(posIn: GPUBuffer, cloud: GPUBuffer, posOut: GPUBuffer): GPUBindGroup {
    return this.bind([posIn, cloud, posOut]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n));
  }
}
