/** GPU kernel: one ULA / MALA step in place (shaders/langevinStep.wgsl). Twin: src/reference/langevinStep.ts. */
import type { TargetShader } from '../core/packed';
import { Kernel } from './kernel';

export class LangevinStep extends Kernel {
  /** `target`: the per-target WGSL of a formula target (PackedTarget.shader); absent for the built-in kinds. */
  constructor(device: GPUDevice, target?: TargetShader) {
    super(device, { name: 'langevinStep', ...(target ? { target } : {}), bindings: ['uniform', 'storage', 'read-only-storage', 'storage'], usesTarget: true });
  }
  configure(p: { n: number; h: number; seed: number; mala: boolean }): void {
    this.setParams({ n: p.n, h: p.h, seed: p.seed >>> 0, mala: p.mala ? 1 : 0 });
  }
  /** pos: array<vec2f> (updated in place); clock: array<u32>; counters: array<atomic<u32>, 2>. */
  bindIO(pos: GPUBuffer, clock: GPUBuffer, counters: GPUBuffer): GPUBindGroup {
    return this.bind([pos, clock, counters]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, target: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n), target);
  }
}
