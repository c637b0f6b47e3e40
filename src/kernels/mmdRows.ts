/**
 * GPU kernel: kernel row sums rows[i] = sum_j k(a_i, b_j) for the squared MMD (shaders/mmdRows.wgsl);
 * with the energy kernel k = -|a - b| they are minus the distance sums of the energy distance.
 * Twin: src/reference/mmdRows.ts; MMD^2 from three row arrays with `mmdFromRows` there. The metric
 * built on it (MmdMetric: xx, yy, xy rows in one buffer) is src/metrics/mmd.ts.
 */
import { MMD_KERNEL_CODE, type MmdKernel } from '../reference/mmdFlowStep';
import { Kernel, groups } from './kernel';

export class MmdRows extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'mmdRows', bindings: ['uniform', 'read-only-storage', 'read-only-storage', 'storage'] });
  }
  configure(p: { na: number; nb: number; kernel: MmdKernel; bw2: number }): void {
    this.setParams({ na: p.na, nb: p.nb, kernel: MMD_KERNEL_CODE[p.kernel], bw2: p.bw2 });
  }
  bindIO(a: GPUBuffer, b: GPUBuffer, rows: GPUBuffer): GPUBindGroup {
    return this.bind([a, b, rows]);
  }
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, na: number): void {
    this.dispatch(pass, io, groups(na));
  }
}
