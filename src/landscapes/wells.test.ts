/**
 * The double well with movable wells (issue 10: "the double-well's wells can be dragged"):
 * params well1, well2 -> v = [m, d] (centre, half-difference), V = (s^2 - 1)^2 / 4 + t^2 / 2 with
 * s = d.(x - m) / |d|^2, t = d^perp.(x - m) / |d| (src/reference/landscapes.ts, vKind 2, and
 * shaders/common/landscapes.wgsl).
 * Exact answers: the default wells give today's V bit for bit; at dyadic wells V = 0 and grad V = 0
 * exactly at both wells (s = +-1 and t = 0 are exact there), V = 1/4 at the midpoint (the saddle).
 * GPU (landscapeGrad, landscapeHvp on Dawn + SwiftShader) vs the float64 twin at moved wells,
 * f32 tolerances as in src/kernels/landscape.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyBuffer, expectClose, readBuffer, runPass, testDevice, uploadBuffer, withValidation } from '../gpu/testing';
import { LandscapeGrad } from '../kernels/landscapeGrad';
import { LandscapeHvp } from '../kernels/landscapeHvp';
import { ParamError, type Params } from '../core/params';
import { landscapeGrad } from '../reference/landscapeGrad';
import { landscapeHvp } from '../reference/landscapeHvp';
import { landGradV, landHessV, landV, type PackedLandscape } from '../reference/landscapes';
import { Rng } from '../reference/philox';
import { createLandscape, landscapeUniform } from './presets';

/** f32-representable N(0, s^2) numbers, so the twins see exactly the GPU's inputs. */
function cloud(m: number, seed: number, s = 1): Float64Array {
  const rng = new Rng(seed, 21);
  return Float64Array.from(Float32Array.from({ length: m }, () => s * rng.normal()));
}
const maxAbs = (x: ArrayLike<number>): number => Array.from(x).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('double well with movable wells: the float64 twin', () => {
  it('default wells (-1, 0), (1, 0): V, grad V, hess V are the fixed double well bit for bit', () => {
    const L = createLandscape('double-well', {});
    expect(Array.from(L.v)).toEqual([0, 0, 1, 0]);
    const x = cloud(2000, 1, 1.5);
    for (let i = 0; i < 1000; i++) {
      const x0 = x[2 * i] ?? NaN, x1 = x[2 * i + 1] ?? NaN;
      const q = x0 * x0 - 1;
      expect(landV(L, x0, x1)).toBe(0.25 * q * q + 0.5 * x1 * x1);
      const [g0, g1] = landGradV(L, x0, x1);
      expect(g0).toBe(x0 * (x0 * x0 - 1));
      expect(g1).toBe(x1);
      const [h11, h12, h22] = landHessV(L, x0, x1);
      expect(h11).toBe(3 * x0 * x0 - 1);
      expect(h12 === 0).toBe(true); // 0 or -0 (a d1 d0 with d1 = 0 keeps a's sign): the same value
      expect(h22).toBe(1);
    }
  });

  it('dyadic moved wells: V = 0 and grad V = 0 exactly at both wells, V = 1/4 at the midpoint, hess there diag(2/|d|^2, 1) in the wells frame', () => {
    // m = (0.5, 0.5), d = (1, 0.25): |d|^2 = 1.0625, every step exact in float64
    const L = createLandscape('double-well', { well1: [-0.5, 0.25], well2: [1.5, 0.75] });
    expect(Array.from(L.v)).toEqual([0.5, 0.5, 1, 0.25]);
    for (const [w0, w1] of [[-0.5, 0.25], [1.5, 0.75]] as const) {
      expect(landV(L, w0, w1)).toBe(0);
      expect(landGradV(L, w0, w1).map(Math.abs)).toEqual([0, 0]);
      // hess V at a well: 2 d d^T / |d|^4 + d^perp d^perp^T / |d|^2; along d: 2 / |d|^2, across: 1
      const [h11, h12, h22] = landHessV(L, w0, w1);
      const l2 = 1.0625, u = [1 / Math.sqrt(l2), 0.25 / Math.sqrt(l2)] as const;
      const along = h11 * u[0] * u[0] + 2 * h12 * u[0] * u[1] + h22 * u[1] * u[1];
      const across = h11 * u[1] * u[1] - 2 * h12 * u[0] * u[1] + h22 * u[0] * u[0];
      expect(Math.abs(along - 2 / l2)).toBeLessThan(1e-15);
      expect(Math.abs(across - 1)).toBeLessThan(1e-15);
    }
    expect(landV(L, 0.5, 0.5)).toBe(0.25);
    expect(landGradV(L, 0.5, 0.5).map(Math.abs)).toEqual([0, 0]);
  });

  it('grad V and hess V equal central differences of V and grad V at moved wells (1e-7 relative)', () => {
    const L = createLandscape('double-well', { well1: [0.3, -0.7], well2: [-1.2, 0.9] });
    const x = cloud(40, 3);
    const h = 1e-5;
    for (let i = 0; i < 20; i++) {
      const x0 = x[2 * i] ?? NaN, x1 = x[2 * i + 1] ?? NaN;
      const g = landGradV(L, x0, x1);
      const fd = [(landV(L, x0 + h, x1) - landV(L, x0 - h, x1)) / (2 * h), (landV(L, x0, x1 + h) - landV(L, x0, x1 - h)) / (2 * h)];
      // O(h^2 V''') truncation plus O(eps V / h) cancellation: ~1e-9 here; 1e-7 of the scale leaves room
      expectClose(g, fd, { atol: 1e-7 * (1 + maxAbs(g)), rtol: 1e-7 }, 'central difference of V');
      const H = landHessV(L, x0, x1);
      const gx = [landGradV(L, x0 + h, x1), landGradV(L, x0 - h, x1)], gy = [landGradV(L, x0, x1 + h), landGradV(L, x0, x1 - h)];
      const d = (a: [number, number] | undefined, b: [number, number] | undefined, k: 0 | 1): number => ((a?.[k] ?? NaN) - (b?.[k] ?? NaN)) / (2 * h);
      const fdH = [d(gx[0], gx[1], 0), d(gx[0], gx[1], 1), d(gy[0], gy[1], 1)];
      expectClose(H, fdH, { atol: 1e-7 * (1 + maxAbs(H)), rtol: 1e-7 }, 'central difference of grad V');
      // symmetry of the Hessian: d/dy of g0 equals d/dx of g1
      expect(Math.abs(d(gy[0], gy[1], 0) - (fdH[1] ?? NaN))).toBeLessThan(1e-7 * (1 + maxAbs(H)));
    }
  });

  it('coinciding wells are refused with a message naming well2', () => {
    expect(() => createLandscape('double-well', { well1: [0.5, 0.5], well2: [0.5, 0.5] })).toThrow(ParamError);
    expect(() => createLandscape('double-well', { well1: [0.5, 0.5], well2: [0.5, 0.5] })).toThrow(/well2: the wells must be/);
  });
});

describe('double well with movable wells: WGSL (landscapeGrad, landscapeHvp) vs the twin', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice();
  });

  async function gpu(L: PackedLandscape, x: Float64Array, v: Float64Array, n: number): Promise<{ g: Float32Array; e: Float32Array; hv: Float32Array }> {
    return withValidation(device, async () => {
      const gk = new LandscapeGrad(device), hk = new LandscapeHvp(device);
      gk.configure(n);
      hk.configure(n);
      const land = uploadBuffer(device, new Uint8Array(landscapeUniform(L)), GPUBufferUsage.UNIFORM, 'landscape');
      const pos = uploadBuffer(device, Float32Array.from(x));
      const vin = uploadBuffer(device, Float32Array.from(v));
      const slot = uploadBuffer(device, new Uint32Array([0, 0, 0, 0]));
      const grad = emptyBuffer(device, 8 * n), energy = emptyBuffer(device, 4 * n), sums = emptyBuffer(device, 16), hv = emptyBuffer(device, 8 * n);
      const gio = gk.bindIO(land, pos, grad, energy, sums), hio = hk.bindIO(land, pos, vin, slot, hv);
      runPass(device, (pass) => {
        gk.encode(pass, gio, n);
        hk.encode(pass, hio, n);
      });
      const out = {
        g: new Float32Array(await readBuffer(device, grad, 8 * n)),
        e: new Float32Array(await readBuffer(device, energy, 4 * n)),
        hv: new Float32Array(await readBuffer(device, hv, 8 * n)),
      };
      for (const b of [land, pos, vin, slot, grad, energy, sums, hv]) b.destroy();
      gk.destroy();
      hk.destroy();
      return out;
    });
  }

  for (const params of [
    { well1: [0.3, -0.7], well2: [-1.2, 0.9], c: 0 },
    { well1: [-0.25, 1.5], well2: [2, -0.5], c: 0.5 },
  ] satisfies Params[]) {
    it(`random cloud, wells ${JSON.stringify(params)}: g, e, Hv within f32 rounding of the twin`, async () => {
      const n = 129;
      const L = createLandscape('double-well', params);
      const x = cloud(2 * n, 5, 1.2), v = cloud(2 * n, 6);
      const want = landscapeGrad(L, x, n), wantHv = landscapeHvp(L, x, v, n);
      const got = await gpu(L, x, v, n);
      // f32: (s, t) carry ~1e-7 relative error, V ~ s^4 and grad ~ s^3 amplify it by 4 and 3;
      // the interaction adds an O(N) f32 sum (~1e-6 of the scale), as in src/kernels/landscape.test.ts
      expectClose(got.g, want.g, { atol: 2e-6 * maxAbs(want.g), rtol: 1e-5 }, 'f32 well coordinates + O(N) sum');
      expectClose(got.e, want.e, { atol: 2e-6 * maxAbs(want.e), rtol: 1e-5 }, 'f32 well coordinates + O(N) sum');
      expectClose(got.hv, wantHv, { atol: 2e-6 * maxAbs(wantHv), rtol: 1e-5 }, 'f32 Hessian blocks + O(N) sum');
    });
  }

  it('particles exactly at the dyadic moved wells (c = 0): GPU V = 0 and grad V = 0 exactly; at the midpoint V = 1/4', async () => {
    const L = createLandscape('double-well', { well1: [-0.5, 0.25], well2: [1.5, 0.75], c: 0 });
    const x = Float64Array.from([-0.5, 0.25, 1.5, 0.75, 0.5, 0.5, -0.5, 0.25]);
    const n = 4;
    const got = await gpu(L, x, new Float64Array(2 * n).fill(1), n);
    expect(Array.from(got.g).map(Math.abs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(got.e)).toEqual([0, 0, 0.25, 0]);
    // the twin says the same
    const want = landscapeGrad(L, x, n);
    expect(Array.from(want.e)).toEqual([0, 0, 0.25, 0]);
    expect(Array.from(want.g).map(Math.abs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
