/**
 * Backends: 'gpu' (WebGPU: navigator.gpu in the browser, Dawn in Node) and 'cpu' (float64 twins).
 * The Node path is loaded through a computed specifier so browser bundles never include it.
 */
import { acquireDevice, maxParticlesFor } from '../gpu/device';
import { CpuSimulation } from './cpuSimulation';
import { GpuSimulation } from './gpuSimulation';
import type { Backend, BackendInfo, RunConfig, Simulation } from './types';

export const CPU_MAX_PARTICLES = 1 << 20;

export function createCpuBackend(): Backend {
  const info: BackendInfo = { kind: 'cpu', description: 'CPU engine (float64)', maxParticles: CPU_MAX_PARTICLES };
  return {
    info,
    createSimulation: (config: RunConfig): Simulation => new CpuSimulation(info, config),
    destroy: () => undefined,
  };
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions === 'object' && typeof process.versions.node === 'string';
}

async function defaultGpu(): Promise<GPU | undefined> {
  if (typeof navigator !== 'undefined' && 'gpu' in navigator && navigator.gpu) return navigator.gpu;
  if (isNode()) {
    const spec = ['..', 'gpu', 'node'].join('/');
    const mod = (await import(/* @vite-ignore */ spec)) as typeof import('../gpu/node');
    return mod.nodeGpu();
  }
  return undefined;
}

export async function createGpuBackend(gpu?: GPU): Promise<Backend & { device: GPUDevice }> {
  const handle = await acquireDevice(gpu ?? (await defaultGpu()));
  const { device } = handle;
  const info: BackendInfo = { kind: 'gpu', description: handle.description, maxParticles: maxParticlesFor(device) };
  return {
    info,
    device,
    lost: handle.lost,
    createSimulation: (config: RunConfig): GpuSimulation => new GpuSimulation(info, device, config),
    destroy: () => device.destroy(),
  };
}

export async function createBackend(kind: 'gpu' | 'cpu', gpu?: GPU): Promise<Backend> {
  return kind === 'cpu' ? createCpuBackend() : createGpuBackend(gpu);
}
