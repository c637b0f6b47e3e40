/**
 * Links made before runs became a list (issue 18 item 3) keep working. Each case below was produced
 * by main at cc1f05f (before this change): every preset of src/state/presets.ts, links with one and
 * two compared runs (`cmp`, `cmp2`), partial hashes, and two hashes that main's encodeHash wrote.
 * `config`, `errors`, `compare`, `compare2`, `backend`, `every` are what that code's decodeHash
 * returned; `linkConfig`, `notes`, `setsCompare`, `setsCompare2` what its readLink returned. They are
 * literals here (generated once, not recomputed): the decoder of today must give the same.
 */
import { describe, expect, it } from 'vitest';
import { specLookup } from '../ui/specs';
import { readLink } from './link';
import { PRESETS } from './presets';
import { decodeHash } from './urlState';

interface OldCase {
  hash: string;
  config: unknown;
  errors: string[];
  compare?: string;
  compare2?: string;
  backend?: string;
  every?: number;
  linkConfig: unknown;
  notes: string[];
  setsCompare: boolean;
  setsCompare2: boolean;
}

// prettier-ignore
const CASES: OldCase[] = [
  {"hash":"method=svgd&target=banana&n=1024&seed=1&cmp=langevin","config":{"method":"svgd","target":{"id":"banana","params":{}},"params":{},"n":1024,"stepSize":0.2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare":"langevin","linkConfig":{"method":"svgd","target":{"id":"banana","params":{}},"params":{},"n":1024,"stepSize":0.2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=sinkhorn-flow&target=checkerboard&n=2048&seed=1","config":{"method":"sinkhorn-flow","target":{"id":"checkerboard","params":{}},"params":{},"n":2048,"stepSize":0.2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"linkConfig":{"method":"sinkhorn-flow","target":{"id":"checkerboard","params":{}},"params":{},"n":2048,"stepSize":0.2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=svgd&m.kernel=riesz&target=torus-mixture&domain=torus&n=1024&seed=1","config":{"method":"svgd","target":{"id":"torus-mixture","params":{}},"params":{"kernel":"riesz"},"n":1024,"stepSize":0.0005,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1},"domain":"torus"},"errors":[],"linkConfig":{"method":"svgd","target":{"id":"torus-mixture","params":{}},"params":{"kernel":"riesz"},"n":1024,"stepSize":0.0005,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1},"domain":"torus"},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=gwg&target=25gaussians&n=1024&seed=1","config":{"method":"gwg","target":{"id":"25gaussians","params":{}},"params":{},"n":1024,"stepSize":0.002,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"linkConfig":{"method":"gwg","target":{"id":"25gaussians","params":{}},"params":{},"n":1024,"stepSize":0.002,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=langevin&m.mala=true&target=funnel&n=4096&seed=1&cmp=langevin","config":{"method":"langevin","target":{"id":"funnel","params":{}},"params":{"mala":true},"n":4096,"stepSize":0.001,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare":"langevin","linkConfig":{"method":"langevin","target":{"id":"funnel","params":{}},"params":{"mala":true},"n":4096,"stepSize":0.001,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=sinkhorn-flow&target=moons&n=1024&seed=1&cmp=mmd-flow","config":{"method":"sinkhorn-flow","target":{"id":"moons","params":{}},"params":{},"n":1024,"stepSize":0.2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare":"mmd-flow","linkConfig":{"method":"sinkhorn-flow","target":{"id":"moons","params":{}},"params":{},"n":1024,"stepSize":0.2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=mmd-flow&m.kernel=energy&target=pinwheel&n=2048&seed=1","config":{"method":"mmd-flow","target":{"id":"pinwheel","params":{}},"params":{"kernel":"energy"},"n":2048,"stepSize":0.5,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"linkConfig":{"method":"mmd-flow","target":{"id":"pinwheel","params":{}},"params":{"kernel":"energy"},"n":2048,"stepSize":0.5,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=svgd&target=mixture&n=1024&seed=1","config":{"method":"svgd","target":{"id":"mixture","params":{}},"params":{},"n":1024,"stepSize":2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"linkConfig":{"method":"svgd","target":{"id":"mixture","params":{}},"params":{},"n":1024,"stepSize":2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=w-newton&target=double-well&n=64&seed=1&cmp=wgd&cmp2=wsfn","config":{"method":"w-newton","target":{"id":"double-well","params":{}},"params":{},"n":64,"stepSize":0.5,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare":"wgd","compare2":"wsfn","linkConfig":{"method":"w-newton","target":{"id":"double-well","params":{}},"params":{},"n":64,"stepSize":0.5,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=svgd&target=banana&n=256&h=0.05&seed=1&cmp=langevin","config":{"method":"svgd","target":{"id":"banana","params":{}},"params":{},"n":256,"stepSize":0.05,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare":"langevin","linkConfig":{"method":"svgd","target":{"id":"banana","params":{}},"params":{},"n":256,"stepSize":0.05,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=svgd&m.bandwidth=0.5&target=gaussian&t.mean=1,0&n=512&h=0.02&seed=7&cmp=langevin&backend=cpu&every=5","config":{"method":"svgd","target":{"id":"gaussian","params":{"mean":[1,0]}},"params":{"bandwidth":0.5},"n":512,"stepSize":0.02,"seed":7,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare":"langevin","backend":"cpu","every":5,"linkConfig":{"method":"svgd","target":{"id":"gaussian","params":{"mean":[1,0]}},"params":{"bandwidth":0.5},"n":512,"stepSize":0.02,"seed":7,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=langevin&target=moons&n=1024&seed=1&cmp=svgd","config":{"method":"langevin","target":{"id":"moons","params":{}},"params":{},"n":1024,"stepSize":0.1,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare":"svgd","linkConfig":{"method":"sinkhorn-flow","target":{"id":"moons","params":{}},"params":{},"n":1024,"stepSize":0.2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":["Target Two moons: switched to Sinkhorn flow: Langevin (ULA / MALA) needs a score, step size 0.2"],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=mmd-flow&target=moons&n=256&seed=3&cmp=sinkhorn-flow&cmp2=svgd","config":{"method":"mmd-flow","target":{"id":"moons","params":{}},"params":{},"n":256,"stepSize":0.5,"seed":3,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare":"sinkhorn-flow","compare2":"svgd","linkConfig":{"method":"mmd-flow","target":{"id":"moons","params":{}},"params":{},"n":256,"stepSize":0.5,"seed":3,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"cmp=mmd-flow","config":{"method":"svgd","target":{"id":"mixture","params":{}},"params":{},"n":4096,"stepSize":2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare":"mmd-flow","linkConfig":{"method":"svgd","target":{"id":"mixture","params":{}},"params":{},"n":4096,"stepSize":2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":false},
  {"hash":"cmp=none","config":{"method":"svgd","target":{"id":"mixture","params":{}},"params":{},"n":4096,"stepSize":2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"linkConfig":{"method":"svgd","target":{"id":"mixture","params":{}},"params":{},"n":4096,"stepSize":2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":false},
  {"hash":"n=100&cmp2=wsfn","config":{"method":"svgd","target":{"id":"mixture","params":{}},"params":{},"n":100,"stepSize":2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare2":"wsfn","linkConfig":{"method":"svgd","target":{"id":"mixture","params":{}},"params":{},"n":100,"stepSize":2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":false,"setsCompare2":true},
  {"hash":"method=svgd&target=mixture&n=4096&h=2&seed=1&cmp=langevin&cmp2=mmd-flow&backend=gpu","config":{"method":"svgd","target":{"id":"mixture","params":{}},"params":{},"n":4096,"stepSize":2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare":"langevin","compare2":"mmd-flow","backend":"gpu","linkConfig":{"method":"svgd","target":{"id":"mixture","params":{}},"params":{},"n":4096,"stepSize":2,"seed":1,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
  {"hash":"method=langevin&m.mala=true&target=mixture&n=4096&h=0.01&seed=5&cmp=langevin&backend=cpu&every=10","config":{"method":"langevin","target":{"id":"mixture","params":{}},"params":{"mala":true},"n":4096,"stepSize":0.01,"seed":5,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"errors":[],"compare":"langevin","backend":"cpu","every":10,"linkConfig":{"method":"langevin","target":{"id":"mixture","params":{}},"params":{"mala":true},"n":4096,"stepSize":0.01,"seed":5,"init":{"kind":"gaussian","mean":[0,0],"std":1}},"notes":[],"setsCompare":true,"setsCompare2":true},
];

describe('links made by main before runs[] (saved hashes)', () => {
  it('covers every preset of that main', () => {
    for (const p of PRESETS.slice(0, 9)) expect(CASES.map((c) => c.hash)).toContain(p.hash);
  });

  for (const c of CASES) {
    it(`#${c.hash} decodes to the same run`, () => {
      const d = decodeHash(c.hash, specLookup);
      expect(d.config).toEqual(c.config);
      expect(d.errors).toEqual(c.errors);
      expect(d.compare).toBe(c.compare);
      expect(d.compare2).toBe(c.compare2);
      expect(d.backend).toBe(c.backend);
      expect(d.every).toBe(c.every);
      const l = readLink(c.hash, specLookup);
      expect(l.config).toEqual(c.linkConfig);
      expect(l.notes).toEqual(c.notes);
      expect(l.setsCompare).toBe(c.setsCompare);
      expect(l.setsCompare2).toBe(c.setsCompare2);
      // the runs list reads the same: cmp and cmp2 are runs 1 and 2 with their defaults, following the primary's step size
      const asRun = (m: string | undefined): unknown => (m === undefined ? undefined : { method: m, params: {} });
      expect(d.runs).toEqual([asRun(c.compare), asRun(c.compare2), undefined]);
      expect(d.generator).toBeUndefined();
      expect(l.setsRuns.slice(0, 2)).toEqual([c.setsCompare, c.setsCompare2]);
    });
  }
});
