/**
 * Every WGSL kernel against its float64 CPU twin, on a real WebGPU device (Dawn + SwiftShader here).
 * Tolerances: the GPU computes in f32 (unit roundoff 6e-8); each test states what accumulates.
 * Each GPU test runs in `withDevice`: what it creates (buffers, kernels) is destroyed at its end.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyBuffer, expectClose, readBuffer, runPass, testDevice, uploadBuffer, withDevice, withValidation, type GpuTest } from '../gpu/testing';
import { bindBuffers, targetLayout } from '../gpu/layouts';
import { Rng } from '../reference/philox';
import { targetEval } from '../reference/targetEval';
import { langevinStep } from '../reference/langevinStep';
import { svgdStep } from '../reference/svgdStep';
import { medianBandwidth } from '../reference/medianBandwidth';
import { particleStats } from '../reference/particleStats';
import { ksdRows } from '../reference/ksdRows';
import { mmdRows } from '../reference/mmdRows';
import { packTargetUniform } from '../targets/pack';
import { createTarget, targets } from '../targets/registry';
import type { PackedTarget } from '../targets/types';
import { TargetEval } from './targetEval';
import { LangevinStep } from './langevinStep';
import { SvgdStep } from './svgdStep';
import { MedianBandwidth } from './medianBandwidth';
import { ParticleStats } from './particleStats';
import { KsdRows } from './ksdRows';
import { MmdRows } from './mmdRows';
import { ClockTick } from './clockTick';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

function randomPoints(n: number, seed: number, scale = 1.5, offset: [number, number] = [0, 0]): Float64Array {
  const rng = new Rng(seed, 9);
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = offset[0] + scale * rng.normal();
    x[2 * i + 1] = offset[1] + scale * rng.normal();
  }
  return x;
}

const f32 = (x: ArrayLike<number>): Float32Array => Float32Array.from(x);
/** The f64 twin fed the same f32-rounded inputs the GPU sees. */
const asF32 = (x: ArrayLike<number>): Float64Array => Float64Array.from(Float32Array.from(x));

/** The target uniform + bind group, destroyed with the test's other resources. */
function targetBindGroup(t: GpuTest, packed: PackedTarget): GPUBindGroup {
  const u = t.upload(new Uint8Array(packTargetUniform(packed)), GPUBufferUsage.UNIFORM);
  return bindBuffers(device, 'test.target', targetLayout(device), [u]);
}

describe('targetEval (WGSL) vs src/reference/targetEval.ts', () => {
  for (const def of targets) {
    it(`${def.id}: log-density and score`, async () => {
      const inst = createTarget(def.id, {});
      const [x0, x1, y0, y1] = inst.view;
      const rng = new Rng(11, 9);
      const n = 500;
      const pts = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        pts[2 * i] = x0 + (x1 - x0) * rng.uniform();
        pts[2 * i + 1] = y0 + (y1 - y0) * rng.uniform();
      }
      const want = targetEval(inst.packed, asF32(pts));
      const got = await withDevice(async (t) => {
        const k = t.track(new TargetEval(device, n, inst.packed.shader));
        const p = t.upload(f32(pts));
        const out = t.empty(16 * n);
        runPass(device, (pass) => k.encode(pass, k.bindIO(p, out), targetBindGroup(t, inst.packed), n));
        return new Float32Array(await t.read(out, 16 * n));
      });
      const logp = Array.from({ length: n }, (_, i) => got[4 * i + 2] ?? NaN);
      const score = Array.from({ length: 2 * n }, (_, i) => got[4 * Math.floor(i / 2) + (i % 2)] ?? NaN);
      // f32 evaluation of exp/log/sin and squares of O(10) quantities: relative error ~1e-6 of the
      // largest intermediate; log-densities reach O(1e3) in the tails, scores O(1e2).
      expectClose(logp, want.logp, { atol: 2e-4, rtol: 2e-5 }, 'f32 log-density, intermediates up to |logp|');
      expectClose(score, want.score, { atol: 2e-4, rtol: 2e-4 }, 'f32 score (derivatives of exp/log terms)');
    });
  }
  it('takes its point count when built; an encode for another count is refused, a bad count named', async () => {
    const inst = createTarget('mixture', {});
    await withDevice(async (t) => {
      const k = t.track(new TargetEval(device, 64));
      const p = t.upload(f32(randomPoints(64, 3)));
      const out = t.empty(16 * 64);
      const io = k.bindIO(p, out);
      const tbg = targetBindGroup(t, inst.packed);
      expect(() => runPass(device, (pass) => k.encode(pass, io, tbg, 32))).toThrow(/targetEval: encode for n = 32 but the kernel is configured for n = 64; call configure\(32\) first/);
      expect(() => k.configure(-1)).toThrow(/targetEval: n must be a non-negative integer \(got -1\)/);
      expect(() => new TargetEval(device, 1.5)).toThrow(/targetEval: n must be a non-negative integer/);
      // every one of the 64 points evaluated with no further call (before: zero until setParams)
      runPass(device, (pass) => k.encode(pass, io, tbg, 64));
      const got = new Float32Array(await t.read(out, 16 * 64));
      const logps = Array.from({ length: 64 }, (_, i) => got[4 * i + 2] ?? NaN);
      expect(logps.every((v) => Number.isFinite(v) && v !== 0)).toBe(true); // the out buffer starts at zeros
    });
  });
});

describe('langevinStep (WGSL) vs twin', () => {
  for (const mala of [false, true]) {
    it(`${mala ? 'MALA' : 'ULA'}: one step from the same state and Philox counters`, async () => {
      const inst = createTarget('mixture', {});
      const n = 1000, h = 0.05, seed = 42, step = 7;
      const x = randomPoints(n, 1);
      const want = asF32(x);
      const acc = langevinStep(want, inst.packed, { n, h, seed, mala, step });
      const [got, counts] = await withDevice(async (t) => {
        const k = t.track(new LangevinStep(device));
        k.configure({ n, h, seed, mala });
        const pos = t.upload(f32(x));
        const clock = t.upload(new Uint32Array([step, 0, 0, 0]));
        const counters = t.empty(16);
        runPass(device, (pass) => k.encode(pass, k.bindIO(pos, clock, counters), targetBindGroup(t, inst.packed), n));
        return [new Float32Array(await t.read(pos, 8 * n)), new Uint32Array(await t.read(counters, 8))] as const;
      });
      // Same u32 words from Philox; normals differ by f32 log/cos/sin rounding (~1e-6), positions O(3).
      // MALA: a proposal whose log-acceptance lies within f32 noise of log u may flip (allow 0.5%).
      let mismatched = 0;
      const tol = 1e-4;
      for (let i = 0; i < 2 * n; i++) if (Math.abs((got[i] ?? NaN) - (want[i] ?? NaN)) > tol * (1 + Math.abs(want[i] ?? 0))) mismatched++;
      expect(mismatched).toBeLessThanOrEqual(mala ? Math.ceil(0.005 * 2 * n) : 0);
      if (mala) {
        expect(counts[1]).toBe(n);
        expect(Math.abs((counts[0] ?? 0) - acc)).toBeLessThanOrEqual(Math.ceil(0.005 * n));
      }
    });
  }
});

describe('svgdStep (WGSL, tiled) vs twin', () => {
  for (const [n, sigma] of [[1000, 0.7], [257, 0.3]] as const) {
    it(`N=${n} (not a multiple of the tile), fixed sigma=${sigma}`, async () => {
      const inst = createTarget('banana', {});
      const x = asF32(randomPoints(n, 2));
      const { score } = targetEval(inst.packed, x);
      const h = 0.1, sigma2 = sigma * sigma;
      const want = svgdStep(x, score, n, h, sigma2);
      const got = await withDevice(async (t) => {
        const k = t.track(new SvgdStep(device));
        k.configure({ n, h, sigma2 });
        const scores4 = new Float32Array(4 * n);
        for (let i = 0; i < n; i++) {
          scores4[4 * i] = score[2 * i] ?? 0;
          scores4[4 * i + 1] = score[2 * i + 1] ?? 0;
        }
        const pin = t.upload(f32(x));
        const sc = t.upload(scores4);
        const bw = t.upload(new Float32Array([1, 0, 0, 0]));
        const pout = t.empty(8 * n);
        runPass(device, (pass) => k.encode(pass, k.bindIO(pin, sc, bw, pout), n));
        return new Float32Array(await t.read(pout, 8 * n));
      });
      // N-term f32 sums of O(|s| + |d|/sigma^2) terms, times h/N: error <~ h * N * 6e-8 * max term / N.
      expectClose(got, want, { atol: 2e-5, rtol: 1e-5 }, 'f32 accumulation over N terms, scaled by h/N');
    });
  }

  it('reads sigma^2 from the bandwidth buffer when not fixed', async () => {
    const n = 300;
    const inst = createTarget('gaussian', {});
    const x = asF32(randomPoints(n, 3));
    const { score } = targetEval(inst.packed, x);
    const want = svgdStep(x, score, n, 0.2, 0.25);
    const got = await withDevice(async (t) => {
      const k = t.track(new SvgdStep(device));
      k.configure({ n, h: 0.2, sigma2: null });
      const scores4 = new Float32Array(4 * n);
      for (let i = 0; i < n; i++) { scores4[4 * i] = score[2 * i] ?? 0; scores4[4 * i + 1] = score[2 * i + 1] ?? 0; }
      const pin = t.upload(f32(x));
      const pout = t.empty(8 * n);
      const bw = t.upload(new Float32Array([0.25, 0, 0, 0]));
      runPass(device, (pass) => k.encode(pass, k.bindIO(pin, t.upload(scores4), bw, pout), n));
      return new Float32Array(await t.read(pout, 8 * n));
    });
    expectClose(got, want, { atol: 2e-5, rtol: 1e-5 }, 'same as above');
  });
});

describe('medianBandwidth (WGSL bisection) vs twin (exact sort)', () => {
  for (const n of [2, 3, 100, 256, 5000]) {
    it(`N=${n}`, async () => {
      const x = asF32(randomPoints(n, 4, 2, [1, -3]));
      const want = medianBandwidth(x, n);
      const got = await withDevice(async (t) => {
        const k = t.track(new MedianBandwidth(device));
        k.configure(n);
        const pos = t.upload(f32(x));
        const bw = t.empty(16);
        runPass(device, (pass) => k.encode(pass, k.bindIO(pos, bw)));
        return new Float32Array(await t.read(bw, 8));
      });
      // d2 computed in f32 (relative error ~2e-7 after cancellation of O(10) coordinates), then 40
      // bisection halvings: the GPU lands within a few ulps of the same order statistic.
      expectClose([got[1] ?? NaN, got[0] ?? NaN], [want.med2, want.sigma2], { atol: 1e-9, rtol: 2e-5 }, 'f32 squared distances');
    });
  }
});

describe('particleStats (WGSL two-pass reduction) vs twin', () => {
  it('sums, max and non-finite count, with NaN and inf particles', async () => {
    const n = 70_001;
    const x = asF32(randomPoints(n, 5, 1, [0.5, -0.25]));
    x[2 * 10] = NaN;
    x[2 * 500 + 1] = Infinity;
    x[2 * 69_999] = -Infinity;
    const want = particleStats(x, n);
    const got = await withDevice(async (t) => {
      const k = t.track(new ParticleStats(device));
      k.configure(n);
      const pos = t.upload(f32(x));
      const partials = t.empty(ParticleStats.partialsBytes(n));
      const result = t.empty(32);
      runPass(device, (pass) => k.encode(pass, k.bindIO(pos, partials, result), n));
      return new Float32Array(await t.read(result, 32));
    });
    // tree sums of 7e4 f32 values: error ~ log2(N) * 6e-8 * sum |terms|; counts are exact integers < 2^24.
    expect(got[0]).toBe(want[0]);
    expect(got[7]).toBe(3);
    expect(want[7]).toBe(3);
    const scale = [0, n, n, n, n, n, 0, 0];
    for (const i of [1, 2, 3, 4, 5]) {
      const w = want[i] ?? NaN;
      expect(Math.abs((got[i] ?? NaN) - w)).toBeLessThan(1e-5 * (scale[i] ?? 1) + 1e-6 * Math.abs(w));
    }
    expect(got[6]).toBeCloseTo(want[6], 5);
  });
});

describe('metric kernels vs twins', () => {
  it('ksdRows (IMQ Stein kernel)', async () => {
    const m = 600;
    const inst = createTarget('mixture', {});
    const x = asF32(randomPoints(m, 6));
    const { score } = targetEval(inst.packed, x);
    const want = ksdRows(x, score, m);
    const got = await withDevice(async (t) => {
      const k = t.track(new KsdRows(device));
      k.configure(m);
      const s4 = new Float32Array(4 * m);
      for (let i = 0; i < m; i++) { s4[4 * i] = score[2 * i] ?? 0; s4[4 * i + 1] = score[2 * i + 1] ?? 0; }
      const rows = t.empty(4 * m);
      runPass(device, (pass) => k.encode(pass, k.bindIO(t.upload(f32(x)), t.upload(s4), rows), m));
      return new Float32Array(await t.read(rows, 4 * m));
    });
    // rows are sums of m signed O(|s|^2) terms: absolute error ~ m * 6e-8 * max|term|.
    let maxTerm = 0;
    for (let i = 0; i < m; i++) maxTerm = Math.max(maxTerm, Math.abs(want[i] ?? 0) / m);
    expectClose(got, want, { atol: 1e-6 * m * (1 + maxTerm), rtol: 1e-5 }, 'f32 accumulation of signed Stein-kernel terms');
  });

  it('mmdRows with the energy kernel: the distance rows of the energy distance', async () => {
    const na = 700, nb = 300;
    const a = asF32(randomPoints(na, 7));
    const b = asF32(randomPoints(nb, 8, 1, [1, 1]));
    // rows[i] = sum_j |a_i - b_j| (float64), against minus the energy-kernel rows on the GPU
    const want = Array.from(mmdRows(a, na, b, nb, 'energy', 1), (v) => -v);
    const got = await withValidation(device, async () => {
      const k = new MmdRows(device);
      k.configure({ na, nb, kernel: 'energy', bw2: 1 });
      const rows = emptyBuffer(device, 4 * na);
      runPass(device, (pass) => k.encode(pass, k.bindIO(uploadBuffer(device, f32(a)), uploadBuffer(device, f32(b)), rows), na));
      const r = new Float32Array(await readBuffer(device, rows, 4 * na));
      k.destroy();
      return Array.from(r, (v) => -v);
    });
    // nb positive terms O(3): relative error ~ nb * 6e-8.
    expectClose(got, want, { atol: 1e-6, rtol: 3e-5 }, 'f32 sums of positive distances');
  });

  it('clockTick advances the GPU step counter', async () => {
    const got = await withDevice(async (t) => {
      const k = t.track(new ClockTick(device));
      const clock = t.upload(new Uint32Array([5, 0, 0, 0]));
      const bg = k.bind([clock]);
      runPass(device, (pass) => { for (let i = 0; i < 3; i++) k.encode(pass, bg); });
      return new Uint32Array(await t.read(clock, 4));
    });
    expect(got[0]).toBe(8);
  });
});

describe('philox (WGSL) vs twin', () => {
  it('words are bit-identical; normals agree to f32 rounding', async () => {
    const n = 4096, c1 = 123, c2 = 2, seed = 0xdeadbeef;
    const want = (await import('../reference/philoxWords')).philoxWords(n, c1, c2, seed);
    const [words, normals] = await withDevice(async (t) => {
      const { PhiloxWords } = await import('./philoxWords');
      const k = t.track(new PhiloxWords(device));
      k.configure({ n, c1, c2, seed });
      const w = t.empty(16 * n);
      const z = t.empty(8 * n);
      runPass(device, (pass) => k.encode(pass, k.bind([w, z]), n));
      return [new Uint32Array(await t.read(w, 16 * n)), new Float32Array(await t.read(z, 8 * n))] as const;
    });
    expect(Array.from(words)).toEqual(Array.from(want.words));
    // Box-Muller in f32: sqrt(-2 log u) and cos/sin of 2 pi u, |z| <= 5.8: absolute error ~1e-6.
    expectClose(normals, want.normals, { atol: 5e-6, rtol: 1e-5 }, 'f32 log/sqrt/cos/sin in Box-Muller');
  });
});
