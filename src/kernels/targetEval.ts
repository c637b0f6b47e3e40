/** GPU kernel: log-density and score of the target at points (shaders/targetEval.wgsl). Twin: src/reference/targetEval.ts. */
import type { TargetShader } from '../core/packed';
import { Kernel } from './kernel';

export class TargetEval extends Kernel {
  /** `target`: the per-target WGSL of a formula target (PackedTarget.shader); absent for the built-in kinds. */
  constructor(device: GPUDevice, target?: TargetShader) {
    super(device, { name: 'targetEval', ...(target ? { target } : {}), bindings: ['uniform', 'read-only-storage', 'storage'], usesTarget: true });
  }
  /** points: array<vec2f>; out: array<vec4f> = (score, logp, 0). */
  bindIO(points: GPUBuffer, out: GPUBuffer): GPUBindGroup {
    return this.bind([points, out]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, target: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n), target);
  }
}
