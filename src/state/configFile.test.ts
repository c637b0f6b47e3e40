/**
 * Import config (issue 22 item 9, src/state/configFile.ts): what Export config writes runs again
 * (round trip on a CPU engine: export, change everything, import, the same config), through the link
 * reader's rules; bad files are refused by key, and nothing is made up for what a config cannot hold.
 */
import { describe, expect, it } from 'vitest';
import { runStepSize } from '../engine/defaults';
import { manualEngine } from '../engine/manualEngine';
import type { Engine } from '../engine/Engine';
import type { ParamSpec } from '../core/params';
import { getMethod } from '../methods/registry';
import { getTarget } from '../targets/registry';
import { applyConfigFile, ConfigFileError, importMessage, readConfigFile } from './configFile';
import { DEFAULT_CONFIG, type SpecLookup } from './urlState';

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** The page's look-ups (src/ui/specs.ts). */
const specs: SpecLookup = {
  methodParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getMethod(id).params),
  targetParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getTarget(id).params),
  stepSize: (run) => runStepSize(run),
};

/** What the Export config button downloads (src/ui/ExportPanel.tsx). */
function exported(engine: Engine): string {
  return JSON.stringify({ ...engine.configJson(), recordEvery: engine.getSnapshot().recordEvery }, null, 2);
}

/** The exported config without what a run's progress changes (the step it was saved at); no domain is the plane (RunConfig.domain). */
function comparable(text: string): unknown {
  const { step: _step, ...rest } = JSON.parse(text) as { step: number; domain?: string };
  return { ...rest, domain: rest.domain ?? 'plane' };
}

describe('Import config', () => {
  it('round trip: export, change method, target, parameters, n, seed, step size, split view and recording; import: the same config', async () => {
    const { engine, frame } = await manualEngine({ ...DEFAULT_CONFIG, method: 'langevin', target: { id: 'gaussian', params: {} }, n: 32 });
    try {
      expect(engine.configure({ method: 'svgd', params: { bandwidth: 0.4 }, target: { id: 'banana', params: { b: 0.3 } }, n: 48, seed: 5, stepSize: 0.02 })).toBe(true);
      expect(engine.setCompare('mmd-flow', { bandwidth: 0.7 })).toBe(true);
      engine.setRecordEvery(3);
      await frame();
      const file = exported(engine);
      expect(JSON.parse(file)).toMatchObject({ method: 'svgd', params: { bandwidth: 0.4 }, target: { id: 'banana', params: { b: 0.3 } }, n: 48, seed: 5, stepSize: 0.02, compare: 'mmd-flow', compareParams: { bandwidth: 0.7 }, recordEvery: 3 });

      // everything changed
      engine.setCompare(undefined);
      expect(engine.configure({ method: 'langevin', params: { mala: true }, target: { id: 'gaussian', params: { mean: [1, -1] } }, n: 20, seed: 9, stepSize: 0.1 })).toBe(true);
      engine.setRecordEvery(0);
      await frame();
      expect(comparable(exported(engine))).not.toEqual(comparable(file));

      const r = readConfigFile(file, specs, engine.getSnapshot().config);
      expect(r.link.errors).toEqual([]);
      expect(r.errors).toEqual([]);
      applyConfigFile(engine, r);
      await frame();
      expect(comparable(exported(engine))).toEqual(comparable(file));
      expect(importMessage('a.json', r)).toEqual({ kind: 'info', text: 'Imported config a.json' });
      // the run steps again from the imported config
      for (let i = 0; i < 3; i++) await frame();
      expect(engine.getSnapshot().step).toBeGreaterThan(0);
    } finally {
      engine.dispose();
    }
  });

  it('a file without a second run turns it off; an older export without recordEvery leaves the recording', async () => {
    const { engine, frame } = await manualEngine({ ...DEFAULT_CONFIG, method: 'svgd', target: { id: 'banana', params: {} }, n: 32 });
    try {
      const file = exported(engine);
      engine.setCompare('mmd-flow');
      engine.setRecordEvery(4);
      await frame();
      const older = JSON.stringify({ ...(JSON.parse(file) as object), recordEvery: undefined });
      applyConfigFile(engine, readConfigFile(older, specs, engine.getSnapshot().config));
      await frame();
      expect(engine.getSnapshot().compare).toBeUndefined();
      expect(engine.getSnapshot().recordEvery).toBe(4);
    } finally {
      engine.dispose();
    }
  });

  it('refuses files that are not a config, naming what is wrong', () => {
    const read = (text: string): unknown => readConfigFile(text, specs, DEFAULT_CONFIG);
    expect(() => read('{"method": ')).toThrow(ConfigFileError);
    expect(() => read('{"method": ')).toThrow(/^not JSON/);
    expect(() => read('[1, 2]')).toThrow(/expected a JSON object with "method" and "target"/);
    expect(() => read('{"target": {"id": "banana"}}')).toThrow(/^method: expected a method id, got nothing/);
    expect(() => read('{"method": "svgd", "target": "banana"}')).toThrow(/^target: expected \{ "id": \.\.\., "params": \{\.\.\.\} \}, got "banana"/);
    expect(() => read('{"method": "svgd", "target": {"id": "banana"}, "n": "many"}')).toThrow(/^n: expected a number, got "many"/);
    expect(() => read('{"method": "svgd", "target": {"id": "banana"}, "params": {"bandwidth": {"x": 1}}}')).toThrow(/^params\.bandwidth: expected a number, true\/false, a string or a list of numbers/);
    expect(() => read('{"method": "svgd", "target": {"id": "banana"}, "domain": "sphere"}')).toThrow(/^domain: expected "plane" or "torus", got "sphere"/);
    expect(() => read('{"method": "svgd", "target": {"id": "banana"}, "recordEvery": -1}')).toThrow(/^recordEvery: expected a whole number >= 0, got -1/);
    expect(() => read('{"method": "svgd", "target": {"id": "banana"}, "backend": {"kind": "tpu"}}')).toThrow(/^backend: expected "gpu" or "cpu", got "tpu"/);
  });

  it('values out of range and unknown ids are said by the file key, and those keys stay as they were', () => {
    const base = { ...DEFAULT_CONFIG, n: 100 };
    const r = readConfigFile('{"method": "svgd", "target": {"id": "banana", "params": {"zzz": 1}}, "n": -3, "stepSize": 0, "params": {"bandwidth": "wide"}, "compare": "nope", "compareParams": {}}', specs, base);
    expect(r.link.config.n).toBe(100);
    const msg = importMessage('bad.json', r);
    expect(msg.kind).toBe('error');
    expect(msg.text).toMatch(/^Imported config bad\.json: /);
    expect(msg.text).toMatch(/n: expected a positive integer, got '-3'/);
    expect(msg.text).toMatch(/stepSize: expected a positive number, got '0'/);
    expect(msg.text).toMatch(/target\.params\.zzz: unknown parameter/);
    expect(msg.text).toMatch(/bandwidth: expected a number or median, got 'wide'/);
    expect(msg.text).toMatch(/compare: unknown method 'nope'/);
    expect(msg.text).toMatch(/\(left as they were\)/);
  });

  /** The compared runs the engine shows (the primary left out): method, own parameters, own step size. */
  function comparedRuns(engine: Engine): unknown[] {
    return engine.getSnapshot().runs.slice(1).map((r) => ({ method: r.method, params: r.params, stepSize: r.ownStepSize }));
  }

  it('a 4-run config (the primary and 3 compared runs, each with its parameters and own step size) imports to the same runs', async () => {
    const { engine, frame } = await manualEngine({ ...DEFAULT_CONFIG, method: 'svgd', params: { bandwidth: 0.4 }, target: { id: 'banana', params: {} }, n: 24 });
    try {
      const runs = [
        { method: 'mmd-flow', params: { kernel: 'imq', bandwidth: 0.7 } },
        { method: 'langevin', params: { mala: true }, stepSize: 0.05 },
        { method: 'svgd', params: { kernel: 'imq', bandwidth: 0.5 }, stepSize: 0.01 },
      ];
      expect(engine.setRuns(runs)).toBe(true);
      await frame();
      const file = exported(engine);
      expect((JSON.parse(file) as { runs: unknown }).runs).toEqual(runs);
      const want = runs.map((r) => ({ stepSize: undefined, ...r }));
      expect(comparedRuns(engine)).toEqual(want);

      // the compared runs changed and the primary too
      expect(engine.setRuns([{ method: 'langevin', params: {}, stepSize: 0.2 }])).toBe(true);
      expect(engine.configure({ method: 'mmd-flow', params: {}, n: 16 })).toBe(true);
      await frame();
      expect(comparedRuns(engine)).not.toEqual(want);

      const r = readConfigFile(file, specs, engine.getSnapshot().config);
      expect(r.link.errors).toEqual([]);
      expect(r.errors).toEqual([]);
      applyConfigFile(engine, r);
      await frame();
      expect(comparedRuns(engine)).toEqual(want);
      expect(comparable(exported(engine))).toEqual(comparable(file));
      expect(importMessage('four.json', r)).toEqual({ kind: 'info', text: 'Imported config four.json' });
    } finally {
      engine.dispose();
    }
  });

  it('an older file with only compare / compare2 (no runs) still imports both compared runs with their parameters', async () => {
    const { engine, frame } = await manualEngine({ ...DEFAULT_CONFIG, method: 'langevin', target: { id: 'gaussian', params: {} }, n: 16 });
    try {
      const older = JSON.stringify({
        method: 'svgd',
        params: { bandwidth: 0.4 },
        target: { id: 'banana', params: {} },
        n: 24,
        seed: 3,
        stepSize: 0.02,
        compare: 'mmd-flow',
        compareParams: { bandwidth: 0.7 },
        compare2: 'langevin',
        compare2Params: { mala: true },
      });
      const r = readConfigFile(older, specs, engine.getSnapshot().config);
      expect(r.link.errors).toEqual([]);
      expect(r.errors).toEqual([]);
      expect(r.compareParams).toEqual({ bandwidth: 0.7 });
      expect(r.compare2Params).toEqual({ mala: true });
      applyConfigFile(engine, r);
      await frame();
      expect(engine.getSnapshot().config).toMatchObject({ method: 'svgd', params: { bandwidth: 0.4 }, target: { id: 'banana' }, n: 24, seed: 3, stepSize: 0.02 });
      // no step size of their own: they follow the primary's
      expect(comparedRuns(engine)).toEqual([
        { method: 'mmd-flow', params: { bandwidth: 0.7 }, stepSize: undefined },
        { method: 'langevin', params: { mala: true }, stepSize: undefined },
      ]);
      // and a bad value there is named by its older key
      const bad = readConfigFile(JSON.stringify({ ...(JSON.parse(older) as object), compare2: 'nope', compareParams: { bandwidth: 'wide' } }), specs, DEFAULT_CONFIG);
      const msg = importMessage('old.json', bad).text;
      expect(msg).toMatch(/compareParams\.bandwidth: expected a number, got 'wide'/);
      expect(msg).toMatch(/compare2: unknown method 'nope'/);
    } finally {
      engine.dispose();
    }
  });

  it('a bad runs entry is named by its file key (runs[i]...); good runs and values are kept, bad values take their defaults', () => {
    const r = readConfigFile(
      JSON.stringify({
        method: 'svgd',
        target: { id: 'banana', params: {} },
        runs: [
          { method: 'mmd-flow', params: { kernel: 'zzz', bandwidth: 0.7 } },
          { method: 'nope', params: {} },
          { method: 'svgd', params: { bandwidth: 'wide', kernel: 'imq', zzz: 1 }, stepSize: 0 },
          { method: 'langevin', params: {} },
        ],
      }),
      specs,
      DEFAULT_CONFIG,
    );
    const msg = importMessage('runs.json', r);
    expect(msg.kind).toBe('error');
    expect(msg.text).toMatch(/runs\[0\]\.params\.kernel: expected one of gaussian\|imq\|energy, got 'zzz'/);
    expect(msg.text).toMatch(/runs\[1\]\.method: unknown method 'nope'/);
    expect(msg.text).toMatch(/runs\[2\]\.params\.bandwidth: expected a number or median, got 'wide'/);
    expect(msg.text).toMatch(/runs\[2\]\.params\.zzz: unknown parameter of svgd/);
    expect(msg.text).toMatch(/runs\[2\]\.stepSize: expected a positive number, got '0'/);
    expect(msg.text).toMatch(/runs: at most 3 compared runs, got 4/);
    expect(msg.text).not.toMatch(/cmp/);
    // what was right is read: run 1 with its good parameter, run 3 with its good one and no own step size
    expect(r.link.runs).toEqual([{ method: 'mmd-flow', params: { bandwidth: 0.7 } }, undefined, { method: 'svgd', params: { kernel: 'imq' } }]);
    const read = (runs: unknown): unknown => readConfigFile(JSON.stringify({ method: 'svgd', target: { id: 'banana' }, runs }), specs, DEFAULT_CONFIG);
    expect(() => read('mmd-flow')).toThrow(/^runs: expected a list of/);
    expect(() => read([7])).toThrow(/^runs\[0\]: expected \{ "method"/);
    expect(() => read([{ method: 'mmd-flow' }, { params: {} }])).toThrow(/^runs\[1\]\.method: expected a method id, got nothing/);
    expect(() => read([{ method: 'mmd-flow', params: [1] }])).toThrow(/^runs\[0\]\.params: expected an object of parameters/);
  });

  it('what a config cannot hold (a cloud of points, initial positions) is said, not made up', () => {
    const r = readConfigFile(
      JSON.stringify({ method: 'mmd-flow', target: { id: 'moons', params: {}, cloud: { points: 300 } }, n: 64, init: { kind: 'positions' } }),
      specs,
      DEFAULT_CONFIG,
    );
    expect(r.notes.join(' | ')).toMatch(/cloud of points .* load the points again/);
    expect(r.notes.join(' | ')).toMatch(/positions loaded from a file/);
    expect(importMessage('c.json', r).kind).toBe('info');
  });
});
