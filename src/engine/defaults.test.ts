/**
 * The defaults as data (src/engine/defaults.ts) and issue 8 bug 1: every built-in target x every method that
 * runs on it, at its DEFAULT step size, on the CPU twin backend, from the app's N(0, I) start:
 *   - no divergence: no non-finite particle and none beyond 1e3 (the targets' mass lies within
 *     |x| < 100, the funnel's wide end included);
 *   - convergence: a discrepancy to the target falls to at most 3/4 of its starting value: the KSD
 *     (IMQ, float64, all particles) for targets with a score, the energy distance to 512 exact
 *     samples for sample targets and for the sample-based flows (the better of the two counts
 *     there: a flow matches its sample cloud, which the KSD at N = 64 sees only roughly, and on
 *     25gaussians N(0, I) starts already close in energy distance), the L2 distance on the torus.
 *     The Gaussian target IS the start: there its mean and covariance must stay within 0.35 / 35 %
 *     (3.5 standard errors of a 96-point sample, 2.8 of a 64-point one).
 * The numbers are printed (one row per pair). Before this fix the step size was 0.1 everywhere:
 * 25gaussians diverged within 4-7 steps with Langevin, SVGD and GWG, the donut at step 11.
 */
import { describe, expect, it } from 'vitest';
import { createBackend } from './backend';
import type { Domain, RunConfig } from './types';
import {
  adapterClass, adapterDefaultN, APP_DEFAULTS, appDefaultRun, CLI_DEFAULTS, compareStepSize, defaultN, defaultStepSize, describeFollowed, factsOf, followDefaults, incompatibility, methodsByPriority, niceFloor, runStepSize, targetCurvature, targetParams,
} from './defaults';
import { getMethod, methods } from '../methods/registry';
import { compareConfig } from './compare';
import { GPU_BUDGET, HARDWARE_GPU_BUDGET, HOST_BUDGET, landscapeBudget, landscapeStepCost, MAX_N, MIN_N } from '../methods/landscapeCost';
import { findPreset } from '../state/presets';
import type { Params } from '../core/params';
import { ksdFromRows, ksdRows } from '../reference/ksdRows';
import { Rng } from '../reference/philox';
import { createTarget, getTarget, targets } from '../targets/registry';
import type { TargetInstance } from '../targets/types';

/** Score-based methods: N = 96, 1/h steps (time 1) but at least 300 and at most 800. */
const N = 96;
const steps = (h: number): number => Math.min(800, Math.max(300, Math.round(1 / h)));
/** Sample-based flows: N = M = 64 (the Sinkhorn flow's step costs ~30 score-method steps), 200 steps. */
const FLOW_N = 64;
const FLOW_STEPS = 200;
const TORUS_STEPS = 150;

/** Mean Euclidean distance between the points of a and b (interleaved). */
function meanDist(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i += 2) for (let j = 0; j < b.length; j += 2) s += Math.hypot((a[i] ?? 0) - (b[j] ?? 0), (a[i + 1] ?? 0) - (b[j + 1] ?? 0));
  return s / ((a.length / 2) * (b.length / 2));
}

function ksd(x: Float64Array, t: TargetInstance): number {
  const m = x.length / 2;
  const s = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    const [a, b] = t.score(x[2 * i] ?? 0, x[2 * i + 1] ?? 0);
    s[2 * i] = a;
    s[2 * i + 1] = b;
  }
  return ksdFromRows(ksdRows(x, s, m), m);
}

interface Pair {
  target: string;
  method: string;
  domain: Domain;
}

const pairs: Pair[] = [];
for (const def of targets) {
  const t = createTarget(def.id);
  // energy landscapes are not densities (no KSD to fall): their fixed default steps are checked in src/engine/landscape.test.ts
  if (t.landscape) continue;
  const domain: Domain = t.periodic ? 'torus' : 'plane';
  for (const m of methods) if (incompatibility(m, factsOf(t), domain) === undefined) pairs.push({ target: def.id, method: m.id, domain });
}

const rows: string[] = [];

describe('default step size: every built-in target x method, CPU twin, N = 96 (flows 64)', () => {
  it.each(pairs)('$target x $method ($domain)', async ({ target, method, domain }) => {
    const backend = await createBackend('cpu');
    const t = createTarget(target);
    const m = getMethod(method);
    const h = defaultStepSize(method, target, domain);
    const flow = m.needs === 'samples';
    // The torus run uses K = 8 Fourier modes (16 by default) to keep the test short; the step is the default one.
    const params = domain === 'torus' ? { ...(m.domainDefaults?.torus?.params ?? {}), modes: 8 } : {};
    const sim = backend.createSimulation({ method, params, target: { id: target, params: {} }, n: flow ? FLOW_N : N, stepSize: h, seed: 1, init: { kind: 'gaussian', mean: [0, 0], std: 1 }, domain });
    const y = t.sample?.(new Rng(99, 7), 512);
    const yy = y ? meanDist(y, y) : 0;
    const measure = async (): Promise<{ ksd?: number; energy?: number; l2?: number }> => {
      if (domain === 'torus') return { l2: (await sim.metrics()).l2 ?? NaN };
      const x = Float64Array.from(await sim.positions());
      return { ...(t.sampleOnly ? {} : { ksd: ksd(x, t) }), ...(y && (flow || t.sampleOnly) ? { energy: 2 * meanDist(x, y) - meanDist(x, x) - yy } : {}) };
    };
    const before = await measure();
    const count = domain === 'torus' ? TORUS_STEPS : flow ? FLOW_STEPS : steps(h);
    sim.step(count);
    const st = await sim.stats();
    const after = await measure();
    sim.destroy();
    const ratios = (['ksd', 'energy', 'l2'] as const).filter((k) => before[k] !== undefined).map((k) => ({ k, r: (after[k] ?? NaN) / (before[k] ?? NaN) }));
    const best = ratios.reduce((a, b) => (b.r < a.r ? b : a));
    rows.push(`${target.padEnd(14)} ${method.padEnd(14)} h=${String(h).padEnd(7)} L=${(targetCurvature(t) ?? NaN).toPrecision(3).padEnd(8)} steps=${count} ` +
      ratios.map(({ k }) => `${k} ${(before[k] ?? NaN).toPrecision(3)}->${(after[k] ?? NaN).toPrecision(3)}`).join(' ') + ` maxAbs=${st.maxAbs.toPrecision(3)}`);
    expect(st.nonFinite, 'non-finite particles').toBe(0);
    expect(st.maxAbs).toBeLessThan(1e3);
    if (target === 'gaussian') {
      // The start is the target: it must stay there.
      expect(Math.hypot(st.mean[0], st.mean[1])).toBeLessThan(0.35);
      expect(Math.abs(st.cov[0] - 1)).toBeLessThan(0.35);
      expect(Math.abs(st.cov[2] - 1)).toBeLessThan(0.35);
      expect(Math.abs(st.cov[1])).toBeLessThan(0.35);
    } else {
      expect(best.r, `${best.k} ratio`).toBeLessThan(0.75);
    }
  }, 60_000);

  it('prints the measured table', () => {
    console.log(`default step sizes: ${rows.length} runs\n${rows.join('\n')}`);
    expect(rows.length).toBe(pairs.length);
  });
});

describe('the default step size rule', () => {
  it('has exact answers on targets with a known curvature', () => {
    // N(0, I): -log pi has Hessian I, so L = 1 and h = min(0.1, 0.2 / 1) = 0.1.
    expect(targetCurvature(createTarget('gaussian'))).toBeCloseTo(1, 6);
    // N(m, diag(4, 0.25)): L = 1 / 0.25 = 4, h = 0.2 / 4 = 0.05.
    const narrow = createTarget('gaussian', { cov: [4, 0, 0.25] });
    expect(targetCurvature(narrow)).toBeCloseTo(4, 5);
    // The donut: -log pi = (r - 2.6)^2 / 0.033, radial curvature 2 / 0.033 = 60.6 on the ring.
    expect(targetCurvature(createTarget('donut'))).toBeCloseTo(2 / 0.033, 1);
    // 25gaussians: component std 0.05 / 2.828, curvature 1 / std^2 = 3199.
    expect(targetCurvature(createTarget('25gaussians'))).toBeCloseTo((2.828 / 0.05) ** 2, 0);
    expect(defaultStepSize('langevin', '25gaussians')).toBe(5e-5);
    expect(defaultStepSize('langevin', 'donut')).toBe(2e-3);
    expect(defaultStepSize('langevin', 'gaussian')).toBe(0.1);
    // Sample-only targets have no curvature; the flows take their fixed step.
    expect(targetCurvature(createTarget('moons'))).toBeUndefined();
    for (const m of methods) if (m.defaultStep?.fixed !== undefined) expect(defaultStepSize(m.id, 'moons')).toBe(m.defaultStep.fixed);
  });

  it('rounds down to 1, 2 or 5 times a power of ten', () => {
    expect([0.33, 0.2, 0.099, 6.2e-5, 1, 7].map(niceFloor)).toEqual([0.2, 0.2, 0.05, 5e-5, 1, 5]);
  });

  it('every method has a finite positive default on every target it runs on', () => {
    for (const { target, method, domain } of pairs) {
      const h = defaultStepSize(method, target, domain);
      expect(h > 0 && Number.isFinite(h), `${method} on ${target}`).toBe(true);
    }
  });
});

describe('defaults as data', () => {
  it('the app and the CLI default runs name registry entries', () => {
    for (const d of [APP_DEFAULTS, CLI_DEFAULTS]) {
      expect(() => getMethod(d.method)).not.toThrow();
      expect(() => getTarget(d.target)).not.toThrow();
    }
    const run = appDefaultRun();
    expect(run).toMatchObject({ method: APP_DEFAULTS.method, target: { id: APP_DEFAULTS.target }, n: APP_DEFAULTS.n, seed: APP_DEFAULTS.seed });
    expect(run.stepSize).toBe(runStepSize(run));
  });

  it('the torus by the Domain control and by the Target list give the same run (issue 8 bug 3)', () => {
    const plane: RunConfig = appDefaultRun();
    const torusMethod = methods.find((m) => (m.domains ?? ['plane']).includes('torus'));
    if (!torusMethod) throw new Error('no torus method registered');
    const periodic = targets.find((d) => createTarget(d.id).periodic);
    if (!periodic) throw new Error('no periodic target registered');
    const start: RunConfig = { ...plane, method: torusMethod.id, params: {}, stepSize: defaultStepSize(torusMethod.id, plane.target.id) };
    const byDomain = followDefaults(start, { domain: 'torus', target: { id: periodic.id, params: {} } }).change;
    const byTarget = followDefaults(start, { target: { id: periodic.id, params: {} }, domain: 'torus' }).change;
    expect(byTarget).toEqual(byDomain);
    const torusDefaults = torusMethod.domainDefaults?.torus;
    expect(byDomain.stepSize).toBe(torusDefaults?.stepSize ?? defaultStepSize(torusMethod.id, periodic.id, 'torus'));
    for (const [k, v] of Object.entries(torusDefaults?.params ?? {})) expect(byDomain.params?.[k]).toEqual(v);
    // and back: the domain's parameters and step return to the plane's defaults
    const onTorus = { ...start, ...byDomain };
    const back = followDefaults(onTorus, { domain: 'plane', target: plane.target }).change;
    for (const k of Object.keys(torusDefaults?.params ?? {})) expect(back.params?.[k]).toEqual(torusMethod.params.find((p) => p.name === k)?.default);
    expect(back.stepSize).toBe(defaultStepSize(torusMethod.id, plane.target.id));
  });

  it('a step size the user set is kept; a default one follows the target', () => {
    const run = appDefaultRun();
    const to25 = followDefaults(run, { target: { id: '25gaussians', params: {} } }).change;
    expect(to25.stepSize).toBe(defaultStepSize(run.method, '25gaussians'));
    const mine = followDefaults({ ...run, stepSize: 0.123 }, { target: { id: '25gaussians', params: {} } }).change;
    expect(mine.stepSize).toBeUndefined();
    const given = followDefaults(run, { target: { id: '25gaussians', params: {} }, stepSize: 0.3 }).change;
    expect(given.stepSize).toBe(0.3);
  });

  it('the preferred method for a sample target comes from the registry priorities', () => {
    const moons = factsOf(createTarget('moons'));
    const first = methodsByPriority().find((m) => incompatibility(m, moons, 'plane') === undefined);
    const top = Math.max(...methods.filter((m) => incompatibility(m, moons, 'plane') === undefined).map((m) => m.priority ?? 0));
    expect(first?.priority ?? 0).toBe(top);
    expect(first?.needs).toBe('samples');
  });
});

describe('issue 22 items 2 and 4: per-(method, target) defaults, the default N of landscape methods, compared runs', () => {
  it('SVGD and GWG take steps their kernel averaging allows (SVGD 4 / L, GWG 2 / L), not Langevin\'s 0.2 / L', () => {
    expect(defaultStepSize('langevin', 'banana')).toBe(0.01);
    expect(defaultStepSize('svgd', 'banana')).toBe(0.2);
    expect(defaultStepSize('gwg', 'banana')).toBe(0.1);
    expect(defaultStepSize('svgd', 'gaussian')).toBe(2);
  });

  it('a target default (MethodDef.targetDefaults) is what the engine runs when the run leaves the parameter out', async () => {
    expect(targetParams('svgd', '25gaussians')).toEqual({ bandwidth: 0.1 });
    expect(targetParams('svgd', 'banana')).toEqual({});
    expect(defaultStepSize('svgd', '25gaussians')).toBe(0.005);
    const backend = await createBackend('cpu');
    const run = (params: Params): RunConfig => ({ method: 'svgd', params, target: { id: '25gaussians', params: {} }, n: 32, stepSize: 0.005, seed: 1, init: { kind: 'gaussian', mean: [0, 0], std: 1 } });
    const sim = backend.createSimulation(run({}));
    sim.step(1);
    expect((await sim.stats()).bandwidth).toBeCloseTo(0.1, 12);
    sim.destroy();
    // a parameter the run sets wins
    const median = backend.createSimulation(run({ bandwidth: 'median' }));
    median.step(1);
    expect((await median.stats()).bandwidth).not.toBeCloseTo(0.1, 3);
    median.destroy();
  });

  it('followDefaults: a parameter still at the old target\'s default takes the new target\'s, both ways; one the user set stays', () => {
    const banana: RunConfig = { ...appDefaultRun(), target: { id: 'banana', params: {} }, stepSize: defaultStepSize('svgd', 'banana') };
    const to25 = followDefaults(banana, { target: { id: '25gaussians', params: {} } });
    expect(to25.change.params?.bandwidth).toBe(0.1);
    expect(to25.change.stepSize).toBe(0.005);
    expect(describeFollowed(to25.followed)).toEqual(expect.arrayContaining(['Bandwidth 0.1', 'step size 0.005']));
    const on25 = { ...banana, ...to25.change } as RunConfig;
    const back = followDefaults(on25, { target: { id: 'banana', params: {} } }).change;
    expect(back.params?.bandwidth).toBe('median');
    expect(back.stepSize).toBe(0.2);
    const mine = followDefaults({ ...banana, params: { bandwidth: 0.7 } }, { target: { id: '25gaussians', params: {} } }).change;
    expect(mine.params?.bandwidth ?? 0.7).toBe(0.7);
  });

  it('landscape methods start at the N their estimated step cost allows (the Saddle escape preset\'s 64), density runs at 4,096', () => {
    expect(defaultN('wsfn', 'double-well')).toBe(64);
    expect(defaultN('w-newton', 'double-well')).toBe(64);
    expect(defaultN('wgd', 'double-well')).toBe(512);
    expect(defaultN('jko', 'double-well')).toBe(64);
    expect(defaultN('wsfn', 'two-layer-net')).toBe(16);
    expect(defaultN('svgd', 'mixture')).toBe(APP_DEFAULTS.n);
    // every landscape pair's default is within budget, and twice it is not (or it is the cap)
    for (const m of methods.filter((d) => d.needs === 'landscape')) {
      for (const t of ['double-well', 'attract-repel', 'quadratic', 'two-layer-net']) {
        const n = defaultN(m.id, t);
        const c = landscapeStepCost(m, {}, t, n);
        expect(c.evaluations, `${m.id} on ${t}`).toBeLessThanOrEqual(c.where === 'gpu' ? GPU_BUDGET : HOST_BUDGET);
        if (n < MAX_N && n > MIN_N) expect(landscapeStepCost(m, {}, t, 2 * n).evaluations, `${m.id} on ${t}`).toBeGreaterThan(c.where === 'gpu' ? GPU_BUDGET : HOST_BUDGET);
      }
    }
  });

  it('the step cost estimate: N^2 per pass, k Lanczos passes, jko\'s inner solves on the host, the net\'s M inputs', () => {
    const wsfn = getMethod('wsfn'), wgd = getMethod('wgd'), jko = getMethod('jko');
    const a = landscapeStepCost(wsfn, {}, 'double-well', 64);
    expect(a.evaluations).toBe((1 + 20 + 2) * 64 * 64);
    expect(a.where).toBe('gpu');
    expect(a.text).toMatch(/23 passes of N²/);
    expect(landscapeStepCost(wsfn, { k: 5 }, 'double-well', 64).evaluations).toBe((1 + 5 + 2) * 64 * 64);
    expect(landscapeStepCost(wsfn, {}, 'double-well', 128).evaluations).toBe(4 * a.evaluations);
    expect(landscapeStepCost(wgd, {}, 'double-well', 64).evaluations).toBe(64 * 64);
    const j = landscapeStepCost(jko, {}, 'double-well', 64);
    expect(j.where).toBe('host');
    expect(j.evaluations).toBe((5 * 23 + 1) * 64 * 64);
    expect(landscapeStepCost(wsfn, {}, 'two-layer-net', 16).evaluations).toBe(23 * 16 * 16 * 32);
    expect(landscapeStepCost(wsfn, {}, 'two-layer-net', 16, 'cpu').evaluations).toBe(23 * 16 * 32);
    expect(landscapeStepCost(wsfn, { solver: 'dense' }, 'double-well', 64).where).toBe('host');
  });

  it('followDefaults: N follows from a density run to a landscape method and back, unless the user set it', () => {
    const run = appDefaultRun();
    const toSaddle = followDefaults(run, { method: 'wsfn', params: {}, target: { id: 'double-well', params: {} } });
    expect(toSaddle.change.n).toBe(64);
    expect(describeFollowed(toSaddle.followed)).toContain('N = 64');
    const onSaddle = { ...run, ...toSaddle.change } as RunConfig;
    expect(followDefaults(onSaddle, { method: 'wgd', params: {} }).change.n).toBe(512);
    expect(followDefaults(onSaddle, { method: 'svgd', params: {}, target: { id: 'mixture', params: {} } }).change.n).toBe(4096);
    expect(followDefaults({ ...run, n: 1000 }, { method: 'wsfn', params: {}, target: { id: 'double-well', params: {} } }).change.n).toBeUndefined();
  });

  it('the app\'s default N from the adapter: 4,096 on a hardware GPU, 1,024 on a software adapter or the CPU engine', () => {
    expect(adapterDefaultN({ kind: 'gpu', description: 'nvidia hopper H100' })).toBe(4096);
    expect(adapterDefaultN({ kind: 'gpu', description: 'google swiftshader Subzero (software)' })).toBe(1024);
    expect(adapterDefaultN({ kind: 'cpu', description: 'CPU engine (float64)' })).toBe(1024);
  });

  it('a landscape run\'s default N follows the adapter (issue 22 item 4): its estimated step fits the adapter\'s budget, jko\'s host twin the CPU\'s everywhere', () => {
    const hw = { kind: 'gpu' as const, description: 'nvidia hopper H100' };
    const sw = { kind: 'gpu' as const, description: 'google swiftshader Subzero (software)' };
    const cpu = { kind: 'cpu' as const, description: 'CPU engine (float64)' };
    const on = (method: string, target = 'double-well') => ({ method, params: {}, target: { id: target, params: {} } });
    const table = Object.fromEntries(['wgd', 'wgd-perturbed', 'w-newton', 'wsfn', 'jko'].map((m) => [m, [sw, hw, cpu].map((info) => adapterDefaultN(info, on(m)))]));
    // [software, hardware, CPU engine]
    expect(table).toEqual({
      wgd: [512, 4096, 512],
      'wgd-perturbed': [512, 4096, 512],
      'w-newton': [64, 2048, 128],
      wsfn: [64, 2048, 128],
      jko: [64, 64, 64],
    });
    // the software (and unknown-adapter) default is the one followDefaults and the URL state use
    for (const m of Object.keys(table)) expect(adapterDefaultN(sw, on(m)), m).toBe(defaultN(m, 'double-well'));
    // each default fits its budget and twice it does not (unless at the cap)
    for (const [info, cls] of [[sw, 'software'], [hw, 'hardware'], [cpu, 'cpu']] as const) {
      expect(adapterClass(info)).toBe(cls);
      for (const m of methods.filter((d) => d.needs === 'landscape')) {
        for (const t of ['double-well', 'two-layer-net']) {
          const n = adapterDefaultN(info, on(m.id, t));
          const backend = info.kind === 'cpu' ? 'cpu' : 'gpu';
          const c = landscapeStepCost(m, {}, t, n, backend);
          expect(c.evaluations, `${m.id} on ${t}, ${cls}`).toBeLessThanOrEqual(landscapeBudget(c.where, cls));
          if (n < MAX_N && n > MIN_N) expect(landscapeStepCost(m, {}, t, 2 * n, backend).evaluations, `${m.id} on ${t}, ${cls}`).toBeGreaterThan(landscapeBudget(c.where, cls));
        }
      }
    }
    expect(landscapeBudget('host', 'hardware')).toBe(HOST_BUDGET);
    expect(landscapeBudget('gpu', 'hardware')).toBe(HARDWARE_GPU_BUDGET);
    // a density run keeps the adapter's N
    expect(adapterDefaultN(sw, on('svgd', 'banana'))).toBe(1024);
    expect(adapterDefaultN(hw, on('svgd', 'banana'))).toBe(4096);
  });

  it('the Saddle escape preset\'s N = 64 is within what the rule allows for each of its three methods, on every adapter', () => {
    const preset = findPreset('saddle-escape');
    const q = new URLSearchParams(preset?.hash ?? '');
    const n = Number(q.get('n'));
    expect(n).toBe(64);
    const ids = [q.get('method'), q.get('cmp'), q.get('cmp2')];
    expect(ids).toEqual(['w-newton', 'wgd', 'wsfn']);
    for (const info of [{ kind: 'gpu' as const, description: 'swiftshader (software)' }, { kind: 'gpu' as const, description: 'nvidia' }, { kind: 'cpu' as const, description: 'CPU' }]) {
      for (const id of ids) expect(adapterDefaultN(info, { method: id ?? '', params: {}, target: { id: q.get('target') ?? '', params: {} } }), `${id} on ${info.description}`).toBeGreaterThanOrEqual(n);
    }
  });

  it('a compared run at the primary\'s default step takes its own method\'s default (SVGD 0.2 vs Langevin 0.01 on the banana); a step the user set is shared', () => {
    const primary = { method: 'svgd', target: { id: 'banana', params: {} }, stepSize: 0.2 };
    expect(compareStepSize(primary, 'langevin')).toBe(0.01);
    expect(compareConfig({ ...appDefaultRun(), ...primary }, 'langevin', {}).stepSize).toBe(0.01);
    expect(compareStepSize({ ...primary, stepSize: 0.05 }, 'langevin')).toBe(0.05);
  });
});

