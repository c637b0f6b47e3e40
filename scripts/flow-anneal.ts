/**
 * The Sinkhorn flow's warm re-annealing depth, measured on the CPU twin (issue 18 follow-up): for each
 * target and each setting of `anneal`, N = M = 128 particles from N(0, I) (seed 3), tau = 0.2, 60
 * steps, then the energy distance (V-statistic, float64) to 512 exact target samples (Philox seed 77,
 * stream 5), and the softmin passes of a later step (sinkhornFlowPasses, marginal-error check included).
 *   node bin/run-ts.mjs scripts/flow-anneal.ts [--targets funnel,moons,8gaussians,banana]
 *     [--anneal default,off,5,10,auto] [--n 128] [--steps 60] [--tau 0.2]
 * Settings: 'default' = the method's defaults for the target (as the app runs it); 'off' = warm: false;
 * a number J = warm: true, anneal: J; 'auto' = warm: true, anneal: 'auto' (the geometric depth).
 * One JSON line per run on stdout.
 */
import { createCpuBackend } from '../src/engine/backend';
import type { RunConfig } from '../src/engine/types';
import { targetCloud } from '../src/engine/config';
import { getMethod } from '../src/methods/registry';
import { sinkhornFlowPasses } from '../src/methods/sinkhornFlow';
import { resolveParams, type Params } from '../src/core/params';
import { Rng } from '../src/reference/philox';
import { createTarget } from '../src/targets/registry';
import { energyDistance } from '../src/bench/flowBench';

function arg(argv: readonly string[], name: string, dflt: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? dflt) : dflt;
}

function paramsOf(setting: string): Params {
  if (setting === 'default') return {};
  if (setting === 'off') return { warm: false };
  if (setting === 'auto') return { warm: true, anneal: 'auto' };
  const j = Number(setting);
  if (!Number.isInteger(j) || j < 0) throw new Error(`--anneal: expected default|off|auto|an integer >= 0, got '${setting}'`);
  return { warm: true, anneal: j };
}

export async function main(argv: readonly string[]): Promise<number> {
  const targets = arg(argv, 'targets', 'funnel,moons,8gaussians,banana').split(',');
  const settings = arg(argv, 'anneal', 'default,off,5,auto').split(',');
  const n = Number(arg(argv, 'n', '128')), steps = Number(arg(argv, 'steps', '60')), tau = Number(arg(argv, 'tau', '0.2'));
  const backend = createCpuBackend();
  const method = getMethod('sinkhorn-flow');
  for (const target of targets) {
    const t = createTarget(target);
    const y = t.sample?.(new Rng(77, 5), 512);
    if (!y) throw new Error(`${target}: no exact sampler`);
    for (const setting of settings) {
      const params = paramsOf(setting);
      const config: RunConfig = { method: 'sinkhorn-flow', params, target: { id: target, params: {} }, n, stepSize: tau, seed: 3, init: { kind: 'gaussian', mean: [0, 0], std: 1 } };
      const cloud = targetCloud(t, 3, n);
      const merged = { ...(method.targetDefaults?.[target]?.params ?? {}), ...params };
      const passes = cloud ? sinkhornFlowPasses({ n, stepSize: tau, seed: 3, params: resolveParams(method.params, merged), cloud, domain: 'plane' }) : undefined;
      const sim = backend.createSimulation(config);
      const t0 = performance.now();
      sim.step(steps);
      await sim.finish();
      const ms = performance.now() - t0;
      const x = Float64Array.from(await sim.positions());
      const st = await sim.stats();
      sim.destroy();
      const ed = energyDistance(x, y);
      console.log(JSON.stringify({ target, anneal: setting, n, steps, tau, energyDistance: Number(ed.toPrecision(4)), maxAbs: Number(st.maxAbs.toPrecision(4)), passesPerStep: passes?.later, msPerStep: Number((ms / steps).toFixed(1)) }));
    }
  }
  return 0;
}
