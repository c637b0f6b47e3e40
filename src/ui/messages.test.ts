import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../engine/backend';
import { Engine } from '../engine/Engine';
import type { RunConfig } from '../engine/types';
import { getMethod } from '../methods/registry';
import { parseParam } from '../core/params';
import { createTarget } from '../targets/registry';
import { eventText, messageText, paramErrorText, problemText } from './messages';

const config: RunConfig = {
  method: 'langevin',
  params: {},
  target: { id: 'gaussian', params: {} },
  n: 64,
  stepSize: 0.05,
  seed: 1,
  init: { kind: 'gaussian', mean: [0, 0], std: 1 },
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('UI wording of engine events', () => {
  it('names the control, counts components from 1, never repeats a label', () => {
    expect(problemText({ field: 'n', reason: 'particle count must be a positive integer, got -5', method: 'svgd' })).toBe('Particles: particle count must be a positive integer, got -5');
    expect(problemText({ field: 'params.bandwidth', reason: "svgd: bandwidth: expected a number or median, got 'x'", method: 'svgd' })).toBe("Bandwidth: expected a number or median, got 'x'");
    expect(problemText({ field: 'target.components', reason: 'target mixture: components[1].weight: expected a finite positive number, got 0', method: 'svgd' })).toBe(
      'Component 2 weight: expected a finite positive number, got 0',
    );
    expect(problemText({ field: 'target.components', reason: 'target mixture: components: invalid JSON (x)', method: 'svgd' })).toBe('Target components: invalid JSON (x)');
  });

  it('a control error (ParamError) is labelled once', () => {
    const spec = getMethod('svgd').params.find((p) => p.name === 'bandwidth');
    if (!spec) throw new Error('svgd has a bandwidth');
    const e = thrown(() => parseParam(spec, 'abc'));
    const text = paramErrorText('Bandwidth', e);
    expect(text).toMatch(/^Bandwidth: expected a number/);
    expect(text).not.toMatch(/Bandwidth: bandwidth/i);
  });

  it('a refused mixture weight from the real validator reads "Component 2 weight: ..."', () => {
    const e = thrown(() => createTarget('mixture', { components: '[{"mean":[0,0],"std":1,"weight":1},{"mean":[1,0],"std":1,"weight":0}]' }));
    const msg = e instanceof Error ? e.message : '';
    expect(problemText({ field: 'target.components', reason: `target mixture: ${msg}`, method: 'svgd' })).toMatch(/^Component 2 weight: expected a finite positive number/);
  });

  it('divergence, blocked Play and restarts say what to press', () => {
    expect(eventText({ type: 'diverged', run: 'main', cause: 'nan', step: 12, limit: 1e8 })).toBe('Paused: the particles diverged (NaN at step 12) — lower the step size (a new run starts) or press Reset');
    expect(eventText({ type: 'blocked-after-divergence', step: 12 })).toMatch(/Press Reset or lower the step size/);
    expect(eventText({ type: 'restarted', after: 'divergence', changed: ['stepSize'] })).toBe('The particles had diverged: a new run started with the new step size');
  });

  it('the engine\'s messages, worded: rejected config keeps the run, identical compare refused', async () => {
    const engine = new Engine({ config, backend: 'cpu', createBackend: () => Promise.resolve(createCpuBackend()), requestFrame: () => 1, cancelFrame: () => undefined });
    await engine.start();
    expect(engine.configure({ n: 10_000_000_000 })).toBe(false);
    const m1 = engine.getSnapshot().message;
    expect(m1 && messageText(m1)).toMatch(/^Particles: .*previous run keeps going$/);
    expect(engine.configure({ stepSize: -1 })).toBe(false);
    const m2 = engine.getSnapshot().message;
    expect(m2 && messageText(m2)).toMatch(/^Step size: step size must be a positive finite number/);
    expect(engine.setCompare('langevin')).toBe(false);
    const m3 = engine.getSnapshot().message;
    expect(m3 && messageText(m3)).toMatch(/^Compare with Langevin.*: the same method with the same parameters/);
    engine.say('info', 'plain');
    const m4 = engine.getSnapshot().message;
    expect(m4 && messageText(m4)).toBe('plain');
    engine.dispose();
  });
});
