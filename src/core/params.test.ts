/** Which method parameters the UI shows for the current values (ParamSpec.shownWhen). */
import { describe, expect, it } from 'vitest';
import { getMethod } from '../methods/registry';
import { checkParam, isCount, ParamError, paramShown, parseParam, readParams, resolveParams, type Params } from './params';

function shown(method: string, values: Params): string[] {
  const specs = getMethod(method).params;
  return specs.filter((s) => paramShown(s, specs, values)).map((s) => s.name);
}

describe('paramShown', () => {
  it('SVGD shows the parameters of the chosen kernel only (defaults count as values)', () => {
    expect(shown('svgd', {})).toEqual(['kernel', 'bandwidth']); // rbf by default
    expect(shown('svgd', { kernel: 'imq' })).toEqual(['kernel', 'bandwidth', 'beta']);
    expect(shown('svgd', { kernel: 'riesz' })).toEqual(['kernel', 's', 'k0', 'modes', 'smoothing']);
    expect(shown('svgd', { kernel: 'riesz', smoothing: 'pm' })).toEqual(['kernel', 's', 'k0', 'modes', 'smoothing', 'grid']);
  });
  it('MMD flow hides the bandwidth for the energy kernel; GWG shows the p rate only when adaptive', () => {
    expect(shown('mmd-flow', { kernel: 'energy' })).toEqual(['kernel']);
    expect(shown('mmd-flow', {})).toEqual(['kernel', 'bandwidth']);
    expect(shown('gwg', {})).not.toContain('pRate');
    expect(shown('gwg', { adaptive: true })).toContain('pRate');
  });
});

describe('readParams: typed reads with the specs\' defaults', () => {
  it('reads numbers, words, booleans and enums, defaults from the specs (never restated)', () => {
    const svgd = getMethod('svgd').params;
    const p = readParams(svgd, resolveParams(svgd, { kernel: 'imq', bandwidth: 0.5 }));
    expect(p.oneOf('kernel', ['rbf', 'imq', 'riesz'] as const)).toBe('imq');
    expect(p.optNum('bandwidth')).toBe(0.5);
    expect(p.num('beta')).toBe(-0.5); // the spec's default
    // 'median' is one of bandwidth's alsoAccept words: optNum says undefined, num refuses it
    const med = readParams(svgd, {});
    expect(med.optNum('bandwidth')).toBeUndefined();
    expect(() => med.num('bandwidth')).toThrow(ParamError);
    expect(readParams(getMethod('langevin').params, {}).bool('mala')).toBe(false);
    const sink = readParams(getMethod('sinkhorn-flow').params, { iterations: 4.6 });
    expect(sink.int('iterations')).toBe(5);
    expect(sink.optNum('reach')).toBeUndefined(); // 'none'
    expect(sink.bool('debias')).toBe(true);
  });
  it('refuses unknown names (a programming error) and values of the wrong kind (ParamError naming it)', () => {
    const specs = getMethod('gwg').params;
    expect(() => readParams(specs, {}).num('nope')).toThrow(/no parameter 'nope'/);
    expect(() => readParams(specs, { adaptive: 'yes' }).bool('adaptive')).toThrow(ParamError);
    expect(() => readParams(specs, { move: 'sideways' }).oneOf('move', ['gradHStar', 'f'] as const)).toThrow(/move: expected one of gradHStar\|f/);
    expect(() => readParams(specs, {}).vec('p')).toThrow(ParamError);
  });
});

describe('counts are whole numbers (issue 21 item 4)', () => {
  it('a fractional count is refused by name in the URL/CLI parser and in a typed value, never rounded', () => {
    const spec = getMethod('sinkhorn-flow').params.find((s) => s.name === 'iterations');
    expect(spec).toBeDefined();
    if (!spec) return;
    expect(isCount(spec)).toBe(true);
    expect(() => parseParam(spec, '2.5')).toThrow(/iterations: expected a whole number, got 2.5/);
    expect(() => checkParam(spec, 2.5)).toThrow(ParamError);
    expect(parseParam(spec, '20')).toBe(20);
    // a continuous parameter is not a count
    const h = getMethod('svgd').params.find((s) => s.name === 'bandwidth');
    expect(h && isCount(h)).toBe(false);
  });
});
