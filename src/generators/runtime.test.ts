/**
 * The runtime's queue and error wording (issue 21 item 7, issue 22 item 8): every call into one
 * onnxruntime module runs alone and in order, a release waits for the call in flight and refuses the
 * calls queued after it, and onnxruntime's raw messages lose build-machine paths and bare numbers.
 * The queue is also driven against onnxruntime-web's wasm build in Node (nodeOrt).
 */
import { describe, expect, it } from 'vitest';
import { createMlp, forward } from './mlp';
import { nodeOrt } from './nodeOrt';
import { writeGeneratorOnnx } from './onnx';
import { GeneratorReleasedError, OnnxGenerator, OrtQueue, ortErrorText, ortQueue } from './runtime';
import { Rng } from '../reference/philox';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('OrtQueue', () => {
  it('runs jobs one at a time in the order given; a failed job does not stop the ones after it', async () => {
    const q = new OrtQueue();
    const log: string[] = [];
    let inside = 0;
    let most = 0;
    const job = (name: string, ms: number, fail = false) => async (): Promise<string> => {
      inside++;
      most = Math.max(most, inside);
      log.push(`${name}+`);
      await tick(ms);
      log.push(`${name}-`);
      inside--;
      if (fail) throw new Error(name);
      return name;
    };
    const a = q.enqueue(job('a', 20));
    const b = q.enqueue(job('b', 1, true));
    const c = q.enqueue(job('c', 5));
    expect(q.pending).toBe(3);
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toThrow('b');
    await expect(c).resolves.toBe('c');
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(most).toBe(1);
    expect(q.pending).toBe(0);
  });
});

describe('ortErrorText', () => {
  it('drops build-machine paths and stack lines, says what a bare number is, and stays short', () => {
    const raw =
      "Non-zero status code returned while running Gemm node. Name:'s1_l1_gemm' Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/math/gemm_helper.h:14 onnxruntime::GemmHelper::GemmHelper(...) left.NumDimensions() == 2 was false.";
    const t = ortErrorText(new Error(raw));
    expect(t).not.toMatch(/onnxruntime_src|gemm_helper\.h|\/core\//);
    expect(t).toMatch(/^Non-zero status code returned while running Gemm node/);
    expect(t.length).toBeLessThanOrEqual(160);
    expect(ortErrorText(new Error('D:\\a\\_work\\1\\s\\onnxruntime\\core\\session\\inference_session.cc:2154 failed to load'))).toBe('failed to load');
    expect(ortErrorText(10025816)).toMatch(/internal onnxruntime error/);
    expect(ortErrorText(new Error('10028328'))).not.toMatch(/\d{5}/);
    expect(ortErrorText(new Error('boom\n    at t (http://localhost:4202/assets/ort.webgpu.bundle.min.js:1:38030)'))).toBe('boom');
    expect(ortErrorText(new Error('/a/b/c.cc:1'))).toMatch(/internal onnxruntime error/);
    expect(ortErrorText('x'.repeat(400))).toHaveLength(160);
  });
});

describe('OnnxGenerator on one runtime (onnxruntime-web wasm in Node)', () => {
  const spec = { sizes: [2, 16, 16, 2], activation: 'silu' as const, residual: true };

  it('concurrent runs and creates on one module are queued and right; a release refuses the runs that had not started, by name', async () => {
    const ort = await nodeOrt();
    const nets = [createMlp(spec, new Rng(3, 11, 1), false), createMlp(spec, new Rng(4, 11, 1), false)];
    const [ga, gb] = await Promise.all(nets.map((m) => OnnxGenerator.load(ort, writeGeneratorOnnx([m]))));
    if (!ga || !gb) throw new Error('two generators');
    const n = 257;
    const z = Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(i * 0.37) * 2);
    const want = nets.map((m) => forward(m, z, n));
    const worst = (got: Float32Array, ref: Float64Array | undefined): number => got.reduce((w, v, i) => Math.max(w, Math.abs(v - (ref?.[i] ?? NaN))), 0);
    // a burst of calls on both sessions and a third session created among them
    const third = OnnxGenerator.load(ort, writeGeneratorOnnx([createMlp(spec, new Rng(3, 11, 1), false)]));
    const out = await Promise.all([ga.forward(z, n), gb.forward(z, n), ga.forward(z, n), third.then((g) => g.forward(z, n))]);
    // float32 weights and activations against the float64 forward pass
    for (const [k, ref] of [[0, want[0]], [1, want[1]], [2, want[0]], [3, want[0]]] as const) expect(worst(out[k] ?? new Float32Array(), ref)).toBeLessThan(1e-4);
    // a run of b in the queue, then a run of a, then a's release: a's run had not started and is refused
    const busy = gb.forward(z, n);
    const refused = ga.forward(z, n).then(
      () => 'ran',
      (e: unknown) => e,
    );
    const released = ga.release();
    expect(ga.isReleased).toBe(true);
    expect(ga.release()).toBe(released);
    expect(worst(await busy, want[1])).toBeLessThan(1e-4);
    expect(await refused).toBeInstanceOf(GeneratorReleasedError);
    await released;
    await expect(ga.forward(z, n)).rejects.toThrow(/used after release/);
    const g3 = await third;
    await Promise.all([gb.release(), g3.release()]);
    expect(ortQueue(ort).pending).toBe(0);
  });
});
