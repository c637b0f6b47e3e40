/**
 * Buffer layouts read from the WGSL itself (webgpu-utils `makeShaderDataDefinitions`), never summed
 * by hand: uniform structs, the element sizes of runtime-sized storage arrays, the target uniform.
 * Parsed lazily and cached. makeShaderDataDefinitions reads the global GPUShaderStage (for entry
 * point visibilities); where WebGPU is absent (CPU-only pages, workers, CPU tests) `parse` lends it
 * the spec's constants for the duration of the synchronous call only, so packing the target
 * uniform or sizing a buffer never needs a device.
 */
import { makeShaderDataDefinitions, type ShaderDataDefinitions, type VariableDefinition } from 'webgpu-utils';
import { commonPrelude, kernelRefName, renderShaderCode, shaderCode, type KernelRef, type RenderShaderName } from './shaders';

const cache = new Map<string, ShaderDataDefinitions>();

/** GPUShaderStage's values in the WebGPU spec. */
const SHADER_STAGE = { VERTEX: 1, FRAGMENT: 2, COMPUTE: 4 } as const;

function parse(code: string): ShaderDataDefinitions {
  const g = globalThis as { GPUShaderStage?: unknown };
  if (g.GPUShaderStage !== undefined) return makeShaderDataDefinitions(code);
  g.GPUShaderStage = SHADER_STAGE;
  try {
    return makeShaderDataDefinitions(code);
  } finally {
    delete g.GPUShaderStage;
  }
}

function defs(key: string, code: () => string): ShaderDataDefinitions {
  let d = cache.get(key);
  if (!d) cache.set(key, (d = parse(code())));
  return d;
}

/** A table kernel's definitions, or an own-source kernel's (src/gpu/shaders.ts KernelSource), read from its WGSL. */
export const kernelDefs = (name: KernelRef): ShaderDataDefinitions => defs(`kernel:${kernelRefName(name)}`, () => shaderCode(name));
export const renderDefs = (name: RenderShaderName): ShaderDataDefinitions => defs(`render:${name}`, () => renderShaderCode(name));
/** shaders/common/targets.wgsl on its own (declares @group(1) tgt: TargetParams). */
export const targetDefs = (): ShaderDataDefinitions => defs('common:targets', () => commonPrelude(['targets']));

function variable(vars: Record<string, VariableDefinition>, owner: string, name: string): VariableDefinition {
  const v = vars[name];
  if (!v) throw new Error(`${owner}: no variable '${name}' in the WGSL (have ${Object.keys(vars).join(', ')})`);
  return v;
}

/** The uniform variable `name` of a render shader (e.g. 'view'). */
export function renderUniform(shader: RenderShaderName, name: string): VariableDefinition {
  return variable(renderDefs(shader).uniforms, `render/${shader}.wgsl`, name);
}

/** Bytes of one element of the storage array `name` (runtime-sized or fixed) declared by a kernel. */
export function storageElementBytes(kernel: KernelRef, name: string): number {
  const file = `${kernelRefName(kernel)}.wgsl`;
  const t = variable(kernelDefs(kernel).storages, file, name).typeDefinition;
  if (!('elementType' in t)) throw new Error(`${file}: '${name}' is not an array`);
  return (t as { elementType: { size: number } }).elementType.size;
}

/** The target uniform `tgt: TargetParams` (shaders/common/targets.wgsl): size and field offsets from the WGSL. */
export interface TargetParamsLayout {
  bytes: number;
  kindOffset: number;
  countOffset: number;
  dataOffset: number;
  /** vec4f slots in `data`. */
  dataSlots: number;
}

let targetLayoutCache: TargetParamsLayout | undefined;

export function targetParamsLayout(): TargetParamsLayout {
  if (targetLayoutCache) return targetLayoutCache;
  const t = variable(targetDefs().uniforms, 'common/targets.wgsl', 'tgt');
  const fields = (t.typeDefinition as { fields?: Record<string, { offset: number; type: { numElements?: number; elementType?: { size: number } } }> }).fields;
  const kind = fields?.kind, count = fields?.count, data = fields?.data;
  if (!kind || !count || !data || data.type.elementType?.size !== 16 || !data.type.numElements) {
    throw new Error('common/targets.wgsl: TargetParams must have kind, count and data: array<vec4f, N>');
  }
  targetLayoutCache = { bytes: t.size, kindOffset: kind.offset, countOffset: count.offset, dataOffset: data.offset, dataSlots: data.type.numElements };
  return targetLayoutCache;
}
