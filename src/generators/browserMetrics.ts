/**
 * The page's side of the generator-metrics worker: one worker, started at the first measure, one
 * call at a time (a newer request cancels a queued older one), terminated by destroy().
 */
import { WorkerClient } from '../platform/worker/client';
import type { Port } from '../platform/worker/protocol';
import type { MetricValues } from '../metrics/measure';
import type { GeneratorMetricsHandlers, MetricsRequest } from './browserMetricsHandlers';

export type SpawnMetricsWorker = () => { port: Port; dispose: () => void };

export function spawnBrowserMetricsWorker(): ReturnType<SpawnMetricsWorker> {
  const worker = new Worker(new URL('./browserMetricsWorker.ts', import.meta.url), { type: 'module', name: 'wgf-generator-metrics' });
  return { port: worker, dispose: () => worker.terminate() };
}

export class GeneratorMetricsClient {
  private live: { client: WorkerClient<GeneratorMetricsHandlers>; dispose: () => void } | undefined;
  private last: number | undefined;

  constructor(private readonly spawn: SpawnMetricsWorker = spawnBrowserMetricsWorker) {}

  /** The metrics of the request's points (copied to the worker; the caller keeps its array). */
  measure(req: MetricsRequest): Promise<MetricValues | undefined> {
    if (!this.live) {
      const { port, dispose } = this.spawn();
      this.live = { client: new WorkerClient<GeneratorMetricsHandlers>(port), dispose };
    }
    const { client } = this.live;
    if (this.last !== undefined) client.cancel(this.last);
    const p = client.request('measure', [req]);
    this.last = p.id;
    return p.result;
  }

  destroy(): void {
    if (!this.live) return;
    this.live.client.close();
    this.live.dispose();
    this.live = undefined;
  }
}
