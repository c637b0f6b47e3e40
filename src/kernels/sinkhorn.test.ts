/**
 * The three Sinkhorn kernels (shaders/sinkhorn{Softmin,Barycenter,Reduce}.wgsl) and their common
 * schedule index (shaders/common/schedule.wgsl) against their float64 twins on a real WebGPU device (Dawn + SwiftShader here). Inputs are rounded to f32 first, so the
 * differences measure only the f32 arithmetic of the kernels (unit roundoff u = 6e-8).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyBuffer, expectClose, readBuffer, runPass, testDevice, uploadBuffer, withValidation } from '../gpu/testing';
import { Rng } from '../reference/philox';
import { sinkhornSoftmin } from '../reference/sinkhornSoftmin';
import { sinkhornBarycenter } from '../reference/sinkhornBarycenter';
import { sinkhornReduce } from '../reference/sinkhornReduce';
import { SinkhornSoftmin } from './sinkhornSoftmin';
import { SinkhornBarycenter } from './sinkhornBarycenter';
import { SinkhornReduce } from './sinkhornReduce';
import { ClockTick } from './clockTick';
import { scheduleIndex } from '../ot/sinkhorn';
import { withWorkgroupSizes } from '../gpu/workgroups';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

const asF32 = (x: ArrayLike<number>): Float64Array => Float64Array.from(Float32Array.from(x));

function normals(count: number, seed: number, scale: number, offset = 0): Float64Array {
  const rng = new Rng(seed, 5);
  return asF32(Array.from({ length: count }, () => offset + scale * rng.normal()));
}

/** Schedule buffer with one step (iter = 0, last = 0): (eps, lambda, 1/eps, 0). */
function scheduleBuffer(eps: number, lambda: number): GPUBuffer {
  const data = new ArrayBuffer(32);
  new Uint32Array(data, 0, 4).set([0, 0, 0, 0]);
  new Float32Array(data, 16, 4).set([eps, lambda, 1 / eps, 0]);
  return uploadBuffer(device, new Uint8Array(data));
}

const eps32 = (e: number): number => Math.fround(e);

describe('sinkhornSoftmin (WGSL, tiled online log-sum-exp) vs twin', () => {
  const cases = [
    { n: 300, m: 517, eps: 0.05, lambda: 1, blend: 0.5, raw: false },
    { n: 257, m: 100, eps: 0.002, lambda: 1 / (1 + 0.002 / 0.25), blend: 0, raw: false },
    { n: 64, m: 1000, eps: 1.3, lambda: 0.7, blend: 0.25, raw: true },
  ];
  for (const c of cases) {
    it(`n=${c.n}, m=${c.m}, eps=${c.eps}, blend=${c.blend}${c.raw ? ', raw' : ''}`, async () => {
      const x = normals(2 * c.n, 1, 1.2), y = normals(2 * c.m, 2, 0.8, 0.5);
      const logw = asF32(Array.from({ length: c.m }, (_, j) => Math.log((1 + (j % 7)) / (4 * c.m))));
      const pot = normals(c.m, 3, 0.3), old = normals(c.n, 4, 0.3);
      const eps = eps32(c.eps), lambda = eps32(c.lambda);
      const want = sinkhornSoftmin(x, c.n, y, c.m, logw, pot, old, { eps, lambda, blend: c.blend, raw: c.raw });
      const got = await withValidation(device, async () => {
        const k = new SinkhornSoftmin(device);
        const block = k.block({ n: c.n, m: c.m, blend: c.blend, raw: c.raw }, 'test');
        const out = emptyBuffer(device, 4 * c.n);
        const bg = k.bindIO(block, {
          sched: scheduleBuffer(eps, lambda), x: uploadBuffer(device, Float32Array.from(x)), y: uploadBuffer(device, Float32Array.from(y)),
          logw: uploadBuffer(device, Float32Array.from(logw)), pot: uploadBuffer(device, Float32Array.from(pot)), old: uploadBuffer(device, Float32Array.from(old)), out,
        }, 'test');
        runPass(device, (pass) => k.encode(pass, bg, c.n));
        const r = new Float32Array(await readBuffer(device, out, 4 * c.n));
        k.destroy();
        return r;
      });
      // The exponents v_j = h_j - C_ij/eps reach |v| ~ 10/eps; f32 rounds them to u|v|, which
      // becomes eps * u * |v| ~ 10 u ~ 1e-6 in f (independent of eps), plus log/exp rounding ~ u.
      expectClose(got, want, { atol: 3e-6, rtol: 2e-6 }, 'f32 exponents of size |C|/eps, scaled back by eps');
    });
  }
});

describe('sinkhornBarycenter (WGSL) vs twin', () => {
  it('T(x) fused with alpha x + beta T + gamma addend, n=333, m=600', async () => {
    const n = 333, m = 600;
    const x = normals(2 * n, 5, 1), y = normals(2 * m, 6, 1.5, -0.3);
    const logw = asF32(new Float64Array(m).fill(-Math.log(m)));
    const pot = normals(m, 7, 0.2), addend = normals(2 * n, 8, 1);
    const eps = eps32(0.01);
    const step = { eps, alpha: 1, beta: -0.25, gamma: 0.25 };
    const want = sinkhornBarycenter(x, n, y, m, logw, pot, addend, step);
    const got = await withValidation(device, async () => {
      const k = new SinkhornBarycenter(device);
      const block = k.block({ n, m, alpha: step.alpha, beta: step.beta, gamma: step.gamma }, 'test');
      const out = emptyBuffer(device, 8 * n);
      const bg = k.bindIO(block, {
        sched: scheduleBuffer(eps, 1), x: uploadBuffer(device, Float32Array.from(x)), y: uploadBuffer(device, Float32Array.from(y)),
        logw: uploadBuffer(device, Float32Array.from(logw)), pot: uploadBuffer(device, Float32Array.from(pot)), addend: uploadBuffer(device, Float32Array.from(addend)), out,
      }, 'test');
      runPass(device, (pass) => k.encode(pass, bg, n));
      const r = new Float32Array(await readBuffer(device, out, 8 * n));
      k.destroy();
      return r;
    });
    // Softmax weights carry the exponent error |v| u ~ (10/eps) 6e-8 = 6e-5 relative at eps = 0.01;
    // T is a weighted mean of offsets y_j - x_i of size O(1) with those weights: error <~ 1e-4 * beta.
    expectClose(got, want, { atol: 5e-5, rtol: 1e-5 }, 'f32 softmax weights with exponents |C|/eps at eps=0.01');
  });
});

describe('sinkhornReduce (WGSL, one workgroup) vs twin', () => {
  const n = 1500;
  const logw = asF32(Array.from({ length: n }, (_, i) => Math.log((1 + (i % 3)) / (2 * n))));
  const u = normals(n, 9, 0.5), v = normals(n, 10, 0.5);
  const eps = eps32(0.04);
  const cases: { mode: 'value' | 'error'; rho: number | null }[] = [
    { mode: 'value', rho: null }, { mode: 'value', rho: 2 }, { mode: 'value', rho: 1e4 },
    { mode: 'error', rho: null }, { mode: 'error', rho: 0.5 },
  ];
  for (const c of cases) {
    it(`${c.mode}, rho=${c.rho ?? 'none'}`, async () => {
      // the error mode compares f_i with its softmin s_i: keep (u - v)/eps = O(1)
      const vv = c.mode === 'error' ? asF32(Array.from(u, (ui, i) => ui + eps * 0.3 * Math.sin(i))) : v;
      const want = sinkhornReduce(logw, u, vv, n, c.mode, eps, c.rho === null ? null : eps32(c.rho));
      const got = await withValidation(device, async () => {
        const k = new SinkhornReduce(device);
        const block = k.block({ n, mode: c.mode, slot: 1, rho: c.rho }, 'test');
        const result = emptyBuffer(device, 16);
        const bg = k.bindIO(block, {
          sched: scheduleBuffer(eps, 1), logw: uploadBuffer(device, Float32Array.from(logw)), u: uploadBuffer(device, Float32Array.from(u)),
          v: uploadBuffer(device, Float32Array.from(vv)), result,
        }, 'test');
        runPass(device, (pass) => k.encode(pass, bg));
        const r = new Float32Array(await readBuffer(device, result, 16));
        k.destroy();
        return r[1] ?? NaN;
      });
      // a sum of n terms of size ~w |u - v| ~ 1/n: f32 summation error ~ u log2(n) per term
      // (tree) plus the (rho + eps/2) expm1 form, which stays relative (no cancellation at rho = 1e4).
      expect(Number.isFinite(got)).toBe(true);
      expectClose([got], [want], { atol: 1e-6, rtol: 1e-5 }, 'f32 weighted sum of n terms');
    });
  }
});

describe('schedule index (shaders/common/schedule.wgsl) vs its twin scheduleIndex', () => {
  it('wraps back to offset every period ticks and saturates on the last entry, as the CPU twin', async () => {
    // steps k = 0..5 with eps_k = k + 1; a raw softmin of one point against itself with log w = -1
    // and p = 0 is -eps (log w + 0) = eps_k exactly, so each dispatch reports the entry it read.
    const L = 6, period = 4, offset = 2, ticks = 14;
    const data = new ArrayBuffer(16 + 16 * L);
    new Uint32Array(data, 0, 4).set([0, L - 1, period, offset]);
    const steps = new Float32Array(data, 16);
    for (let k = 0; k < L; k++) steps.set([k + 1, 1, 1 / (k + 1), 0], 4 * k);
    const got = await withValidation(device, async () => {
      const sched = uploadBuffer(device, new Uint8Array(data));
      const k = new SinkhornSoftmin(device);
      const tick = new ClockTick(device);
      const block = k.block({ n: 1, m: 1, blend: 0, raw: true }, 'test');
      const out = emptyBuffer(device, 16);
      const all = emptyBuffer(device, 4 * ticks);
      const one = uploadBuffer(device, new Float32Array([0.3, -0.2]));
      const bg = k.bindIO(block, { sched, x: one, y: one, logw: uploadBuffer(device, new Float32Array([-1])), pot: uploadBuffer(device, new Float32Array([0])), old: uploadBuffer(device, new Float32Array([0])), out }, 'test');
      const tickBG = tick.bind([sched]);
      const enc = device.createCommandEncoder();
      for (let t = 0; t < ticks; t++) {
        const pass = enc.beginComputePass();
        k.encode(pass, bg, 1);
        tick.encode(pass, tickBG);
        pass.end();
        enc.copyBufferToBuffer(out, 0, all, 4 * t, 4);
      }
      device.queue.submit([enc.finish()]);
      const r = Array.from(new Float32Array(await readBuffer(device, all, 4 * ticks)));
      k.destroy();
      tick.destroy();
      return r;
    });
    const want = Array.from({ length: ticks }, (_, t) => scheduleIndex(t, L - 1, period, offset) + 1);
    // exact: 0, 1, then 2, 3, 4, 5 and back to 2 every 4 ticks
    expect(want).toEqual([1, 2, 3, 4, 5, 6, 3, 4, 5, 6, 3, 4, 5, 6]);
    expect(got).toEqual(want);
  });

  it('saturates on the last entry without a period (annealing, then blur^2)', () => {
    expect(Array.from({ length: 6 }, (_, t) => scheduleIndex(t, 3))).toEqual([0, 1, 2, 3, 3, 3]);
    // offset larger than the iteration count: the plain index until iter reaches offset
    expect(Array.from({ length: 7 }, (_, t) => scheduleIndex(t, 9, 2, 4))).toEqual([0, 1, 2, 3, 4, 5, 4]);
  });
});

describe('workgroup sizes (src/gpu/workgroups.ts): the Sinkhorn kernels at WG = 64, 128 vs 256', () => {
  it('softmin and barycenter are bit-identical (each thread runs over j in the same order); reduce equals the twin', async () => {
    const n = 300, m = 517;
    const x = normals(2 * n, 11, 1.2), y = normals(2 * m, 12, 0.8, 0.5);
    const logw = asF32(new Float64Array(m).fill(-Math.log(m)));
    const pot = normals(m, 13, 0.3), old = normals(n, 14, 0.3);
    const eps = eps32(0.05);
    const at = (wg: number): Promise<{ soft: Float32Array; bary: Float32Array; red: number }> => withWorkgroupSizes({ sinkhornSoftmin: wg, sinkhornBarycenter: wg, sinkhornReduce: wg }, () => withValidation(device, async () => {
      const sched = scheduleBuffer(eps, 1);
      const xb = uploadBuffer(device, Float32Array.from(x)), yb = uploadBuffer(device, Float32Array.from(y));
      const lw = uploadBuffer(device, Float32Array.from(logw)), pb = uploadBuffer(device, Float32Array.from(pot));
      const soft = new SinkhornSoftmin(device), bary = new SinkhornBarycenter(device), red = new SinkhornReduce(device);
      expect([soft.wg, bary.wg, red.wg]).toEqual([wg, wg, wg]);
      const sOut = emptyBuffer(device, 4 * n), bOut = emptyBuffer(device, 8 * n), result = emptyBuffer(device, 16);
      const sBG = soft.bindIO(soft.block({ n, m, blend: 0.5, raw: false }, 'wg'), { sched, x: xb, y: yb, logw: lw, pot: pb, old: uploadBuffer(device, Float32Array.from(old)), out: sOut }, 'wg');
      const bBG = bary.bindIO(bary.block({ n, m, alpha: 1, beta: -0.25, gamma: 0.25 }, 'wg'), { sched, x: xb, y: yb, logw: lw, pot: pb, addend: xb, out: bOut }, 'wg');
      const rBG = red.bindIO(red.block({ n: m, mode: 'value', slot: 0, rho: null }, 'wg'), { sched, logw: lw, u: pb, v: uploadBuffer(device, new Float32Array(m)), result }, 'wg');
      runPass(device, (pass) => {
        soft.encode(pass, sBG, n);
        bary.encode(pass, bBG, n);
        red.encode(pass, rBG);
      });
      const r = {
        soft: new Float32Array(await readBuffer(device, sOut, 4 * n)),
        bary: new Float32Array(await readBuffer(device, bOut, 8 * n)),
        red: new Float32Array(await readBuffer(device, result, 16))[0] ?? NaN,
      };
      soft.destroy();
      bary.destroy();
      red.destroy();
      return r;
    }));
    const ref = await at(256);
    const want = sinkhornReduce(logw, pot, new Float64Array(m), m, 'value', eps, null);
    for (const wg of [64, 128]) {
      const got = await at(wg);
      expect(Array.from(got.soft)).toEqual(Array.from(ref.soft));
      expect(Array.from(got.bary)).toEqual(Array.from(ref.bary));
      // the tree sum's order depends on WG: equal to the float64 sum within f32 rounding
      expectClose([got.red], [want], { atol: 1e-6, rtol: 1e-5 }, `f32 tree sum of ${m} terms at WG = ${wg}`);
    }
    expectClose([ref.red], [want], { atol: 1e-6, rtol: 1e-5 }, 'f32 tree sum at WG = 256');
  });
});
