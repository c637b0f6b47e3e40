/**
 * The formula target on the GPU, through the pipelines the methods use (issue 20): the packed
 * target's WGSL (PackedTarget.shader = targetFormulaChunk, kind 11 of shaders/common/targets.wgsl)
 * spliced into the TargetEval kernel (SVGD's and GWG's score pass, the KSD metric) and the
 * LangevinStep kernel, the parameters in the target uniform as GpuSimulation packs it
 * (packTargetUniform). Dawn on SwiftShader here; a missing adapter FAILS.
 *
 * Tolerance of the GPU-vs-twin comparisons, and why: the float64 twin is evaluated at the
 * f32-rounded point and parameters (what the GPU reads), then 4 more times with every operation's
 * value perturbed within what f32 arithmetic and WGSL's builtins are allowed by the WGSL spec
 * (src/formula/testing.ts f32ErrorBound, twinWithSpread). The spread `dev` of those runs is how much
 * THIS formula at THIS point amplifies f32 error; the GPU must agree within
 *   1e-5 (1 + |twin|) + 8 dev
 * per output (the bound of src/formula/gpu.test.ts). Points where the twin is not finite, an
 * intermediate leaves the f32 range, or a perturbed run is not finite are not compared; each test
 * asserts how many points it compared.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bindBuffers, targetLayout } from '../gpu/layouts';
import { kernelNames, renderShaderCode, renderShaderNames, shaderCode, shaderModule } from '../gpu/shaders';
import { createFormulaModule } from '../formula/gpu';
import { runPass, testDevice, withDevice, type GpuTest } from '../gpu/testing';
import { Readback } from '../gpu/buffers';
import { ClockTick } from '../kernels/clockTick';
import { DensityPass } from '../render/densityPass';
import { createTarget } from './registry';
import { createGpuBackend } from '../engine/backend';
import { LangevinStep } from '../kernels/langevinStep';
import { TargetEval } from '../kernels/targetEval';
import { resolveParams, type Params } from '../core/params';
import { FORMULA_PRESETS } from '../formula/presets';
import { mulberry32, twinWithSpread } from '../formula/testing';
import { langevin } from '../methods/langevin';
import type { GpuMethodContext } from '../methods/types';
import { langevinStep } from '../reference/langevinStep';
import { Rng } from '../reference/philox';
import { FORMULA_TARGET_KIND, formulaLandscapeParamSpecs, formulaLandscapeTarget, formulaParamSpecs, formulaTarget, type FormulaPackedLandscape, type FormulaPackedTarget } from './formula';
import { packTargetUniform } from './pack';
import type { TargetInstance } from './types';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});

function create(logp: string, values: Params = {}): TargetInstance {
  return formulaTarget.create(resolveParams(formulaParamSpecs(logp), { logp, ...values }));
}

function formulaPacked(t: TargetInstance): FormulaPackedTarget {
  const p = t.packed as FormulaPackedTarget;
  if (p.kind !== FORMULA_TARGET_KIND || !p.shader) throw new Error('not a formula target');
  return p;
}

function targetBindGroup(t: GpuTest, inst: TargetInstance): { bg: GPUBindGroup; uniform: GPUBuffer } {
  const uniform = t.upload(new Uint8Array(packTargetUniform(inst.packed)), GPUBufferUsage.UNIFORM);
  return { bg: bindBuffers(device, 'test.target', targetLayout(device), [uniform]), uniform };
}

/** n points uniform in the target's view (where the particles live) grown `grow` times about its centre. */
function pointsFor(inst: TargetInstance, n: number, seed: number, grow = 1): Float32Array {
  const rand = mulberry32(seed);
  const [x0, x1, y0, y1] = inst.view;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, hx = (x1 - x0) / 2, hy = (y1 - y0) / 2;
  return Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? cx + grow * hx * (2 * rand() - 1) : cy + grow * hy * (2 * rand() - 1)));
}

/** out[i] = (score, logp, 0) of the TargetEval kernel built with the target's WGSL. */
async function gpuEval(inst: TargetInstance, pts: Float32Array, kernel?: TargetEval): Promise<Float32Array> {
  const n = pts.length / 2;
  return withDevice(async (t) => {
    const k = kernel ?? t.track(new TargetEval(device, n, inst.packed.shader));
    k.configure(n);
    const p = t.upload(pts);
    const out = t.empty(16 * n);
    runPass(device, (pass) => k.encode(pass, k.bindIO(p, out), targetBindGroup(t, inst).bg, n));
    return new Float32Array(await t.read(out, 16 * n));
  });
}

interface Tally { compared: number; skipped: number; worst: number; worstAt: string }

/** GPU (score, logp) rows against the twin within the header's tolerance; throws naming the first miss. */
function compareEval(inst: TargetInstance, pts: Float32Array, got: Float32Array, tally: Tally, seed: number): void {
  const p = formulaPacked(inst);
  const params = Float64Array.from(Float32Array.from(p.values));
  const rand = mulberry32(seed);
  for (let i = 0; i < pts.length / 2; i++) {
    const x = pts[2 * i] ?? 0, y = pts[2 * i + 1] ?? 0;
    const tw = twinWithSpread(p.formula, x, y, params, rand);
    if (!tw || !tw.dev.every(Number.isFinite)) { tally.skipped++; continue; }
    tally.compared++;
    // twin outputs [logp, gx, gy]; GPU rows (gx, gy, logp, 0)
    for (const [o, g] of [[0, got[4 * i + 2]], [1, got[4 * i]], [2, got[4 * i + 1]]] as const) {
      const e = tw.ref[o] ?? NaN, dev = tw.dev[o] ?? NaN, gv = g ?? NaN;
      const tol = 1e-5 * (1 + Math.abs(e)) + 8 * dev;
      const ratio = Math.abs(gv - e) / tol;
      if (!(ratio <= 1)) throw new Error(`${p.formula.text} at (${x}, ${y}), output ${['logp', 'score x', 'score y'][o]}: GPU ${gv}, twin ${e}, |diff| ${Math.abs(gv - e).toExponential(2)} > ${tol.toExponential(2)}`);
      if (ratio > tally.worst) { tally.worst = ratio; tally.worstAt = `${p.formula.text} at (${x}, ${y}) ${['logp', 'score x', 'score y'][o]}`; }
    }
  }
}

/** Valid formulas that stress f32: sharp modes, a large offset, high frequency, linear and quartic tails, the unstable log(exp + exp) form, a narrow funnel neck. */
const HOSTILE = [
  'logsumexp(-40 ((x - 1)^2 + y^2), -40 ((x + 1)^2 + y^2))',
  '-(x^2 + y^2) / 2 + 1000',
  '-(x^2 + y^2) / 2 + sin(25 x) cos(25 y) / 5',
  '-3 sqrt(1 + x^2 + y^2) + softplus(10 (x - y)) / 10',
  '-(x^4 + y^4) / 4 + x y',
  '-y^2 / 2 + log(exp(-(x - 2)^2 / 2) + exp(-(x + 2)^2 / 2))',
  '-y^2 / 8 - x^2 / (2 exp(y)) - y / 2',
];

describe('formula target on the GPU: the TargetEval kernel (SVGD, GWG, KSD) vs the float64 twin', () => {
  const densities = FORMULA_PRESETS.filter((p) => p.logp !== undefined);

  /** Per formula: 256 points in the view (all must be compared) and 256 in the view grown 3x (the tails: counted). */
  async function run(texts: readonly { logp: string; values: Params }[], label: string, seed: number): Promise<{ view: Tally; tails: Tally; perFormula: number[] }> {
    const perFormula: number[] = [];
    const view: Tally = { compared: 0, skipped: 0, worst: 0, worstAt: '' }, tails: Tally = { compared: 0, skipped: 0, worst: 0, worstAt: '' };
    for (const [i, { logp, values }] of texts.entries()) {
      const inst = create(logp, values);
      expect(inst.packed.kind).toBe(11);
      const inView = pointsFor(inst, 256, seed + i), far = pointsFor(inst, 256, seed + 100 + i, 3);
      const both = new Float32Array(1024);
      both.set(inView);
      both.set(far, 512);
      const got = await gpuEval(inst, both);
      const before = view.compared;
      compareEval(inst, inView, got.subarray(0, 1024), view, seed + i);
      perFormula.push(view.compared - before);
      compareEval(inst, far, got.subarray(1024), tails, seed + 100 + i);
    }
    for (const [where, t] of [['view', view], ['view x3', tails]] as const) {
      console.log(`${label} GPU vs twin, ${where}: ${t.compared} points compared, ${t.skipped} skipped; worst |diff| / tolerance ${t.worst.toFixed(3)} (${t.worstAt})`);
    }
    console.log(`${label}: points compared in the view per formula: ${perFormula.join(', ')} of 256`);
    return { view, tails, perFormula };
  }

  it(`the ${densities.length} logp presets at their default parameters: 256 points in the view, 256 in the tails each`, async () => {
    const { view, tails } = await run(densities.map((p) => ({ logp: p.logp ?? '', values: p.values })), 'formula presets', 100);
    expect(view.compared).toBe(densities.length * 256);
    expect(tails.compared).toBeGreaterThan(0.75 * densities.length * 256);
  });

  it(`${HOSTILE.length} hostile-but-valid formulas: 256 points in the view, 256 in the tails each`, async () => {
    const { tails, perFormula } = await run(HOSTILE.map((logp) => ({ logp, values: {} })), 'hostile formulas', 300);
    // the sharp modes (first): between and beyond them the softmax weight exp(a_i - lse) of the far
    // mode is below 1e-30, where f32 flushes and float64 does not, so the rule does not compare there
    // (measured: 80 of 256 compared); every other formula is compared at every point of its view
    expect(perFormula[0]).toBeGreaterThan(64);
    expect(perFormula.slice(1)).toEqual(HOSTILE.slice(1).map(() => 256));
    expect(tails.compared).toBeGreaterThan(0.75 * HOSTILE.length * 256);
  });

  it('a moved parameter rewrites the uniform only: same key, same module, the same kernel gives the new values', async () => {
    const text = FORMULA_PRESETS.find((p) => p.id === 'mixture3')?.logp ?? '';
    const a = create(text, { d: 2.5, s: 0.6 });
    const b = create(text, { d: 1.5, s: 0.9 });
    const other = create('-(x^2 + y^2) / 2');
    const sa = a.packed.shader, sb = b.packed.shader, so = other.packed.shader;
    if (!sa || !sb || !so) throw new Error('formula targets carry their WGSL');
    expect(sb.key).toBe(sa.key);
    expect(sb.code).toBe(sa.code);
    expect(so.key).not.toBe(sa.key);
    expect(shaderModule(device, 'targetEval', sb)).toBe(shaderModule(device, 'targetEval', sa));
    expect(shaderModule(device, 'targetEval', so)).not.toBe(shaderModule(device, 'targetEval', sa));
    // the built-in kinds keep their own module (the stub target_formula)
    expect(shaderModule(device, 'targetEval')).not.toBe(shaderModule(device, 'targetEval', sa));
    // what the module cache saves: a structure no other test compiles, built twice (logged, not asserted: a shared machine)
    const fresh = create('-(x^2 + y^2) / 2 - x y / 3 + cos(x) / 7').packed.shader;
    const t0 = performance.now();
    const k1 = new TargetEval(device, 1, fresh);
    const t1 = performance.now();
    const k2 = new TargetEval(device, 1, fresh);
    const t2 = performance.now();
    k1.destroy();
    k2.destroy();
    console.log(`TargetEval for a new formula structure: ${(t1 - t0).toFixed(1)} ms (module + pipeline); again with the same key: ${(t2 - t1).toFixed(1)} ms`);
    // one kernel built for a's WGSL, then evaluated with b's uniform: b's numbers
    const pts = pointsFor(b, 256, 7);
    const tally: Tally = { compared: 0, skipped: 0, worst: 0, worstAt: '' };
    await withDevice(async (t) => {
      const k = t.track(new TargetEval(device, 256, sa));
      compareEval(a, pts, await gpuEval(a, pts, k), tally, 1);
      compareEval(b, pts, await gpuEval(b, pts, k), tally, 2);
    });
    expect(tally.compared).toBe(2 * 256);
  });
});

describe('every module compiles with the stubs and with a formula spliced in (getCompilationInfo)', () => {
  it('kernels and render shaders: without a formula, with a density\'s code (modules reading the target), with a landscape\'s (modules reading a landscape)', async () => {
    const density = create(FORMULA_PRESETS.find((p) => p.id === 'mixture3')?.logp ?? '', { d: 2.5, s: 0.6 });
    const dwPreset = FORMULA_PRESETS.find((p) => p.id === 'double-well');
    const land = formulaLandscapeTarget.create(resolveParams(formulaLandscapeParamSpecs(dwPreset?.V ?? '', dwPreset?.W ?? ''), { V: dwPreset?.V ?? '', W: dwPreset?.W ?? '', ...dwPreset?.values }));
    const dShader = density.packed.shader, lShader = land.landscape?.shader;
    const { formula } = formulaPacked(density);
    const { V, W } = (land.landscape as FormulaPackedLandscape).formulas;
    if (!dShader || !lShader) throw new Error('formula targets carry their WGSL');
    let compiled = 0, withFormula = 0;
    const check = async (label: string, stub: string, withD: string, withL: string): Promise<void> => {
      await createFormulaModule(device, stub, [formula], `${label} (stub)`);
      compiled++;
      if (withD !== stub) { await createFormulaModule(device, withD, [formula], `${label} (density)`); compiled++; withFormula++; }
      if (withL !== stub) { await createFormulaModule(device, withL, [V, W], `${label} (landscape)`); compiled++; withFormula++; }
    };
    for (const name of kernelNames) await check(name, shaderCode(name), shaderCode(name, dShader), shaderCode(name, lShader));
    for (const name of renderShaderNames) await check(`render/${name}`, renderShaderCode(name), renderShaderCode(name, dShader), renderShaderCode(name, lShader));
    // targetEval, langevinStep, render/density read the target; landscapeGrad, landscapeHvp, render/landscape a landscape
    expect(withFormula).toBe(6);
    expect(compiled).toBe(kernelNames.length + renderShaderNames.length + 6);
  });
});

describe('the density drawn on the GPU (render/densityPass.ts) for a formula target', () => {
  it('"-(x^2 + y^2) / 2" draws the built-in standard Gaussian\'s picture (the density pass picks the formula\'s pipeline)', async () => {
    const W = 64, H = 64;
    const rect: [number, number, number, number] = [-3, 3, -3, 3];
    const draw = async (inst: TargetInstance): Promise<Uint8Array> => withDevice(async (t) => {
      const dp = t.track(new DensityPass(t.device, 'rgba8unorm', 1));
      const texture = t.track(t.device.createTexture({ size: [W, H], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC }));
      const enc = t.device.createCommandEncoder();
      dp.update(enc, inst, rect, W, H);
      const pass = enc.beginRenderPass({ colorAttachments: [{ view: texture.createView(), loadOp: 'clear', storeOp: 'store', clearValue: { r: 0, g: 0, b: 0, a: 1 } }] });
      dp.encode(pass);
      pass.end();
      const read = t.track(new Readback(t.device, 'test.texture', W * H * 4));
      enc.copyTextureToBuffer({ texture }, { buffer: read.buffer, bytesPerRow: W * 4 }, [W, H]);
      t.device.queue.submit([enc.finish()]);
      const out = await read.read();
      if (!out) throw new Error('read-back destroyed');
      return new Uint8Array(out);
    });
    const formula = await draw(create('-(x^2 + y^2) / 2'));
    const builtin = await draw(createTarget('gaussian'));
    // both shade exp(log p - max log p) over the rect: the same picture up to f32 and unorm rounding (2/255)
    let worst = 0, lit = 0;
    for (let k = 0; k < W * H * 4; k++) {
      if (k % 4 === 3) continue;
      worst = Math.max(worst, Math.abs((formula[k] ?? NaN) - (builtin[k] ?? NaN)));
      if ((formula[k] ?? 0) > 0) lit++;
    }
    console.log(`density pass: formula vs built-in Gaussian, worst channel difference ${worst}/255, ${lit} lit channels`);
    expect(worst).toBeLessThanOrEqual(2);
    expect(lit).toBeGreaterThan(W * H); // drawn, not black
    expect(formula.some((v, k) => k % 4 !== 3 && v !== formula[k % 4])).toBe(true); // not one colour: the stub (log p = 0 everywhere) would draw a flat picture
  });
});

/** Moments of interleaved points, float64. */
function moments(x: ArrayLike<number>): { mean: [number, number]; cov: [number, number, number] } {
  const n = x.length / 2;
  let a = 0, b = 0;
  for (let i = 0; i < n; i++) { a += x[2 * i] ?? 0; b += x[2 * i + 1] ?? 0; }
  a /= n; b /= n;
  let c11 = 0, c12 = 0, c22 = 0;
  for (let i = 0; i < n; i++) {
    const d0 = (x[2 * i] ?? 0) - a, d1 = (x[2 * i + 1] ?? 0) - b;
    c11 += d0 * d0; c12 += d0 * d1; c22 += d1 * d1;
  }
  return { mean: [a, b], cov: [c11 / n, c12 / n, c22 / n] };
}

describe('formula target on the GPU: Langevin', () => {
  it('one LangevinStep (ULA) from the same state and Philox counters = the float64 twin step', async () => {
    const inst = create(FORMULA_PRESETS.find((p) => p.id === 'banana')?.logp ?? '', { a: 2, b: 0.5 });
    const n = 1000, h = 0.02, seed = 9, step = 3;
    const x0 = Float64Array.from(pointsFor(inst, n, 11));
    const want = Float64Array.from(x0);
    langevinStep(want, inst.packed, { n, h, seed, mala: false, step });
    const got = await withDevice(async (t) => {
      const k = t.track(new LangevinStep(device, inst.packed.shader));
      k.configure({ n, h, seed, mala: false });
      const pos = t.upload(Float32Array.from(x0));
      const clock = t.upload(new Uint32Array([step, 0, 0, 0]));
      const counters = t.empty(16);
      runPass(device, (pass) => k.encode(pass, k.bindIO(pos, clock, counters), targetBindGroup(t, inst).bg, n));
      return new Float32Array(await t.read(pos, 8 * n));
    });
    // y = x + h s(x) + sqrt(2h) xi: the score's f32 error (the spread of the twin, as above) times h,
    // plus the normals' f32 log/cos/sin rounding (~1e-6) times sqrt(2h), plus rounding of |y| ~ 10
    const p = formulaPacked(inst);
    const params = Float64Array.from(Float32Array.from(p.values));
    const rand = mulberry32(5);
    let compared = 0;
    for (let i = 0; i < n; i++) {
      const tw = twinWithSpread(p.formula, x0[2 * i] ?? 0, x0[2 * i + 1] ?? 0, params, rand);
      if (!tw || !tw.dev.every(Number.isFinite)) continue;
      compared++;
      for (const c of [0, 1]) {
        const e = want[2 * i + c] ?? NaN, g = got[2 * i + c] ?? NaN;
        const tol = h * (1e-5 * (1 + Math.abs(tw.ref[1 + c] ?? 0)) + 8 * (tw.dev[1 + c] ?? 0)) + 1e-5 * (1 + Math.abs(e));
        expect(Math.abs(g - e), `particle ${i} coordinate ${c}`).toBeLessThanOrEqual(tol);
      }
    }
    expect(compared).toBe(n);
  });

  /**
   * The exact answer: log pi = -(x^2 + y^2) / 2 is N(0, I). N = 8,192 particles from N((3, -2), 0.25 I),
   * 60 steps at h = 0.2 through the langevin method's own GPU stepper (createGpu, the clock ticked
   * between steps as GpuSimulation does). The drift contracts by (1 - h) per step: 0.8^60 = 1.5e-6,
   * so the start (|m| = 3.6) is forgotten to 6e-6. MALA samples N(0, I) exactly; ULA's stationary law
   * is N(0, I / (1 - h/2)) (x' = (1 - h) x + sqrt(2h) xi), variance 1.111 here.
   * Monte Carlo tolerance, N independent particles: a mean's standard error is sqrt(var / N) = 0.011
   * (ULA 0.012), a variance's sqrt(2 / N) var = 0.016 (0.017), a covariance's sqrt(1 / N) var; we
   * allow 5 standard errors (a false failure has probability < 1e-5 per number): mean 0.055,
   * variance 0.078 (ULA 0.087), covariance 0.055. ULA's bias 0.111 is larger than its allowance, so
   * the ULA case also tells a biased sampler from an exact one.
   */
  for (const mala of [true, false]) {
    it(`${mala ? 'MALA' : 'ULA'} on "-(x^2 + y^2) / 2", 8,192 particles, 60 steps at h = 0.2: ${mala ? 'mean 0, covariance I' : 'mean 0, covariance I / (1 - h/2)'} within 5 standard errors`, async () => {
      const inst = create('-(x^2 + y^2) / 2');
      const n = 8192, h = 0.2, steps = 60, seed = 17;
      const rng = new Rng(3, 1);
      const init = Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? 3 : -2) + 0.5 * rng.normal());
      const { pts, counts } = await withDevice(async (t) => {
        const pos: [GPUBuffer, GPUBuffer] = [t.upload(init), t.empty(8 * n)];
        const ctx: GpuMethodContext = {
          device, pos, scores: t.empty(16 * n), clock: t.empty(16),
          ...(inst.packed.shader ? { targetShader: inst.packed.shader } : {}),
        };
        const stepper = t.track(langevin.createGpu(ctx, { n, stepSize: h, seed, params: resolveParams(langevin.params, { mala }), domain: 'plane' }));
        const tick = t.track(new ClockTick(device));
        const clockBG = tick.bind([ctx.clock]);
        const { bg } = targetBindGroup(t, inst);
        let cur: 0 | 1 = 0;
        for (let done = 0; done < steps; done += 20) {
          const enc = device.createCommandEncoder();
          const pass = enc.beginComputePass();
          for (let k = 0; k < 20; k++) {
            cur = stepper.encode(pass, cur, bg);
            tick.encode(pass, clockBG);
          }
          pass.end();
          device.queue.submit([enc.finish()]);
        }
        // MALA's [accepted, proposed] live in the stepper's own buffer: its 'stats' readout region (ULA: none)
        const counts = stepper.readouts?.stats ? new Uint32Array(await t.read(stepper.readouts.stats.region().buffer, 8)) : new Uint32Array(2);
        return { pts: new Float32Array(await t.read(pos[cur], 8 * n)), counts };
      });
      const m = moments(pts);
      const v = mala ? 1 : 1 / (1 - h / 2);
      console.log(`${mala ? 'MALA' : 'ULA'} on the Gaussian formula (GPU): mean (${m.mean.map((u) => u.toFixed(4)).join(', ')}), cov (${m.cov.map((u) => u.toFixed(4)).join(', ')}), expected variance ${v.toFixed(4)}${mala ? `, acceptance ${((counts[0] ?? 0) / (counts[1] ?? 1)).toFixed(4)}` : ''}`);
      const se = Math.sqrt(v / n);
      for (const u of m.mean) expect(Math.abs(u)).toBeLessThan(5 * se);
      expect(Math.abs(m.cov[0] - v)).toBeLessThan(5 * Math.sqrt(2 / n) * v);
      expect(Math.abs(m.cov[2] - v)).toBeLessThan(5 * Math.sqrt(2 / n) * v);
      expect(Math.abs(m.cov[1])).toBeLessThan(5 * Math.sqrt(1 / n) * v);
      if (mala) {
        expect(counts[1]).toBe(n * steps);
        expect((counts[0] ?? 0) / (counts[1] ?? 1)).toBeGreaterThan(0.8);
      }
    });
  }
});

describe('a formula target in a GPU run (GpuSimulation)', () => {
  /**
   * The parameter moves in place: MALA on -((x - a)^2 + y^2) / 2, 4,096 particles, h = 0.2. With a = 0
   * for 40 steps, then a = 2 set in place (same structure: the target uniform is rewritten, no new
   * pipeline) for 60 more: the mean follows to (2, 0) (standard error 1 / 64 = 0.016; allowed 0.08).
   * A formula with another structure cannot be set in place: a plain Error, on which the engine
   * starts a new run (src/engine/Engine.ts configure), and the run keeps its target.
   */
  it('MALA follows a parameter moved in place; another structure asks for a new run', async () => {
    const backend = await createGpuBackend(await (await import('../gpu/node')).nodeGpu());
    const logp = '-((x - a)^2 + y^2) / 2';
    const sim = backend.createSimulation({
      method: 'langevin', params: { mala: true }, target: { id: 'formula', params: { logp, a: 0 } }, n: 4096, stepSize: 0.2, seed: 3,
      init: { kind: 'gaussian', mean: [0, 0], std: 1 },
    });
    try {
      sim.step(40);
      const before = await sim.stats();
      sim.setTarget({ id: 'formula', params: { logp, a: 2 } });
      sim.step(60);
      const after = await sim.stats();
      console.log(`GpuSimulation, MALA on the formula: mean (${before.mean.map((v) => v.toFixed(3)).join(', ')}) at a = 0, (${after.mean.map((v) => v.toFixed(3)).join(', ')}) after a = 2 in place`);
      expect(Math.abs(before.mean[0])).toBeLessThan(0.08);
      expect(Math.abs(after.mean[0] - 2)).toBeLessThan(0.08);
      expect(Math.abs(after.mean[1])).toBeLessThan(0.08);
      expect(() => sim.setTarget({ id: 'formula', params: { logp: '-((x - a)^2 + y^2) / 2 - x y / 4', a: 2 } })).toThrow(/the formula's structure changed, its GPU pipelines are rebuilt by a new run/);
      expect(sim.config.target.params.logp).toBe(logp);
    } finally {
      sim.destroy();
    }
  }, 300_000);
});
