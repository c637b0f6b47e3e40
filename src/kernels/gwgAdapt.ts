/** GPU kernel: the adaptive-p update of Ada-GWG, one workgroup (shaders/gwgAdapt.wgsl). Twin: src/reference/gwgAdapt.ts. */
import { P_MAX, P_MIN } from '../reference/gwgAdapt';
import type { MoveRule } from '../reference/gwgStep';
import { Kernel } from './kernel';

export class GwgAdapt extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'gwgAdapt', bindings: ['uniform', 'read-only-storage', 'storage'] });
  }
  configure(c: { n: number; rate: number; eps2: number; move: MoveRule; pMin?: number; pMax?: number }): void {
    this.setParams({ n: c.n, moveRule: c.move === 'f' ? 1 : 0, rate: c.rate, eps2: c.eps2, pMin: c.pMin ?? P_MIN, pMax: c.pMax ?? P_MAX });
  }
  /** fw: array<vec4f> = (w, f) from GwgStep; state: array<f32>, state[0] = p (read and written), state[1] = Lbar. */
  bindIO(fw: GPUBuffer, state: GPUBuffer): GPUBindGroup {
    return this.bind([fw, state]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup): void {
    this.dispatch(pass, io, 1);
  }
}
