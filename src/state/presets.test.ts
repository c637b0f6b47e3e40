/**
 * Every preset is a valid link: its hash decodes without a reported problem against the real
 * registry, resolves to a run (resolveRun), and its compared method can run on the target and
 * differs from the main run (the engine would refuse an identical one).
 */
import { describe, expect, it } from 'vitest';
import { resolveRun } from '../engine/config';
import { CPU_MAX_PARTICLES } from '../engine/backend';
import { factsOf, incompatibility, runStepSize } from '../engine/defaults';
import { getMethod } from '../methods/registry';
import type { ParamSpec } from '../core/params';
import { createTarget, getTarget } from '../targets/registry';
import { findPreset, PRESETS, presetOfHash } from './presets';
import { decodeHash, DEFAULT_CONFIG, encodeHash, type SpecLookup } from './urlState';

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

const specs: SpecLookup = {
  methodParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getMethod(id).params),
  targetParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getTarget(id).params),
  stepSize: (run) => runStepSize(run),
};

describe('presets', () => {
  it('have unique ids and labels, and are found by id and by hash', () => {
    expect(PRESETS.length).toBeGreaterThanOrEqual(6);
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    expect(new Set(PRESETS.map((p) => p.label)).size).toBe(PRESETS.length);
    for (const p of PRESETS) {
      expect(findPreset(p.id)).toBe(p);
      expect(presetOfHash(`#${p.hash}`)).toBe(p);
    }
  });

  it.each(PRESETS)('$id decodes without problems, resolves, and its comparison can run', (p) => {
    const d = decodeHash(p.hash, specs, { ...DEFAULT_CONFIG, method: 'mmd-flow', params: { kernel: 'imq' }, domain: 'torus' });
    expect(d.errors).toEqual([]);
    const q = new URLSearchParams(p.hash);
    expect(d.config.method).toBe(q.get('method'));
    expect(d.config.target.id).toBe(q.get('target'));
    // a complete hash: nothing of the page before leaks in
    expect(d.config.domain ?? 'plane').toBe(q.get('domain') ?? 'plane');
    expect(d.config.stepSize).toBe(runStepSize(d.config));
    expect(() => resolveRun(d.config, CPU_MAX_PARTICLES)).not.toThrow();
    // stable: the page writes the same run back
    expect(decodeHash(encodeHash(d.config, specs, { compare: d.compare }), specs).config).toEqual(decodeHash(p.hash, specs).config);
    if (d.compare !== undefined) {
      const facts = factsOf(createTarget(d.config.target.id, d.config.target.params));
      expect(incompatibility(getMethod(d.compare), facts, d.config.domain ?? 'plane')).toBeUndefined();
      const sameParams = d.compare === d.config.method && Object.keys(d.config.params).length === 0;
      expect(sameParams).toBe(false);
    }
  });
});
