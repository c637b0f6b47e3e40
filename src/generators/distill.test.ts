/**
 * The "Distill now" core (src/generators/distill.ts) in Node, as the worker runs it:
 * - progress: reports at most every progressMs (a fake clock here), steps increasing, the last at
 *   steps / steps;
 * - cancel: shouldStop stops within one step and still returns a model that loads;
 * - the written ONNX bytes pass readGeneratorModel, onnxruntime-web's output equals the TS forward
 *   pass of the exported float32 weights within 1e-5 (float32 arithmetic in both, different order),
 *   and the trained generator is closer to the target than the untrained one (x = z): the energy
 *   distance and the Sinkhorn divergence (blur 0.05) both fall, on held-out target samples;
 * - the worker protocol (distillHandlers over a MessageChannel, as in the browser) posts progress
 *   and answers with the bytes and the card.
 * The target: N((2, 1), 0.5^2 I), far from the noise N(0, I), so 80 steps must move it.
 */
import { describe, expect, it } from 'vitest';
import { Rng, Stream } from '../reference/philox';
import { createTarget } from '../targets/registry';
import { sinkhornMetric } from './metrics';
import { roundToFloat32 } from './mlp';
import { generate, sampleNoise } from './model';
import { nodeOrt } from './nodeOrt';
import { readGeneratorModel } from './onnx';
import { OnnxGenerator } from './runtime';
import { serve } from '../platform/worker/host';
import type { Port } from '../platform/worker/protocol';
import { distill, distillFileName, DistillError } from './distill';
import { DistillClient, type SpawnDistillWorker } from './distillClient';
import { distillHandlers } from './distillHandlers';

/** A spawn that serves distillHandlers in-process over a MessageChannel, as the worker would. */
function inProcessSpawn(): { spawn: SpawnDistillWorker; started: () => number; disposed: () => number } {
  let started = 0, disposed = 0;
  const spawn: SpawnDistillWorker = () => {
    started++;
    const ch = new MessageChannel();
    const far = ch.port2 as unknown as Port;
    const served = serve(far, distillHandlers(far));
    return {
      port: ch.port1 as unknown as Port,
      dispose: () => {
        disposed++;
        served.close();
        ch.port1.close();
        ch.port2.close();
      },
    };
  };
  return { spawn, started: () => started, disposed: () => disposed };
}

function gaussianCloud(n: number, seed = 3): Float64Array {
  const t = createTarget('gaussian', { mean: [2, 1], cov: [0.25, 0, 0.25] });
  if (!t.sample) throw new Error('gaussian has no sampler');
  return t.sample(new Rng(seed, Stream.sampler), n);
}

function fakeClock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

describe('distill (the worker core, in-process)', () => {
  it('reports progress at most every progressMs, ends at steps/steps, loads and lowers the divergences', async () => {
    const cloud = gaussianCloud(4096);
    const seen: { step: number; steps: number; loss: number }[] = [];
    const steps = 80;
    const t0 = performance.now();
    const r = await distill({ cloud, target: 'gaussian', steps, seed: 1 }, { onProgress: (p) => seen.push(p), progressMs: 250, now: fakeClock(100) });
    console.log(`distill: ${steps} steps at batch ${r.card.params.batch} in ${(performance.now() - t0).toFixed(0)} ms; energy ${r.card.energyInit.toFixed(4)} -> ${r.card.energy.toFixed(4)}`);
    // the fake clock advances 100 ms per read, one read per step: a report every 3rd step at most
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(steps / 2) + 1);
    // (the last report, at steps / steps, is always sent)
    for (let i = 1; i < seen.length - 1; i++) expect((seen[i]?.step ?? 0) - (seen[i - 1]?.step ?? 0)).toBeGreaterThanOrEqual(3);
    expect(seen[seen.length - 1]).toMatchObject({ step: steps, steps });
    expect(seen.every((p) => Number.isFinite(p.loss) && p.steps === steps)).toBe(true);
    expect(r.card).toMatchObject({ method: 'wflow', target: 'gaussian', steps, requestedSteps: steps, stopped: false, seed: 1, heldOutPoints: 819, trainPoints: 4096 - 819 });

    const info = readGeneratorModel(r.bytes);
    expect(info).toMatchObject({ inputName: 'z', outputName: 'x', outputs: ['x'] });
    expect(info.metadata).toMatchObject({ method: 'wflow', target: 'gaussian', steps: String(steps) });
    const n = 1024;
    const z = sampleNoise(7, n);
    const ts = generate({ method: 'wflow', stages: r.model.stages.map(roundToFloat32) }, z, n);
    const gen = await OnnxGenerator.load(await nodeOrt(), r.bytes);
    const x = await gen.forward(z, n);
    gen.release();
    let err = 0;
    for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs((x[i] ?? NaN) - (ts[i] ?? NaN)) / (1 + Math.abs(ts[i] ?? 0)));
    expect(err).toBeLessThan(1e-5);

    // closer to the target than the untrained map (x = z), by both metrics, on fresh target samples
    const y = gaussianCloud(1024, 99);
    const sTrained = await sinkhornMetric(Float64Array.from(x), y);
    const sInit = await sinkhornMetric(z, y);
    console.log(`distill: S_eps init ${sInit.toFixed(4)} -> trained ${sTrained.toFixed(4)}`);
    expect(sTrained).toBeLessThan(0.25 * sInit);
    expect(r.card.energy).toBeLessThan(0.25 * r.card.energyInit);
  }, 120_000);

  it('cancel stops within one step and still returns a model that loads', async () => {
    let calls = 0;
    let reported = 0;
    const r = await distill(
      { cloud: gaussianCloud(2048), target: 'my target!', steps: 400, seed: 2 },
      { shouldStop: () => ++calls >= 5, onProgress: () => reported++, checkpoint: () => Promise.resolve() },
    );
    expect(r.card.stopped).toBe(true);
    expect(r.card.steps).toBe(5);
    expect(r.card.requestedSteps).toBe(400);
    expect(reported).toBeGreaterThanOrEqual(1);
    expect(readGeneratorModel(r.bytes).metadata.steps).toBe('5');
    expect(distillFileName('my target!')).toBe('wflow-my_target.onnx');
    expect(distillFileName('8gaussians')).toBe('wflow-8gaussians.onnx');
  }, 60_000);

  it('refuses too few, non-finite or odd samples and bad step counts with clear messages', async () => {
    await expect(distill({ cloud: new Float64Array(8), target: 't', steps: 10, seed: 1 })).rejects.toThrow(/at least 10/);
    await expect(distill({ cloud: new Float64Array(41), target: 't', steps: 10, seed: 1 })).rejects.toThrow(DistillError);
    const bad = gaussianCloud(100);
    bad[17] = NaN;
    await expect(distill({ cloud: bad, target: 't', steps: 10, seed: 1 })).rejects.toThrow(/sample 8 is not finite/);
    await expect(distill({ cloud: gaussianCloud(100), target: 't', steps: 0, seed: 1 })).rejects.toThrow(/steps must be/);
    await expect(distill({ cloud: gaussianCloud(100), target: 't', steps: 10, seed: 1, params: { nope: 1 } })).rejects.toThrow(/unknown training parameter/);
  });

  it('DistillClient over the worker protocol: progress, bytes, one job at a time, cancel, the caller\'s cloud untouched', async () => {
    const w = inProcessSpawn();
    const client = new DistillClient(w.spawn);
    const cloud = gaussianCloud(1024);
    const copy = Float64Array.from(cloud);
    const seen: number[] = [];
    const job = client.start({ cloud, target: 'gaussian', steps: 12, seed: 1 }, (p) => seen.push(p.step));
    expect(client.start({ cloud, target: 'other', steps: 5, seed: 1 })).toBe(job);
    expect(client.busy).toBe(true);
    const out = await job.result;
    expect(out.kind).toBe('done');
    if (out.kind !== 'done') throw new Error('not done');
    expect(readGeneratorModel(out.bytes).metadata.steps).toBe('12');
    expect(out.card.steps).toBe(12);
    expect(seen[seen.length - 1]).toBe(12);
    expect(cloud).toEqual(copy);
    expect(client.busy).toBe(false);

    const long = client.start({ cloud, target: 'gaussian', steps: 2000, seed: 1 }, (p) => {
      if (p.step >= 1) long.cancel();
    });
    const c = await long.result;
    expect(c.kind).toBe('cancelled');
    if (c.kind !== 'cancelled') throw new Error('not cancelled');
    expect(c.step).toBeLessThan(50);
    expect(c.steps).toBe(2000);
    expect(w.started()).toBe(1);
    client.destroy();
    expect(w.disposed()).toBe(1);
  }, 60_000);

  it('DistillClient terminates a worker that does not answer a cancel (the last resort) and spawns a fresh one', async () => {
    let disposed = 0;
    let started = 0;
    const silent: SpawnDistillWorker = () => {
      started++;
      const ch = new MessageChannel();
      ch.port2.start(); // swallows every call
      return { port: ch.port1 as unknown as Port, dispose: () => { disposed++; ch.port1.close(); ch.port2.close(); } };
    };
    const client = new DistillClient(silent);
    const job = client.start({ cloud: gaussianCloud(64), target: 'g', steps: 10, seed: 1 });
    job.cancel();
    const t0 = performance.now();
    expect((await job.result).kind).toBe('cancelled');
    expect(performance.now() - t0).toBeGreaterThan(2500);
    expect(disposed).toBe(1);
    const again = client.start({ cloud: gaussianCloud(64), target: 'g', steps: 10, seed: 1 });
    expect(started).toBe(2);
    again.cancel();
    client.destroy();
    expect((await again.result).kind).toBe('cancelled');
  }, 20_000);

  it('DistillClient: a worker that fails rejects its job with the error, and the next start spawns a fresh one', async () => {
    const fails: ((e: Error) => void)[] = [];
    let started = 0;
    const failing: SpawnDistillWorker = (onError) => {
      started++;
      fails.push(onError);
      const ch = new MessageChannel();
      ch.port2.start();
      return { port: ch.port1 as unknown as Port, dispose: () => { ch.port1.close(); ch.port2.close(); } };
    };
    const client = new DistillClient(failing);
    const job = client.start({ cloud: gaussianCloud(64), target: 'g', steps: 10, seed: 1 });
    fails[0]?.(new Error('the distill worker failed: it could not be loaded'));
    await expect(job.result).rejects.toThrow(/could not be loaded/);
    const again = client.start({ cloud: gaussianCloud(64), target: 'g', steps: 10, seed: 1 });
    expect(started).toBe(2);
    client.destroy();
    expect((await again.result).kind).toBe('cancelled');
  });
});
