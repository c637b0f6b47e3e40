/**
 * The page's side of "Distill now": a typed client of the distill worker (distillWorker.ts).
 *
 *   const client = new DistillClient();                       // the worker starts on the first run
 *   const job = client.start(request, (p) => show(p));        // progress {step, steps, loss, elapsedMs}
 *   job.cancel();                                              // stops within one training step
 *   const outcome = await job.result;                          // done | cancelled (never rejects on cancel)
 *   client.destroy();
 *
 * One job at a time: start() while a job runs returns that job (a second click does nothing
 * harmful). Cancel posts the protocol's cancel (the worker's training checks it every step and
 * answers with the model so far); if no answer comes within CANCEL_GRACE_MS the worker is
 * terminated (the last resort) and the next start spawns a fresh one. The request's cloud is
 * copied and its copy transferred, so the caller's array (the engine's target cloud) stays intact.
 */
import { WorkerClient } from '../platform/worker/client';
import { CancelledError, type Port } from '../platform/worker/protocol';
import type { DistillCard, DistillProgress, DistillRequest } from './distill';
import { isDistillProgress, type DistillHandlers } from './distillHandlers';

export const CANCEL_GRACE_MS = 3000;

export type DistillOutcome =
  | { kind: 'done'; bytes: Uint8Array; card: DistillCard }
  | { kind: 'cancelled'; step: number; steps: number };

export interface DistillJob {
  readonly result: Promise<DistillOutcome>;
  cancel(): void;
  readonly running: boolean;
}

/** Starts a worker: its port and how to dispose of it; onError is told when it fails. */
export type SpawnDistillWorker = (onError: (e: Error) => void) => { port: Port; dispose: () => void };

export function spawnBrowserDistillWorker(onError: (e: Error) => void): ReturnType<SpawnDistillWorker> {
  const worker = new Worker(new URL('./distillWorker.ts', import.meta.url), { type: 'module', name: 'wgf-distill' });
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    onError(new Error(`the distill worker failed: ${e.message || 'it could not be loaded'}`));
  });
  worker.addEventListener('messageerror', () => onError(new Error('the distill worker sent a message that could not be read')));
  return { port: worker, dispose: () => worker.terminate() };
}

interface Live {
  port: Port;
  client: WorkerClient<DistillHandlers>;
  dispose: () => void;
  onMessage: (e: MessageEvent) => void;
}

export class DistillClient {
  private live: Live | undefined;
  private job: DistillJob | undefined;
  private nextTag = 1;
  private readonly listeners = new Map<number, (p: DistillProgress) => void>();
  private destroyed = false;

  constructor(private readonly spawn: SpawnDistillWorker = spawnBrowserDistillWorker) {}

  /** Whether a job is running. */
  get busy(): boolean {
    return this.job?.running ?? false;
  }

  private worker(): Live {
    if (this.live) return this.live;
    const holder: { live: Live | undefined } = { live: undefined };
    // a worker that fails (did not load, crashed) is dropped: its job rejects with the error, the next start spawns anew
    const { port, dispose } = this.spawn((e) => {
      if (holder.live && this.live === holder.live) this.kill(e);
    });
    const client = new WorkerClient<DistillHandlers>(port);
    const onMessage = (e: MessageEvent): void => {
      const d: unknown = e.data;
      if (isDistillProgress(d)) this.listeners.get(d.tag)?.(d.progress);
    };
    port.addEventListener('message', onMessage);
    holder.live = { port, client, dispose, onMessage };
    this.live = holder.live;
    return holder.live;
  }

  /** Terminate the worker (pending calls reject with WorkerClosedError). */
  private kill(error?: Error): void {
    const l = this.live;
    if (!l) return;
    this.live = undefined;
    l.port.removeEventListener('message', l.onMessage);
    l.client.close(error);
    l.dispose();
  }

  start(request: DistillRequest, onProgress: (p: DistillProgress) => void = () => undefined): DistillJob {
    if (this.destroyed) throw new Error('DistillClient: used after destroy()');
    if (this.job?.running) return this.job;
    const live = this.worker();
    const tag = this.nextTag++;
    let last: DistillProgress = { step: 0, steps: request.steps, loss: NaN, elapsedMs: 0 };
    this.listeners.set(tag, (p) => {
      last = p;
      onProgress(p);
    });
    const cloud = Float64Array.from(request.cloud);
    const call = live.client.request('distill', [{ ...request, cloud }, tag], [cloud.buffer]);
    let running = true;
    let cancelled = false;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const result = call.result.then(
      (a): DistillOutcome => (a.card.stopped ? { kind: 'cancelled', step: a.card.steps, steps: a.card.requestedSteps } : { kind: 'done', bytes: a.bytes, card: a.card }),
      (e: unknown): DistillOutcome => {
        if (cancelled || e instanceof CancelledError) return { kind: 'cancelled', step: last.step, steps: request.steps };
        throw e instanceof Error ? e : new Error(String(e));
      },
    ).finally(() => {
      running = false;
      if (grace !== undefined) clearTimeout(grace);
      this.listeners.delete(tag);
    });
    const job: DistillJob = {
      result,
      get running() {
        return running;
      },
      cancel: () => {
        if (!running || cancelled) return;
        cancelled = true;
        live.client.cancel(call.id);
        // the last resort: a worker that does not answer is terminated
        grace = setTimeout(() => {
          if (running && this.live === live) this.kill(new CancelledError('the distill worker did not stop in time and was terminated'));
        }, CANCEL_GRACE_MS);
      },
    };
    this.job = job;
    return job;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.job?.cancel();
    this.kill();
    this.listeners.clear();
  }
}
