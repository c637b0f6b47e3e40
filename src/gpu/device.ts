/**
 * Device acquisition: one adapter + device per backend, limits raised to what the adapter allows,
 * a description for the UI/CLI, and a promise that resolves when the device is lost.
 */
import { minParticleWorkgroup } from './workgroups';

export interface GpuHandle {
  device: GPUDevice;
  description: string;
  isFallback: boolean;
  /** Resolves with a reason when the device is lost (also after destroy()). */
  lost: Promise<string>;
}

export class NoAdapterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoAdapterError';
  }
}

export async function acquireDevice(gpu: GPU | undefined, label = 'wgf'): Promise<GpuHandle> {
  if (!gpu) throw new NoAdapterError('WebGPU is not available (navigator.gpu is missing)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new NoAdapterError('WebGPU is available but no adapter was found');
  const info = adapter.info;
  const isFallback = Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter) ||
    info.architecture === 'swiftshader';
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s && s.length > 0);
  const description = (parts.length ? [...new Set(parts)].join(' ') : 'unknown adapter') + (isFallback ? ' (software)' : '');
  const features: GPUFeatureName[] = [];
  if (adapter.features.has('timestamp-query')) features.push('timestamp-query');
  const device = await adapter.requestDevice({
    label,
    requiredFeatures: features,
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const lost = device.lost.then((i) => `${i.reason}${i.message ? `: ${i.message}` : ''}`);
  return { device, description, isFallback, lost };
}

/**
 * Largest particle count: scores are vec4f (16 B/particle) and 1-D dispatches have <= 65535
 * workgroups of the smallest per-particle workgroup size (256 by default, src/gpu/workgroups.ts).
 */
export function maxParticlesFor(device: GPUDevice): number {
  const byStorage = Math.floor(device.limits.maxStorageBufferBindingSize / 16);
  const byDispatch = device.limits.maxComputeWorkgroupsPerDimension * minParticleWorkgroup();
  return Math.min(byStorage, byDispatch);
}
