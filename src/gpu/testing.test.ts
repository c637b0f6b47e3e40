/** The GPU test helpers: withDevice destroys what a test created, pass or fail; validation errors fail. */
import { describe, expect, it } from 'vitest';
import { readBuffer, testDevice, uploadBuffer, withDevice, withValidation } from './testing';

describe('withDevice', () => {
  it('destroys every buffer and tracked object at the end of the test', async () => {
    let kept: GPUBuffer | undefined;
    let destroyed = 0;
    const got = await withDevice(async (t) => {
      kept = t.upload(new Float32Array([1, 2, 3, 4]));
      t.empty(64);
      t.track({ destroy: () => destroyed++ });
      return Array.from(new Float32Array(await t.read(kept, 16)));
    });
    expect(got).toEqual([1, 2, 3, 4]);
    expect(destroyed).toBe(1);
    const device = await testDevice();
    const buf = kept;
    if (!buf) throw new Error('no buffer');
    // a destroyed buffer cannot be used in a submission any more
    await expect(withValidation(device, async () => {
      await readBuffer(device, buf, 16);
    })).rejects.toThrow(/destroyed/i);
  });

  it('destroys them when the test throws too, and rethrows', async () => {
    let destroyed = 0;
    await expect(withDevice((t) => {
      t.track({ destroy: () => destroyed++ });
      throw new Error('test failed');
    })).rejects.toThrow('test failed');
    expect(destroyed).toBe(1);
  });

  it('fails on a validation error inside the test', async () => {
    await expect(withDevice((t) => {
      // MAP_READ may only be combined with COPY_DST
      t.track(t.device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE }));
    })).rejects.toThrow(/WebGPU validation error/);
  });

  it('uploadBuffer rounds to 16 bytes and keeps the data', async () => {
    const device = await testDevice();
    const b = uploadBuffer(device, new Uint32Array([7, 8, 9]));
    expect(b.size).toBe(16);
    expect(Array.from(new Uint32Array(await readBuffer(device, b, 12)))).toEqual([7, 8, 9]);
    b.destroy();
  });
});
