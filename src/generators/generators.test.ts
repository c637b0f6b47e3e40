/**
 * The generators library: the MLP's hand-written backward against central finite differences, the
 * ONNX writer against onnxruntime-web (wasm, Node), the reader's refusals, training determinism,
 * a short W-Flow run lowering S_eps, and the CLI train / sample commands.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSample } from '../cli/sample';
import { runTrain } from '../cli/train';
import { expectClose } from '../gpu/testing';
import { decodeNpy } from '../io/npy';
import { Rng } from '../reference/philox';
import { energyDistance, modeStats, sinkhornMetric, targetModes } from './metrics';
import { backward, createMlp, flatParameters, forward, forwardCached, roundToFloat32, zeroGrads, type Mlp, type MlpGrads } from './mlp';
import { generate, generateChain, sampleNoise, type GeneratorModel } from './model';
import { nodeOrt } from './nodeOrt';
import { decodeOnnxObject, encodeOnnxObject, GeneratorModelError, readGeneratorModel, writeGeneratorOnnx } from './onnx';
import { OnnxGenerator } from './runtime';
import { r1Penalty, resolveTrainParams, trainGenerator, wflowSchedule, wflowStep } from './train';
import { targetSampler } from './targets';

const spec = (hidden: number, residual = true, out = 2) => ({ sizes: [2, hidden, hidden, out], activation: 'silu' as const, residual });

/** A random MLP with a random (non-zero) last layer. */
function randomMlp(seed: number, hidden = 16): Mlp {
  return createMlp(spec(hidden), new Rng(seed, 11, 1), false);
}

/** Every parameter's gradient in `grads` against central differences (step h) of `value()`. */
function expectParamGradsFd(net: Mlp, grads: MlpGrads, value: () => number, h: number, tol: { atol: number; rtol: number }, what: string): void {
  net.layers.forEach((d, l) => {
    for (const [arr, g] of [[d.w, grads.w[l]], [d.b, grads.b[l]]] as const) {
      if (!g) throw new Error('missing grads');
      const fd = Array.from(arr, (_, i) => {
        const a = arr[i] ?? 0;
        arr[i] = a + h;
        const lp = value();
        arr[i] = a - h;
        const lm = value();
        arr[i] = a;
        return (lp - lm) / (2 * h);
      });
      expectClose(g, fd, tol, `layer ${l} ${what}`);
    }
  });
}

describe('R1 penalty (r1Penalty): value and Hessian-vector parameter gradient', () => {
  it('a linear potential v(y) = y . w + b: P = gamma |w|^2 / 2, dP/dw = gamma w, dP/db = 0 (exact)', () => {
    const v = createMlp({ sizes: [2, 1], activation: 'silu', residual: false }, new Rng(2, 11, 9), false);
    const w = v.layers[0]?.w ?? new Float64Array(2);
    const y = sampleNoise(6, 7);
    const grads = zeroGrads(v);
    const gamma = 0.7;
    const value = r1Penalty(v, y, 7, gamma, grads);
    const w0 = w[0] ?? 0, w1 = w[1] ?? 0;
    // grad_y v = w at every y: P is exact; the central difference of a linear function's
    // parameter gradient (dv/dw = y) is exact up to rounding of y +- e g (|y| ~ 1, e |g| = 1e-4)
    expect(value).toBeCloseTo((gamma / 2) * (w0 * w0 + w1 * w1), 14);
    expectClose(grads.w[0] ?? [], [gamma * w0, gamma * w1], { atol: 1e-10, rtol: 1e-9 }, 'dP/dw');
    expect(Math.abs(grads.b[0]?.[0] ?? 1)).toBeLessThan(1e-10);
  });

  it('a SiLU potential 2-6-6-1: dP/dtheta matches central differences of P in every parameter', () => {
    const v = createMlp(spec(6, false, 1), new Rng(4, 11, 9), false);
    const n = 5, gamma = 1.3;
    const y = sampleNoise(8, n);
    const grads = zeroGrads(v);
    r1Penalty(v, y, n, gamma, grads);
    const h = 1e-6;
    const value = (): number => r1Penalty(v, y, n, gamma, zeroGrads(v));
    // the inner difference (step e |g| = R1_STEP = 1e-4): truncation ~ R1_STEP^2 |v'''| ~ 1e-8,
    // rounding ~ 1e-16 / 1e-4 = 1e-12; the outer FD (h = 1e-6): ~1e-10
    expectParamGradsFd(v, grads, value, h, { atol: 1e-6, rtol: 1e-5 }, 'R1 grads vs FD');
  });
});

describe('MLP backward (reverse mode) = central finite differences', () => {
  it('parameter and input gradients of L = sum_i c_i . out_i match (h = 1e-6), residual and plain nets', () => {
    for (const residual of [true, false]) {
      const net = createMlp(spec(7, residual, 2), new Rng(3, 11, 2), false);
      const B = 5;
      const x = sampleNoise(4, B);
      const c = sampleNoise(5, B);
      const loss = (m: Mlp, xin: Float64Array): number => {
        const o = forward(m, xin, B);
        let s = 0;
        for (let i = 0; i < o.length; i++) s += (c[i] ?? 0) * (o[i] ?? 0);
        return s;
      };
      const cache = forwardCached(net, x, B);
      const grads = zeroGrads(net);
      const gx = backward(net, cache, c, grads);
      const h = 1e-6;
      // every input coordinate
      const fdx = Array.from(x, (_, i) => {
        const xp = x.slice(), xm = x.slice();
        xp[i] = (xp[i] ?? 0) + h;
        xm[i] = (xm[i] ?? 0) - h;
        return (loss(net, xp) - loss(net, xm)) / (2 * h);
      });
      // float64 central differences: truncation O(h^2) ~ 1e-12, rounding ~ 1e-16 / h ~ 1e-10
      expectClose(gx, fdx, { atol: 1e-7, rtol: 1e-6 }, 'dL/dx vs FD');
      // every parameter of every layer
      expectParamGradsFd(net, grads, () => loss(net, x), h, { atol: 1e-7, rtol: 1e-6 }, 'param grads vs FD');
    }
  });

  it('a zero last layer makes a residual map the identity (exact)', () => {
    const id = createMlp(spec(8), new Rng(1, 11, 3), true);
    const z = sampleNoise(9, 10);
    expect(Array.from(forward(id, z, 10))).toEqual(Array.from(z));
  });
});

describe('ONNX writer: onnxruntime-web (wasm) output = the TS forward pass', () => {
  it('a 3-stage chain, every output x_1, x_2, x, B = 1000 and B = 1, within 1e-5', async () => {
    const stages = [randomMlp(1, 32), randomMlp(2, 16), randomMlp(3, 8)];
    const bytes = writeGeneratorOnnx(stages);
    const info = readGeneratorModel(bytes);
    expect(info).toMatchObject({ irVersion: 8, opset: 13, inputName: 'z', outputName: 'x', outputs: ['x_1', 'x_2', 'x'] });
    // only standard ops
    const ops = new Set(((decodeOnnxObject(bytes).graph as { node: { op_type: string }[] }).node).map((n) => n.op_type));
    expect([...ops].sort()).toEqual(['Add', 'Gemm', 'Mul', 'Sigmoid']);
    const gen = await OnnxGenerator.load(await nodeOrt(), bytes);
    try {
      const model: GeneratorModel = { method: 'sjko', stages: stages.map(roundToFloat32) };
      for (const n of [1000, 1]) {
        const z = Float64Array.from(Float32Array.from(sampleNoise(5, n)));
        const ours = generateChain(model, z, n);
        const ort = await gen.run(z, n);
        // float32 evaluation of ~ 32 + 32*32 + 32 multiply-adds per output, |x| <= ~10: ~1e-6
        ['x_1', 'x_2', 'x'].forEach((name, k) => expectClose(ort[name] ?? [], ours[k] ?? [], { atol: 1e-5, rtol: 0 }, `${name}, B = ${n}`));
      }
      // sample(): noise from sampleNoise(seed)
      const s = await gen.sample(64, 7);
      expectClose(s, generate(model, sampleNoise(7, 64), 64), { atol: 1e-5, rtol: 0 }, 'sample(64, 7)');
    } finally {
      gen.release();
    }
  });
});

describe('reader: bad files are refused with a clear error', () => {
  const good = writeGeneratorOnnx([randomMlp(4)]);

  it('truncated files (every 97th cut) and empty files', () => {
    expect(() => readGeneratorModel(new Uint8Array(0))).toThrow(/empty/);
    let refused = 0;
    for (let cut = 1; cut < good.length; cut += 97) {
      expect(() => readGeneratorModel(good.subarray(0, cut)), `cut at ${cut}`).toThrow(GeneratorModelError);
      refused++;
    }
    expect(refused).toBeGreaterThan(10);
  });

  it('random bytes (200 seeded files) and a text file', () => {
    const rng = new Rng(1, 12, 0);
    for (let k = 0; k < 200; k++) {
      const b = new Uint8Array(1 + rng.int(3000));
      for (let i = 0; i < b.length; i++) b[i] = rng.int(256);
      expect(() => readGeneratorModel(b), `random file ${k}`).toThrow(GeneratorModelError);
    }
    expect(() => readGeneratorModel(new TextEncoder().encode('x,y\n1,2\n'))).toThrow(/not an ONNX model|no graph/);
  });

  it('other input/output shapes or types', () => {
    const edit = (f: (m: { graph: { input: { type: { tensor_type: { elem_type: number; shape: { dim: Record<string, unknown>[] } } } }[]; output: { name: string; type: { tensor_type: { elem_type: number; shape: { dim: Record<string, unknown>[] } } } }[] } }) => void): Uint8Array => {
      const m = decodeOnnxObject(good) as Parameters<typeof f>[0];
      f(m);
      return encodeOnnxObject(m as unknown as Record<string, unknown>);
    };
    const inp = (m: Parameters<Parameters<typeof edit>[0]>[0]) => m.graph.input[0]?.type.tensor_type;
    const out = (m: Parameters<Parameters<typeof edit>[0]>[0]) => m.graph.output[0]?.type.tensor_type;
    const cases: [string, Uint8Array, RegExp][] = [
      ['input [B, 3]', edit((m) => { const t = inp(m); if (t) t.shape.dim[1] = { dim_value: 3 }; }), /input 'z' is float32 \[B, 3\]/],
      ['input float64', edit((m) => { const t = inp(m); if (t) t.elem_type = 11; }), /float64/],
      ['fixed batch', edit((m) => { const t = inp(m); if (t) t.shape.dim[0] = { dim_value: 16 }; }), /fixed batch size 16/],
      ['output int64', edit((m) => { const t = out(m); if (t) t.elem_type = 7; }), /output 'x' is int64/],
      ['output [B]', edit((m) => { const t = out(m); if (t) t.shape.dim = [{ dim_param: 'B' }]; }), /output 'x' is float32 \[B\]/],
      ['two inputs', edit((m) => { const i0 = m.graph.input[0]; if (i0) m.graph.input.push({ ...i0, name: 'w' } as never); }), /exactly one input/],
    ];
    for (const [what, bytes, msg] of cases) expect(() => readGeneratorModel(bytes), what).toThrow(msg);
  });

  it('a model the reader accepts but onnxruntime refuses: the error is wrapped', async () => {
    const m = decodeOnnxObject(good) as { graph: { node: { op_type: string }[] } };
    const n0 = m.graph.node[0];
    if (n0) n0.op_type = 'NoSuchOp';
    const bytes = encodeOnnxObject(m as unknown as Record<string, unknown>);
    expect(() => readGeneratorModel(bytes)).not.toThrow();
    await expect(OnnxGenerator.load(await nodeOrt(), bytes)).rejects.toThrow(/onnxruntime refused the model/);
  });
});

describe('training', () => {
  const tiny = { hidden: 8, batch: 32 };
  it('same seed, same weights bit for bit (wflow, uotm, sjko); another seed differs', async () => {
    const target = targetSampler('8gaussians');
    for (const method of ['wflow', 'uotm', 'sjko'] as const) {
      const variants: Record<string, string | number>[] = method === 'sjko' ? [{ ...tiny, stages: 2 }, { ...tiny, stages: 2, r1: 0.5, vInitScale: 4 }] : method === 'wflow'
        ? [tiny, { ...tiny, anneal: 2, blurEnd: 0.05, ema: 0.9, fit: 2, batchEnd: 48, reach: 1 }, { ...tiny, fresh: 1, anneal: 2 }] : [tiny, { ...tiny, ema: 0.9, initScale: 3 }, { ...tiny, vInitScale: 4, r1: 0.5, vlr: 0.3, fixedSource: 1 }];
      for (const given of variants) {
        const params = resolveTrainParams(method, given);
        const run = async (seed: number) => flatParameters(((await trainGenerator({ method, steps: 4, seed, params, target })).model.stages.at(-1) ?? randomMlp(0)));
        const a = await run(3), b = await run(3), c = await run(4);
        expect(a.length).toBeGreaterThan(0);
        expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer)), `${method} ${JSON.stringify(given)}: same seed`).toBe(true);
        expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer)), `${method} ${JSON.stringify(given)}: other seed`).toBe(false);
      }
    }
  });

  it('training parameters: blurEnd / batchEnd follow blur / batch unless given; anneal and ema may be 0; bad values refused', () => {
    expect(resolveTrainParams('wflow', { blur: 0.2 })).toMatchObject({ blur: 0.2, blurEnd: 0.2 });
    expect(resolveTrainParams('wflow', { blur: 0.2, blurEnd: 0.02, batch: 64 })).toMatchObject({ blurEnd: 0.02, batch: 64, batchEnd: 64 });
    expect(resolveTrainParams('wflow', { anneal: 0, ema: 0, reach: 0 })).toMatchObject({ anneal: 0, ema: 0, reach: 0 });
    expect(() => resolveTrainParams('wflow', { ema: 1 })).toThrow(/ema must lie in \[0, 1\)/);
    expect(() => resolveTrainParams('wflow', { anneal: 1.5 })).toThrow(/non-negative integer/);
    expect(() => resolveTrainParams('wflow', { fit: 0 })).toThrow(/positive integer/);
    // the schedule's ends are exact: blur at the first step, blurEnd (and batchEnd) at the last
    const p = resolveTrainParams('wflow', { blur: 0.1, blurEnd: 0.025, batch: 100, batchEnd: 300 });
    expect(wflowSchedule(p, 0, 11)).toEqual({ blur: 0.1, batch: 100 });
    expect(wflowSchedule(p, 10, 11).blur).toBeCloseTo(0.025, 15);
    expect(wflowSchedule(p, 10, 11).batch).toBe(300);
    expect(wflowSchedule(p, 5, 11)).toEqual({ blur: 0.05, batch: 200 });
  });

  it('one W-Flow move: exact for one point (x + tau (y - x)); a translated cloud moves by tau c (cold and warm solves)', async () => {
    const p = resolveTrainParams('wflow', { tau: 0.7, iterations: 400 });
    // B = 1: every plan is the single pair, T_ab(x) = y and T_aa(x) = x, whatever the potentials
    const one = await wflowStep(Float64Array.of(0.3, -1.2), Float64Array.of(2, 0.5), 0.1, p, undefined, false);
    expectClose(one.next, [0.3 + 0.7 * 1.7, -1.2 + 0.7 * 1.7], { atol: 1e-15, rtol: 0 }, 'B = 1');
    // y = x + c: C(x_i, x_j + c) = C(x_i, x_j) - c.(x_i - x_j) + |c|^2/2, the linear terms go into the
    // potentials, so the (a, b) plan equals the (a, a) plan and T_ab = T_aa + c: x' = x + tau c at
    // convergence; the rest is the solve's error (400 alternating iterations at blur 0.3 on 32 N(0, I)
    // points: measured max 1.1e-5 cold; warm, the potentials extended at the larger eps of the last 2
    // levels and re-annealed: 1.9e-4; atol 5e-5 and 5e-4)
    const rng = new Rng(5, 13, 1);
    const n = 32;
    const x = new Float64Array(2 * n).map(() => rng.normal());
    const c = [0.4, -0.25];
    const y = x.map((v, i) => v + (c[i % 2] ?? 0));
    const want = x.map((v, i) => v + 0.7 * (c[i % 2] ?? 0));
    const cold = await wflowStep(x, y, 0.3, p, undefined, true);
    expectClose(cold.next, want, { atol: 5e-5, rtol: 0 }, 'translated cloud, cold');
    // S_eps(x, x + c) = |c|^2 / 2 exactly for a translation (the debiasing removes the entropic part)
    expect(Math.abs(cold.loss - (0.4 * 0.4 + 0.25 * 0.25) / 2), `S_eps ${cold.loss}`).toBeLessThan(1e-5);
    const warm = await wflowStep(x, y, 0.3, { ...p, anneal: 2 }, cold.warm, false);
    expectClose(warm.next, want, { atol: 5e-4, rtol: 0 }, 'translated cloud, warm (last 2 levels)');
  });

  it('fresh self batch: x + tau (T_ab(x) - T_ax~(x)); exact for one point, and for a translated fresh batch', async () => {
    const p = resolveTrainParams('wflow', { tau: 0.7, iterations: 400, fresh: 1 });
    // B = 1: T_ab(x) = y and T_ax~(x) = x~: x' = x + tau (y - x~)
    const one = await wflowStep(Float64Array.of(0.3, -1.2), Float64Array.of(2, 0.5), 0.1, p, undefined, false, Float64Array.of(-1, 1));
    expectClose(one.next, [0.3 + 0.7 * 3, -1.2 + 0.7 * -0.5], { atol: 1e-15, rtol: 0 }, 'B = 1');
    // x~ = x - c and y = x + c (translations, as above): T_ab = x + c, T_ax~ = x - c at convergence,
    // x' = x + 2 tau c; the fresh solve is cold (measured error as the cold solve above: atol 5e-5)
    const rng = new Rng(5, 13, 2);
    const n = 32;
    const x = new Float64Array(2 * n).map(() => rng.normal());
    const c = [0.4, -0.25];
    const y = x.map((v, i) => v + (c[i % 2] ?? 0));
    const xf = x.map((v, i) => v - (c[i % 2] ?? 0));
    const r = await wflowStep(x, y, 0.3, p, undefined, false, xf);
    expectClose(r.next, x.map((v, i) => v + 2 * 0.7 * (c[i % 2] ?? 0)), { atol: 5e-5, rtol: 0 }, 'translated fresh batch');
    expect(() => resolveTrainParams('wflow', { fresh: 2 })).toThrow(/fresh must be 0 or 1/);
  });

  it('a short wflow run lowers S_eps to the target (8gaussians, 80 steps)', async () => {
    const target = targetSampler('8gaussians');
    const params = resolveTrainParams('wflow', { hidden: 32, batch: 128 });
    const r = await trainGenerator({ method: 'wflow', steps: 80, seed: 2, params, target });
    const y = target(new Rng(9, 13, 0), 512);
    const z = sampleNoise(10, 512);
    const before = await sinkhornMetric(z, y);
    const after = await sinkhornMetric(generate(r.model, z, 512), y);
    // measured: S_eps 1.44 (N(0, I) vs the ring of radius 2.83) -> 0.84 after 80 steps
    expect(after).toBeLessThan(0.75 * before);
    expect(energyDistance(generate(r.model, z, 512), y)).toBeLessThan(0.75 * energyDistance(z, y));
  });

  it('modes: exact counts on constructed samples', () => {
    const modes = targetModes('8gaussians') ?? [];
    expect(modes).toHaveLength(8);
    // 100 points on each of the first 3 centres, 100 far away: 3 of 8 modes, 3/4 high quality
    const pts: number[] = [];
    for (let k = 0; k < 3; k++) for (let i = 0; i < 100; i++) pts.push(modes[k]?.centre[0] ?? 0, modes[k]?.centre[1] ?? 0);
    for (let i = 0; i < 100; i++) pts.push(50, 50);
    const s = modeStats(pts, modes);
    expect(s).toEqual({ modes: 3 / 8, highQuality: 0.75, counts: [100, 100, 100, 0, 0, 0, 0, 0] });
  });
});

describe('CLI: wgf train and wgf sample', () => {
  it('train writes model.onnx + model.json and prints one JSON line; sample writes float32 [N, 2]', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wgf-gen-'));
    const out: string[] = [], err: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    const model = join(dir, 'm.onnx');
    const code = await runTrain(['--method', 'uotm', '--target', '8gaussians', '--steps', '5', '--seed', '1', '--out', model, '--param', 'hidden=8', '--param', 'batch=32', '--no-sinkhorn'], io);
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const line = JSON.parse(out[0] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(expect.arrayContaining(['method', 'target', 'steps', 'wallMs', 'metrics']));
    expect(line).toMatchObject({ method: 'uotm', target: '8gaussians', steps: 5 });
    const card = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as { metrics: { energy: number; modes: number } };
    expect(card.metrics.energy).toBeGreaterThan(0);
    out.length = 0;
    const npy = join(dir, 'x.npy');
    expect(await runSample(['--model', model, '--n', '100', '--seed', '3', '--out', npy], io)).toBe(0);
    const arr = decodeNpy(new Uint8Array(await readFile(npy)));
    expect(arr.shape).toEqual([100, 2]);
    expect(arr.data).toBeInstanceOf(Float32Array);
    // bad arguments: exit 2, one line; a bad model file: exit 2 (issue 21: a bad input file, named) with the reader's message
    err.length = 0;
    expect(await runTrain(['--method', 'gan', '--target', '8gaussians'], io)).toBe(2);
    expect(await runTrain(['--method', 'wflow', '--target', '8gaussians', '--param', 'hidden=-1'], io)).toBe(2);
    expect(await runSample(['--model', npy, '--out', join(dir, 'y.npy')], io)).toBe(2);
    expect(err.at(-1)).toMatch(/not an ONNX model|no graph|refused/);
  });
});
