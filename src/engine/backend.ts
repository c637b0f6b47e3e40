/**
 * Backends: 'gpu' (WebGPU: navigator.gpu in the browser, Dawn in Node) and 'cpu' (float64 twins).
 * The Node path is loaded through a computed specifier so browser bundles never include it.
 * In the browser the CPU engine runs in a Web Worker per simulation (src/engine/cpuWorker.ts,
 * src/engine/worker/), so a long float64 step never blocks the page; in Node (CLI, tests,
 * benchmarks) it runs in-process.
 */
import { acquireDevice, maxParticlesFor } from '../gpu/device';
import { CpuSimulation } from './cpuSimulation';
import { GpuSimulation } from './gpuSimulation';
import type { Backend, BackendInfo, RunConfig, Simulation } from './types';
import { WorkerCpuBackend, type SpawnCpuWorker } from './worker/workerSimulation';

export const CPU_MAX_PARTICLES = 1 << 20;

const CPU_INFO: BackendInfo = { kind: 'cpu', description: 'CPU engine (float64)', maxParticles: CPU_MAX_PARTICLES };

/** The in-process CPU backend (Node, and anywhere without workers). */
export function createCpuBackend(): Backend {
  const info: BackendInfo = { ...CPU_INFO };
  return {
    info,
    createSimulation: (config: RunConfig): Simulation => new CpuSimulation(info, config),
    destroy: () => undefined,
  };
}

/** The CPU backend in a Web Worker per simulation; `spawn` defaults to the bundled src/engine/cpuWorker.ts. */
export function createWorkerCpuBackend(spawn: SpawnCpuWorker = spawnBrowserWorker): WorkerCpuBackend {
  return new WorkerCpuBackend({ ...CPU_INFO }, spawn);
}

function spawnBrowserWorker(onError: (e: Error) => void): ReturnType<SpawnCpuWorker> {
  const worker = new Worker(new URL('./cpuWorker.ts', import.meta.url), { type: 'module', name: 'wgf-cpu' });
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    onError(new Error(`the CPU worker failed: ${e.message || 'it could not be loaded'}`));
  });
  worker.addEventListener('messageerror', () => onError(new Error('the CPU worker sent a message that could not be read')));
  return { port: worker, dispose: () => worker.terminate() };
}

/** A browser page (not Node) that can start module workers. */
function browserWithWorkers(): boolean {
  return !isNode() && typeof window !== 'undefined' && typeof Worker === 'function';
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

/**
 * Options of a backend. `live`: the runs are shown as they go (the browser's Engine): the metric
 * pipelines compile ahead and a run's first metrics read leaves out the slow ones (S_eps), so the
 * first plot point does not wait for the Sinkhorn loop. The CLI, the benchmarks and the tests leave it
 * off: every read has every metric that applies.
 */
export interface BackendOptions {
  live?: boolean;
}

export async function createGpuBackend(gpu?: GPU, options: BackendOptions = {}): Promise<Backend & { device: GPUDevice }> {
  const handle = await acquireDevice(gpu ?? (await defaultGpu()));
  const { device } = handle;
  const info: BackendInfo = { kind: 'gpu', description: handle.description, maxParticles: maxParticlesFor(device) };
  return {
    info,
    device,
    lost: handle.lost,
    createSimulation: (config: RunConfig): GpuSimulation => new GpuSimulation(info, device, config, options.live === true),
    destroy: () => device.destroy(),
  };
}

export async function createBackend(kind: 'gpu' | 'cpu', gpu?: GPU, options: BackendOptions = {}): Promise<Backend> {
  if (kind === 'cpu') return browserWithWorkers() ? createWorkerCpuBackend() : createCpuBackend();
  return createGpuBackend(gpu, options);
}
