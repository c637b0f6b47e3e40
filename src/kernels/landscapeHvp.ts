/** GPU kernel: the particle Hessian-vector product (H v)_i, tiled O(N^2) (shaders/landscapeHvp.wgsl). Twin: src/reference/landscapeHvp.ts. */
import type { TargetShader } from '../core/packed';
import { Kernel } from './kernel';

export class LandscapeHvp extends Kernel {
  /** `landscape`: a formula landscape's WGSL (PackedLandscape.shader); absent for the built-in kinds. */
  constructor(device: GPUDevice, landscape?: TargetShader) {
    super(device, { name: 'landscapeHvp', ...(landscape ? { target: landscape } : {}), bindings: ['uniform', 'uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage'] });
  }
  configure(n: number): void {
    this.setParams({ n });
  }
  /** v = vector slot[0] of vin (vin[slot[0] n + i]); slot: a u32 storage buffer (the Lanczos state's word 0 is j). */
  bindIO(land: GPUBuffer, pos: GPUBuffer, vin: GPUBuffer, slot: GPUBuffer, hv: GPUBuffer): GPUBindGroup {
    return this.bind([land, pos, vin, slot, hv]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n));
  }
}
