/** GPU kernel: one SVGD step in d dimensions (shaders/nd/svgdNd.wgsl). Twin: src/nd/reference/svgdNd.ts. */
import type { SvgdNdKernel } from '../reference/svgdNd';
import { NdKernel, ndTiling } from './ndKernel';

export class SvgdNd extends NdKernel {
  readonly ti: number;
  constructor(device: GPUDevice, readonly d: number) {
    const t = ndTiling(d);
    super(device, 'svgdNd', ['uniform', 'read-only-storage', 'read-only-storage', 'storage'], { WG: t.WG, TK: t.TK, TJ: t.TJ, D: d });
    this.ti = t.TI;
  }
  configure(p: { n: number; h: number; bandwidth: number; kernel: SvgdNdKernel; beta?: number }): void {
    if (!(p.n >= 1)) throw new Error(`svgdNd: need at least one particle, got ${p.n}`);
    this.setParams({ n: p.n, imq: p.kernel === 'imq' ? 1 : 0, h: p.h, bw: p.bandwidth, beta: p.beta ?? -0.5 });
  }
  bindIO(x: GPUBuffer, scores: GPUBuffer, out: GPUBuffer): GPUBindGroup {
    return this.bind([x, scores, out]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, Math.ceil(n / this.ti));
  }
}
