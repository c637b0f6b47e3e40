/** The buffer helper: 16-byte rounding, read-back, and no read outliving its buffer (issue 8, bug 4). */
import { beforeAll, describe, expect, it } from 'vitest';
import { createBuffer, GpuResources, Readback, roundUp16 } from './buffers';
import { testDevice, withValidation } from './testing';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

describe('gpu/buffers', () => {
  it('rounds sizes up to 16 bytes, at least 16', () => {
    expect([0, 1, 16, 17, 33].map(roundUp16)).toEqual([16, 16, 16, 32, 48]);
    const b = createBuffer(device, 'test.round', 20, GPUBufferUsage.STORAGE);
    expect(b.size).toBe(32);
    b.destroy();
  });

  it('reads back exactly what was written', async () => {
    await withValidation(device, async () => {
      const res = new GpuResources(device, 'test');
      const src = res.buffer('src', 12, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
      device.queue.writeBuffer(src, 0, new Float32Array([1.5, -2, 3.25]));
      const rb = res.readback('staging', 12);
      for (let k = 0; k < 2; k++) {
        const enc = device.createCommandEncoder();
        enc.copyBufferToBuffer(src, 0, rb.buffer, 0, 12);
        device.queue.submit([enc.finish()]);
        const data = await rb.read();
        expect(data && Array.from(new Float32Array(data))).toEqual([1.5, -2, 3.25]);
      }
      res.destroy();
      expect(rb.isDestroyed).toBe(true);
    });
  });

  it('a read pending when the buffer is destroyed resolves to undefined, never rejects', async () => {
    const rb = new Readback(device, 'test.pending', 16);
    const p = rb.read();
    rb.destroy();
    await expect(p).resolves.toBeUndefined();
    await expect(rb.read()).resolves.toBeUndefined();
  });

  it('a destroyed owner refuses new resources and destroys them', () => {
    const res = new GpuResources(device, 'test.owner');
    res.destroy();
    expect(() => res.buffer('late', 16, GPUBufferUsage.STORAGE)).toThrow(/already destroyed/);
  });
});
