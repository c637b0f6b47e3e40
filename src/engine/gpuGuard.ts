/**
 * Make GPU failures loud in Node entry points (CLI, bench). WebGPU reports validation and
 * out-of-memory errors asynchronously and otherwise only logs them, so a broken shader would yield
 * a "successful" run with unchanged particles. `guardGpu` runs work inside error scopes on the
 * backend's device (when it has one) and rejects with a GpuRunError on the first error or on device
 * loss. On the CPU backend it just runs the work.
 */
import type { Backend } from './types';

export class GpuRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuRunError';
  }
}

/** The first non-empty line of a (multi-line) Dawn message. */
function firstLine(text: string): string {
  return text.split('\n').map((s) => s.trim()).find((s) => s.length > 0) ?? text;
}

export async function guardGpu<T>(backend: Backend, work: () => Promise<T>): Promise<T> {
  const { device, lost } = backend;
  if (device === undefined) return work();
  let lostReason: string | undefined;
  void lost?.then((reason) => {
    lostReason = reason;
  });
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  // The scopes are popped whether or not `work` threw; a GPU error found there wins over the work's own error.
  const outcome = await work().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (validation) throw new GpuRunError(`GPU validation error: ${firstLine(validation.message)}`);
  if (oom) throw new GpuRunError(`GPU out of memory: ${firstLine(oom.message)}`);
  if (!outcome.ok) throw outcome.error;
  const result = outcome.value;
  if (lostReason !== undefined) throw new GpuRunError(`GPU device lost: ${lostReason}`);
  return result;
}
