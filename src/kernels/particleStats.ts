/** GPU kernel: two-pass reduction of particle statistics (shaders/particleStats.wgsl). Twin: src/reference/particleStats.ts. */
import { storageElementBytes } from '../gpu/structs';
import { workgroupSize } from '../gpu/workgroups';
import { Kernel } from './kernel';

export class ParticleStats extends Kernel {
  constructor(device: GPUDevice) {
    super(device, {
      name: 'particleStats',
      bindings: ['uniform', 'read-only-storage', 'storage', 'storage'],
      entryPoints: ['statsPartial', 'statsFinal'],
    });
  }
  /**
   * Bytes of the partials buffer at n particles: two `partials` elements (vec4f A, B; element size
   * from the WGSL) per workgroup, at the workgroup size kernels built now get (src/gpu/workgroups.ts).
   */
  static partialsBytes(n: number): number {
    const wg = workgroupSize('particleStats') ?? 256;
    return Math.max(1, Math.ceil(n / wg)) * 2 * storageElementBytes('particleStats', 'partials');
  }
  /** Bytes of the result buffer: `result: array<vec4f, 2>` in the WGSL. */
  static resultBytes(): number {
    return 2 * storageElementBytes('particleStats', 'result');
  }
  configure(n: number): void {
    this.setParams({ n, numPartials: this.groups(n) });
  }
  /** result: 32 bytes = vec4 A, vec4 B. */
  bindIO(pos: GPUBuffer, partials: GPUBuffer, result: GPUBuffer): GPUBindGroup {
    return this.bind([pos, partials, result]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n), undefined, 'statsPartial');
    this.dispatch(pass, io, 1, undefined, 'statsFinal');
  }
}
