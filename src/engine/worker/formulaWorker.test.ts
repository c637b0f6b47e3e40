/**
 * The browser's CPU fallback worker on formula targets (issue 20): the packed target of a formula
 * carries closures (the float64 twin) that cannot be posted, so the worker rebuilds the target from
 * its (id, params) — the RunConfig it gets is structured-cloned (a MessageChannel, as between
 * threads). Its steps must equal the in-process CpuSimulation's bit for bit (the same float64 code:
 * no tolerance to explain), a moved parameter (setTarget) likewise, and a refused formula comes back
 * as a ConfigError naming target.logp.
 */
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { CpuSimulation } from '../cpuSimulation';
import { CPU_MAX_PARTICLES } from '../backend';
import { ConfigError, type BackendInfo, type RunConfig } from '../types';
import { WorkerClient } from '../../platform/worker/client';
import { serve } from '../../platform/worker/host';
import type { Port } from '../../platform/worker/protocol';
import { FORMULA_PRESETS } from '../../formula/presets';
import { cpuSimulationHandlers } from './cpuHandlers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const INFO: BackendInfo = { kind: 'cpu', description: 'CPU engine (float64)', maxParticles: CPU_MAX_PARTICLES };
const BANANA = FORMULA_PRESETS.find((p) => p.id === 'banana');

function served(): WorkerClient<ReturnType<typeof cpuSimulationHandlers>> {
  const ch = new MessageChannel();
  const host = serve(ch.port2 as unknown as Port, cpuSimulationHandlers());
  const client = new WorkerClient<ReturnType<typeof cpuSimulationHandlers>>(ch.port1 as unknown as Port);
  cleanups.push(() => {
    client.close();
    host.close();
    ch.port1.close();
    ch.port2.close();
  });
  return client;
}

describe('cpu worker on a formula target', () => {
  it('rebuilds the target from (id, params): steps equal the in-process run; a moved parameter too', async () => {
    if (!BANANA?.logp) throw new Error('no banana preset');
    const config: RunConfig = {
      method: 'svgd', params: {}, target: { id: 'formula', params: { logp: BANANA.logp, ...BANANA.values } },
      n: 128, stepSize: 0.05, seed: 3, init: { kind: 'gaussian', mean: [0, 0], std: 1 },
    };
    const client = served();
    expect(await client.call('create', [INFO, config])).toBe(128);
    const local = new CpuSimulation(INFO, config);
    const r = await client.call('step', [20]);
    local.step(20);
    expect(r.done).toBe(20);
    expect(Array.from(r.positions)).toEqual(Array.from(local.positions64()));
    expect(r.positions.every(Number.isFinite)).toBe(true);
    // a parameter dragged: the worker rebuilds with the new value
    const moved = { id: 'formula', params: { ...config.target.params, b: 1.2 } };
    await client.call('setTarget', [moved]);
    local.setTarget(moved);
    const r2 = await client.call('step', [20]);
    local.step(20);
    expect(Array.from(r2.positions)).toEqual(Array.from(local.positions64()));
    // and the run moved: the two steps differ from the first positions
    expect(Array.from(r2.positions)).not.toEqual(Array.from(r.positions));
  });

  it('a refused formula comes back as a ConfigError naming target.logp', async () => {
    const client = served();
    const bad: RunConfig = {
      method: 'langevin', params: {}, target: { id: 'formula', params: { logp: 'x + foo(y)' } },
      n: 16, stepSize: 0.05, seed: 1, init: { kind: 'gaussian', mean: [0, 0], std: 1 },
    };
    const e = await client.call('create', [INFO, bad]).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ConfigError);
    expect(e).toMatchObject({ field: 'target.logp' });
    expect(String((e as Error).message)).toMatch(/foo/);
  });
});
