/** Which method parameters the UI shows for the current values (ParamSpec.shownWhen). */
import { describe, expect, it } from 'vitest';
import { getMethod } from './methods/registry';
import { paramShown, type Params } from './params';

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
