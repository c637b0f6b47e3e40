/**
 * GPU test helpers (Node, Dawn). A missing adapter FAILS (throws); every GPU call of a test runs
 * inside validation + out-of-memory error scopes that fail the test on any error; `withDevice`
 * also destroys everything the test created.
 */
import { createBuffer, GpuResources, Readback } from './buffers';
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

/** Run fn with error scopes open; rejects with the first validation / OOM error (before fn's own error). */
export async function withValidation<T>(device: GPUDevice, fn: () => Promise<T> | T): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await fn() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (validation) throw new Error(`WebGPU validation error: ${validation.message}`);
  if (oom) throw new Error(`WebGPU out-of-memory error: ${oom.message}`);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

export function uploadBuffer(device: GPUDevice, data: ArrayBufferView & { byteLength: number }, usage = GPUBufferUsage.STORAGE, label = 'test'): GPUBuffer {
  const b = createBuffer(device, label, data.byteLength, usage | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
  device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
  return b;
}

export function emptyBuffer(device: GPUDevice, bytes: number, label = 'test'): GPUBuffer {
  return createBuffer(device, label, bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
}

/** Copy the first `bytes` of `src` into a one-off staging buffer (src/gpu/buffers.ts Readback), map, copy out, destroy it. */
export async function readBuffer(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const staging = new Readback(device, 'test.staging', bytes);
  try {
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(src, 0, staging.buffer, 0, Math.ceil(bytes / 4) * 4);
    device.queue.submit([enc.finish()]);
    const out = await staging.read();
    if (!out) throw new Error('readBuffer: staging buffer destroyed before the read');
    return out;
  } finally {
    staging.destroy();
  }
}

/**
 * One GPU test's device and everything it creates: buffers made through `upload` / `empty`, and
 * kernels or other objects handed to `track`, are destroyed when the test's `withDevice` ends
 * (as webgpu-utils testWithDevice / gpuweb cts trackForCleanup do), pass or fail.
 */
export interface GpuTest {
  readonly device: GPUDevice;
  /** A storage (or `usage`) buffer holding `data`; COPY_SRC | COPY_DST added. */
  upload(data: ArrayBufferView & { byteLength: number }, usage?: number, label?: string): GPUBuffer;
  /** A zeroed storage buffer of `bytes` (rounded up to 16); COPY_SRC | COPY_DST. */
  empty(bytes: number, label?: string): GPUBuffer;
  /** Read `bytes` of `src` back (a one-off staging buffer, destroyed after). */
  read(src: GPUBuffer, bytes: number): Promise<ArrayBuffer>;
  /** Destroy `resource` at the end of the test; returns it. */
  track<T extends { destroy(): void }>(resource: T): T;
}

/**
 * Run a GPU test: the test device (a missing adapter fails), validation + out-of-memory scopes
 * around `fn` (any error fails), and every tracked resource destroyed at the end, inside the
 * scopes, so a bad destroy fails the test too.
 */
export async function withDevice<T>(fn: (t: GpuTest) => Promise<T> | T): Promise<T> {
  const device = await testDevice();
  const owned = new GpuResources(device, 'test');
  const t: GpuTest = {
    device,
    upload: (data, usage = GPUBufferUsage.STORAGE, label = 'test.upload') => owned.track(uploadBuffer(device, data, usage, label)),
    empty: (bytes, label = 'test.empty') => owned.track(emptyBuffer(device, bytes, label)),
    read: (src, bytes) => readBuffer(device, src, bytes),
    track: (resource) => owned.track(resource),
  };
  return withValidation(device, async () => {
    try {
      return await fn(t);
    } finally {
      owned.destroy();
    }
  });
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
