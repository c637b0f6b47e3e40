/**
 * The d-D WGSL kernels against their float64 twins on a real WebGPU device (Dawn + SwiftShader here;
 * a missing adapter fails). Tolerances: the GPU computes in f32 (unit roundoff 6e-8); the twins get
 * the same f32-rounded inputs; each tolerance says what accumulates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, runPass, testDevice, withDevice } from '../gpu/testing';
import { Rng } from '../reference/philox';
import { createNdTarget } from './targets';
import { ndScore, packNdTarget } from './reference/ndScore';
import { langevinAccept, langevinPropose } from './reference/langevinNd';
import { svgdNd, medianBandwidthNd, type SvgdNdKernel } from './reference/svgdNd';
import { NdScore } from './kernels/ndScore';
import { LangevinNd } from './kernels/langevinNd';
import { SvgdNd } from './kernels/svgdNd';
import { ndTiling } from './kernels/ndKernel';
import { meanSd } from './diagnostics';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

const f32 = (x: ArrayLike<number>): Float32Array => Float32Array.from(x);
const asF32 = (x: ArrayLike<number>): Float64Array => Float64Array.from(Float32Array.from(x));

function cloud(n: number, d: number, scale: number, seed: number, shift = 0): Float64Array {
  const rng = new Rng(seed, 9);
  return asF32(Float64Array.from({ length: n * d }, () => shift + scale * rng.normal()));
}

describe('ndScore twin = the target\'s own float64 logpGrad', () => {
  for (const [id, params] of [['gaussian-nd', { d: '9', cond: '50', mean: '0.3' }], ['blr', { data: 'breast-cancer' }], ['blr', { data: 'iris', test: '0', prior: '3' }], ['eight-schools', {}], ['funnel-nd', { d: '7', scale: '2' }]] as const) {
    it(`${id} ${JSON.stringify(params)}`, () => {
      const t = createNdTarget(id, params);
      const x = cloud(6, t.d, 0.5, 1);
      const g = new Float64Array(6 * t.d);
      const lp = t.logpGrad(x, 6, g);
      const tw = ndScore(packNdTarget(t), x, 6);
      expectClose(tw.logp, lp, { atol: 1e-9, rtol: 1e-12 }, 'same formulas in float64');
      expectClose(tw.scores, g, { atol: 1e-9, rtol: 1e-12 }, 'same formulas in float64');
    });
  }
  it('gaussian-nd and funnel-nd at other parameters, and eight-schools far out in log_tau', () => {
    for (const t of [createNdTarget('gaussian-nd', { d: '3', cond: '1e4' }), createNdTarget('funnel-nd', { d: '12' }), createNdTarget('eight-schools')]) {
      const x = cloud(4, t.d, 2, 3);
      const g = new Float64Array(4 * t.d);
      const lp = t.logpGrad(x, 4, g);
      const tw = ndScore(packNdTarget(t), x, 4);
      expectClose(tw.logp, lp, { atol: 1e-9, rtol: 1e-12 }, 'same formulas in float64');
      expectClose(tw.scores, g, { atol: 1e-9, rtol: 1e-12 }, 'same formulas in float64');
    }
  });
  it('a target without a GPU form is a named error', () => {
    const fake = { ...createNdTarget('gaussian-nd'), id: 'other' };
    expect(() => packNdTarget(fake)).toThrow(/ndScore: target 'other' has no GPU form yet/);
  });
});

async function gpuScore(t: ReturnType<typeof createNdTarget>, x: Float64Array, n: number): Promise<{ scores: Float32Array; logp: Float32Array }> {
  return withDevice(async (gt) => {
    const k = gt.track(new NdScore(device, packNdTarget(t)));
    k.configure(n);
    const xb = gt.upload(f32(x));
    const sb = gt.empty(4 * n * t.d);
    const lb = gt.empty(4 * n);
    runPass(device, (pass) => k.encode(pass, k.bindIO(xb, sb, lb), n));
    return { scores: new Float32Array(await gt.read(sb, 4 * n * t.d)), logp: new Float32Array(await gt.read(lb, 4 * n)) };
  });
}

describe('ndScore (WGSL) vs src/nd/reference/ndScore.ts', () => {
  for (const d of [1, 32, 128]) {
    it(`gaussian-nd d = ${d}, cond 100 (N = 37: partial tiles)`, async () => {
      const t = createNdTarget('gaussian-nd', { d: String(d), cond: '100', mean: '0.5' });
      const n = 37;
      const x = cloud(n, d, 1, d);
      const want = ndScore(packNdTarget(t), x, n);
      const got = await gpuScore(t, x, n);
      // scores: one product, prec <= 100: rel 1e-6; logp sums d terms of size <= 100 * 10
      expectClose(got.scores, want.scores, { atol: 1e-5, rtol: 1e-5 }, 'f32 product prec_k (x_k - m_k)');
      expectClose(got.logp, want.logp, { atol: 1e-5 * d * 100, rtol: 1e-5 }, 'f32 sum of d quadratic terms');
    });
  }
  for (const [id, params] of [['eight-schools', {}], ['funnel-nd', { d: '16' }]] as const) {
    it(`${id} ${JSON.stringify(params)} (N = 45)`, async () => {
      const t = createNdTarget(id, params);
      const n = 45;
      const x = cloud(n, t.d, 1.2, 13);
      const want = ndScore(packNdTarget(t), x, n);
      const got = await gpuScore(t, x, n);
      // f32 exp(log_tau) / exp(-v) with |exponent| <= ~5 (relative 1e-6 of values up to ~1e2), and
      // sums of <= 16 terms
      expectClose(got.scores, want.scores, { atol: 1e-4, rtol: 2e-5 }, 'f32 exp of one coordinate times sums of d terms');
      expectClose(got.logp, want.logp, { atol: 1e-3, rtol: 2e-5 }, 'f32 sum of d terms');
    });
  }
  for (const data of ['breast-cancer', 'iris'] as const) {
    it(`blr data=${data} (N = 21)`, async () => {
      const t = createNdTarget('blr', { data });
      const n = 21;
      const x = cloud(n, t.d, 0.4, 7);
      const want = ndScore(packNdTarget(t), x, n);
      const got = await gpuScore(t, x, n);
      // sums over up to 455 rows of terms O(|z|) with |z| up to ~15 in f32: relative 1e-6 per term,
      // absolute error grows like rows * |term| * 6e-8 ~ 1e-3 on logp values O(1e2..1e3)
      expectClose(got.scores, want.scores, { atol: 2e-3, rtol: 1e-4 }, 'f32 residual-weighted row sums over the training rows');
      expectClose(got.logp, want.logp, { atol: 2e-2, rtol: 2e-5 }, 'f32 sum of rows softplus terms');
    });
  }
});

describe('langevinNd (WGSL) vs src/nd/reference/langevinNd.ts', () => {
  it('ula and propose draw the twin\'s Philox normals (d = 5, N = 300)', async () => {
    const n = 300, d = 5, h = 0.05;
    const x = cloud(n, d, 1, 3), s = cloud(n, d, 1, 4);
    const o = { n, d, h, seed: 1234, step: 17 };
    const want = langevinPropose(x, s, o);
    const [ula, prop] = await withDevice(async (gt) => {
      const k = gt.track(new LangevinNd(device));
      k.configure(o);
      const xb = gt.upload(f32(x)), yb = gt.empty(4 * n * d), sb = gt.upload(f32(s)), lp = gt.empty(8 * n), cnt = gt.empty(8);
      const io = k.bindIO(xb, yb, sb, sb, lp, cnt);
      runPass(device, (pass) => k.encode(pass, io, 'propose', n, d));
      const y = new Float32Array(await gt.read(yb, 4 * n * d));
      runPass(device, (pass) => k.encode(pass, io, 'ula', n, d));
      return [new Float32Array(await gt.read(xb, 4 * n * d)), y];
    });
    // Philox words are bit-identical; Box-Muller in f32 (log, cos) ~1e-6 relative on normals up to ~5
    expectClose(prop, want, { atol: 2e-5, rtol: 1e-5 }, 'f32 Box-Muller normals and one fused update');
    expectClose(ula, want, { atol: 2e-5, rtol: 1e-5 }, 'ula writes the same proposal in place');
  });

  it('accept: the twin\'s decisions wherever |log A - log u| > 1e-3 (blr iris, d = 5)', async () => {
    const t = createNdTarget('blr', { data: 'iris' });
    const n = 400, d = t.d, h = 0.02;
    const pk = packNdTarget(t);
    const x = cloud(n, d, 0.5, 5, 0.3);
    const o = { n, d, h, seed: 99, step: 3 };
    const sx = ndScore(pk, x, n);
    const y = asF32(langevinPropose(x, sx.scores, o));
    const sy = ndScore(pk, y, n);
    const lp = new Float64Array(2 * n);
    lp.set(sx.logp, 0);
    lp.set(sy.logp, n);
    const want = langevinAccept(x, y, asF32(sx.scores), asF32(sy.scores), asF32(lp.subarray(0, n)), asF32(lp.subarray(n)), o);
    const got = await withDevice(async (gt) => {
      const k = gt.track(new LangevinNd(device));
      k.configure(o);
      const xb = gt.upload(f32(x)), yb = gt.upload(f32(y)), cnt = gt.empty(8);
      const io = k.bindIO(xb, yb, gt.upload(f32(sx.scores)), gt.upload(f32(sy.scores)), gt.upload(f32(lp)), cnt);
      runPass(device, (pass) => k.encode(pass, io, 'accept', n, d));
      return { x: new Float32Array(await gt.read(xb, 4 * n * d)), counts: new Uint32Array(await gt.read(cnt, 8)) };
    });
    expect(got.counts[1]).toBe(n);
    expect(want.accepted).toBeGreaterThan(n * 0.2);
    expect(want.accepted).toBeLessThan(n);
    let compared = 0;
    for (let i = 0; i < n; i++) {
      const a = Array.from(got.x.subarray(i * d, i * d + d));
      const b = Array.from(want.x.subarray(i * d, i * d + d));
      // decisions within 1e-3 of the threshold may flip in f32 (log-densities O(50) carry ~1e-5 error)
      const same = a.every((v, k) => Math.abs(v - (b[k] ?? NaN)) < 1e-6);
      if (!same) {
        const moved = a.every((v, k) => Math.abs(v - (y[i * d + k] ?? NaN)) < 1e-6);
        throw new Error(`particle ${i}: GPU ${moved ? 'accepted' : 'rejected'}, twin did not`);
      }
      compared++;
    }
    expect(compared).toBe(n);
    expect(Math.abs((got.counts[0] ?? 0) - want.accepted)).toBe(0);
  });
});

async function gpuSvgd(x: Float64Array, s: Float64Array, n: number, d: number, o: { h: number; bandwidth: number; kernel: SvgdNdKernel }): Promise<Float32Array> {
  return withDevice(async (gt) => {
    const k = gt.track(new SvgdNd(device, d));
    k.configure({ n, ...o });
    const out = gt.empty(4 * n * d);
    runPass(device, (pass) => k.encode(pass, k.bindIO(gt.upload(f32(x)), gt.upload(f32(s)), out), n));
    return new Float32Array(await gt.read(out, 4 * n * d));
  });
}

describe('svgdNd (WGSL) vs src/nd/reference/svgdNd.ts', () => {
  // each d is a new pipeline (D is an override constant): ~5 s of SwiftShader compile per case here
  for (const [d, kernel] of [[1, 'rbf'], [2, 'imq'], [10, 'imq'], [31, 'rbf'], [128, 'rbf']] as const) {
    {
      it(`${kernel}, d = ${d}, N = 83 (tiles ${JSON.stringify(ndTiling(d))})`, async () => {
        const n = 83, h = 0.5;
        const x = cloud(n, d, 1, 10 + d), s = cloud(n, d, 1, 20 + d);
        const { bandwidth } = medianBandwidthNd(x, n, d, kernel);
        const want = svgdNd(x, s, { n, d, h, bandwidth, kernel });
        const got = await gpuSvgd(x, s, n, d, { h, bandwidth, kernel });
        // phi sums N terms k * (s + delta / bw) of size O(1 + |delta| / bw) in f32: ~N * 1e-7 * O(10)
        expectClose(got, want, { atol: 2e-5, rtol: 2e-5 }, 'f32 kernel sums over 83 particles, exp/pow of r^2 up to ~4d');
      });
    }
  }
  it('bad input: a dimension beyond the lanes is a named error', () => {
    expect(() => ndTiling(257)).toThrow(/dimension 257 exceeds 256/);
    expect(() => ndTiling(0)).toThrow(/dimension must be a positive integer/);
  });
});

describe('MALA on the GPU (ndScore + langevinNd, f32): gaussian-nd d = 32, condition 100', () => {
  it('keeps the exact moments and relaxes the stiff coordinates (N = 512 chains from N(m, I), 200 steps of h = 0.008)', async () => {
    const t = createNdTarget('gaussian-nd', { d: '32', cond: '100', mean: '0.5' });
    const sd = t.exact?.sd ?? new Float64Array();
    const n = 512, d = 32, h = 0.008, steps = 200;
    const x0 = cloud(n, d, 1, 41, 0.5);
    const { x, counts } = await withDevice(async (gt) => {
      const score = gt.track(new NdScore(device, packNdTarget(t)));
      const lang = gt.track(new LangevinNd(device));
      score.configure(n);
      const xb = gt.upload(f32(x0)), yb = gt.empty(4 * n * d), sx = gt.empty(4 * n * d), sy = gt.empty(4 * n * d);
      const lpx = gt.empty(4 * n), lpy = gt.empty(4 * n), lp = gt.empty(8 * n), cnt = gt.empty(8);
      const atX = score.bindIO(xb, sx, lpx), atY = score.bindIO(yb, sy, lpy);
      const io = lang.bindIO(xb, yb, sx, sy, lp, cnt);
      // every step's params struct in one table, copied into the uniform before each step inside
      // a single command buffer (one submit for the whole run)
      const bytes = lang.params.arrayBuffer.byteLength;
      const table = new Uint8Array(bytes * steps);
      for (let s = 0; s < steps; s++) {
        lang.params.set({ n, d, h, seed: 77, step: s });
        table.set(new Uint8Array(lang.params.arrayBuffer), s * bytes);
      }
      const tb = gt.upload(table);
      const enc = device.createCommandEncoder();
      for (let s = 0; s < steps; s++) {
        enc.copyBufferToBuffer(tb, s * bytes, lang.uniform, 0, bytes);
        let pass = enc.beginComputePass();
        score.encode(pass, atX, n);
        lang.encode(pass, io, 'propose', n, d);
        score.encode(pass, atY, n);
        pass.end();
        enc.copyBufferToBuffer(lpx, 0, lp, 0, 4 * n);
        enc.copyBufferToBuffer(lpy, 0, lp, 4 * n, 4 * n);
        pass = enc.beginComputePass();
        lang.encode(pass, io, 'accept', n, d);
        pass.end();
      }
      device.queue.submit([enc.finish()]);
      return { x: new Float32Array(await gt.read(xb, 4 * n * d)), counts: new Uint32Array(await gt.read(cnt, 8)) };
    });
    const acceptance = (counts[0] ?? 0) / (counts[1] ?? 1);
    expect(counts[1]).toBe(n * steps);
    expect(acceptance).toBeGreaterThan(0.6);
    const m = meanSd(Float64Array.from(x), n, d);
    // start N(m, I): exact for x1 (variance 1), too wide for the rest, whose excess variance decays
    // like exp(-2 t / s_k^2), t = 200 h = 1.6: < 0.3% left for x2 (s^2 = 0.86), far less for the stiff
    // ones (the CPU test, src/nd/samplers.test.ts, runs the full relaxation). Then N independent
    // draws; f32 rounding of x (1e-7 relative) is far below the 4.5-SE bands. 200 steps: each costs
    // ~0.1 s on SwiftShader.
    for (let k = 0; k < d; k++) {
      const s = sd[k] ?? 1;
      expect(Math.abs((m.mean[k] ?? 0) - 0.5), `mean x${k + 1}`).toBeLessThan((4.5 * s) / Math.sqrt(n));
      expect(Math.abs((m.sd[k] ?? 0) / s - 1), `sd x${k + 1}`).toBeLessThan(4.5 / Math.sqrt(2 * n));
    }
    console.log(`GPU MALA gaussian-nd d=32 cond=100: acceptance ${acceptance.toFixed(3)}`);
  });
});
