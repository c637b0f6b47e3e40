/**
 * shaders/render/motion.wgsl on a real WebGPU device vs its float64 twin (src/render/motion.ts).
 * The pass draws into a 64 x 64 rgba8unorm texture; the twin's triangles (motionVertex) are
 * rasterised on the CPU at pixel centres. Tolerance: a pixel whose centre lies within 0.02 px of a
 * triangle edge may go either way (f32 vertex math, rasteriser tie rules); every other pixel must
 * agree exactly (lit iff inside the twin's triangles). Plus exact answers: the arrow of a known
 * displacement reaches its known tip, minimum-image arrows on the torus, the ring bookkeeping.
 */
import { describe, expect, it } from 'vitest';
import { Readback } from '../gpu/buffers';
import { withDevice, type GpuTest } from '../gpu/testing';
import { MOTION_VERTICES, motionSegment, motionVertex, MotionHistory, rmsStep, arrowMagnification, niceBelow, type MotionParams } from './motion';
import { MotionPass } from './motionPass';

const W = 64;
const H = 64;
const EDGE_PX = 0.02;

interface Case {
  /** Positions per recorded frame (interleaved), with their step counts. */
  frames: { step: number; xy: number[] }[];
  params: Omit<MotionParams, 'stride' | 'slots' | 'head'>;
}

/** Render a case with MotionPass; returns the texture's alpha per pixel (row 0 = top) and the params the pass used. */
async function renderGpu(t: GpuTest, c: Case): Promise<{ lit: boolean[]; ring: Float64Array; params: MotionParams }> {
  const { device } = t;
  const pass = new MotionPass(device, 'rgba8unorm');
  t.track(pass);
  const n = (c.frames[0]?.xy.length ?? 0) / 2;
  const texture = t.track(device.createTexture({ size: [W, H], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC }));
  const source = {};
  const stride = MotionPass.strideFor(n);
  const ring = new Float64Array(pass.history.slots * stride * 2);
  for (const f of c.frames) {
    const buf = t.upload(new Float32Array(f.xy));
    const enc = device.createCommandEncoder();
    pass.record(enc, source, buf, f.step, n);
    device.queue.submit([enc.finish()]);
    ring.set(Float32Array.from(f.xy), 2 * pass.history.head * stride);
  }
  const enc = device.createCommandEncoder();
  const rp = enc.beginRenderPass({ colorAttachments: [{ view: texture.createView(), loadOp: 'clear', storeOp: 'store', clearValue: { r: 0, g: 0, b: 0, a: 0 } }] });
  pass.encode(rp, c.params.mode, { ...c.params, colour: [1, 1, 1, 1] });
  rp.end();
  const read = t.track(new Readback(device, 'test.texture', W * H * 4));
  enc.copyTextureToBuffer({ texture }, { buffer: read.buffer, bytesPerRow: W * 4 }, [W, H]);
  device.queue.submit([enc.finish()]);
  const out = await read.read();
  if (!out) throw new Error('texture read-back destroyed');
  const px = new Uint8Array(out);
  const lit = Array.from({ length: W * H }, (_, i) => (px[4 * i + 3] ?? 0) > 0);
  return { lit, ring, params: { ...c.params, stride, slots: pass.history.slots, head: pass.history.head } };
}

type Cover = 'in' | 'out' | 'edge';

/** The twin's coverage of pixel (x, y) (row 0 = top): inside any triangle, outside all, or on an edge. */
function twinCoverage(ring: Float64Array, m: MotionParams, instances: number): Cover[] {
  const tris: [number, number][][] = [];
  for (let i = 0; i < instances; i++) {
    const v = Array.from({ length: MOTION_VERTICES }, (_, k) => motionVertex(ring, m, k, i));
    for (let k = 0; k < MOTION_VERTICES; k += 3) {
      const a = v[k];
      const b = v[k + 1];
      const cc = v[k + 2];
      if (!a || !b || !cc) continue;
      // clip -> framebuffer pixels (y down)
      const toFb = (p: [number, number]): [number, number] => [((p[0] + 1) / 2) * W, ((1 - p[1]) / 2) * H];
      tris.push([toFb(a), toFb(b), toFb(cc)]);
    }
  }
  const out: Cover[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p: [number, number] = [x + 0.5, y + 0.5];
      let cover: Cover = 'out';
      for (const [a, b, c] of tris) {
        if (!a || !b || !c) continue;
        // signed distances to the three edges, oriented so the interior is positive
        const area = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
        if (Math.abs(area) < 1e-12) continue;
        const s = Math.sign(area);
        const d = [
          [a, b],
          [b, c],
          [c, a],
        ].map(([u, v]) => {
          if (!u || !v) return -Infinity;
          const len = Math.hypot(v[0] - u[0], v[1] - u[1]);
          return (s * ((v[0] - u[0]) * (p[1] - u[1]) - (v[1] - u[1]) * (p[0] - u[0]))) / len;
        });
        const min = Math.min(...d);
        if (min > EDGE_PX) {
          cover = 'in';
          break;
        }
        if (min >= -EDGE_PX) cover = 'edge';
      }
      out.push(cover);
    }
  }
  return out;
}

function compare(lit: boolean[], cover: Cover[], why: string): { litCount: number } {
  const bad: string[] = [];
  let litCount = 0;
  lit.forEach((l, i) => {
    if (l) litCount++;
    const c = cover[i];
    if (c === 'edge') return;
    if (l !== (c === 'in') && bad.length < 10) bad.push(`(${i % W}, ${Math.floor(i / W)}) gpu ${l ? 'lit' : 'dark'} twin ${c}`);
  });
  expect(bad, why).toEqual([]);
  return { litCount };
}

const plane = { rect: [-1, 1, -1, 1] as [number, number, number, number], px: [2 / W, 2 / H] as [number, number], images: 1, periodic: false };
// pixel-centre rows: row r has its centre at clip y = 1 - (r + 0.5) / 32
const row = (r: number): number => 1 - (r + 0.5) / 32;

describe('motion.wgsl vs its float64 twin (rasterised)', () => {
  it('arrows: known displacements give known tips; a NaN particle draws nothing', async () => {
    await withDevice(async (t) => {
      // p0 moves +0.05 in x over 4 steps, p1 -0.05 in y, p2 is NaN
      const c: Case = {
        frames: [
          { step: 10, xy: [0.0, row(31), -0.5, 0.5, NaN, 0] },
          { step: 14, xy: [0.05, row(31), -0.5, 0.45, NaN, 0] },
        ],
        params: { ...plane, halfWidth: 1.5, headPx: 4, gain: 40 / 4, count: 3, segments: 1, mode: 'arrows' },
      };
      const g = await renderGpu(t, c);
      const { litCount } = compare(g.lit, twinCoverage(g.ring, g.params, 3), 'arrows');
      // p0's arrow: from x = 0.05 to 0.05 + 10 * 0.05 = 0.55 (pixel 49.6) on row 31
      const at = (x: number, y: number): boolean => g.lit[y * W + x] ?? false;
      expect(at(34, 31)).toBe(true); // shaft start (x = 0.05 -> pixel 33.6)
      expect(at(46, 31)).toBe(true); // arrowhead
      expect(at(51, 31)).toBe(false); // past the tip
      expect(at(40, 35)).toBe(false); // beyond the half width
      // the exact tip from the twin's segment
      const s = motionSegment(g.ring, g.params, 0, 0);
      expect(s.b[0]).toBeCloseTo(0.55, 6);
      expect(litCount).toBeGreaterThan(40);
    });
  });

  it('trails: k - 1 segments through the ring, oldest slot overwritten after MAX_TRAIL frames', async () => {
    await withDevice(async (t) => {
      const frames = Array.from({ length: 40 }, (_, k) => ({ step: k, xy: [-0.9 + 0.04 * k, row(20) - 0.01 * k, 0.5, -0.5 + 0.02 * k] }));
      const c: Case = { frames, params: { ...plane, halfWidth: 0.8, headPx: 0, gain: 0, count: 2, segments: 11, mode: 'trails' } };
      const g = await renderGpu(t, c);
      const { litCount } = compare(g.lit, twinCoverage(g.ring, g.params, 2 * 11), 'trails');
      // 10 x 0.04 world = 12.8 px of trail for p0, 10 x 0.02 = 6.4 px for p1, each ~1.6 px wide
      expect(litCount).toBeGreaterThan(20);
      // the newest segment ends at the newest position
      const s = motionSegment(g.ring, g.params, 0, 0);
      expect(s.b[0]).toBeCloseTo(-0.9 + 0.04 * 39, 6);
      expect(s.a[0]).toBeCloseTo(-0.9 + 0.04 * 38, 6);
    });
  });

  it('torus: minimum-image arrows across the edge, drawn at the 3 x 3 images', async () => {
    await withDevice(async (t) => {
      const c: Case = {
        frames: [
          { step: 0, xy: [0.98, 0.5 + 1 / 128] },
          { step: 1, xy: [0.01, 0.5 + 1 / 128] },
        ],
        params: { rect: [-0.25, 1.25, -0.25, 1.25], px: [2 / W, 2 / H], images: 3, periodic: true, halfWidth: 1, headPx: 3, gain: 6, count: 1, segments: 1, mode: 'arrows' },
      };
      const g = await renderGpu(t, c);
      const { litCount } = compare(g.lit, twinCoverage(g.ring, g.params, 9), 'torus arrows');
      // the arrow at x = 0.01 and its image at 1.01 both lie in the view: two ~8 px arrows
      expect(litCount).toBeGreaterThan(16);
      const s = motionSegment(g.ring, g.params, 0, 0);
      // +0.03 (not -0.97), times 6
      expect(s.b[0] - s.a[0]).toBeCloseTo(0.18, 5);
    });
  });
});

describe('motion bookkeeping (float64)', () => {
  it('MotionHistory: new steps push, equal steps do not, a new source / fewer steps / another n start over', () => {
    const h = new MotionHistory(4);
    const a = {};
    expect(h.push(a, 0, 10)).toBe(0);
    expect(h.push(a, 0, 10)).toBeUndefined();
    expect(h.push(a, 5, 10)).toBe(1);
    expect(h.stepsBetween).toBe(5);
    for (let k = 6; k < 9; k++) h.push(a, k, 10);
    expect(h.head).toBe(0); // wrapped
    expect(h.filled).toBe(4);
    expect(h.trailSegments(12)).toBe(3);
    expect(h.push(a, 2, 10)).toBe(0); // a reset: fewer steps
    expect(h.filled).toBe(1);
    expect(h.stepsBetween).toBe(0);
    expect(h.push({}, 3, 10)).toBe(0);
    expect(h.push(a, 4, 11)).toBe(0);
  });

  it('rmsStep and the 1-2-5 magnification', () => {
    // displacements (3, 4) and (0, 0) over 2 steps: rms = sqrt((25 + 0) / 2) / 2
    expect(rmsStep([3, 4, 1, 1], [0, 0, 1, 1], 2, 2, false)).toBeCloseTo(Math.sqrt(12.5) / 2, 14);
    expect(rmsStep([0.99, 0], [0.01, 0], 1, 1, true)).toBeCloseTo(0.02, 12);
    expect(rmsStep([1, 1], [1, 1], 1, 1, false)).toBeUndefined();
    expect([niceBelow(7.3), niceBelow(0.034), niceBelow(1), niceBelow(199)]).toEqual([5, 0.02, 1, 100]);
    // rms 0.001 per step at 0.01 world per px: 16 px = 0.16 world -> x160 -> x100
    expect(arrowMagnification(0.001, 0.01)).toBe(100);
  });
});
