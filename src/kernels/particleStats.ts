/** GPU kernel: two-pass reduction of particle statistics (shaders/particleStats.wgsl). Twin: src/reference/particleStats.ts. */
import { Kernel, groups } from './kernel';

export class ParticleStats extends Kernel {
  constructor(device: GPUDevice) {
    super(device, {
      name: 'particleStats',
      bindings: ['uniform', 'read-only-storage', 'storage', 'storage'],
      entryPoints: ['statsPartial', 'statsFinal'],
    });
  }
  /** Bytes needed for the partials buffer at n particles. */
  static partialsBytes(n: number): number {
    return Math.max(1, groups(n)) * 32;
  }
  configure(n: number): void {
    this.setParams({ n, numPartials: groups(n) });
  }
  /** result: 32 bytes = vec4 A, vec4 B. */
  bindIO(pos: GPUBuffer, partials: GPUBuffer, result: GPUBuffer): GPUBindGroup {
    return this.bind([pos, partials, result]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, groups(n), undefined, 'statsPartial');
    this.dispatch(pass, io, 1, undefined, 'statsFinal');
  }
}
