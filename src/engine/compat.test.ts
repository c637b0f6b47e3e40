/**
 * The one rule of what runs on what (src/engine/compat.ts): the engine's validation, the panel's
 * disabled options and the CLI's early refusal give the same answer for every (method, target,
 * domain) of the registries, with the same sentence; where a method's steps run on each backend.
 */
import { describe, expect, it } from 'vitest';
import { methods } from '../methods/registry';
import { targets } from '../targets/registry';
import { CPU_MAX_PARTICLES } from './backend';
import { compatibility, incompatibility, refusalByIds, runsOn, targetFacts, targetKind } from './compat';
import { resolveRun } from './config';
import { ConfigError, type Domain, type RunConfig } from './types';

const methodDomainsOf = (m: { domains?: Domain[] }): Domain => (m.domains ?? ['plane'])[0] ?? 'plane';

const run = (method: string, target: string, domain: Domain): RunConfig => ({
  method,
  params: {},
  target: { id: target, params: {} },
  n: 16,
  stepSize: 0.01,
  seed: 1,
  init: { kind: 'gaussian', mean: [0, 0], std: 1 },
  domain,
});

function refusal(c: RunConfig): ConfigError | undefined {
  try {
    resolveRun(c, CPU_MAX_PARTICLES);
    return undefined;
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
}

describe('compatibility: one rule for the engine, the panel and the CLI', () => {
  it('every method x registry target x domain: the engine refuses exactly what the rule refuses, with its sentence and field', () => {
    let ok = 0;
    let refused = 0;
    for (const m of methods) {
      for (const t of targets) {
        for (const domain of ['plane', 'torus'] as const) {
          const facts = targetFacts(t.id);
          expect(facts, t.id).toBeDefined();
          const c = compatibility({ method: m, target: facts, targetId: t.id, domain });
          const e = refusal(run(m.id, t.id, domain));
          const where = `${m.id} on ${t.id} (${domain})`;
          if (c.ok) {
            // runs: the engine refuses nothing about the pairing (a parameter at its default may still be refused: none is)
            expect(e === undefined ? undefined : `${e.field}: ${e.message}`, where).toBeUndefined();
            expect(incompatibility(m, facts, domain), where).toBeUndefined();
            expect(refusalByIds(m.id, t.id, domain), where).toBeUndefined();
            ok++;
          } else {
            expect(e?.field, where).toBe(c.problem.field);
            expect(e?.message, where).toBe(c.problem.message);
            expect(incompatibility(m, facts, domain), where).toBe(c.problem.short);
            expect(refusalByIds(m.id, t.id, domain), where).toBe(c.problem.message);
            refused++;
          }
        }
      }
    }
    // every target has at least one method that runs on it, in its own domain
    for (const t of targets) {
      const f = targetFacts(t.id);
      if (!f) throw new Error(t.id);
      expect(methods.some((m) => incompatibility(m, f, f.periodic ? 'torus' : 'plane') === undefined), t.id).toBe(true);
    }
    expect(ok).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(200);
  });

  it('the sentences the tests and the CLI rely on', () => {
    const byId = (id: string) => methods.find((m) => m.id === id) ?? (() => { throw new Error(id); })();
    const moons = targetFacts('moons');
    const dw = targetFacts('double-well');
    const banana = targetFacts('banana');
    const c1 = compatibility({ method: byId('langevin'), target: moons, targetId: 'moons', domain: 'plane' });
    expect(!c1.ok && c1.problem.message).toMatch(/^langevin needs the target's score, but 'moons' is known only by samples: use a sample-based flow \(.*mmd-flow.*\)$/);
    const c2 = compatibility({ method: byId('svgd'), target: dw, targetId: 'double-well', domain: 'plane' });
    expect(!c2.ok && c2.problem.message).toMatch(/energy landscape/);
    const c3 = compatibility({ method: byId('wsfn'), target: banana, targetId: 'banana', domain: 'plane' });
    expect(!c3.ok && c3.problem.message).toMatch(/use a landscape target \(.*double-well.*\)/);
    const c4 = compatibility({ method: byId('svgd'), target: banana, targetId: 'banana', domain: 'torus' });
    expect(!c4.ok && c4.problem.message).toBe("the torus needs a periodic target; 'banana' is not periodic");
    const c5 = compatibility({ method: byId('svgd'), target: targetFacts('torus-mixture'), targetId: 'torus-mixture', domain: 'plane' });
    expect(!c5.ok && c5.problem.message).toBe("'torus-mixture' is a target on the torus: run it with domain torus");
    const c6 = compatibility({ method: byId('langevin'), target: targetFacts('torus-mixture'), targetId: 'torus-mixture', domain: 'torus' });
    expect(!c6.ok && [c6.problem.field, c6.problem.short]).toEqual(['domain', 'not on the torus']);
    // a file cloud ('cloud'): samples only
    expect(targetKind(targetFacts('cloud') ?? { sampleOnly: false, hasSamples: false, periodic: false })).toBe('samples');
    expect(refusalByIds('langevin', 'cloud', 'plane')).toMatch(/'cloud' is known only by samples/);
  });

  it('where the steps run: WGSL, the float64 twin on the host (declared by the method), or the CPU engine', () => {
    const dw = targetFacts('double-well');
    const at = (id: string, backend: 'gpu' | 'cpu', params = {}) => {
      const method = methods.find((m) => m.id === id);
      if (!method) throw new Error(id);
      const c = compatibility({ method, target: dw, domain: 'plane', backend, params });
      return c.ok ? [c.runsOn, c.hostNote !== undefined] : ['refused', false];
    };
    expect(at('wgd', 'gpu')).toEqual(['gpu', false]);
    expect(at('jko', 'gpu')).toEqual(['host', true]);
    expect(at('jko', 'cpu')).toEqual(['cpu', false]);
    expect(at('w-newton', 'gpu')).toEqual(['gpu', false]);
    expect(at('w-newton', 'gpu', { solver: 'dense' })).toEqual(['host', true]);
    const svgd = methods.find((m) => m.id === 'svgd');
    if (!svgd) throw new Error('svgd');
    expect(compatibility({ method: svgd, target: targetFacts('banana'), domain: 'plane' })).toEqual({ ok: true, runsOn: 'gpu' });
  });

  it('runsOn: the one answer to "runs its twin on the host", with the reason the status bar and the CLI say', () => {
    const byId = (id: string) => {
      const m = methods.find((d) => d.id === id);
      if (!m) throw new Error(id);
      return m;
    };
    expect(runsOn(byId('jko'), {}, 'gpu')).toEqual({ runsOn: 'host', hostNote: 'inner solve on the host (float64 twin)' });
    expect(runsOn(byId('jko'), {}, 'cpu')).toEqual({ runsOn: 'cpu' });
    for (const id of ['w-newton', 'wsfn']) {
      expect(runsOn(byId(id), { solver: 'dense' })).toEqual({ runsOn: 'host', hostNote: 'solver=dense: the 2N x 2N eigendecomposition on the host (float64 twin)' });
      expect(runsOn(byId(id), { solver: 'lanczos' })).toEqual({ runsOn: 'gpu' });
      expect(runsOn(byId(id), {})).toEqual({ runsOn: 'gpu' });
    }
    // every method at its defaults: only jko runs its twin on the host on the GPU backend; compatibility() says the same
    const host = methods.filter((m) => runsOn(m).runsOn === 'host').map((m) => m.id);
    expect(host).toEqual(['jko']);
    for (const m of methods) {
      const c = compatibility({ method: m, target: undefined, domain: methodDomainsOf(m), params: {} });
      expect(c.ok && c.runsOn).toBe(runsOn(m).runsOn);
    }
  });
});
