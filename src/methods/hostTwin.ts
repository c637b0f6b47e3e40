/**
 * Where the GPU backend's host twin steps (issue 22 item 4: nothing freezes the page). A landscape
 * method that runs "on the host" on the GPU backend (jko always, w-newton / wsfn with solver 'dense':
 * src/engine/compat.ts runsOn) steps its float64 twin through a `HostTwin`:
 *
 *   - `WorkerHostTwin`: the twin lives in a Web Worker (hostTwinWorker.ts serving hostTwinHandlers.ts
 *     over the generic protocol of src/platform/worker/). The page posts positions only when the GPU
 *     buffer was overwritten (first step, setPositions), otherwise the worker keeps its float64 state,
 *     exactly as the in-thread twin does; each step answers the new positions and the twin's readouts.
 *     step() returns at once, so the main thread stays free while a long jko step runs.
 *   - `InThreadHostTwin`: the same twin called in this thread (Node: the CLI and the tests on Dawn,
 *     and formula landscapes, whose V and W are host functions that cannot be posted to a worker).
 *
 * Both call the method's own CPU stepper (MethodDef.createCpu) with the same arguments in the same
 * order, so the positions are bitwise the same (src/methods/hostTwin.test.ts). The worker is spawned
 * by `hostTwinSpawn()`: a bundled Web Worker in a browser, none in Node unless a test sets one
 * (setHostTwinSpawn).
 */
import type { Params } from '../core/params';
import { WorkerClient } from '../platform/worker/client';
import type { JobContext, Port, Transfer } from '../platform/worker/protocol';
import type { PackedLandscape } from '../reference/landscapes';
import type { CpuStepper, Readouts } from './types';

/** What the worker needs to build the twin: plain data (the method's id, not its spec). */
export interface HostTwinRun {
  method: string;
  n: number;
  stepSize: number;
  seed: number;
  /** Resolved method params. */
  params: Params;
  landscape: PackedLandscape;
}

/** One step's answer: the new positions (2N float64) and the twin's 'metrics' readouts after it. */
export interface HostTwinStepResult {
  x: Float64Array;
  readouts: Readouts;
}

/** The worker's handlers (implemented by hostTwinHandlers.ts; declared here so that nothing here imports the registry). */
export type HostTwinHandlers = {
  open: (ctx: JobContext, run: HostTwinRun) => void;
  /** x: the positions to start from (after the GPU buffer was overwritten), or null: the twin's own float64 state. */
  step: (ctx: JobContext, x: Float64Array | null, step: number) => Transfer<HostTwinStepResult>;
  setStepSize: (ctx: JobContext, h: number) => void;
  setLandscape: (ctx: JobContext, L: PackedLandscape) => void;
};

/** The float64 twin behind HostLandscapeStepper (src/methods/landscapeMethod.ts). */
export interface HostTwin {
  /** 'worker' (off the main thread) or 'main' (in this thread). */
  readonly where: 'worker' | 'main';
  /** One step from x (null: the twin's own state after its last step); the new positions. */
  step(x: Float64Array | null, step: number): Promise<Float64Array>;
  /** The 'metrics' readouts after the last finished step ({} before the first or after setLandscape). */
  readouts(): Readouts;
  setStepSize(h: number): void;
  setLandscape(L: PackedLandscape): void;
  destroy(): void;
}

/** The twin in this thread: today's stepping, behind a promise. */
export class InThreadHostTwin implements HostTwin {
  readonly where = 'main';
  private x: Float64Array | undefined;
  private last: Readouts = {};

  constructor(private readonly cpu: CpuStepper) {}

  step(x: Float64Array | null, step: number): Promise<Float64Array> {
    try {
      if (x) this.x = x;
      if (!this.x) throw new Error('host twin: the first step needs the positions');
      this.x = this.cpu.step(this.x, step, { kind: 0, count: 0, data: new Float64Array(0) });
      const r = this.cpu.readouts?.('metrics');
      this.last = r instanceof Promise || !r ? {} : r;
      return Promise.resolve(this.x);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
  readouts(): Readouts {
    return this.last;
  }
  setStepSize(h: number): void {
    this.cpu.setStepSize(h);
  }
  setLandscape(L: PackedLandscape): void {
    this.cpu.setLandscape?.(L);
    this.last = {};
  }
  destroy(): void {
    this.x = undefined;
  }
}

/** Starts a worker serving hostTwinHandlers: its port and how to dispose of it; onError is told when it fails. */
export type SpawnHostTwinWorker = (onError: (e: Error) => void) => { port: Port; dispose: () => void };

/** The bundled Web Worker (hostTwinWorker.ts). */
export function spawnBrowserHostTwinWorker(onError: (e: Error) => void): ReturnType<SpawnHostTwinWorker> {
  const worker = new Worker(new URL('./hostTwinWorker.ts', import.meta.url), { type: 'module', name: 'wgf-host-twin' });
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    onError(new Error(`the host twin's worker failed: ${e.message || 'it could not be loaded'}`));
  });
  worker.addEventListener('messageerror', () => onError(new Error("the host twin's worker sent a message that could not be read")));
  return { port: worker, dispose: () => worker.terminate() };
}

let spawnOverride: SpawnHostTwinWorker | 'main' | undefined;

/** Tests: run host twins through `spawn` ('main': in this thread; undefined: the default again). */
export function setHostTwinSpawn(spawn: SpawnHostTwinWorker | 'main' | undefined): void {
  spawnOverride = spawn;
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** The spawn a new host twin uses: the test's override, else the bundled Web Worker in a browser, else none (in this thread). */
export function hostTwinSpawn(): SpawnHostTwinWorker | undefined {
  if (spawnOverride === 'main') return undefined;
  if (spawnOverride) return spawnOverride;
  return !isNode() && typeof window !== 'undefined' && typeof Worker === 'function' ? spawnBrowserHostTwinWorker : undefined;
}

/**
 * The twin in a worker. Calls run in order on the worker (FIFO), so setStepSize / setLandscape
 * posted between steps apply between them, as in this thread. One step at a time: GpuSimulation
 * chains its asynchronous steps and the frame loop waits for a batch (RunSlot.busy) before the next;
 * a second step() while one is in flight is refused by name rather than queued.
 */
export class WorkerHostTwin implements HostTwin {
  readonly where = 'worker';
  private readonly client: WorkerClient<HostTwinHandlers>;
  private readonly dispose: () => void;
  private last: Readouts = {};
  private stepping = false;
  private failed: Error | undefined;

  constructor(spawn: SpawnHostTwinWorker, run: HostTwinRun) {
    const { port, dispose } = spawn((e) => {
      this.failed ??= e;
      this.client.close(e);
    });
    this.client = new WorkerClient<HostTwinHandlers>(port);
    this.dispose = dispose;
    this.fireAndForget(this.client.call('open', [run]));
  }

  async step(x: Float64Array | null, step: number): Promise<Float64Array> {
    if (this.failed) throw this.failed;
    if (this.stepping) throw new Error('host twin: a step is already running (one step at a time)');
    this.stepping = true;
    try {
      const send = x ? Float64Array.from(x) : null;
      const r = await this.client.call('step', [send, step], send ? [send.buffer] : []);
      this.last = r.readouts;
      return r.x;
    } catch (e) {
      // an earlier refused call (open, setLandscape) is the cause to name
      throw this.failed ?? e;
    } finally {
      this.stepping = false;
    }
  }
  readouts(): Readouts {
    return this.last;
  }
  setStepSize(h: number): void {
    this.fireAndForget(this.client.call('setStepSize', [h]));
  }
  setLandscape(L: PackedLandscape): void {
    this.last = {};
    this.fireAndForget(this.client.call('setLandscape', [L]));
  }
  destroy(): void {
    this.client.close();
    this.dispose();
  }
  /** A failed set call (bad input, a dead worker) fails the next step with its message. */
  private fireAndForget(p: Promise<unknown>): void {
    p.catch((e: unknown) => {
      this.failed ??= e instanceof Error ? e : new Error(String(e));
    });
  }
}
