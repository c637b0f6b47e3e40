/**
 * The Spectrum panel's worker (issue 18 item 8): spectrumHandlers served over the worker protocol
 * on an in-process MessageChannel (the same serve() the Web Worker runs), through SpectrumClient.
 * Checked: the answer equals hessianSpectrum called directly (dense and Lanczos), a request made
 * while another computes cancels the older one (CancelledError, its worker disposed, the newer
 * answered), bad input is refused by name, and destroy() settles what is pending.
 */
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { serve } from '../platform/worker/host';
import { CancelledError, type Port } from '../platform/worker/protocol';
import { createLandscape } from '../landscapes/presets';
import { hessianSpectrum } from '../landscapes/spectrum';
import { spectrumHandlers, spectrumRequestProblem } from '../landscapes/spectrumHandlers';
import { SpectrumClient, type SpawnSpectrumWorker } from './spectrumClient';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Serves spectrumHandlers in-process, counting live workers. */
function inProcess(): { spawn: SpawnSpectrumWorker; live: () => number } {
  let live = 0;
  const spawn: SpawnSpectrumWorker = () => {
    live++;
    const ch = new MessageChannel();
    const served = serve(ch.port2 as unknown as Port, spectrumHandlers);
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
  return { spawn, live: () => live };
}

const L = createLandscape('double-well', {});

/** Positions near the saddle, deterministic. */
function positions(n: number): Float64Array {
  return Float64Array.from({ length: 2 * n }, (_, i) => 0.3 * Math.sin(1.7 * i + 0.2));
}

describe('SpectrumClient (spectrumHandlers over the worker protocol)', () => {
  it('answers what hessianSpectrum gives directly: dense at N = 20, Lanczos at N = 300', async () => {
    const { spawn } = inProcess();
    const client = new SpectrumClient(spawn);
    for (const n of [20, 300]) {
      const x = positions(n);
      const got = await client.compute(L, x, n);
      const want = hessianSpectrum(L, x, n);
      expect(got.kind).toBe(want.kind);
      expect(got.n).toBe(n);
      expect(Array.from(got.values)).toEqual(Array.from(want.values));
    }
    expect(client.spawned, 'one worker serves consecutive requests').toBe(1);
    client.destroy();
  });

  it('a newer request cancels the one still computing: the older rejects with CancelledError, the newer is answered', async () => {
    const { spawn, live } = inProcess();
    const client = new SpectrumClient(spawn);
    const old = client.compute(L, positions(300), 300);
    expect(client.busy).toBe(true);
    const newer = client.compute(L, positions(40), 40);
    await expect(old).rejects.toBeInstanceOf(CancelledError);
    const s = await newer;
    expect(s.kind).toBe('dense');
    expect(s.values.length).toBe(80);
    expect(client.spawned).toBe(2);
    expect(live(), 'the stale worker was disposed').toBe(1);
    expect(client.busy).toBe(false);
    client.destroy();
    expect(live()).toBe(0);
    await expect(client.compute(L, positions(4), 4)).rejects.toBeInstanceOf(CancelledError);
  });

  it('refuses bad input by name (the worker error comes back as an Error)', async () => {
    const { spawn } = inProcess();
    const client = new SpectrumClient(spawn);
    await expect(client.compute(L, new Float64Array(5), 3)).rejects.toThrow(/expected 6 coordinates for N = 3, got 5/);
    const bad = positions(4);
    bad[3] = Number.NaN;
    await expect(client.compute(L, bad, 4)).rejects.toThrow(/particle 2 has a non-finite coordinate/);
    await expect(client.compute(L, new Float64Array(2 * 5000), 5000)).rejects.toThrow(/N <= 4096/);
    // and a good request after the refusals is answered by the same worker
    expect((await client.compute(L, positions(4), 4)).values.length).toBe(8);
    expect(client.spawned).toBe(1);
    expect(spectrumRequestProblem(L, positions(2), 2.5)).toMatch(/positive integer/);
    client.destroy();
  });
});
