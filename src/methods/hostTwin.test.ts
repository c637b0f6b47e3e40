/**
 * The GPU backend's host twin off the main thread (issue 22 item 4). The worker path (hostTwinHandlers
 * behind the worker protocol: in-process over a MessageChannel, and in a real node:worker_threads
 * thread) must give bitwise the same float64 positions as the in-thread twin (the stepping of
 * today), over steps, a step-size change, re-posted positions and a moved landscape; and while a
 * long jko step runs in the worker thread, step() has returned a promise and this thread's timers fire.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { serve } from '../platform/worker/host';
import { WorkerClient } from '../platform/worker/client';
import type { Port } from '../platform/worker/protocol';
import { createLandscape, gaussianInit } from '../landscapes/presets';
import type { PackedLandscape } from '../reference/landscapes';
import { InThreadHostTwin, setHostTwinSpawn, WorkerHostTwin, type HostTwin, type HostTwinHandlers, type HostTwinRun, type SpawnHostTwinWorker } from './hostTwin';
import { hostTwinHandlers } from './hostTwinHandlers';
import { getMethod } from './registry';

const cleanups: (() => void | Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** hostTwinHandlers served in this thread over a MessageChannel (every message structured-cloned or transferred). */
let inProcessSpawned = 0;
const inProcessSpawn: SpawnHostTwinWorker = () => {
  inProcessSpawned++;
  const ch = new MessageChannel();
  const served = serve(ch.port2 as unknown as Port, hostTwinHandlers());
  const dispose = (): void => {
    served.close();
    ch.port1.close();
    ch.port2.close();
  };
  cleanups.push(dispose);
  return { port: ch.port1 as unknown as Port, dispose };
};

const ROOT = resolve(__dirname, '../..');
const url = (p: string): string => pathToFileURL(resolve(ROOT, p)).href;

/**
 * hostTwinHandlers in a real thread: a node:worker_threads Worker that loads the TypeScript through tsx and the
 * ?raw loader (as bin/run-ts.mjs does for the CLI) and serves them on a transferred MessagePort.
 */
const threadSpawn: SpawnHostTwinWorker = (onError) => {
  const ch = new MessageChannel();
  const code = `
    const { workerData } = require('node:worker_threads');
    const { register } = require('node:module');
    (async () => {
      const tsx = await import(${JSON.stringify(url('node_modules/tsx/dist/esm/api/index.mjs'))});
      tsx.register();
      register(${JSON.stringify(url('bin/raw-loader.mjs'))});
      const host = await import(${JSON.stringify(url('src/platform/worker/host.ts'))});
      const handlers = await import(${JSON.stringify(url('src/methods/hostTwinHandlers.ts'))});
      host.serve(workerData.port, handlers.hostTwinHandlers());
    })().catch((e) => { throw e; });
  `;
  const worker = new Worker(code, { eval: true, workerData: { port: ch.port2 }, transferList: [ch.port2] });
  worker.on('error', (e) => onError(e));
  const dispose = (): void => {
    ch.port1.close();
    void worker.terminate();
  };
  cleanups.push(dispose);
  return { port: ch.port1 as unknown as Port, dispose };
};

function jkoRun(n: number, L: PackedLandscape, params: Record<string, string | number | boolean> = {}): HostTwinRun {
  const def = getMethod('jko');
  const full = { ...Object.fromEntries(def.params.map((p) => [p.name, p.default])), ...params };
  return { method: 'jko', n, stepSize: 0.3, seed: 7, params: full, landscape: L };
}

function inThread(run: HostTwinRun): HostTwin {
  const def = getMethod(run.method);
  return new InThreadHostTwin(def.createCpu({ n: run.n, stepSize: run.stepSize, seed: run.seed, params: run.params, domain: 'plane', landscape: run.landscape }));
}

/** A script of host-twin calls; the positions after every step (copied). */
async function drive(twin: HostTwin, x0: Float64Array, moved: PackedLandscape): Promise<{ xs: number[][]; readouts: unknown[] }> {
  const xs: number[][] = [];
  const readouts: unknown[] = [];
  const step = async (x: Float64Array | null, k: number): Promise<void> => {
    xs.push(Array.from(await twin.step(x, k)));
    readouts.push(twin.readouts());
  };
  await step(Float64Array.from(x0), 0);
  for (let k = 1; k < 4; k++) await step(null, k);
  twin.setStepSize(0.05);
  await step(null, 4);
  await step(null, 5);
  // the simulation overwrote the buffer (setPositions): the page posts f32-rounded positions again
  const last = xs[xs.length - 1] ?? [];
  await step(Float64Array.from(Float32Array.from(last.map((v) => v * 0.9))), 6);
  twin.setLandscape(moved);
  readouts.push(twin.readouts());
  await step(null, 7);
  await step(null, 8);
  return { xs, readouts };
}

describe('host twin in a worker (issue 22 item 4)', () => {
  const L = createLandscape('double-well', {});
  const moved = createLandscape('double-well', { well1: [-1.2, 0.3], well2: [0.9, -0.2] });
  const n = 64;
  const x0 = gaussianInit(n, 3, 0.01, 1);

  it('jko (inner newton) over a MessageChannel: bitwise the in-thread positions and readouts over 9 steps, a step-size change, re-posted positions and moved wells', async () => {
    const run = jkoRun(n, L);
    const ref = await drive(inThread(run), x0, moved);
    const twin = new WorkerHostTwin(inProcessSpawn, run);
    cleanups.push(() => twin.destroy());
    expect(twin.where).toBe('worker');
    const got = await drive(twin, x0, moved);
    expect(got.xs).toHaveLength(9);
    expect(got.xs).toEqual(ref.xs);
    expect(got.readouts).toEqual(ref.readouts);
    // it moved, and F was reported
    expect(got.xs[8]).not.toEqual(Array.from(x0));
    expect(typeof (got.readouts[0] as { energy?: unknown }).energy).toBe('number');
  });

  it('jko (inner gd) and wsfn solver=dense in a real worker thread: bitwise the in-thread positions', async () => {
    for (const run of [jkoRun(n, L, { inner: 'gd', innerIters: 20 }), { ...jkoRun(32, L), method: 'wsfn', params: { ...Object.fromEntries(getMethod('wsfn').params.map((p) => [p.name, p.default])), solver: 'dense' } }]) {
      const start = run.n === n ? x0 : gaussianInit(run.n, 5, 0.01, 1);
      const ref = await drive(inThread(run), start, moved);
      const twin = new WorkerHostTwin(threadSpawn, run);
      cleanups.push(() => twin.destroy());
      const got = await drive(twin, start, moved);
      expect(got.xs).toEqual(ref.xs);
      expect(got.readouts).toEqual(ref.readouts);
    }
  }, 120_000);

  it('a long jko step in a worker thread: step() returns a pending promise at once and this thread\'s timers fire before it resolves', async () => {
    // N = 256 with 8 inner Newton iterations: O(N^2) pair sums per Hessian product, a long synchronous step
    const big = 256;
    const run = jkoRun(big, L, { innerIters: 8, innerTol: 0 });
    const twin = new WorkerHostTwin(threadSpawn, run);
    cleanups.push(() => twin.destroy());
    const events: string[] = [];
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      if (ticks === 1) events.push('timer');
    }, 1);
    const p = twin.step(gaussianInit(big, 3, 0.01, 1), 0).then((x) => {
      events.push('step');
      return x;
    });
    events.push('returned');
    const t0 = performance.now();
    const x = await p;
    clearInterval(timer);
    console.log(`host twin: jko step at N = ${big} in a worker thread took ${(performance.now() - t0).toFixed(0)} ms (module load included); ${ticks} timer ticks meanwhile`);
    expect(events[0]).toBe('returned');
    expect(events.indexOf('timer')).toBeGreaterThan(0);
    expect(events.indexOf('timer')).toBeLessThan(events.indexOf('step'));
    expect(x).toHaveLength(2 * big);
    expect(x.every(Number.isFinite)).toBe(true);
    // a second step while one is in flight is refused by name, not queued
    const first = twin.step(null, 1);
    await expect(twin.step(null, 2)).rejects.toThrow(/already running/);
    await first;
  }, 120_000);

  it('bad input is refused by a named message (unknown method, wrong length, not a landscape)', async () => {
    const ch = new MessageChannel();
    const served = serve(ch.port2 as unknown as Port, hostTwinHandlers());
    const client = new WorkerClient<HostTwinHandlers>(ch.port1 as unknown as Port);
    cleanups.push(() => {
      client.close();
      served.close();
      ch.port1.close();
      ch.port2.close();
    });
    await expect(client.call('step', [null, 0])).rejects.toThrow('host twin: step before open');
    await expect(client.call('open', [{ ...jkoRun(4, L), method: 'nope' }])).rejects.toThrow(/unknown method 'nope'/);
    await expect(client.call('open', [{ ...jkoRun(4, L), method: 'svgd' }])).rejects.toThrow(/not a landscape method/);
    await expect(client.call('open', [{ ...jkoRun(4, L), n: 0 }])).rejects.toThrow(/N must be a positive integer/);
    await client.call('open', [jkoRun(4, L)]);
    await expect(client.call('step', [null, 0])).rejects.toThrow('host twin: the first step needs the positions');
    await expect(client.call('step', [new Float64Array(3), 0])).rejects.toThrow('host twin: expected 8 coordinates for N = 4, got 3');
    await expect(client.call('setLandscape', [{ vKind: 1 } as unknown as PackedLandscape])).rejects.toThrow('host twin: not an energy landscape');
    await expect(client.call('setStepSize', [Number.NaN])).rejects.toThrow(/step size must be a positive finite number/);
    // a WorkerHostTwin whose worker refuses a call fails its next step with that message
    const twin = new WorkerHostTwin(inProcessSpawn, { ...jkoRun(4, L), method: 'nope' });
    cleanups.push(() => twin.destroy());
    await expect(twin.step(new Float64Array(8), 0)).rejects.toThrow(/unknown method 'nope'/);
  });
});

describe('host twin through GpuSimulation (Dawn + SwiftShader): worker path == in-thread path', () => {
  it('jko on the double well, N = 64, 6 steps with a setPositions and a moved well: the same f32 positions and F, bitwise', async () => {
    const { createBackend } = await import('../engine/backend');
    const gpu = await createBackend('gpu'); // throws (fails the test) when no adapter
    cleanups.push(() => gpu.destroy());
    const config = { method: 'jko', params: {}, target: { id: 'double-well', params: {} }, n: 64, stepSize: 0.3, seed: 4, init: { kind: 'positions' as const, data: gaussianInit(64, 4, 0.01, 1) } };
    const runOnce = async (spawn: SpawnHostTwinWorker | 'main'): Promise<{ pos: number[][]; energy: (number | undefined)[]; hostTwin: number | undefined }> => {
      setHostTwinSpawn(spawn);
      try {
        const sim = gpu.createSimulation(config);
        const pos: number[][] = [];
        const energy: (number | undefined)[] = [];
        const take = async (): Promise<void> => {
          await sim.finish();
          pos.push(Array.from(await sim.positions()));
          energy.push((await sim.metrics()).readouts?.energy);
        };
        sim.step(3);
        await take();
        sim.setPositions(Float32Array.from((pos[0] ?? []).map((v) => v * 0.5)));
        sim.step(1);
        await take();
        sim.setTarget({ id: 'double-well', params: { well1: [-1.3, 0.2], well2: [1.1, 0] } });
        sim.step(2);
        await take();
        const hostTwin = (await sim.stats()).readouts?.hostTwin;
        sim.destroy();
        return { pos, energy, hostTwin };
      } finally {
        setHostTwinSpawn(undefined);
      }
    };
    const spawned = inProcessSpawned;
    const main = await runOnce('main');
    expect(inProcessSpawned).toBe(spawned);
    const worker = await runOnce(inProcessSpawn);
    // the worker path ran (one twin per run: the setTarget above moved the wells, it did not restart)
    expect(inProcessSpawned).toBe(spawned + 1);
    expect(worker.pos).toEqual(main.pos);
    expect(worker.energy).toEqual(main.energy);
    expect(main.hostTwin).toBe(1);
    expect(worker.hostTwin).toBe(1);
    expect(main.pos[2]).not.toEqual(main.pos[1]);
  }, 120_000);

  it('a formula landscape (V and W are host functions, not postable): the twin steps in this thread, no worker spawned, F falls', async () => {
    const { createBackend } = await import('../engine/backend');
    const gpu = await createBackend('gpu');
    cleanups.push(() => gpu.destroy());
    const spawned = inProcessSpawned;
    setHostTwinSpawn(inProcessSpawn);
    try {
      const sim = gpu.createSimulation({ method: 'jko', params: {}, target: { id: 'formula-landscape', params: { V: '(x^2 - 1)^2/4 + y^2/2', W: '0.25*(x^2 + y^2)' } }, n: 32, stepSize: 0.3, seed: 2, init: { kind: 'positions', data: gaussianInit(32, 2, 0.5, 1) } });
      const F: (number | undefined)[] = [];
      for (let k = 0; k < 3; k++) {
        sim.step(1);
        await sim.finish();
        F.push((await sim.metrics()).readouts?.energy);
      }
      expect((await sim.stats()).readouts?.hostTwin).toBe(1);
      sim.destroy();
      expect(inProcessSpawned).toBe(spawned);
      expect(F.every((f) => typeof f === 'number' && Number.isFinite(f))).toBe(true);
      expect(F[2] ?? NaN).toBeLessThan(F[0] ?? NaN);
    } finally {
      setHostTwinSpawn(undefined);
    }
  }, 120_000);
});
