/**
 * Links (src/state/link.ts), read at load and on a hash edit by the same reader:
 *   - issue 22 item 1: every target id alone as a link lands on a run that starts (a method that
 *     runs on it, the torus for a periodic target) and says what it changed;
 *   - issue 21 item 9: an edited hash gets the same named messages as one given at load, shown on
 *     the page (not cleared by the change it makes), and changes nothing it did not name (`n=-5`
 *     keeps the user's step size; a partial hash keeps the split view);
 *   - issue 22 item 6: after a preset or link loads, the earlier state's messages are gone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runStepSize } from '../engine/defaults';
import { createCpuBackend, CPU_MAX_PARTICLES } from '../engine/backend';
import { findMethod, incompatibility, targetFacts } from '../engine/compat';
import { urlHash } from '../fuzz/arbitraries';
import { resolveRun } from '../engine/config';
import { Engine } from '../engine/Engine';
import { manualEngine } from '../engine/manualEngine';
import type { RunConfig } from '../engine/types';
import { getMethod } from '../methods/registry';
import type { ParamSpec } from '../core/params';
import { getTarget, targets } from '../targets/registry';
import { defaultStepSize } from '../ui/ControlPanel';
import { divergedMessage, messageText, sayLink } from '../ui/messages';
import { applyLink, linkMessage, readLink } from './link';
import { PRESETS } from './presets';
import { DEFAULT_CONFIG, encodeHash, type SpecLookup } from './urlState';

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** The page's look-ups (src/ui/specs.ts), step size defaults included. */
const specs: SpecLookup = {
  methodParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getMethod(id).params),
  targetParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getTarget(id).params),
  stepSize: (run) => runStepSize(run),
};

describe('readLink: a link applies the panel rules', () => {
  it('every target id alone (#target=ID) resolves to a run that starts, on its domain, and says when it switched the method', () => {
    for (const t of targets) {
      const link = readLink(`#target=${t.id}`, specs);
      const c = link.config;
      expect(link.errors, t.id).toEqual([]);
      expect(c.target.id, t.id).toBe(t.id);
      const facts = targetFacts(t.id);
      expect(c.domain ?? 'plane', t.id).toBe(facts?.periodic ? 'torus' : 'plane');
      expect(() => resolveRun({ ...c, n: 16 }, CPU_MAX_PARTICLES), t.id).not.toThrow();
      if (c.method !== DEFAULT_CONFIG.method) expect(link.notes.join(' '), t.id).toMatch(/switched to /);
      if (c.domain === 'torus') expect(link.notes.join(' '), t.id).toMatch(/domain torus/);
      // the step size is the default of the run it landed on
      expect(c.stepSize, t.id).toBe(runStepSize(c));
    }
  });

  it('the ids issue 22 names: moons ... two-layer-net pick a method that runs there; torus-mixture the torus', () => {
    for (const id of ['moons', 'rings', 'checkerboard', 'pinwheel', '2spirals', 'swissroll', 'double-well', 'attract-repel', 'quadratic', 'two-layer-net']) {
      const link = readLink(`target=${id}`, specs);
      expect(link.config.method, id).not.toBe('svgd');
      const m = linkMessage(link, 'load');
      expect(m?.kind, id).toBe('info');
      expect(m?.text, id).toMatch(new RegExp(`^Link: Target ${getTarget(id).label.replace(/[()]/g, '.')}: switched to `));
    }
    const torus = readLink('target=torus-mixture', specs);
    expect(torus.config.domain).toBe('torus');
    expect(() => resolveRun({ ...torus.config, n: 16 }, CPU_MAX_PARTICLES)).not.toThrow();
  });

  it('a complete link naming a method that cannot run on its target switches the method; a method alone finds its target', () => {
    const a = readLink('method=svgd&target=moons&n=256', specs);
    expect(getMethod(a.config.method).needs).toBe('samples');
    expect(a.config.n).toBe(256);
    expect(a.notes.join(' ')).toMatch(/switched to .*SVGD needs a score/);
    const b = readLink('method=wsfn', specs);
    expect(b.config.method).toBe('wsfn');
    expect(targetFacts(b.config.target.id)?.landscape).toBe(true);
    expect(() => resolveRun({ ...b.config, n: 16 }, CPU_MAX_PARTICLES)).not.toThrow();
    const c = readLink('domain=torus', specs);
    expect(targetFacts(c.config.target.id)?.periodic).toBe(true);
    expect(() => resolveRun({ ...c.config, n: 16 }, CPU_MAX_PARTICLES)).not.toThrow();
  });

  it('an edited partial hash changes only what it names: bad entries are named, the rest (user step size, split view) stays', () => {
    const page: RunConfig = { ...DEFAULT_CONFIG, method: 'svgd', target: { id: 'banana', params: {} }, n: 512, stepSize: 0.05 };
    expect(page.stepSize).not.toBe(runStepSize(page)); // the user's step size
    const cases: [string, RegExp][] = [
      ['n=-5', /^n: expected a positive integer, got '-5'$/],
      ['m.kernel=null', /^kernel: expected one of .*got 'null'$/],
      ['domain=xyz', /^domain: expected plane or torus, got 'xyz'$/],
      ['backend=tpu', /^backend: expected gpu or cpu, got 'tpu'$/],
      ['target=', /^target: unknown target ''$/],
    ];
    for (const [hash, error] of cases) {
      const link = readLink(hash, specs, page);
      expect(link.errors, hash).toHaveLength(1);
      expect(link.errors[0], hash).toMatch(error);
      expect(link.config, hash).toEqual(page);
      expect([link.setsCompare, link.setsCompare2, link.backend, link.every], hash).toEqual([false, false, undefined, undefined]);
      // the same words as at load, and what became of the entry
      expect(linkMessage(link, 'edit')?.text, hash).toBe(`URL: ${link.errors[0] ?? ''} (left as it was)`);
      expect(linkMessage(readLink(hash, specs), 'load')?.text, hash).toBe(`URL: ${link.errors[0] ?? ''} (defaults used)`);
    }
    // a valid partial edit keeps the user's step size too
    expect(readLink('n=100', specs, page).config).toEqual({ ...page, n: 100 });
  });
});

describe('readLink, fuzzed', () => {
  it('2,000 random hashes over three pages: never throws, and always lands on a pairing that runs (or keeps a page that runs)', () => {
    const pages: RunConfig[] = [
      { ...DEFAULT_CONFIG, n: 64 },
      { ...DEFAULT_CONFIG, method: 'wsfn', target: { id: 'double-well', params: {} }, stepSize: 1, n: 64 },
      { ...DEFAULT_CONFIG, params: { kernel: 'riesz' }, target: { id: 'torus-mixture', params: {} }, stepSize: 5e-4, domain: 'torus', n: 64 },
    ];
    let switched = 0;
    fc.assert(
      fc.property(urlHash(), fc.constantFrom(0, 1, 2), (hash, b) => {
        const page = pages[b] ?? DEFAULT_CONFIG;
        const link = readLink(hash, specs, page);
        const c = link.config;
        const method = findMethod(c.method);
        expect(method, hash).toBeDefined();
        if (!method) return;
        // the file cloud ('cloud') is never a link's: the page's target stays
        expect(incompatibility(method, targetFacts(c.target.id), c.domain ?? 'plane'), hash).toBeUndefined();
        if (link.notes.length > 0) switched++;
      }),
      { seed: 20_261_207, numRuns: 2000 },
    );
    expect(switched).toBeGreaterThan(100);
  });
});

/** An engine on the CPU backend, stepped by hand. */
async function cpuEngine(c: RunConfig): Promise<Engine> {
  const engine = new Engine({ config: c, backend: 'cpu', createBackend: () => Promise.resolve(createCpuBackend()), requestFrame: () => 1, cancelFrame: () => undefined });
  await engine.start();
  return engine;
}

const edit = (engine: Engine, hash: string): void => sayLink(engine, applyLink(engine, readLink(hash, specs, engine.getSnapshot().config), 'edit'));

describe('applyLink on a running page', () => {
  const page: RunConfig = { ...DEFAULT_CONFIG, method: 'svgd', target: { id: 'banana', params: {} }, n: 64, stepSize: 0.05 };

  it('a bad entry in an edited complete hash is said on the page (not cleared by the run it restarts)', async () => {
    const engine = await cpuEngine(page);
    edit(engine, 'method=svgd&m.kernel=null&target=banana&n=64&h=0.05&seed=2');
    const s = engine.getSnapshot();
    expect(s.config.seed).toBe(2);
    expect(s.message?.kind).toBe('error');
    expect(s.message && messageText(s.message)).toMatch(/^URL: kernel: expected one of .*'null' \(left as it was\)/);
    engine.dispose();
  });

  it('a bad partial edit keeps the step size and the split view, and says so', async () => {
    const engine = await cpuEngine(page);
    expect(engine.setCompare('langevin')).toBe(true);
    for (const [hash, key] of [['n=-5', 'n'], ['domain=xyz', 'domain'], ['backend=tpu', 'backend'], ['target=', 'target'], ['m.kernel=null', 'kernel']] as const) {
      edit(engine, hash);
      const s = engine.getSnapshot();
      expect(s.message && messageText(s.message), hash).toMatch(new RegExp(`^URL: ${key}: `));
      expect(s.config.stepSize, hash).toBe(0.05);
      expect(s.config.n, hash).toBe(64);
      expect(s.compare?.method, hash).toBe('langevin');
      expect(s.backendKind, hash).toBe('cpu');
    }
    engine.dispose();
  });

  it('a preset clears the earlier state\'s messages (a compared run switched for the old target, a target note)', async () => {
    const engine = await cpuEngine({ ...page, method: 'svgd', target: { id: 'banana', params: {} } });
    expect(engine.setCompare('langevin')).toBe(true);
    engine.say('info', 'Target Two moons: switched to MMD flow: SVGD needs a score');
    const preset = PRESETS.find((p) => p.id === 'sinkhorn-checkerboard');
    if (!preset) throw new Error('preset sinkhorn-checkerboard');
    edit(engine, preset.hash);
    const s = engine.getSnapshot();
    expect(s.config.method).toBe('sinkhorn-flow');
    expect(s.compare).toBeUndefined();
    expect(s.message).toBeUndefined();
    engine.dispose();
  });

  it('a link onto a sample target switches the method and says so on the page', async () => {
    const engine = await cpuEngine(page);
    edit(engine, 'target=moons');
    const s = engine.getSnapshot();
    expect(s.status).toBe('ready');
    expect(s.config.target.id).toBe('moons');
    expect(getMethod(s.config.method).needs).toBe('samples');
    expect(s.message && messageText(s.message)).toMatch(/^Link: Target Two moons: switched to /);
    engine.dispose();
  });

  it('after a blow-up at the user\'s step size, the message offers the default step size, which starts a run that holds', async () => {
    const { engine, frame } = await manualEngine({ ...DEFAULT_CONFIG, method: 'langevin', target: { id: 'gaussian', params: {} }, n: 16, stepSize: 1e6 });
    for (let i = 0; i < 40 && engine.getSnapshot().playing; i++) await frame();
    expect(engine.getSnapshot().diverged).toBe(true);
    expect(divergedMessage(engine.getSnapshot().message)).toBe(true);
    // Play after the blow-up: refused, the offer stays
    engine.play();
    expect(divergedMessage(engine.getSnapshot().message)).toBe(true);
    defaultStepSize(engine);
    const s = engine.getSnapshot();
    expect(s.config.stepSize).toBe(runStepSize(s.config));
    expect(s.diverged).toBe(false);
    expect(s.playing).toBe(true);
    for (let i = 0; i < 10; i++) await frame();
    expect(engine.getSnapshot().diverged).toBe(false);
    expect(engine.getSnapshot().step).toBeGreaterThan(0);
    engine.dispose();
  });
});

describe('a link carries every run and the generator (issue 18 item 3)', () => {
  const page: RunConfig = { ...DEFAULT_CONFIG, method: 'svgd', target: { id: 'banana', params: {} }, n: 64, stepSize: 0.05 };
  /** The page's hash, written as src/ui/App.tsx writes it. */
  const hashOf = (engine: Engine): string => {
    const s = engine.getSnapshot();
    return encodeHash(s.config, specs, { runs: s.runs.slice(1).map((r) => ({ method: r.method, params: r.params, ...(r.ownStepSize !== undefined ? { stepSize: r.ownStepSize } : {}) })), generator: s.generator?.startsWith('shipped:') ? s.generator.slice('shipped:'.length) : undefined });
  };
  const shape = (engine: Engine): unknown => {
    const s = engine.getSnapshot();
    return { config: { ...s.config, target: { ...s.config.target }, domain: s.config.domain ?? 'plane' }, runs: s.runs.map((r) => [r.method, r.params, r.stepSize, r.ownStepSize]), generator: s.generator };
  };

  it('a page with three compared runs (own parameters, one own step size) and a generator: its link reproduces it on another page', async () => {
    const a = await cpuEngine(page);
    expect(a.addRun('langevin', { mala: true })).toBe(true);
    expect(a.addRun('svgd', { bandwidth: 0.3 }, 0.01)).toBe(true);
    expect(a.addRun('gwg')).toBe(true);
    a.setGenerator('shipped:uotm-kl-banana');
    const hash = hashOf(a);
    expect(hash).toContain('cmp=langevin&cmp.m.mala=true&cmp2=svgd&cmp2.m.bandwidth=0.3&cmp2.h=0.01&cmp3=gwg');
    expect(hash).toContain('gen=uotm-kl-banana');
    // another page, showing something else (one compared run, no generator)
    const b = await cpuEngine({ ...DEFAULT_CONFIG, n: 64 });
    expect(b.setCompare('gwg')).toBe(true);
    edit(b, hash);
    expect(shape(b)).toEqual(shape(a));
    expect(b.getSnapshot().message).toBeUndefined();
    expect(hashOf(b)).toBe(hash);
    a.dispose();
    b.dispose();
  });

  it('a partial hash changes only the runs it names; a complete one without cmp keys or gen turns them off', async () => {
    const engine = await cpuEngine(page);
    expect(engine.addRun('langevin')).toBe(true);
    expect(engine.addRun('gwg')).toBe(true);
    engine.setGenerator('shipped:x');
    edit(engine, 'cmp2=langevin&cmp2.m.mala=true');
    let s = engine.getSnapshot();
    expect(s.runs.map((r) => [r.method, r.params])).toEqual([
      ['svgd', {}],
      ['langevin', {}],
      ['langevin', { mala: true }],
    ]);
    expect(s.generator).toBe('shipped:x');
    // cmp=none in a partial hash removes run 1; the list closes up
    edit(engine, 'cmp=none');
    expect(engine.getSnapshot().runs.map((r) => r.method)).toEqual(['svgd', 'langevin']);
    expect(engine.getSnapshot().runs[1]?.params).toEqual({ mala: true });
    edit(engine, 'method=svgd&target=banana&n=64&h=0.05&seed=1');
    s = engine.getSnapshot();
    expect(s.runs).toHaveLength(1);
    expect(s.generator).toBeUndefined();
    engine.dispose();
  });

  it('every saved pre-runs[] link with compared runs lands on the same runs list as it did (cmp, cmp2: defaults, following the primary)', async () => {
    const engine = await cpuEngine(page);
    edit(engine, 'method=mmd-flow&target=moons&n=64&seed=3&cmp=sinkhorn-flow&cmp2=svgd');
    const s = engine.getSnapshot();
    // svgd cannot run on the sample-only moons: refused by name, as before; sinkhorn-flow runs at the step the primary's rule gives
    expect(s.runs.map((r) => [r.method, r.params, r.ownStepSize])).toEqual([
      ['mmd-flow', {}, undefined],
      ['sinkhorn-flow', {}, undefined],
    ]);
    expect(s.message?.text).toMatch(/compare-rejected/);
    engine.dispose();
  });
});
