/** The plots' log-axis ticks (Plots.tsx logTicks) and the status bar's host note (MethodDef.hostNote). */
import { describe, expect, it } from 'vitest';
import { getMethod } from '../methods/registry';
import { legendRows, logTicks, ticksFitting } from './Plots';

describe('logTicks', () => {
  it('F from 0.25 to 1e-16 (16.6 decades): a label every 3rd power of ten (1e-3 .. 1e-15: 5 labels), minor ticks at every decade', () => {
    expect(logTicks([0.25, 1e-3, 1e-16])).toEqual({ dtick: 3, tick0: 0, exponentformat: 'power', showexponent: 'all', minor: { dtick: 1, ticklen: 3, showgrid: false } });
  });
  it('at most maxTicks labels for any span; every decade labelled when few', () => {
    for (let d = 1; d <= 40; d++) {
      const t = logTicks([1, 10 ** -d]);
      const step = Number(t.dtick);
      // labelled exponents: multiples of step in [-d, 0]
      expect(Math.floor(0 / step) - Math.ceil(-d / step) + 1).toBeLessThanOrEqual(5);
    }
    expect(logTicks([1, 1e-3]).dtick).toBe(1);
    expect(logTicks([1, 1e-3]).minor).toEqual({ dtick: 'D2', ticklen: 3, showgrid: false });
    expect(logTicks([1, 1e-4]).minor).toBeUndefined();
    expect(logTicks([1, 1e-5]).dtick).toBe(2);
  });
  it('under a decade: plotly picks, at most 4; no positive values: nothing', () => {
    expect(logTicks([0.3, 0.5])).toEqual({ exponentformat: 'power', nticks: 4 });
    expect(logTicks([0, -1, NaN])).toEqual({});
  });
});

describe('fewer log labels when a wrapped legend leaves less height', () => {
  it('three runs in a 220 px pane wrap to 3 legend rows, in 600 px to 1; a 64 px plot area takes 2 labels, 122 px 5', () => {
    const names = ['Wasserstein Newton', 'Wasserstein GD', 'Saddle-free Newton (WSFN)'];
    expect(legendRows(names, 220 - 60)).toBe(3);
    expect(legendRows(names, 600)).toBe(1);
    expect(ticksFitting(64)).toBe(2);
    expect(ticksFitting(122)).toBe(5);
    expect(ticksFitting(10)).toBe(2);
    // 2 labels over 25 decades: 1e-10 and 1e-20, minor ticks every 2 decades
    expect(logTicks([0.25, 1e-25], 2)).toMatchObject({ dtick: 10, minor: { dtick: 2 } });
  });
});

describe('MethodDef.hostNote', () => {
  it('jko always, w-newton / wsfn with solver=dense, wgd and density methods never', () => {
    expect(getMethod('jko').hostNote?.({})).toBe('inner solve on the host (float64 twin)');
    expect(getMethod('w-newton').hostNote?.({})).toBeUndefined();
    expect(getMethod('w-newton').hostNote?.({ solver: 'dense' })).toMatch(/^solver=dense: .* on the host \(float64 twin\)$/);
    expect(getMethod('wsfn').hostNote?.({ solver: 'dense' })).toMatch(/on the host/);
    expect(getMethod('wgd').hostNote?.({})).toBeUndefined();
    expect(getMethod('svgd').hostNote).toBeUndefined();
  });
});
