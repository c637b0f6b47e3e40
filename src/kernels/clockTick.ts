/** GPU kernel: clock[0] += 1 (shaders/clockTick.wgsl). Twin: src/reference/clockTick.ts. */
import { Kernel } from './kernel';

export class ClockTick extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'clockTick', bindings: ['storage'] });
  }
  encode(pass: GPUComputePassEncoder, clock: GPUBindGroup): void {
    this.dispatch(pass, clock, 1);
  }
}
