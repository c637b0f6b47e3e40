/** Bind group layouts shared across kernels (explicit, so one bind group serves every pipeline). */
import { targetParamsLayout } from './structs';

const targetLayouts = new WeakMap<GPUDevice, GPUBindGroupLayout>();

/** @group(1): `var<uniform> tgt: TargetParams` (shaders/common/targets.wgsl). */
export function targetLayout(device: GPUDevice): GPUBindGroupLayout {
  let l = targetLayouts.get(device);
  if (!l) {
    l = device.createBindGroupLayout({
      label: 'Target.layout',
      entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE | GPUShaderStage.FRAGMENT, buffer: { type: 'uniform', minBindingSize: targetParamsLayout().bytes } }],
    });
    targetLayouts.set(device, l);
  }
  return l;
}

type Entry = 'uniform' | 'storage' | 'read-only-storage';

/** A compute-only layout from a list of buffer binding types, binding i = entries[i]. */
export function computeLayout(device: GPUDevice, label: string, entries: Entry[]): GPUBindGroupLayout {
  return device.createBindGroupLayout({
    label,
    entries: entries.map((type, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } })),
  });
}

export function bindBuffers(device: GPUDevice, label: string, layout: GPUBindGroupLayout, buffers: GPUBuffer[]): GPUBindGroup {
  return device.createBindGroup({ label, layout, entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
}
