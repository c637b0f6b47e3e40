/**
 * GPU test helpers (Node, Dawn). A missing adapter FAILS (throws); every GPU call of a test runs
 * inside validation + out-of-memory error scopes that fail the test on any error.
 */
import { acquireDevice } from './device';
import { nodeGpu } from './node';

let devicePromise: Promise<GPUDevice> | undefined;

/** The test device; throws (never skips) when WebGPU has no adapter here. */
export function testDevice(): Promise<GPUDevice> {
  devicePromise ??= (async () => {
    const gpu = await nodeGpu();
    const handle = await acquireDevice(gpu, 'test');
    return handle.device;
  })();
  return devicePromise;
}

/** Run fn with error scopes open; rejects with the first validation / OOM error. */
export async function withValidation<T>(device: GPUDevice, fn: () => Promise<T> | T): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T;
  try {
    result = await fn();
  } finally {
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    if (validation) throw new Error(`WebGPU validation error: ${validation.message}`);
    if (oom) throw new Error(`WebGPU out-of-memory error: ${oom.message}`);
  }
  return result;
}

export function uploadBuffer(device: GPUDevice, data: ArrayBufferView & { byteLength: number }, usage = GPUBufferUsage.STORAGE, label = 'test'): GPUBuffer {
  const size = Math.max(16, Math.ceil(data.byteLength / 16) * 16);
  const b = device.createBuffer({ label, size, usage: usage | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
  return b;
}

export function emptyBuffer(device: GPUDevice, bytes: number, label = 'test'): GPUBuffer {
  return device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
}

export async function readBuffer(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ label: 'test.staging', size: Math.ceil(bytes / 4) * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, Math.ceil(bytes / 4) * 4);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0, bytes);
  staging.unmap();
  staging.destroy();
  return out;
}

/** Record and submit one compute pass. */
export function runPass(device: GPUDevice, record: (pass: GPUComputePassEncoder) => void): void {
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  record(pass);
  pass.end();
  device.queue.submit([enc.finish()]);
}

export interface Tolerance {
  atol: number;
  rtol: number;
}

/**
 * Element-wise |a - e| <= atol + rtol |e|; on failure throws with the first bad indices as a table
 * and the reason the tolerance was chosen.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, why: string): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length} (${why})`);
  const bad: string[] = [];
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] ?? NaN, e = expected[i] ?? NaN;
    const err = Math.abs(a - e);
    const lim = tol.atol + tol.rtol * Math.abs(e);
    if (!(err <= lim)) {
      if (bad.length < 8) bad.push(`  [${i}] got ${a}, want ${e}, |diff| ${err.toExponential(2)} > ${lim.toExponential(2)}`);
      worst++;
    }
  }
  if (worst > 0) {
    throw new Error(`${worst}/${actual.length} values outside atol=${tol.atol}, rtol=${tol.rtol} (${why}):\n${bad.join('\n')}`);
  }
}
