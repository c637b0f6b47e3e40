/**
 * The one place GPU buffers are created and read back.
 *
 * - `createBuffer`: sizes rounded up to 16 bytes (storage/uniform bindings want it), at least 16, labelled.
 * - `GpuResources`: an owner's set of buffers (and anything with destroy()); destroy() frees them all.
 * - `Readback`: a MAP_READ staging buffer reused across reads. A read that is still pending when the
 *   buffer is destroyed resolves to `undefined` instead of rejecting ("Buffer was destroyed before
 *   mapping was resolved"), and the buffer itself is destroyed only once the map has settled, so no
 *   pending read-back outlives its buffer and no page error escapes.
 */

export const roundUp16 = (bytes: number): number => Math.max(16, Math.ceil(bytes / 16) * 16);

export function createBuffer(device: GPUDevice, label: string, bytes: number, usage: number): GPUBuffer {
  return device.createBuffer({ label, size: roundUp16(bytes), usage });
}

/** Serialises async users of one resource (e.g. one staging buffer). */
export class Lock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export class Readback {
  readonly buffer: GPUBuffer;
  readonly bytes: number;
  private pending = false;
  private destroyed = false;
  private readonly lock = new Lock();

  constructor(device: GPUDevice, label: string, bytes: number) {
    this.bytes = bytes;
    this.buffer = createBuffer(device, label, bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /**
   * Map the first `bytes` (after the submitted copies into `buffer` complete) and return a copy;
   * `undefined` when this Readback was destroyed before or while mapping. Reads are serialised.
   */
  read(bytes = this.bytes): Promise<ArrayBuffer | undefined> {
    return this.lock.run(async () => {
      if (this.destroyed) return undefined;
      const size = Math.ceil(bytes / 4) * 4;
      this.pending = true;
      try {
        await this.buffer.mapAsync(GPUMapMode.READ, 0, size);
      } catch (e) {
        if (this.destroyed) return undefined;
        throw e;
      } finally {
        this.pending = false;
        if (this.destroyed) this.buffer.destroy();
      }
      if (this.destroyed) return undefined;
      const out = this.buffer.getMappedRange(0, size).slice(0, bytes);
      this.buffer.unmap();
      return out;
    });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (!this.pending) this.buffer.destroy();
  }
}

/** Everything one owner created; `destroy()` frees it all (whoever creates a resource destroys it). */
export class GpuResources {
  private readonly owned: { destroy(): void }[] = [];
  private destroyed = false;

  constructor(readonly device: GPUDevice, readonly owner: string) {}

  buffer(label: string, bytes: number, usage: number): GPUBuffer {
    return this.track(createBuffer(this.device, `${this.owner}.${label}`, bytes, usage));
  }

  readback(label: string, bytes: number): Readback {
    return this.track(new Readback(this.device, `${this.owner}.${label}`, bytes));
  }

  track<T extends { destroy(): void }>(resource: T): T {
    if (this.destroyed) {
      resource.destroy();
      throw new Error(`${this.owner}: resources already destroyed`);
    }
    this.owned.push(resource);
    return resource;
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const r of this.owned.splice(0)) r.destroy();
  }
}
