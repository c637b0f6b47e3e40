/**
 * The shape the d-D kernel classes share (as src/kernels/kernel.ts in 2-D): pipelines built once
 * in the constructor with their pipeline-overridable constants (D, tile sizes), the `params`
 * uniform's layout read from the WGSL (webgpu-utils), `dispatch` records and never submits.
 */
import { makeShaderDataDefinitions, makeStructuredView, type StructuredView } from 'webgpu-utils';
import { createBuffer } from '../../gpu/buffers';
import { bindBuffers, computeLayout } from '../../gpu/layouts';
import { ndShaderCode, ndShaderModule, type NdKernelName } from '../shaders';

export type NdBinding = 'uniform' | 'storage' | 'read-only-storage';

export class NdKernel {
  readonly layout: GPUBindGroupLayout;
  readonly pipelines = new Map<string, GPUComputePipeline>();
  readonly params: StructuredView;
  readonly uniform: GPUBuffer;

  constructor(readonly device: GPUDevice, readonly name: NdKernelName, bindings: NdBinding[], constants: Record<string, number>, entryPoints = ['main']) {
    this.layout = computeLayout(device, `${name}.layout`, bindings);
    const layout = device.createPipelineLayout({ label: `${name}.pipelineLayout`, bindGroupLayouts: [this.layout] });
    const module = ndShaderModule(device, name);
    for (const entryPoint of entryPoints) {
      this.pipelines.set(entryPoint, device.createComputePipeline({ label: `${name}.${entryPoint}.pipeline`, layout, compute: { module, entryPoint, constants } }));
    }
    const def = makeShaderDataDefinitions(ndShaderCode(name)).uniforms.params;
    if (!def) throw new Error(`${name}.wgsl: no 'params' uniform`);
    this.params = makeStructuredView(def);
    this.uniform = createBuffer(device, `${name}.params`, this.params.arrayBuffer.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  }

  setParams(values: Record<string, number>): void {
    this.params.set(values);
    this.device.queue.writeBuffer(this.uniform, 0, this.params.arrayBuffer);
  }

  bind(buffers: GPUBuffer[]): GPUBindGroup {
    return bindBuffers(this.device, `${this.name}.bindGroup`, this.layout, [this.uniform, ...buffers]);
  }

  dispatch(pass: GPUComputePassEncoder, group: GPUBindGroup, workgroups: number, entryPoint = 'main'): void {
    const p = this.pipelines.get(entryPoint);
    if (!p) throw new Error(`${this.name}: no entry point ${entryPoint}`);
    pass.setPipeline(p);
    pass.setBindGroup(0, group);
    if (workgroups > 0) pass.dispatchWorkgroups(workgroups);
  }

  destroy(): void {
    this.uniform.destroy();
  }
}

/** Register slots per lane in ndScore / svgdNd (their WGSL const MAXK). */
export const MAXK = 32;

/**
 * Tiling of ndScore / svgdNd for dimension d at WG = 64 invocations: TK lanes per particle
 * (a power of two, min(nextPow2(d), 8), so every lane has work at small d), TI = 64 / TK particles
 * per workgroup, and svgdNd's TJ (particles j per shared tile) as large as 16 KiB of workgroup
 * memory allows, at most 64.
 */
export function ndTiling(d: number): { WG: number; TK: number; TI: number; TJ: number } {
  if (!Number.isInteger(d) || d < 1) throw new Error(`nd kernels: dimension must be a positive integer, got ${d}`);
  const WG = 64;
  let TK = 1;
  while (TK < Math.min(d, 8)) TK *= 2;
  if (d > MAXK * TK) throw new Error(`nd kernels: dimension ${d} exceeds ${MAXK * TK} (MAXK ${MAXK} x ${TK} lanes)`);
  const TI = WG / TK;
  // floats: xi TI*d + xj, sj 2*TJ*d + kv, gv 2*TI*TJ  <= 4096
  let TJ = 64;
  while (TJ > 1 && TI * d + 2 * TJ * d + 2 * TI * TJ > 4096) TJ /= 2;
  return { WG, TK, TI, TJ };
}
