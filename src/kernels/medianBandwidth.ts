/** GPU kernel: median-heuristic bandwidth into bw = [sigma2, med2] (shaders/medianBandwidth.wgsl). Twin: src/reference/medianBandwidth.ts. */
import { MEDIAN_SUBSET } from '../reference/medianBandwidth';
import { Kernel } from './kernel';

export class MedianBandwidth extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'medianBandwidth', bindings: ['uniform', 'read-only-storage', 'storage'] });
  }
  configure(n: number): void {
    this.setParams({ n, m: Math.min(n, MEDIAN_SUBSET) });
  }
  bindIO(pos: GPUBuffer, bw: GPUBuffer): GPUBindGroup {
    return this.bind([pos, bw]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup): void {
    this.dispatch(pass, io, 1);
  }
}
