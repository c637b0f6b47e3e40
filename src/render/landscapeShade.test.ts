/**
 * shaders/render/landscape.wgsl on a real WebGPU device vs its float64 twin (landscapeShadeColour):
 * a 64 x 64 rgba8unorm render of each landscape preset over its view, compared per pixel centre.
 * Tolerance 3/255 per channel: unorm rounding (1/255) plus f32 V near a level line, where the
 * smoothstep of width 0.04 of a band amplifies a rounding of V by 12 * 5 / (vMax - vMin).
 * Exact answers of the formula: the minimum of V is the brightest colour with a level line, the
 * maximum the darkest; the range comes from the grid (double well over [-2, 2]^2: vMin ~ 0, vMax = V(+-2, +-2) at the corner cells).
 */
import { describe, expect, it } from 'vitest';
import { Readback } from '../gpu/buffers';
import { withDevice } from '../gpu/testing';
import { createLandscape, landscapes } from '../landscapes/presets';
import { landV } from '../reference/landscapes';
import { LandscapeShade, landscapeRange, landscapeShadeColour } from './landscapeShade';

const W = 64, H = 64;

describe('landscape render pass vs its twin', () => {
  for (const id of ['double-well', 'attract-repel', 'quadratic', 'two-layer-net'] as const) {
    it(`${id}: every pixel within 3/255 of the twin`, async () => {
      const L = createLandscape(id, id === 'attract-repel' ? { k: 1 } : {});
      const rect = landscapes[id].view;
      const px = await withDevice(async (t) => {
        const shade = t.track(new LandscapeShade(t.device, 'rgba8unorm'));
        const texture = t.track(t.device.createTexture({ size: [W, H], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC }));
        const enc = t.device.createCommandEncoder();
        const scale = shade.render(enc, texture.createView(), L, rect);
        const read = t.track(new Readback(t.device, 'test.texture', W * H * 4));
        enc.copyTextureToBuffer({ texture }, { buffer: read.buffer, bytesPerRow: W * 4 }, [W, H]);
        t.device.queue.submit([enc.finish()]);
        const out = await read.read();
        if (!out) throw new Error('read-back destroyed');
        return { data: new Uint8Array(out), scale };
      });
      let worst = 0;
      for (let j = 0; j < H; j++) {
        for (let i = 0; i < W; i++) {
          // row 0 is the top of the texture: uv.y = 1 there
          const x = rect[0] + ((i + 0.5) / W) * (rect[1] - rect[0]);
          const y = rect[3] - ((j + 0.5) / H) * (rect[3] - rect[2]);
          const want = landscapeShadeColour(L, x, y, px.scale.vMin, px.scale.vScale);
          for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs((px.data[4 * (j * W + i) + c] ?? NaN) / 255 - Math.min(1, Math.max(0, want[c] ?? NaN))));
        }
      }
      expect(worst).toBeLessThan(3 / 255);
    });
  }

  it('the colour scale: V at its minimum is the brightest colour (plus a level line), at its maximum the darkest', () => {
    const L = createLandscape('double-well', {});
    const { vMin, vMax } = landscapeRange(L, [-2, 2, -2, 2]);
    // the grid's corner cell centres (+-1.96875) give the maximum; the cells next to (+-1, 0) the minimum
    expect(vMax).toBe(landV(L, 1.96875, 1.96875));
    expect(vMin).toBe(landV(L, 0.96875, 0.03125)); // the cell centres nearest the well (1, 0)
    const top = landscapeShadeColour(L, 1, 0, landV(L, 1, 0), 1 / (vMax - vMin));
    expect(top.map((v) => Number(v.toFixed(6)))).toEqual([0.76, 1.06, 1]);
    const bottom = landscapeShadeColour(L, 1.96875, 1.96875, vMin, 1 / (vMax - vMin));
    expect(bottom.map((v) => Number(v.toFixed(6)))).toEqual([0.235, 0.243, 0.27]);
  });
});
