/**
 * Plain unit tests for the bugs the fuzz tests found (each with its shrunk counterexample, see
 * config.fuzz.test.ts and url.fuzz.test.ts; the io ones are in src/io/io.test.ts): what used to
 * happen is in each test's name, what happens now is asserted.
 */
import { describe, expect, it } from 'vitest';
import { CPU_MAX_PARTICLES, createCpuBackend } from '../engine/backend';
import { resolveRun } from '../engine/config';
import { ConfigError, type RunConfig } from '../engine/types';
import { getMethod } from '../methods/registry';
import type { ParamSpec } from '../core/params';
import { decodeHash, DEFAULT_CONFIG, encodeHash, type SpecLookup } from '../state/urlState';
import { getTarget } from '../targets/registry';

const base: RunConfig = { ...DEFAULT_CONFIG, n: 16 };

/** The ConfigError resolveRun throws for `config` (fails when it throws something else or nothing). */
function refusal(config: unknown): ConfigError {
  try {
    resolveRun(config as RunConfig, CPU_MAX_PARTICLES);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('resolveRun accepted the config');
}

function components(c: unknown[]): RunConfig['target'] {
  return { id: 'mixture', params: { components: JSON.stringify(c) } };
}

describe('run configs the fuzz broke', () => {
  it("params null: was TypeError 'Cannot convert undefined or null to object', now refused by field", () => {
    expect(refusal({ ...base, params: null }).field).toBe('params');
    expect(refusal({ ...base, target: null }).field).toBe('target');
    expect(refusal({ ...base, target: { id: 'gaussian', params: null } }).field).toBe('target.params');
    expect(refusal({ ...base, init: { kind: 'uniform' } }).field).toBe('init');
    expect(refusal({ ...base, init: { kind: 'positions' } }).field).toBe('init');
    // Values JSON cannot print (a BigInt, a cycle) are still refused with a message, not a TypeError.
    const cyclic: Record<string, unknown> = { id: 'gaussian' };
    cyclic.params = cyclic;
    expect(refusal({ ...base, params: 10n }).field).toBe('params');
    expect(refusal({ ...base, target: { ...cyclic, params: [cyclic] } }).field).toBe('target.params');
  });

  it('init mean [1]: was accepted with NaN initial positions, now refused', () => {
    const e = refusal({ ...base, init: { kind: 'gaussian', mean: [1], std: 1 } });
    expect(e.field).toBe('init');
    expect(e.message).toMatch(/mean \[x, y\]/);
  });

  it('init std 1e308: was accepted with infinite initial positions, now refused', () => {
    const e = refusal({ ...base, init: { kind: 'gaussian', mean: [0, 0], std: 1e308 } });
    expect(e.field).toBe('init');
    expect(e.message).toMatch(/overflows/);
    // The largest std that cannot overflow here still resolves, with finite positions.
    const ok = resolveRun({ ...base, init: { kind: 'gaussian', mean: [0, 0], std: 1e300 } }, CPU_MAX_PARTICLES);
    expect(ok.initial.every(Number.isFinite)).toBe(true);
  });

  it("component std 1e-200: was refused as 'target' with 'covariance [0, 0, 0] is not positive definite', now names components[0].std", () => {
    const e = refusal({ ...base, target: components([{ mean: [0, 0], std: 1e-200, weight: 1 }]) });
    expect(e.field).toBe('target.components');
    expect(e.message).toMatch(/components\[0\]\.std/);
  });

  it('component std 1e200: was accepted with a NaN precision (Inf / Inf), now refused', () => {
    const e = refusal({ ...base, target: components([{ mean: [0, 0], std: 1e200 }]) });
    expect(e.field).toBe('target.components');
    expect(e.message).toMatch(/components\[0\]\.std/);
  });

  it('cov [1e-160, 0, 1e-160]: was accepted with a precision of 1e160 (Infinity as the f32 the GPU reads), now refused', () => {
    expect(refusal({ ...base, target: { id: 'gaussian', params: { cov: [1e-160, 0, 1e-160] } } }).field).toBe('target.cov');
    expect(refusal({ ...base, target: components([{ mean: [0, 0], cov: [1e-160, 0, 1e-160] }]) }).field).toBe('target.components');
    // Small but representable: accepted, with a finite f32 precision.
    const t = resolveRun({ ...base, target: { id: 'gaussian', params: { cov: [1e-30, 0, 1e-30] } } }, CPU_MAX_PARTICLES).target;
    expect(Array.from(t.packed.data, Math.fround).every(Number.isFinite)).toBe(true);
  });

  it('sinkhorn-flow blur 0.001, scaling 0.99 on banana: was SinkhornOptionError from createCpu, now refused as params.scaling', () => {
    const config: RunConfig = { ...base, method: 'sinkhorn-flow', params: { blur: 0.001, scaling: 0.99 }, target: { id: 'banana', params: { a: 2.8967250411458694 } }, n: 1, stepSize: 0.5, seed: 2377981433, targetSamples: 31 };
    const e = refusal(config);
    expect(e.field).toBe('params.scaling');
    expect(e.message).toMatch(/annealing schedule .* has 1025 steps \(max 1024\)/);
    expect(() => createCpuBackend().createSimulation(config)).toThrow(ConfigError);
    // One notch less extreme fits and runs.
    expect(() => resolveRun({ ...config, params: { blur: 0.001, scaling: 0.98 } }, CPU_MAX_PARTICLES)).not.toThrow();
  });

  it('the CPU limit: 2^20 particles resolve, 2^20 + 1 are refused by n', () => {
    expect(resolveRun({ ...base, n: 2 ** 20 }, CPU_MAX_PARTICLES).initial.length).toBe(2 ** 21);
    expect(refusal({ ...base, n: 2 ** 20 + 1 }).field).toBe('n');
  });
});

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
};

describe('URL hashes the fuzz broke', () => {
  const torus: RunConfig = { ...base, params: { kernel: 'riesz' }, target: { id: 'torus-mixture', params: {} }, stepSize: 5e-4, domain: 'torus' };

  it("'target=cloud2' over a file cloud: was target 'cloud' without its points (refused), now the cloud stays", () => {
    const cloud: RunConfig = { ...base, method: 'mmd-flow', target: { id: 'cloud', params: {}, cloud: Float64Array.from([0, 0, 1, 1, -1, 2]) }, n: 32 };
    const d = decodeHash('target=cloud2', specs, cloud);
    expect(d.errors).toEqual(["target: unknown target 'cloud2'"]);
    expect(d.config.target.cloud).toBe(cloud.target.cloud);
    expect(() => resolveRun(d.config, CPU_MAX_PARTICLES)).not.toThrow();
  });

  it('a plane link opened over a torus run: was decoded as domain torus (refused), now the plane', () => {
    const plane: RunConfig = { ...base, target: { id: 'gaussian', params: {} } };
    const d = decodeHash(encodeHash(plane, specs), specs, torus);
    expect(d.errors).toEqual([]);
    expect(d.config.domain ?? 'plane').toBe('plane');
    expect(() => resolveRun(d.config, CPU_MAX_PARTICLES)).not.toThrow();
  });

  it("'m.kernel=rbf' over kernel riesz: encoding dropped the default and decoding brought riesz back; a complete hash now means defaults", () => {
    const d = decodeHash(encodeHash({ ...torus, params: { kernel: 'rbf' }, domain: 'plane', target: { id: 'gaussian', params: {} } }, specs), specs, torus);
    expect(d.config.params).toEqual({});
    expect(d.config.domain ?? 'plane').toBe('plane');
    // A partial hash (typed by hand) still changes only what it names.
    const p = decodeHash('n=100', specs, torus);
    expect(p.config).toEqual({ ...torus, n: 100 });
  });
});
