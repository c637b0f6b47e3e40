/** GPU kernel: landscape gradient g_i, per-particle energy e_i (tiled O(N^2)) and the reduction F, |g|^2 (shaders/landscapeGrad.wgsl). Twin: src/reference/landscapeGrad.ts. */
import type { TargetShader } from '../core/packed';
import { Kernel } from './kernel';

export class LandscapeGrad extends Kernel {
  /** `landscape`: a formula landscape's WGSL (PackedLandscape.shader); absent for the built-in kinds. */
  constructor(device: GPUDevice, landscape?: TargetShader) {
    super(device, { name: 'landscapeGrad', ...(landscape ? { target: landscape } : {}), bindings: ['uniform', 'uniform', 'read-only-storage', 'storage', 'storage', 'storage'], entryPoints: ['main', 'reduce'] });
  }
  configure(n: number): void {
    this.setParams({ n });
  }
  /** land: the Landscape uniform (48 bytes); pos: array<vec2f>; grad: array<vec2f>; energy: array<f32> (n); sums: array<f32> (>= 2). */
  bindIO(land: GPUBuffer, pos: GPUBuffer, grad: GPUBuffer, energy: GPUBuffer, sums: GPUBuffer): GPUBindGroup {
    return this.bind([land, pos, grad, energy, sums]);
  }
  /** g, e, then sums = [F, |g|_mu^2]. */
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n));
    this.dispatch(pass, io, 1, undefined, 'reduce');
  }
}
