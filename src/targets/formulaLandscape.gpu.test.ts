/**
 * The formula landscape on the GPU (issue 20): V and W compiled to WGSL (landscapeFormulaChunk,
 * vKind / wKind 4 of shaders/common/landscapes.wgsl, PackedLandscape.shader) inside the landscape
 * kernels the methods use (landscapeGrad; landscapeHvp through GPU Lanczos), against the float64
 * twin (the formulas' programs through PackedLandscape.host), and the double well typed as V and W
 * against the built-in double well, both on the GPU, through the methods' own GPU steppers.
 * Dawn on SwiftShader here; a missing adapter FAILS.
 *
 * Tolerances as src/kernels/landscape.test.ts states them for the built-in landscapes: an entry is
 * an O(N) f32 sum of terms of size ~max |term|: atol 2e-6 of the largest entry, rtol 1e-5.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyBuffer, expectClose, readBuffer, runPass, testDevice, uploadBuffer, withValidation } from '../gpu/testing';
import { Readback } from '../gpu/buffers';
import { withDevice } from '../gpu/testing';
import { LandscapeGrad } from '../kernels/landscapeGrad';
import { LandscapeShade, landscapeShadeColour } from '../render/landscapeShade';
import { LandscapeHvp } from '../kernels/landscapeHvp';
import { resolveParams, type Params } from '../core/params';
import { FORMULA_PRESETS } from '../formula/presets';
import { createLandscape, landscapes, landscapeUniform } from '../landscapes/presets';
import { getMethod } from '../methods/registry';
import type { GpuMethodContext } from '../methods/types';
import { landscapeGrad } from '../reference/landscapeGrad';
import { landscapeHvp } from '../reference/landscapeHvp';
import type { PackedLandscape } from '../reference/landscapes';
import { Rng } from '../reference/philox';
import { formulaLandscapeParamSpecs, formulaLandscapeTarget } from './formula';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

function make(V: string, W: string, values: Params): PackedLandscape {
  const t = formulaLandscapeTarget.create(resolveParams(formulaLandscapeParamSpecs(V, W), { V, W, ...values }));
  if (!t.landscape?.shader) throw new Error('a formula landscape carries its WGSL');
  return t.landscape;
}

function cloud(m: number, seed: number, s = 1): Float64Array {
  const rng = new Rng(seed, 12);
  return Float64Array.from(Float32Array.from({ length: m }, () => s * rng.normal()));
}
const maxAbs = (x: ArrayLike<number>): number => Array.from(x).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

const dw = FORMULA_PRESETS.find((p) => p.id === 'double-well');

describe('formula landscape on the GPU: landscapeGrad and landscapeHvp vs the float64 twin', () => {
  const cases = [
    { label: 'the double well typed as V and W', V: dw?.V ?? '', W: dw?.W ?? '', values: dw?.values ?? {} },
    // five parameters: V's a, d, b in L.v, W's c in L.v[3] and s in L.w[0]; W even, not a power of |z|
    {
      label: 'five parameters across v and w', V: 'a (x - d)^2 / 2 + b y^2 / 2 + (x^2 + y^2)^2 / 20',
      W: 'c log(1 + x^2 + y^2) - exp(-(x^2 + y^2) / (2 s^2))', values: { a: 1.5, d: 0.4, b: 0.7, c: 0.3, s: 0.8 },
    },
  ];
  for (const c of cases) {
    it(`${c.label}: g, e, F, |g|^2 and H v at N = 200`, async () => {
      const n = 200;
      const L = make(c.V, c.W, c.values);
      const x = cloud(2 * n, 1, 0.8), v = cloud(2 * n, 2);
      const want = landscapeGrad(L, x, n), wantHv = landscapeHvp(L, x, v, n);
      const got = await withValidation(device, async () => {
        const gk = new LandscapeGrad(device, L.shader), hk = new LandscapeHvp(device, L.shader);
        gk.configure(n);
        hk.configure(n);
        const land = uploadBuffer(device, new Uint8Array(landscapeUniform(L)), GPUBufferUsage.UNIFORM, 'landscape');
        const pos = uploadBuffer(device, Float32Array.from(x)), vin = uploadBuffer(device, Float32Array.from(v));
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
          sums: new Float32Array(await readBuffer(device, sums, 8)),
          hv: new Float32Array(await readBuffer(device, hv, 8 * n)),
        };
        for (const b of [land, pos, vin, slot, grad, energy, sums, hv]) b.destroy();
        gk.destroy();
        hk.destroy();
        return out;
      });
      const sg = maxAbs(want.g), se = maxAbs(want.e), sh = maxAbs(wantHv);
      expect(sg).toBeGreaterThan(0.1); // not a trivially zero landscape (the stubs return 0)
      expectClose(got.g, want.g, { atol: 2e-6 * sg, rtol: 1e-5 }, 'f32 O(N) sum of grad_1 W terms');
      expectClose(got.e, want.e, { atol: 2e-6 * se, rtol: 1e-5 }, 'f32 O(N) sum of W terms');
      expectClose(got.sums, [want.energy, want.gradNorm ** 2], { atol: 2e-6 * se, rtol: 2e-5 }, 'f32 tree reductions');
      expectClose(got.hv, wantHv, { atol: 2e-6 * sh, rtol: 1e-5 }, 'f32 O(N) sum of Hessian blocks');
    });
  }
});

describe('the double well typed as V and W on the GPU follows the built-in double well on the GPU', () => {
  /**
   * The methods' own GPU steppers (createGpu, stepAsync) from the saddle-side start of the built-in
   * double well, N = 64, h = 1: the formula's symbolic derivatives against the closed forms, both in
   * f32, so positions agree to f32 rounding amplified by the steps (allowed: 1e-4), and the issue's
   * numbers hold: w-newton stays at the saddle, F = 1/4; wsfn escapes it (F < 1e-4 here, f32).
   */
  it.each([['w-newton', {}, 5], ['wsfn', { lambda: 0.5 }, 40]] as const)('%s', async (id, extra, steps) => {
    const n = 64;
    const formula = make(dw?.V ?? '', dw?.W ?? '', dw?.values ?? {});
    const builtin = createLandscape('double-well', {});
    const method = getMethod(id);
    const init = Float32Array.from(landscapes['double-well'].init(n, 1));
    const run = async (L: PackedLandscape): Promise<{ x: Float32Array; F: number }> =>
      withValidation(device, async () => {
        const S = GPUBufferUsage.STORAGE, CS = GPUBufferUsage.COPY_SRC, CD = GPUBufferUsage.COPY_DST;
        const buf = (bytes: number): GPUBuffer => device.createBuffer({ size: bytes, usage: S | CS | CD });
        const pos: [GPUBuffer, GPUBuffer] = [buf(8 * n), buf(8 * n)];
        device.queue.writeBuffer(pos[0], 0, init);
        const ctx: GpuMethodContext = { device, pos, scores: buf(16 * n), clock: buf(16) };
        const stepper = method.createGpu(ctx, { n, stepSize: 1, seed: 1, params: resolveParams(method.params, extra), domain: 'plane', landscape: L });
        const stepAsync = stepper.stepAsync?.bind(stepper);
        if (!stepAsync) throw new Error(`${id}: a landscape stepper steps asynchronously`);
        let cur: 0 | 1 = 0, F = NaN;
        for (let s = 0; s < steps; s++) {
          cur = await stepAsync(cur, s);
          F = stepper.hostReadouts?.('metrics').energy ?? NaN;
          if (id === 'wsfn' && F < 1e-5) break;
        }
        const x = new Float32Array(await readBuffer(device, pos[cur], 8 * n));
        stepper.destroy();
        for (const b of [...pos, ctx.scores, ctx.clock]) b.destroy();
        return { x, F };
      });
    const a = await run(formula), b = await run(builtin);
    const worst = a.x.reduce((m, v, i) => Math.max(m, Math.abs(v - (b.x[i] ?? NaN))), 0);
    console.log(`${id} on the GPU: formula F = ${a.F}, built-in F = ${b.F}, max |x_formula - x_builtin| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
    expect(Math.abs(a.F - b.F)).toBeLessThan(1e-5);
    if (id === 'w-newton') expect(Math.abs(a.F - 0.25)).toBeLessThan(1e-5);
    if (id === 'wsfn') expect(a.F).toBeLessThan(1e-4);
  }, 300_000); // wsfn: 105 s measured on SwiftShader, the box shared
});

describe('the formula landscape drawn on the GPU (render/landscapeShade.ts)', () => {
  it('the double well typed as V and W: every pixel within 3/255 of the twin (as the built-in landscapes, src/render/landscapeShade.test.ts)', async () => {
    const W = 64, H = 64;
    const L = make(dw?.V ?? '', dw?.W ?? '', dw?.values ?? {});
    const rect = landscapes['double-well'].view;
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
        const x = rect[0] + ((i + 0.5) / W) * (rect[1] - rect[0]);
        const y = rect[3] - ((j + 0.5) / H) * (rect[3] - rect[2]);
        const want = landscapeShadeColour(L, x, y, px.scale.vMin, px.scale.vScale);
        for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs((px.data[4 * (j * W + i) + c] ?? NaN) / 255 - Math.min(1, Math.max(0, want[c] ?? NaN))));
      }
    }
    expect(px.scale.vScale).toBeGreaterThan(0);
    expect(worst).toBeLessThan(3 / 255);
  });
});
