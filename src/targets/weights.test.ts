import { describe, expect, it } from 'vitest';
import { MIN_WEIGHT, normalisedWeights, parseComponents } from './gaussian';
import { createTarget } from './registry';

const comps = (w: number[]): string => JSON.stringify(w.map((weight, k) => ({ mean: [k, 0], std: 1, weight })));

describe('mixture weights stay valid after any input (issue 8, bug 5)', () => {
  it('normalises exactly where the sum is representable', () => {
    expect(normalisedWeights([1, 1, 2])).toEqual([0.25, 0.25, 0.5]);
    expect(normalisedWeights([3])).toEqual([1]);
  });

  it('1e300 then 1e308: no overflow of the sum, no weight 0, and the result parses again', () => {
    // the user's sequence: component 1 set to 1e300, then to 1e308 (the others are what the panel sent back)
    const first = parseComponents(comps([1e300, 1, 1]));
    expect(first.map((c) => c.weight)).toEqual([1, 1e-300, 1e-300]);
    const second = parseComponents(JSON.stringify(first.map((c, k) => ({ ...c, weight: k === 0 ? 1e308 : c.weight }))));
    expect(second.every((c) => c.weight > 0 && Number.isFinite(c.weight))).toBe(true);
    expect(second[0]?.weight).toBe(1);
    expect(second[1]?.weight).toBe(MIN_WEIGHT);
    // the next edit (component 2 weight 1) is accepted and gives what it says
    const third = parseComponents(JSON.stringify(second.map((c, k) => ({ ...c, weight: k === 1 ? 1 : c.weight }))));
    expect(third.map((c) => c.weight)).toEqual([0.5, 0.5, MIN_WEIGHT]);
    // two weights at the top of the double range: their sum would overflow to Infinity
    expect(parseComponents(comps([1.7e308, 1.7e308])).map((c) => c.weight)).toEqual([0.5, 0.5]);
    // the density stays finite where the heavy component lives
    const t = createTarget('mixture', { components: JSON.stringify(second) });
    expect(Number.isFinite(t.logDensity(0, 0))).toBe(true);
  });

  it('refuses non-finite, zero and negative weights, naming the component', () => {
    for (const bad of [0, -1]) expect(() => parseComponents(comps([1, bad]))).toThrow(/components\[1\]\.weight: expected a finite positive number/);
    expect(() => parseComponents('[{"mean":[0,0],"std":1,"weight":1e999}]')).toThrow(/components\[0\]\.weight/);
    expect(() => parseComponents('[{"mean":[0,0],"std":1,"weight":"2"}]')).toThrow(/components\[0\]\.weight/);
  });
});
