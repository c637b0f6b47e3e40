/**
 * The Sinkhorn flow's warm re-annealing depth (src/ot/sinkhornFlow.ts autoAnnealLevels): by default
 * ('auto') it follows the geometry, the schedule level whose scale sqrt(eps) matches
 * AUTO_ANNEAL_FRACTION * tau * diameter, at least AUTO_ANNEAL_MIN levels; a number is the user's
 * explicit depth (the `anneal` parameter: URL m.anneal, CLI --param anneal). Worked example
 * (diameter 100, blur 0.1, scaling 0.7): the schedule's scales are 100, 100, 70, 49, ..., 100 * 0.7^20,
 * 0.1 (L = 22); at tau = 0.2 the target scale is 0.25 * 0.2 * 100 = 5, the last level at or above it
 * is index 9 (100 * 0.7^8 = 5.76; index 10: 4.04), so J = 21 - 9 = 12.
 */
import { describe, expect, it } from 'vitest';
import { sinkhornFlow, sinkhornFlowPasses, sinkhornFlowPlan } from '../methods/sinkhornFlow';
import { resolveParams, parseParam, ParamError } from '../core/params';
import { targetCloud } from '../engine/config';
import { createTarget } from '../targets/registry';
import { epsilonSchedule } from './sinkhorn';
import { AUTO_ANNEAL_FRACTION, AUTO_ANNEAL_MIN, autoAnnealLevels, flowSolvePlan } from './sinkhornFlow';

const base = { blur: 0.1, scaling: 0.7, iterations: 1, warm: true, debias: true };

describe('warm re-annealing depth', () => {
  it('auto: the level matching a quarter of tau * diameter (worked example), at least 5, at most L - 1', () => {
    expect([AUTO_ANNEAL_FRACTION, AUTO_ANNEAL_MIN]).toEqual([0.25, 5]);
    const s = epsilonSchedule(100, 0.1, 0.7);
    expect(s).toHaveLength(22);
    expect(autoAnnealLevels(s, 100, 0.2)).toBe(12);
    expect(Math.sqrt(s[21 - 12] ?? NaN)).toBeGreaterThanOrEqual(5);
    expect(Math.sqrt(s[21 - 12 + 1] ?? NaN)).toBeLessThan(5);
    // a small step: the floor of 5 levels; a step as large as the cloud: the whole schedule
    expect(autoAnnealLevels(s, 100, 0.01)).toBe(5);
    expect(autoAnnealLevels(s, 100, 10)).toBe(21);
    // deeper for larger steps
    const js = [0.05, 0.1, 0.2, 0.5, 1].map((tau) => autoAnnealLevels(s, 100, tau));
    for (let i = 1; i < js.length; i++) expect(js[i] ?? NaN).toBeGreaterThanOrEqual(js[i - 1] ?? NaN);
  });

  it("flowSolvePlan: 'auto' reads tau (a clear error without it), a number is used as given", () => {
    const auto = flowSolvePlan(100, { ...base, anneal: 'auto', tau: 0.2 });
    expect([auto.levels, auto.offset, auto.period]).toEqual([12, 21 - 12, 13]);
    const fixed = flowSolvePlan(100, { ...base, anneal: 5, tau: 0.2 });
    expect([fixed.levels, fixed.offset, fixed.period]).toEqual([5, 16, 6]);
    expect(flowSolvePlan(100, { ...base, anneal: 7 }).levels).toBe(7);
    expect(() => flowSolvePlan(100, { ...base, anneal: 'auto' })).toThrow(/anneal 'auto' needs a positive step size tau/);
    // warm off: the whole schedule, whatever anneal says
    expect(flowSolvePlan(100, { ...base, warm: false, anneal: 'auto', tau: 0.2 }).levels).toBe(22);
  });

  it("the method's anneal parameter: 'auto' by default, a number overrides it (URL / CLI strings parse), bad words refused by name", () => {
    const spec = sinkhornFlow.params.find((p) => p.name === 'anneal');
    if (!spec) throw new Error('sinkhorn-flow has no anneal parameter');
    expect(spec.default).toBe('auto');
    expect(parseParam(spec, 'auto')).toBe('auto');
    expect(parseParam(spec, '7')).toBe(7);
    expect(() => parseParam(spec, 'deep')).toThrow(ParamError);
    expect(() => parseParam(spec, 'deep')).toThrow(/anneal: expected a number or auto/);
    const cloud = targetCloud(createTarget('funnel'), 3, 128);
    if (!cloud) throw new Error('funnel: no cloud');
    const run = (params: Record<string, number | string | boolean>, stepSize = 0.2) => ({ n: 128, stepSize, seed: 3, params: resolveParams(sinkhornFlow.params, params), cloud, domain: 'plane' as const });
    // the funnel's cloud (diameter ~47 at M = 128): deeper than the old fixed 5 levels
    const auto = sinkhornFlowPlan(run({}));
    expect(auto.levels).toBeGreaterThan(5);
    expect(sinkhornFlowPlan(run({ anneal: 5 })).levels).toBe(5);
    expect(sinkhornFlowPasses(run({ anneal: 5 })).later).toBe(4 * (5 + 1) + 2);
    expect(sinkhornFlowPasses(run({})).later).toBe(4 * (auto.levels + 1) + 2);
    // the fixed `tau` parameter, not the run's step size, sets the depth when given
    expect(sinkhornFlowPlan(run({ tau: 0.2 }, 0.01)).levels).toBe(auto.levels);
  });
});
