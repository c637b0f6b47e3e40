/** GPU kernel: one tiled SVGD step (RBF or IMQ kernel, plane or torus), posIn -> posOut (shaders/svgdStep.wgsl). Twin: src/reference/svgdStep.ts. */
import type { SvgdPlaneKernel } from '../reference/svgdStep';
import { Kernel } from './kernel';

export class SvgdStep extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'svgdStep', bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage'] });
  }
  /**
   * sigma2 = null: read the bandwidth from bw[0] (median heuristic computed on the GPU); for IMQ it
   * is c^2. `periodic`: torus (minimum-image differences, positions wrapped mod 1).
   */
  configure(p: { n: number; h: number; sigma2: number | null; kernel?: SvgdPlaneKernel; beta?: number; periodic?: boolean }): void {
    this.setParams({
      n: p.n,
      h: p.h,
      fixedBandwidth: p.sigma2 === null ? 0 : 1,
      sigma2: p.sigma2 ?? 1,
      kernel: p.kernel === 'imq' ? 1 : 0,
      beta: p.beta ?? -0.5,
      periodic: p.periodic ? 1 : 0,
    });
  }
  bindIO(posIn: GPUBuffer, scores: GPUBuffer, bw: GPUBuffer, posOut: GPUBuffer): GPUBindGroup {
    return this.bind([posIn, scores, bw, posOut]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n));
  }
}
