/**
 * The target registry without special cases (issue 18 item 1): `cloud` is a registered target built
 * from given points (TargetDef.data 'points'), the editors are declared by the targets
 * (TargetDef.editor), and the default ids are data (defaultTargets, defaultMethods).
 */
import { describe, expect, it } from 'vitest';
import { defaultMethods, methods } from '../methods/registry';
import { allTargets, createTarget, defaultTargets, findTarget, getTarget, isPointsTarget, pointsTarget, targets } from './registry';
import type { Component, TargetEditor } from './types';

describe('cloud is a registered target built from points', () => {
  it('is in allTargets, not in the menu list built from params', () => {
    const def = getTarget('cloud');
    expect(def.data).toBe('points');
    expect(allTargets.map((t) => t.id)).toContain('cloud');
    expect(targets.map((t) => t.id)).not.toContain('cloud');
    expect(targets.every((t) => (t.data ?? 'params') === 'params')).toBe(true);
    expect(pointsTarget().id).toBe('cloud');
    expect(isPointsTarget('cloud')).toBe(true);
    expect(isPointsTarget('banana')).toBe(false);
    expect(isPointsTarget('nope')).toBe(false);
    expect(findTarget('nope')).toBeUndefined();
  });

  it('builds from its points, and without them says what it needs', () => {
    expect(() => createTarget('cloud')).toThrow("target 'cloud' needs its points (e.g. --target-file y.npy)");
    const t = createTarget('cloud', {}, Float64Array.from([0, 0, 2, 2, 4, 0]));
    expect(t.id).toBe('cloud');
    expect(t.sampleOnly).toBe(true);
    expect(Array.from(t.cloud ?? [])).toEqual([0, 0, 2, 2, 4, 0]);
    expect(() => createTarget('cloud', {}, Float64Array.from([0, NaN]))).toThrow(/not finite/);
  });

  it('names itself in the menu with its point count', () => {
    expect(getTarget('cloud').menuLabel?.(new Float64Array(2 * 1234))).toBe('Cloud (1,234 points)');
  });

  it('a parameter target ignores points given to it', () => {
    const a = createTarget('banana');
    const b = createTarget('banana', {}, Float64Array.from([1, 1]));
    expect(b.cloud).toBeUndefined();
    expect(b.logDensity(0.3, -0.2)).toBe(a.logDensity(0.3, -0.2));
  });
});

describe('default ids are registry data', () => {
  it('the app and CLI defaults name registered ids', () => {
    expect(targets.map((t) => t.id)).toEqual(expect.arrayContaining([defaultTargets.app, defaultTargets.cli]));
    expect(methods.map((m) => m.id)).toEqual(expect.arrayContaining([defaultMethods.app, defaultMethods.cli]));
    // the contracts of README / issue 1: the app shows SVGD on the mixture, `wgf run` is Langevin on N(0, I)
    expect([defaultMethods.app, defaultTargets.app]).toEqual(['svgd', 'mixture']);
    expect([defaultMethods.cli, defaultTargets.cli]).toEqual(['langevin', 'gaussian']);
  });
});

const editorOf = (id: string): TargetEditor | undefined => getTarget(id).editor;

describe('target editors are declared by the targets', () => {
  it('declares the editors the canvas showed by id before', () => {
    expect(editorOf('mixture')?.kind).toBe('components');
    expect(editorOf('torus-mixture')?.kind).toBe('components');
    expect(editorOf('double-well')?.kind).toBe('wells');
    expect(editorOf('8gaussians')?.kind).toBe('clusters');
    expect(editorOf('25gaussians')?.kind).toBe('clusters');
    // none for the rest (the gaussian's component is not dragged; a cloud gets the generic Move cloud handle)
    for (const id of ['gaussian', 'banana', 'checkerboard', 'quadratic', 'attract-repel', 'cloud']) expect(editorOf(id), id).toBeUndefined();
  });

  it('every declared editor round-trips its own default instance', () => {
    const withEditor = allTargets.filter((t) => t.editor !== undefined);
    expect(withEditor.length).toBeGreaterThanOrEqual(5);
    for (const def of withEditor) {
      const e = def.editor;
      const inst = createTarget(def.id);
      if (e?.kind === 'components') {
        const comps = inst.components ?? [];
        expect(comps.length, def.id).toBeGreaterThan(0);
        const again = createTarget(def.id, e.params(comps));
        expect(again.components, def.id).toEqual(comps);
      } else if (e?.kind === 'wells') {
        const pts = e.points(inst);
        expect(pts?.length, def.id).toBeGreaterThan(0);
        const again = createTarget(def.id, { ...inst.params, ...e.params(pts ?? []) });
        expect(e.points(again), def.id).toEqual(pts);
      } else if (e?.kind === 'clusters') {
        expect(e.centres(inst)?.length, def.id).toBeGreaterThan(0);
      }
    }
  });

  it('components: the mixture writes its components JSON; the torus mixture wraps and caps the spread', () => {
    const e = editorOf('mixture');
    if (e?.kind !== 'components') throw new Error('mixture has no components editor');
    const comps: Component[] = [
      { mean: [1, 2], cov: [0.5, 0.1, 0.4], weight: 1 },
      { mean: [-3, 0.5], cov: [1, 0, 1], weight: 3 },
    ];
    const inst = createTarget('mixture', e.params(comps));
    expect(inst.components?.map((c) => c.mean)).toEqual([
      [1, 2],
      [-3, 0.5],
    ]);
    expect(inst.components?.map((c) => c.weight)).toEqual([0.25, 0.75]);
    expect(e.wrap).toBeFalsy();
    const t = editorOf('torus-mixture');
    if (t?.kind !== 'components') throw new Error('torus-mixture has no components editor');
    expect(t.wrap).toBe(true);
    expect(t.maxSpread).toEqual({ value: 0.25, why: 'on the unit torus' });
  });

  it('wells: the double well reads its minimisers and writes well1 / well2 (3 decimals)', () => {
    const e = editorOf('double-well');
    if (e?.kind !== 'wells') throw new Error('double-well has no wells editor');
    expect(e.points(createTarget('double-well'))).toEqual([
      [-1, 0],
      [1, 0],
    ]);
    expect(e.params([
      [0.12345, -0.5],
      [1.9876, 0.25],
    ])).toEqual({ well1: [0.123, -0.5], well2: [1.988, 0.25] });
    const moved = createTarget('double-well', e.params([
      [0.5, 0.5],
      [1.5, -0.5],
    ]));
    expect(e.points(moved)?.map((p) => p.map((v) => Math.round(v * 1e9) / 1e9))).toEqual([
      [0.5, 0.5],
      [1.5, -0.5],
    ]);
    expect(e.name).toBe('Well');
  });

  it('clusters: 8 and 25 centres, following the parameters', () => {
    const e8 = editorOf('8gaussians');
    const e25 = editorOf('25gaussians');
    if (e8?.kind !== 'clusters' || e25?.kind !== 'clusters') throw new Error('toy mixtures have no clusters editor');
    const c8 = e8.centres(createTarget('8gaussians', { scale: 2 })) ?? [];
    expect(c8).toHaveLength(8);
    expect(Math.hypot(...(c8[0] ?? [0, 0]))).toBeCloseTo(2 / 1.414, 12);
    expect(e25.centres(createTarget('25gaussians'))).toHaveLength(25);
  });
});
