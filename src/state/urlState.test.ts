import { describe, expect, it } from 'vitest';
import type { ParamSpec } from '../core/params';
import { decodeHash, DEFAULT_CONFIG, encodeHash, type SpecLookup } from './urlState';

const methodSpecs: Record<string, ParamSpec[]> = {
  svgd: [{ name: 'bandwidth', label: 'Bandwidth', kind: 'number', default: 'median', alsoAccept: ['median'], description: '' }],
  langevin: [{ name: 'mala', label: 'MALA', kind: 'boolean', default: false, description: '' }],
};
const targetSpecs: Record<string, ParamSpec[]> = {
  mixture: [{ name: 'components', label: 'Components', kind: 'json', default: '[]', description: '' }],
  gaussian: [{ name: 'mean', label: 'Mean', kind: 'vector', length: 2, default: [0, 0], description: '' }],
};
const specs: SpecLookup = { methodParams: (id) => methodSpecs[id], targetParams: (id) => targetSpecs[id] };

describe('URL hash state', () => {
  it('round-trips method, params, target, target params, n, step size and seed', () => {
    const config = {
      ...DEFAULT_CONFIG,
      method: 'svgd',
      params: { bandwidth: 0.5 },
      target: { id: 'mixture', params: { components: '[{"mean":[1,2],"cov":[1,0,1],"weight":1}]' } },
      n: 1024,
      stepSize: 0.05,
      seed: 42,
    };
    const back = decodeHash(`#${encodeHash(config, specs)}`, specs);
    expect(back.errors).toEqual([]);
    expect(back.config).toEqual(config);
  });

  it('round-trips booleans and vectors', () => {
    const config = { ...DEFAULT_CONFIG, method: 'langevin', params: { mala: true }, target: { id: 'gaussian', params: { mean: [1, -2] } } };
    expect(decodeHash(encodeHash(config, specs), specs).config).toEqual(config);
  });

  it('reports bad entries by field and keeps the defaults', () => {
    const r = decodeHash('#method=svgd&m.bandwidth=abc&n=-3&h=0&seed=1.5&t.zzz=1', specs);
    expect(r.config.n).toBe(DEFAULT_CONFIG.n);
    expect(r.config.stepSize).toBe(DEFAULT_CONFIG.stepSize);
    expect(r.errors.join('\n')).toMatch(/bandwidth/);
    expect(r.errors.join('\n')).toMatch(/^n:/m);
    expect(r.errors.join('\n')).toMatch(/^h:/m);
    expect(r.errors.join('\n')).toMatch(/^seed:/m);
    expect(r.errors.join('\n')).toMatch(/t\.zzz/);
  });

  it('round-trips the domain and the compared method; a cloud target is not stored', () => {
    const cfg = { ...DEFAULT_CONFIG, domain: 'torus' as const, target: { id: 'gaussian', params: {} } };
    const h = encodeHash(cfg, specs, { compare: 'langevin' });
    expect(h).toContain('domain=torus');
    expect(h).toContain('cmp=langevin');
    const r = decodeHash(h, specs);
    expect(r.config.domain).toBe('torus');
    expect(r.compare).toBe('langevin');
    expect(r.errors).toEqual([]);
    const c = decodeHash('#target=cloud&cmp=nope', specs);
    expect(c.config.target.id).toBe(DEFAULT_CONFIG.target.id);
    expect(c.compare).toBeUndefined();
    expect(c.errors.join('\n')).toMatch(/not stored in the URL/);
    expect(c.errors.join('\n')).toMatch(/cmp: unknown method 'nope'/);
  });

  it('without h the step size is the default of the run the hash describes; with h it is the given one', () => {
    const withDefaults: SpecLookup = { ...specs, stepSize: (run) => (run.method === 'langevin' && run.target.id === 'gaussian' ? 0.05 : 0.1) };
    expect(decodeHash('#method=langevin&target=gaussian', withDefaults).config.stepSize).toBe(0.05);
    expect(decodeHash('#method=svgd&target=gaussian', withDefaults).config.stepSize).toBe(0.1);
    expect(decodeHash('#method=langevin&target=gaussian&h=0.3', withDefaults).config.stepSize).toBe(0.3);
    // a bad h is reported and the default taken
    const bad = decodeHash('#method=langevin&target=gaussian&h=-1', withDefaults);
    expect(bad.config.stepSize).toBe(0.05);
    expect(bad.errors.join('\n')).toMatch(/^h:/m);
  });

  it('backend and Record every round-trip; a link without them (older links) leaves them undefined; bad values name their key', () => {
    const h = encodeHash(DEFAULT_CONFIG, specs, { backend: 'cpu', every: 5 });
    expect(h).toContain('backend=cpu');
    expect(h).toContain('every=5');
    const r = decodeHash(h, specs);
    expect(r.errors).toEqual([]);
    expect([r.backend, r.every]).toEqual(['cpu', 5]);
    expect(r.config).toEqual(decodeHash(encodeHash(DEFAULT_CONFIG, specs), specs).config);
    // every = 0 (recording off) is not written; gpu is
    const off = encodeHash(DEFAULT_CONFIG, specs, { backend: 'gpu', every: 0 });
    expect(off).toContain('backend=gpu');
    expect(off).not.toContain('every=');
    const old = decodeHash('#method=svgd&target=gaussian&n=256', specs);
    expect([old.backend, old.every, old.errors]).toEqual([undefined, undefined, []]);
    const bad = decodeHash('#backend=tpu&every=1.5', specs);
    expect([bad.backend, bad.every]).toEqual([undefined, undefined]);
    expect(bad.errors).toEqual(["backend: expected gpu or cpu, got 'tpu'", "every: expected a whole number of steps >= 1, got '1.5'"]);
  });

  it('every compared run round-trips with its own parameters and step size (cmp, cmp2, cmp3 + .m.* and .h), and the generator (gen)', () => {
    const runs = [
      { method: 'svgd', params: { bandwidth: 0.5 }, stepSize: 0.02 },
      { method: 'langevin', params: { mala: true } },
      { method: 'langevin', params: { mala: false }, stepSize: 0.001 },
    ];
    const h = encodeHash(DEFAULT_CONFIG, specs, { runs, generator: 'uotm-kl-moons' });
    expect(h).toContain('cmp=svgd&cmp.m.bandwidth=0.5&cmp.h=0.02&cmp2=langevin&cmp2.m.mala=true&cmp3=langevin&cmp3.h=0.001');
    expect(h).toContain('gen=uotm-kl-moons');
    const r = decodeHash(h, specs);
    expect(r.errors).toEqual([]);
    // a parameter at its default is left out of the link and decodes as absent (the same run)
    expect(r.runs).toEqual([runs[0], runs[1], { method: 'langevin', params: {}, stepSize: 0.001 }]);
    expect([r.compare, r.compare2, r.generator]).toEqual(['svgd', 'langevin', 'uotm-kl-moons']);
    // the older extras still write cmp / cmp2 (no parameters)
    expect(encodeHash(DEFAULT_CONFIG, specs, { compare: 'svgd', compare2: 'langevin' })).toMatch(/cmp=svgd&cmp2=langevin$/);
    // no generator, no runs: no keys
    const plain = encodeHash(DEFAULT_CONFIG, specs, { runs: [] });
    expect(plain).not.toMatch(/cmp|gen=/);
    expect(decodeHash(plain, specs).runs).toEqual([undefined, undefined, undefined]);
  });

  it('bad compared-run and generator entries name their key and are skipped', () => {
    const r = decodeHash('#cmp=svgd&cmp.m.bandwidth=abc&cmp.m.zzz=1&cmp.h=-2&cmp2.m.mala=true&cmp3=nope&gen=../x', specs);
    const text = r.errors.join('\n');
    expect(text).toMatch(/bandwidth/);
    expect(text).toMatch(/cmp\.m\.zzz: unknown parameter/);
    expect(text).toMatch(/^cmp\.h: expected a positive number, got '-2'/m);
    expect(text).toMatch(/^cmp2: its parameters or step size .* need cmp2=<method>/m);
    expect(text).toMatch(/^cmp3: unknown method 'nope'/m);
    expect(text).toMatch(/^gen: expected a shipped generator model id/m);
    expect(r.runs).toEqual([{ method: 'svgd', params: {} }, undefined, undefined]);
    expect(r.generator).toBeUndefined();
    expect(decodeHash('#gen=none', specs).generator).toBe('none');
  });

  it('the default configuration is the app default run of src/engine/defaults.ts', async () => {
    const { appDefaultRun } = await import('../engine/defaults');
    expect(DEFAULT_CONFIG).toEqual(appDefaultRun());
  });
});
