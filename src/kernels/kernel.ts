/**
 * The shape every kernel class shares: the pipeline is built once in the constructor from the
 * registry's WGSL; a uniform struct named `params` (layout read from the WGSL itself by
 * webgpu-utils, never summed by hand) lives in its own small buffer; `dispatch` records into a
 * compute pass and never submits or reads back. The workgroup size comes from src/gpu/workgroups.ts
 * (pipeline constant WG) and sizes the dispatches (`groups`).
 *
 * A kernel's WGSL is either a row of src/gpu/shaders.ts (`name` alone) or the kernel's own: `name`,
 * `source` (its `?raw` import) and `uses` (the shaders/common pieces) given here, so a new kernel is
 * its own .wgsl and .ts with no edit in src/gpu/ (module cache, uniform layout read from its WGSL,
 * and its WGSL's own workgroup size when src/gpu/workgroups.ts does not list it, all as for the table's).
 */
import { makeStructuredView, type StructuredView } from 'webgpu-utils';
import { createBuffer } from '../gpu/buffers';
import { kernelReadsTarget, shaderModule, type CommonName, type KernelName, type KernelRef } from '../gpu/shaders';
import type { TargetShader } from '../core/packed';
import { bindBuffers, computeLayout, targetLayout } from '../gpu/layouts';
import { kernelDefs } from '../gpu/structs';
import { workgroupSize } from '../gpu/workgroups';

export type BindingType = 'uniform' | 'storage' | 'read-only-storage';

/** The kernel's WGSL: a row of src/gpu/shaders.ts by name, or its own source (no `source`: the table's). */
export type KernelOwnSource = { name: KernelName; source?: undefined; uses?: undefined } | { name: string; source: string; uses: readonly CommonName[] };

export type KernelOptions = KernelOwnSource & KernelBaseOptions;

export interface KernelBaseOptions {
  /** Binding types of @group(0), in binding order; binding 0 is the `params` uniform when present. */
  bindings: BindingType[];
  entryPoints?: string[];
  /** True when the kernel reads the target (@group(1), shaders/common/targets.wgsl). */
  usesTarget?: boolean;
  /**
   * The per-target WGSL of a formula target (PackedTarget.shader, for kernels that read the target)
   * or formula landscape (PackedLandscape.shader, for the landscape kernels); the module is the one
   * cached for its key (src/gpu/shaders.ts). Without it the module serves the built-in kinds.
   */
  target?: TargetShader;
  /** Further pipeline-overridable constants (WG itself comes from src/gpu/workgroups.ts). */
  constants?: Record<string, number>;
}

export class Kernel {
  readonly layout: GPUBindGroupLayout;
  readonly pipelines: Map<string, GPUComputePipeline> = new Map();
  readonly params: StructuredView | undefined;
  readonly uniform: GPUBuffer | undefined;
  /** Invocations per workgroup of this kernel's pipelines. */
  readonly wg: number;

  constructor(readonly device: GPUDevice, readonly options: KernelOptions) {
    const { name } = options;
    const ref: KernelRef = options.source === undefined ? options.name : { name, source: options.source, uses: options.uses };
    const tuned = workgroupSize(name);
    this.wg = tuned ?? WG;
    if (tuned !== undefined && (tuned > device.limits.maxComputeInvocationsPerWorkgroup || tuned > device.limits.maxComputeWorkgroupSizeX)) {
      throw new Error(`${name}: workgroup size ${tuned} exceeds this device's limit ${Math.min(device.limits.maxComputeInvocationsPerWorkgroup, device.limits.maxComputeWorkgroupSizeX)}`);
    }
    const constants = { ...(tuned !== undefined ? { WG: tuned } : {}), ...options.constants };
    this.layout = computeLayout(device, `${name}.layout`, options.bindings);
    const layouts = options.usesTarget ? [this.layout, targetLayout(device)] : [this.layout];
    const pipelineLayout = device.createPipelineLayout({ label: `${name}.pipelineLayout`, bindGroupLayouts: layouts });
    if (options.target && !kernelReadsTarget(ref, options.target)) throw new Error(`${name}: a ${options.target.landscape ? 'landscape' : 'target'} shader is given but the kernel does not read ${options.target.landscape ? 'a landscape' : 'the target'}`);
    const module = shaderModule(device, ref, options.target);
    for (const entryPoint of options.entryPoints ?? ['main']) {
      this.pipelines.set(entryPoint, device.createComputePipeline({
        label: `${name}.${entryPoint}.pipeline`,
        layout: pipelineLayout,
        compute: { module, entryPoint, ...(Object.keys(constants).length > 0 ? { constants } : {}) },
      }));
    }
    const paramsDef = kernelDefs(ref).uniforms.params;
    if (paramsDef) {
      this.params = makeStructuredView(paramsDef);
      this.uniform = createBuffer(device, `${name}.params`, this.params.arrayBuffer.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    } else {
      this.params = undefined;
      this.uniform = undefined;
    }
  }

  /** Set the uniform struct's fields and upload it (queue write, no buffer creation). */
  setParams(values: Record<string, number>): void {
    if (!this.params || !this.uniform) throw new Error(`${this.options.name}: no params uniform`);
    this.params.set(values);
    this.device.queue.writeBuffer(this.uniform, 0, this.params.arrayBuffer);
  }

  /** Bind group over the uniform (if any) followed by `buffers`, in binding order. */
  bind(buffers: GPUBuffer[], label = this.options.name): GPUBindGroup {
    const all = this.uniform ? [this.uniform, ...buffers] : buffers;
    return bindBuffers(this.device, `${label}.bindGroup`, this.layout, all);
  }

  dispatch(pass: GPUComputePassEncoder, bindGroup: GPUBindGroup, workgroups: number, targetBindGroup?: GPUBindGroup, entryPoint = 'main'): void {
    const pipeline = this.pipelines.get(entryPoint);
    if (!pipeline) throw new Error(`${this.options.name}: no entry point ${entryPoint}`);
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    if (this.options.usesTarget) {
      if (!targetBindGroup) throw new Error(`${this.options.name}: needs the target bind group`);
      pass.setBindGroup(1, targetBindGroup);
    }
    if (workgroups > 0) pass.dispatchWorkgroups(workgroups);
  }

  /** Workgroups covering n invocations at this kernel's size. */
  groups(n: number): number {
    return Math.ceil(n / this.wg);
  }

  destroy(): void {
    this.uniform?.destroy();
  }
}

/**
 * The fixed size of kernels not yet sized by src/gpu/workgroups.ts (their WGSL default); kernel
 * classes sized there use `this.groups(n)` instead.
 */
export const WG = 256;
export const groups = (n: number): number => Math.ceil(n / WG);
