/**
 * GWG kernels (shaders/gwgStep.wgsl, shaders/gwgAdapt.wgsl) against their float64 twins, plus the
 * identities the RKHS-span class gives exactly: at c = 0 the ascent direction is the SVGD velocity;
 * at p = 2 the ascent converges to (K/N) f = phi_SVGD and increases the objective monotonically.
 * Tolerances: the GPU computes in f32 (unit roundoff 6e-8); each test states what accumulates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, runPass, testDevice, withDevice } from '../gpu/testing';
import { Rng } from '../reference/philox';
import { targetEval } from '../reference/targetEval';
import { svgdStep } from '../reference/svgdStep';
import { gwgAscend, gwgEvalF, gwgMove, gwgObjective, gwgStep, type MoveRule } from '../reference/gwgStep';
import { gwgAdapt } from '../reference/gwgAdapt';
import { createTarget } from '../targets/registry';
import { GwgStep } from './gwgStep';
import { GwgAdapt } from './gwgAdapt';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

const asF32 = (x: ArrayLike<number>): Float64Array => Float64Array.from(Float32Array.from(x));

function normals(n: number, seed: number, scale: number): Float64Array {
  const rng = new Rng(seed, 13);
  const x = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) x[i] = scale * rng.normal();
  return x;
}

function vec4Rows(a: Float64Array, b: Float64Array | null, n: number): Float32Array {
  const out = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    out[4 * i] = a[2 * i] ?? 0;
    out[4 * i + 1] = a[2 * i + 1] ?? 0;
    out[4 * i + 2] = b ? (b[2 * i] ?? 0) : 0;
    out[4 * i + 3] = b ? (b[2 * i + 1] ?? 0) : 0;
  }
  return out;
}

/** Column pair (0,1) or (2,3) of vec4 rows. */
function cols(rows: Float32Array, n: number, first: 0 | 2): Float64Array {
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = rows[4 * i + first] ?? NaN;
    out[2 * i + 1] = rows[4 * i + first + 1] ?? NaN;
  }
  return out;
}

interface Setup {
  n: number;
  x: Float64Array;
  score: Float64Array;
  c: Float64Array;
}

function setup(n: number, seed: number, cScale: number): Setup {
  const inst = createTarget('banana', {});
  const x = asF32(normals(n, seed, 1.5));
  const score = asF32(targetEval(inst.packed, x).score);
  const c = asF32(normals(n, seed + 100, cScale));
  return { n, x, score, c };
}

interface GpuOut {
  pos: Float64Array;
  coef: Float64Array;
  w: Float64Array;
  f: Float64Array;
}

/** Run `record` on fresh buffers holding the setup; read everything back (withDevice destroys them). */
async function onGpu(s: Setup, cfg: { h: number; sigma2: number | null; bw?: number; p: number; lr: number; eps2: number; move: MoveRule; fw?: Float32Array }, record: (k: GwgStep, pass: GPUComputePassEncoder, io: GPUBindGroup) => void): Promise<GpuOut> {
  return withDevice(async (t) => {
    const { n } = s;
    const k = t.track(new GwgStep(device));
    k.configure({ n, h: cfg.h, sigma2: cfg.sigma2, lr: cfg.lr, eps2: cfg.eps2, move: cfg.move });
    const bufs = {
      posIn: t.upload(Float32Array.from(s.x)),
      scores: t.upload(vec4Rows(s.score, null, n)),
      bw: t.upload(new Float32Array([cfg.bw ?? 1, 0, 0, 0])),
      state: t.upload(new Float32Array([cfg.p, 0, 0, 0])),
      coef: t.upload(Float32Array.from(s.c)),
      fw: cfg.fw ? t.upload(cfg.fw) : t.empty(16 * n),
      posOut: t.empty(8 * n),
    };
    runPass(device, (pass) => record(k, pass, k.bindIO(bufs)));
    const fw = new Float32Array(await t.read(bufs.fw, 16 * n));
    const out = {
      pos: Float64Array.from(new Float32Array(await t.read(bufs.posOut, 8 * n))),
      coef: Float64Array.from(new Float32Array(await t.read(bufs.coef, 8 * n))),
      w: cols(fw, n, 0),
      f: cols(fw, n, 2),
    };
    return out;
  });
}

describe('gwgStep (WGSL, tiled) vs src/reference/gwgStep.ts', () => {
  const sigma2 = 0.5;
  for (const p of [3, 1.5]) {
    it(`evalF, N=257 (not a multiple of the tile), p=${p}`, async () => {
      const s = setup(257, 1, 2);
      const want = gwgEvalF(s.x, s.c, s.score, s.n, sigma2, p, 1e-4);
      const got = await onGpu(s, { h: 0.1, sigma2, p, lr: 1, eps2: 1e-4, move: 'gradHStar' }, (k, pass, io) => k.encodeOne(pass, io, s.n, 'evalF'));
      // f: N-term f32 sums of |c| k <= O(5), divided by N -> relative 1e-6 of the O(1) values.
      expectClose(got.f, want.f, { atol: 2e-6, rtol: 2e-5 }, 'f32 kernel sum over N terms, / N');
      // w = s - |f|^(p-2) f: f32 pow on top of f's error; |s| up to O(30) on the banana.
      expectClose(got.w, want.w, { atol: 2e-5, rtol: 2e-5 }, 'f32 pow of f, plus the f32 score');
    });
  }

  it('ascend, N=300, from a given (w, f) and c', async () => {
    const s = setup(300, 2, 1);
    const { w, f } = gwgEvalF(s.x, s.c, s.score, s.n, sigma2, 2, 0);
    const want = gwgAscend(s.x, asF32(w), s.c, s.n, sigma2, 0.7);
    const got = await onGpu(s, { h: 0.1, sigma2, p: 2, lr: 0.7, eps2: 0, move: 'gradHStar', fw: vec4Rows(w, f, s.n) }, (k, pass, io) => k.encodeOne(pass, io, s.n, 'ascend'));
    // c + lr/N * (N-term f32 sum of k (|w| + |d|/sigma^2) = O(30)): error ~ 30 * 6e-8 * sqrt(N).
    expectClose(got.coef, want, { atol: 2e-5, rtol: 1e-5 }, 'f32 accumulation over N terms, scaled by lr/N');
  });

  it('identity: at c = 0 and p = 2 one ascent step gives c = lr * phi_SVGD (GPU and float64)', async () => {
    const n = 200, lr = 1;
    const s = { ...setup(n, 3, 0), c: new Float64Array(2 * n) };
    // float64: exact up to rounding (same sums, different order of the same terms).
    const phi = svgdStep(s.x, s.score, n, 1, sigma2).map((v, i) => v - (s.x[i] ?? 0));
    const { w } = gwgEvalF(s.x, s.c, s.score, n, sigma2, 2, 0);
    expectClose(gwgAscend(s.x, w, s.c, n, sigma2, lr), phi, { atol: 1e-12, rtol: 1e-12 }, 'float64: the two formulas are the same sum');
    const got = await onGpu(s, { h: 0.1, sigma2, p: 2, lr, eps2: 0, move: 'gradHStar' }, (k, pass, io) => {
      k.encodeOne(pass, io, n, 'evalF');
      k.encodeOne(pass, io, n, 'ascend');
    });
    expectClose(got.coef, phi, { atol: 2e-5, rtol: 1e-5 }, 'f32 accumulation as in the svgdStep test');
  });

  for (const move of ['gradHStar', 'f'] as const) {
    for (const p of [3, 1.5]) {
      it(`advance, move=${move}, p=${p}: x + h v(f)`, async () => {
        const s = setup(257, 4, 1);
        const { f } = gwgEvalF(s.x, s.c, s.score, s.n, sigma2, p, 1e-4);
        const want = gwgMove(s.x, f, s.n, 0.2, p, move);
        const got = await onGpu(s, { h: 0.2, sigma2, p, lr: 1, eps2: 1e-4, move }, (k, pass, io) => k.encodeOne(pass, io, s.n, 'advance'));
        expectClose(got.f, f, { atol: 2e-6, rtol: 2e-5 }, 'as evalF');
        // h |f|^(q-1): q-1 = 0.5 or 2; f32 pow amplifies f's relative error by q-1 <= 2.
        expectClose(got.pos, want, { atol: 1e-5, rtol: 1e-5 }, 'positions O(3) in f32 plus h * v with v from f32 pow');
      });
    }
  }

  it('full step: 3 inner iterations + advance, sigma^2 read from bw[0], equals gwgStep', async () => {
    const s = setup(300, 5, 0.5);
    const o = { n: s.n, h: 0.1, sigma2: 0.4, p: 3, inner: 3, lr: 1, eps2: 1e-4, move: 'gradHStar' as const };
    const want = gwgStep(s.x, s.score, s.c, o);
    const got = await onGpu(s, { h: o.h, sigma2: null, bw: o.sigma2, p: o.p, lr: o.lr, eps2: o.eps2, move: o.move }, (k, pass, io) => k.encode(pass, io, s.n, o.inner));
    // Seven chained passes; each adds ~1e-6 relative error to c and f (see the single-pass tests).
    expectClose(got.coef, want.c, { atol: 1e-4, rtol: 1e-4 }, 'three chained ascent iterations in f32');
    expectClose(got.f, want.f, { atol: 1e-5, rtol: 1e-4 }, 'f from the f32 c');
    expectClose(got.pos, want.x, { atol: 2e-5, rtol: 2e-5 }, 'h * |f|^(q-2) f, h = 0.1');
  });
});

describe('gwgAdapt (WGSL, one workgroup) vs src/reference/gwgAdapt.ts', () => {
  for (const [move, p, scale] of [['gradHStar', 2, 3], ['gradHStar', 1.7, 0.05], ['f', 2.5, 1]] as const) {
    it(`move=${move}, p=${p}, |f| ~ ${scale}, N=1000`, async () => {
      const n = 1000;
      const f = asF32(normals(n, 7, scale));
      f[0] = 0; // a particle with f = 0 exactly: the log floor
      f[1] = 0;
      const opts = { n, rate: 0.1, eps2: 1e-4, move };
      const want = gwgAdapt(f, p, opts);
      const got = await withDevice(async (t) => {
        const k = t.track(new GwgAdapt(device));
        k.configure(opts);
        const fw = t.upload(vec4Rows(new Float64Array(2 * n), f, n));
        const state = t.upload(new Float32Array([p, 0, 0, 0]));
        runPass(device, (pass) => k.encode(pass, k.bindIO(fw, state)));
        return new Float32Array(await t.read(state, 8));
      });
      // log|ghat| in f32 (abs error ~1e-6 per term), weighted means of N terms: Lbar to ~1e-5;
      // p(r) is smooth in r, so p inherits rate * 1e-5 plus f32 rounding of p itself.
      expectClose([got[1] ?? NaN], [want.meanLog], { atol: 2e-4, rtol: 1e-4 }, 'f32 logs and weights exp(r l - max)');
      expectClose([got[0] ?? NaN], [want.p], { atol: 1e-5, rtol: 1e-5 }, 'p from r in f32');
      expect(want.p).not.toBe(p);
    });
  }
});

describe('the mathematics of the RKHS-span class (float64)', () => {
  it('p = 2: the ascent increases J monotonically and converges to (K/N) f = phi_SVGD', () => {
    const n = 40, sigma2 = 1.5;
    const inst = createTarget('gaussian', {});
    const x = normals(n, 9, 1.2);
    const { score } = targetEval(inst.packed, x);
    const phi = svgdStep(x, score, n, 1, sigma2).map((v, i) => v - (x[i] ?? 0));
    let c: Float64Array = new Float64Array(2 * n);
    let prev = gwgObjective(x, c, score, n, sigma2, 2);
    expect(prev).toBe(0);
    for (let t = 0; t < 4000; t++) {
      const { w } = gwgEvalF(x, c, score, n, sigma2, 2, 0);
      c = gwgAscend(x, w, c, n, sigma2, 1);
      if (t < 50) {
        const J = gwgObjective(x, c, score, n, sigma2, 2);
        // Quadratic objective, Hessian -(K/N)^2 with eigenvalues in [-1, 0]: lr = 1 < 2 ascends.
        expect(J).toBeGreaterThanOrEqual(prev - 1e-12);
        prev = J;
      }
    }
    const { f } = gwgEvalF(x, c, score, n, sigma2, 2, 0);
    // The residual of the fixed-point equation: G = phi - (K/N) f = (c_next - c) / lr.
    const { w } = gwgEvalF(x, c, score, n, sigma2, 2, 0);
    const G = gwgAscend(x, w, c, n, sigma2, 1).map((v, i) => v - (c[i] ?? 0));
    const Kf = phi.map((v, i) => v - (G[i] ?? 0));
    const phiNorm = Math.hypot(...phi);
    // Landweber iteration: the residual along eigenvector e decays as (1 - lambda^2)^t; components
    // with lambda < ~0.02 are not resolved in 4000 iterations, so the residual is checked relative to |phi|.
    expect(Math.hypot(...G) / phiNorm).toBeLessThan(0.05);
    expect(Math.hypot(...Kf) / phiNorm).toBeGreaterThan(0.95);
    expect(f.every(Number.isFinite)).toBe(true);
  });
});
