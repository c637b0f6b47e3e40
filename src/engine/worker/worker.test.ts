/**
 * The worker host, in Node: the handler side runs in-process behind a node:worker_threads
 * MessageChannel (the same serve() + handlers the browser's Web Worker runs), so every message is
 * structured-cloned (or transferred) exactly as between threads.
 *
 * The CPU simulation behind the worker runs the same float64 code as the in-process CpuSimulation,
 * so positions, stats and metrics must be bit-identical (toEqual on float64 values): there is no
 * tolerance to explain.
 */
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ParamError } from '../../core/params';
import { CpuSimulation } from '../cpuSimulation';
import { createWorkerCpuBackend, CPU_MAX_PARTICLES } from '../backend';
import { Engine } from '../Engine';
import { ConfigError, type BackendInfo, type RunConfig } from '../types';
import { WorkerClient } from '../../platform/worker/client';
import { cpuSimulationHandlers } from './cpuHandlers';
import { serve } from '../../platform/worker/host';
import { CancelledError, transfer, WorkerClosedError, type JobContext, type Port } from '../../platform/worker/protocol';
import type { SpawnCpuWorker, WorkerSimulation } from './workerSimulation';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A channel whose far end serves `handlers`, as a worker would. */
function channel<H extends Parameters<typeof serve>[1]>(handlers: H): { client: WorkerClient<H>; close: () => void } {
  const ch = new MessageChannel();
  const served = serve(ch.port2 as unknown as Port, handlers);
  const client = new WorkerClient<H>(ch.port1 as unknown as Port);
  const close = (): void => {
    client.close();
    served.close();
    ch.port1.close();
    ch.port2.close();
  };
  cleanups.push(close);
  return { client, close };
}

/** A spawn that serves cpuSimulationHandlers in-process, counting the workers it started. */
function inProcessSpawn(): { spawn: SpawnCpuWorker; started: () => number; live: () => number } {
  let started = 0;
  let live = 0;
  const spawn: SpawnCpuWorker = () => {
    started++;
    live++;
    const ch = new MessageChannel();
    const served = serve(ch.port2 as unknown as Port, cpuSimulationHandlers());
    let open = true;
    const dispose = (): void => {
      if (!open) return;
      open = false;
      live--;
      served.close();
      ch.port1.close();
      ch.port2.close();
    };
    cleanups.push(dispose);
    return { port: ch.port1 as unknown as Port, dispose };
  };
  return { spawn, started: () => started, live: () => live };
}

const INFO: BackendInfo = { kind: 'cpu', description: 'CPU engine (float64)', maxParticles: CPU_MAX_PARTICLES };

const svgd = (n: number, extra: Partial<RunConfig> = {}): RunConfig => ({
  method: 'svgd',
  params: { bandwidth: 'median' },
  target: { id: 'banana', params: {} },
  n,
  stepSize: 0.05,
  seed: 7,
  init: { kind: 'gaussian', mean: [0, 0], std: 1 },
  ...extra,
});

describe('worker protocol (client <-> host over a MessageChannel)', () => {
  it('round-trips values, clones by default and transfers when asked', async () => {
    const { client } = channel({
      add: (_ctx: JobContext, a: number, b: number) => a + b,
      sum: (_ctx: JobContext, x: Float64Array) => x.reduce((s, v) => s + v, 0),
      make: (_ctx: JobContext, n: number) => {
        const out = new Float32Array(n).fill(1.5);
        return transfer(out, [out.buffer]);
      },
    });
    expect(await client.call('add', [2, 3])).toBe(5);
    const kept = Float64Array.of(1, 2, 3.5);
    expect(await client.call('sum', [kept])).toBe(6.5);
    expect(kept.byteLength).toBe(24); // cloned: still ours
    const sent = Float64Array.of(4, 5);
    expect(await client.call('sum', [sent], [sent.buffer])).toBe(9);
    expect(sent.byteLength).toBe(0); // transferred: detached here
    const made = await client.call('make', [3]);
    expect(made).toBeInstanceOf(Float32Array);
    expect(Array.from(made)).toEqual([1.5, 1.5, 1.5]);
  });

  it('errors come back as themselves: ConfigError keeps its field, ParamError its param; unknown handlers and uncloneable results are refused', async () => {
    const { client } = channel({
      config: () => {
        throw new ConfigError('params.bandwidth', 'bandwidth must be positive');
      },
      param: () => {
        throw new ParamError('s', 's out of range');
      },
      fn: () => () => 1,
    });
    const e1 = await client.call('config', []).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ConfigError);
    expect(e1).toMatchObject({ field: 'params.bandwidth', message: 'bandwidth must be positive' });
    const e2 = await client.call('param', []).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(ParamError);
    expect(e2).toMatchObject({ param: 's' });
    const unknown = client as unknown as WorkerClient<{ nope: () => void }>;
    await expect(unknown.call('nope', [])).rejects.toThrow("no handler named 'nope'");
    await expect(client.call('fn', [])).rejects.toThrow(/could not be cloned/i);
  });

  it('runs calls one at a time in the order posted, even when an earlier one is async', async () => {
    const order: string[] = [];
    const { client } = channel({
      slow: async (ctx: JobContext, tag: string) => {
        order.push(`${tag} start`);
        for (let i = 0; i < 5; i++) await ctx.checkpoint();
        order.push(`${tag} end`);
        return tag;
      },
      fast: (_ctx: JobContext, tag: string) => {
        order.push(tag);
        return tag;
      },
    });
    const out = await Promise.all([client.call('slow', ['a']), client.call('fast', ['b']), client.call('slow', ['c']), client.call('fast', ['d'])]);
    expect(out).toEqual(['a', 'b', 'c', 'd']);
    expect(order).toEqual(['a start', 'a end', 'b', 'c start', 'c end', 'd']);
  });

  it('cancel: a queued call is dropped with CancelledError, a running one sees its signal at the next checkpoint', async () => {
    let units = 0;
    const { client } = channel({
      work: async (ctx: JobContext, max: number) => {
        let done = 0;
        while (done < max && !ctx.signal.aborted) {
          const t = performance.now();
          while (performance.now() - t < 2); // 2 ms of work
          done++;
          units++;
          await ctx.checkpoint();
        }
        return done;
      },
    });
    const running = client.request('work', [10_000]);
    const queued = client.request('work', [10_000]);
    while (units < 3) await new Promise((r) => setTimeout(r, 1));
    client.cancel(queued.id);
    client.cancel(running.id);
    await expect(queued.result).rejects.toBeInstanceOf(CancelledError);
    const done = await running.result;
    console.log(`protocol cancel: the running job stopped after ${done} of 10000 units`);
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(200);
    expect(units).toBe(done); // the queued job never ran
  });

  it('close() rejects every pending call with WorkerClosedError, and later calls too', async () => {
    const { client } = channel({
      never: () => new Promise<number>(() => undefined),
    });
    const a = client.call('never', []);
    const b = client.call('never', []);
    expect(client.inFlight).toBe(2);
    client.close();
    await expect(a).rejects.toBeInstanceOf(WorkerClosedError);
    await expect(b).rejects.toBeInstanceOf(WorkerClosedError);
    await expect(client.call('never', [])).rejects.toBeInstanceOf(WorkerClosedError);
    expect(client.inFlight).toBe(0);
  });
});

describe('WorkerCpuBackend / WorkerSimulation (cpuSimulationHandlers in-process)', () => {
  it('is bit-identical to the in-process CpuSimulation: positions, stats, metrics', async () => {
    const w = inProcessSpawn();
    const backend = createWorkerCpuBackend(w.spawn);
    const config = svgd(300);
    const sim = backend.createSimulation(config);
    const ref = new CpuSimulation(INFO, config);
    expect(await sim.positions()).toEqual(await ref.positions());
    expect(sim.positions64()).toEqual(ref.positions64()); // before any step: the initial positions, drawn at once
    for (const k of [1, 3, 2]) {
      sim.step(k);
      ref.step(k);
      expect(sim.stepCount).toBe(ref.stepCount); // counted locally, at once
    }
    await sim.finish();
    expect(sim.positions64()).toEqual(ref.positions64());
    expect(await sim.positions()).toEqual(await ref.positions());
    expect(await sim.stats()).toEqual(await ref.stats());
    expect(await sim.metrics()).toEqual(await ref.metrics());
    sim.setStepSize(0.02);
    ref.setStepSize(0.02);
    const t = { id: 'gaussian', params: { mean: [1, -1] } };
    sim.setTarget(t);
    ref.setTarget(t);
    sim.step(2);
    ref.step(2);
    expect(sim.config).toEqual(ref.config);
    expect(await sim.positions()).toEqual(await ref.positions()); // observes the steps and changes posted before it
    expect(await sim.stats()).toEqual(await ref.stats());
    expect(w.started()).toBe(1);
    backend.destroy();
    expect(w.live()).toBe(0);
    expect(backend.liveSimulations).toBe(0);
  });

  it('refuses invalid configs and arguments synchronously, with the same errors, before starting a worker', () => {
    const w = inProcessSpawn();
    const backend = createWorkerCpuBackend(w.spawn);
    const cases: [Partial<RunConfig>, string][] = [
      [{ n: 0 }, 'n'],
      [{ n: CPU_MAX_PARTICLES + 1 }, 'n'],
      [{ stepSize: -1 }, 'stepSize'],
      [{ params: { bandwidth: -2 } }, 'params.bandwidth'],
      [{ method: 'nope' }, 'method'],
      [{ target: { id: 'nope', params: {} } }, 'target'],
    ];
    for (const [bad, field] of cases) {
      let inProcess: unknown;
      try {
        new CpuSimulation(INFO, svgd(64, bad));
      } catch (e) {
        inProcess = e;
      }
      let worker: unknown;
      try {
        backend.createSimulation(svgd(64, bad));
      } catch (e) {
        worker = e;
      }
      expect(worker, field).toBeInstanceOf(ConfigError);
      expect(worker).toMatchObject({ field, message: (inProcess as Error).message });
    }
    expect(w.started()).toBe(0);
    const sim = backend.createSimulation(svgd(64));
    expect(() => sim.setStepSize(0)).toThrow(ConfigError);
    expect(() => sim.setTarget({ id: 'nope', params: {} })).toThrow(ConfigError);
    expect(() => sim.setPositions(new Float32Array(3))).toThrow('expected 128 numbers, got 3');
    expect(sim.config.stepSize).toBe(0.05);
    sim.destroy();
  });

  it('step() while a batch runs only queues: 40 single steps make at most 2 batches, finish() waits for all of them', async () => {
    const w = inProcessSpawn();
    const backend = createWorkerCpuBackend(w.spawn);
    const config = svgd(512);
    const sim = backend.createSimulation(config);
    for (let i = 0; i < 40; i++) sim.step(1);
    expect(sim.stepCount).toBe(40);
    expect(sim.pendingSteps).toBe(40);
    await sim.finish();
    expect(sim.pendingSteps).toBe(0);
    console.log(`coalescing: 40 step(1) calls -> ${sim.batchesPosted} batches posted`);
    expect(sim.batchesPosted).toBeLessThanOrEqual(2);
    const ref = new CpuSimulation(INFO, config);
    ref.step(40);
    expect(sim.positions64()).toEqual(ref.positions64()); // finish() told the truth: all 40 steps are in
    sim.destroy();
  });

  it('cancelSteps() stops a long batch after its current step; stepCount falls back to the steps really done', async () => {
    const w = inProcessSpawn();
    const backend = createWorkerCpuBackend(w.spawn);
    const config = svgd(1024);
    const sim = backend.createSimulation(config);
    const t0 = performance.now();
    sim.step(500);
    sim.step(500); // queued behind the running batch
    await new Promise((r) => setTimeout(r, 100));
    sim.cancelSteps();
    await sim.finish();
    const ms = performance.now() - t0;
    const done = sim.stepCount;
    console.log(`cancel: ${done} of 1000 steps ran (svgd N = 1024), finish() after ${ms.toFixed(0)} ms`);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(500);
    expect(sim.pendingSteps).toBe(0);
    const ref = new CpuSimulation(INFO, config);
    ref.step(done);
    expect(sim.positions64()).toEqual(ref.positions64());
    expect((await sim.stats()).step).toBe(done);
    sim.destroy();
  });

  it('setPositions round-trips exactly and sets the step count', async () => {
    const w = inProcessSpawn();
    const sim = createWorkerCpuBackend(w.spawn).createSimulation(svgd(64));
    sim.step(3);
    const data = Float64Array.from({ length: 128 }, (_, i) => Math.sin(i) * 3);
    sim.setPositions(data, 17);
    expect(sim.stepCount).toBe(17);
    await sim.finish();
    expect(sim.positions64()).toEqual(data); // the batch from before setPositions does not overwrite it
    expect(await sim.positions()).toEqual(Float32Array.from(data));
    expect((await sim.stats()).step).toBe(17);
    sim.destroy();
  });

  it('destroy() ends the worker and settles pending and later calls quietly (no rejection)', async () => {
    const w = inProcessSpawn();
    const sim = createWorkerCpuBackend(w.spawn).createSimulation(svgd(1024));
    sim.step(50);
    const f = sim.finish();
    const s = sim.stats();
    const m = sim.metrics();
    const p = sim.positions();
    sim.destroy();
    expect(w.live()).toBe(0);
    await expect(f).resolves.toBeUndefined();
    expect(await s).toMatchObject({ stale: true });
    expect(await m).toMatchObject({ stale: true });
    expect((await p).length).toBe(0);
    sim.step(1);
    sim.setStepSize(0.1);
    await expect(sim.finish()).resolves.toBeUndefined();
    expect(await sim.stats()).toMatchObject({ stale: true });
    expect((await sim.positions()).length).toBe(0);
  });

  it('a worker that fails to load: finish() rejects with its error, reads reject, nothing hangs', async () => {
    const spawn: SpawnCpuWorker = (onError) => {
      const ch = new MessageChannel(); // nobody serves the far end
      cleanups.push(() => {
        ch.port1.close();
        ch.port2.close();
      });
      setTimeout(() => onError(new Error('the CPU worker failed: it could not be loaded')), 5);
      return { port: ch.port1 as unknown as Port, dispose: () => undefined };
    };
    const sim = createWorkerCpuBackend(spawn).createSimulation(svgd(64));
    sim.step(1);
    await expect(sim.finish()).rejects.toThrow('could not be loaded');
    await expect(sim.stats()).rejects.toThrow('could not be loaded');
    sim.destroy();
  });
});

describe('Engine on the worker backend (manual frames)', () => {
  it('runs, refuses a bad config synchronously, and after pause() runs no step beyond the batch in flight', async () => {
    const w = inProcessSpawn();
    let pending: ((t: number) => void) | undefined;
    const engine = new Engine({
      config: svgd(1024),
      backend: 'cpu',
      createBackend: () => Promise.resolve(createWorkerCpuBackend(w.spawn)),
      requestFrame: (cb) => {
        pending = cb;
        return 1;
      },
      cancelFrame: () => undefined,
    });
    cleanups.push(() => engine.dispose());
    await engine.start();
    const frame = async (): Promise<void> => {
      pending?.(performance.now());
      await new Promise((r) => setTimeout(r, 15)); // ~ a display frame, during which the "worker" steps
    };
    for (let i = 0; i < 30; i++) await frame();
    const sim = engine.simulation as WorkerSimulation | undefined;
    if (!sim) throw new Error('no simulation');
    expect(sim.stepCount).toBeGreaterThan(0);
    expect(engine.configure({ n: 0 })).toBe(false); // ConfigError on the main thread, the run keeps going
    expect(engine.simulation).toBe(sim);
    engine.pause();
    const atPause = sim.stepCount;
    const inFlight = sim.pendingSteps;
    const posted = sim.batchesPosted;
    for (let i = 0; i < 20; i++) await frame();
    await sim.finish();
    const worker = await sim.stats();
    console.log(`engine pause: ${atPause} steps counted at pause() (${inFlight} in flight), worker at ${worker.step} after 20 more frames; batches ${posted} -> ${sim.batchesPosted}`);
    expect(inFlight).toBeLessThanOrEqual(engine.getSnapshot().stepsPerFrame);
    expect(sim.stepCount).toBe(atPause);
    expect(worker.step).toBe(atPause);
    expect(sim.batchesPosted).toBe(posted);
    engine.dispose();
    expect(w.live()).toBe(0);
  });
});
