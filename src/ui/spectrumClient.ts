/**
 * The page's side of the "Spectrum" panel: the Hessian spectrum computed in a Web Worker
 * (spectrumWorker.ts), so the page never blocks (Lanczos at N = 4,096 takes seconds on the CPU).
 *
 *   const client = new SpectrumClient();        // the worker starts on the first request
 *   const s = await client.compute(L, x, n);    // rejects with CancelledError when superseded
 *   client.destroy();
 *
 * Latest wins: a request made while another is still computing cancels the older one (its worker
 * is terminated, since the computation is one synchronous loop that a cancel message could not
 * interrupt, and its promise rejects with CancelledError); the next request runs on a fresh worker.
 */
import { WorkerClient } from '../platform/worker/client';
import { CancelledError, type Port } from '../platform/worker/protocol';
import type { Spectrum } from '../landscapes/spectrum';
import type { SpectrumHandlers } from '../landscapes/spectrumHandlers';
import type { PackedLandscape } from '../reference/landscapes';

/** Starts a worker: its port and how to dispose of it; onError is told when it fails. */
export type SpawnSpectrumWorker = (onError: (e: Error) => void) => { port: Port; dispose: () => void };

export function spawnBrowserSpectrumWorker(onError: (e: Error) => void): ReturnType<SpawnSpectrumWorker> {
  const worker = new Worker(new URL('./spectrumWorker.ts', import.meta.url), { type: 'module', name: 'wgf-spectrum' });
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    onError(new Error(`the spectrum worker failed: ${e.message || 'it could not be loaded'}`));
  });
  worker.addEventListener('messageerror', () => onError(new Error('the spectrum worker sent a message that could not be read')));
  return { port: worker, dispose: () => worker.terminate() };
}

interface Live {
  client: WorkerClient<SpectrumHandlers>;
  dispose: () => void;
}

export class SpectrumClient {
  private live: Live | undefined;
  private destroyed = false;
  /** Workers started so far (a cancelled request costs one). */
  spawned = 0;

  constructor(private readonly spawn: SpawnSpectrumWorker = spawnBrowserSpectrumWorker) {}

  /** Whether a request is computing. */
  get busy(): boolean {
    return (this.live?.client.inFlight ?? 0) > 0;
  }

  /** The spectrum of H at positions `x` (2N numbers); a request still computing is cancelled first. */
  compute(L: PackedLandscape, x: ArrayLike<number>, n: number): Promise<Spectrum> {
    if (this.destroyed) return Promise.reject(new CancelledError('the spectrum panel was closed'));
    this.cancel();
    const xs = Float64Array.from(x);
    return this.worker().client.call('spectrum', [L, xs, n], [xs.buffer]);
  }

  /** Cancel the request computing now, if any (its promise rejects with CancelledError). */
  cancel(): void {
    if (this.busy) this.kill(new CancelledError('superseded by a newer spectrum request'));
  }

  destroy(): void {
    this.destroyed = true;
    this.kill(new CancelledError('the spectrum panel was closed'));
  }

  private worker(): Live {
    if (this.live) return this.live;
    const holder: { live: Live | undefined } = { live: undefined };
    const { port, dispose } = this.spawn((e) => {
      if (holder.live && this.live === holder.live) this.kill(e);
    });
    this.spawned++;
    holder.live = { client: new WorkerClient<SpectrumHandlers>(port), dispose };
    this.live = holder.live;
    return holder.live;
  }

  private kill(e: Error): void {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    live.client.close(e);
    live.dispose();
  }
}
