/** Validation shared by both backends: a RunConfig becomes a resolved, checked run (or a ConfigError naming the field). */
import { targetParams } from './defaults';
import { ParamError, resolveParams, type Params } from '../core/params';
import { getMethod } from '../methods/registry';
import type { MethodDef } from '../methods/types';
import { Rng, Stream } from '../reference/philox';
import { createTarget } from '../targets/registry';
import type { TargetInstance } from '../targets/types';
import type { PackedLandscape } from '../reference/landscapes';
import { compatibility, factsOf, methodNeeds } from './compat';
import { ConfigError, type InitSpec, type RunConfig, type TargetConfig } from './types';

export interface ResolvedRun {
  method: MethodDef;
  methodParams: Params;
  target: TargetInstance;
  initial: Float64Array;
  /** Sample-based methods: the target cloud y (interleaved). */
  cloud?: Float64Array;
  domain: 'plane' | 'torus';
  /** Landscape methods: the energy (the target's TargetInstance.landscape). */
  landscape?: PackedLandscape;
}

/** A short text for a bad value in a message (JSON.stringify throws on a BigInt or a cycle). */
function show(v: unknown): string {
  try {
    return (JSON.stringify(v) ?? String(v)).slice(0, 80);
  } catch {
    return typeof v;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/**
 * The shape checks TypeScript cannot make for plain JavaScript callers and JSON configs (a null
 * params or target, an init without its kind): refused by field instead of a TypeError later.
 */
function checkShape(config: RunConfig): void {
  const c: unknown = config;
  if (!isRecord(c)) throw new ConfigError('config', `a run config must be an object, got ${show(c)}`);
  if (c.params !== undefined && !isRecord(c.params)) {
    throw new ConfigError('params', `method params must be an object {name: value}, got ${show(c.params)}`);
  }
  checkTargetShape(c.target);
  const init = c.init;
  if (!isRecord(init) || (init.kind !== 'gaussian' && init.kind !== 'positions')) {
    throw new ConfigError('init', "the initial state must be {kind: 'gaussian', mean: [x, y], std} or {kind: 'positions', data}");
  }
  if (init.kind === 'positions' && !ArrayBuffer.isView(init.data) && !Array.isArray(init.data)) {
    throw new ConfigError('init', 'initial positions need their data (interleaved x, y numbers)');
  }
  if (init.kind === 'gaussian' && (!Array.isArray(init.mean) || init.mean.length !== 2 || typeof init.std !== 'number')) {
    throw new ConfigError('init', 'initial Gaussian needs a mean [x, y] and a number std');
  }
}

function checkTargetShape(t: unknown): void {
  if (!isRecord(t) || typeof t.id !== 'string') throw new ConfigError('target', `the target must be {id, params}, got ${show(t)}`);
  if (t.params !== undefined && !isRecord(t.params)) {
    throw new ConfigError('target.params', `target params must be an object {name: value}, got ${show(t.params)}`);
  }
}

export function resolveTarget(t: TargetConfig): TargetInstance {
  checkTargetShape(t);
  try {
    // a target built from points (TargetDef.data 'points', e.g. the file cloud) gets the run's points
    return createTarget(t.id, t.params, t.cloud);
  } catch (e) {
    if (e instanceof ParamError) throw new ConfigError(`target.${e.param}`, `target ${t.id}: ${e.message}`);
    throw new ConfigError('target', e instanceof Error ? e.message : String(e));
  }
}

export function checkStepSize(h: number): void {
  if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0) {
    throw new ConfigError('stepSize', `step size must be a positive finite number, got ${String(h)}`);
  }
}

export function resolveRun(config: RunConfig, maxParticles: number): ResolvedRun {
  checkShape(config);
  const { n } = config;
  if (!Number.isInteger(n) || n < 1) throw new ConfigError('n', `particle count must be a positive integer, got ${String(n)}`);
  if (n > maxParticles) {
    throw new ConfigError('n', `${n.toLocaleString('en-US')} particles exceed this backend's limit of ${maxParticles.toLocaleString('en-US')}`);
  }
  checkStepSize(config.stepSize);
  if (!Number.isInteger(config.seed) || config.seed < 0 || config.seed > 0xffffffff) {
    throw new ConfigError('seed', `seed must be an integer in [0, 2^32), got ${String(config.seed)}`);
  }
  let method: MethodDef;
  try {
    method = getMethod(config.method);
  } catch (e) {
    throw new ConfigError('method', e instanceof Error ? e.message : String(e));
  }
  let methodParams: Params;
  try {
    // a parameter the run leaves out takes the method's default on this target (src/engine/defaults.ts targetParams)
    methodParams = resolveParams(method.params, { ...targetParams(method.id, config.target.id), ...config.params });
  } catch (e) {
    if (e instanceof ParamError) throw new ConfigError(`params.${e.param}`, `${method.id}: ${e.message}`);
    throw e;
  }
  const target = resolveTarget(config.target);
  const domain = config.domain ?? 'plane';
  if (domain !== 'plane' && domain !== 'torus') throw new ConfigError('domain', `domain must be plane or torus, got ${String(domain)}`);
  // the one rule of what runs on what (./compat.ts): the method's domain first, its parameters, then the target
  const fit = compatibility({ method, target: factsOf(target), targetId: config.target.id, domain });
  if (!fit.ok && fit.problem.field === 'domain') throw new ConfigError('domain', fit.problem.message);
  const checkParams = (cloud?: Float64Array): void => {
    try {
      method.check?.(methodParams, domain, cloud, n);
    } catch (e) {
      if (e instanceof ParamError) throw new ConfigError(`params.${e.param}`, `${method.id}: ${e.message}`);
      throw e;
    }
  };
  checkParams();
  if (!fit.ok) throw new ConfigError(fit.problem.field, fit.problem.message);
  const needs = methodNeeds(method);
  let cloud: Float64Array | undefined;
  if (needs === 'samples') {
    const m = config.targetSamples ?? n;
    if (!Number.isInteger(m) || m < 1 || m > maxParticles) {
      throw new ConfigError('targetSamples', `target sample count must be an integer in [1, ${maxParticles}], got ${String(m)}`);
    }
    cloud = targetCloud(target, config.seed, m);
    if (!cloud) throw new ConfigError('target', `${method.id} needs samples of the target, and '${config.target.id}' has no exact sampler`);
    checkParams(cloud);
  }
  const initial = target.defaultInit && isStandardInit(config.init) ? target.defaultInit(n, config.seed) : initialPositions(config.init, n, config.seed);
  if (domain === 'torus') for (let i = 0; i < initial.length; i++) initial[i] = (initial[i] ?? 0) - Math.floor(initial[i] ?? 0);
  return { method, methodParams, target, initial, domain, ...(cloud ? { cloud } : {}), ...(target.landscape ? { landscape: target.landscape } : {}) };
}

/**
 * The standard initial state N(0, I) (the app's and the CLI's default). On a landscape target it
 * means the landscape's own default init (TargetInstance.defaultInit: the double well starts next
 * to its saddle, x1 ~ 0.01 N(0,1), x2 ~ N(0,1)); pass explicit positions for N(0, I) there.
 */
export function isStandardInit(init: InitSpec): boolean {
  return init.kind === 'gaussian' && init.mean[0] === 0 && init.mean[1] === 0 && init.std === 1;
}

/** The cloud a sample-based method flows toward: the target's fixed cloud, or m exact samples. */
export function targetCloud(target: TargetInstance, seed: number, m: number): Float64Array | undefined {
  if (target.cloud) return target.cloud;
  return target.sample?.(new Rng(seed, Stream.sampler), m);
}

export function initialPositions(init: InitSpec, n: number, seed: number): Float64Array {
  const out = new Float64Array(2 * n);
  if (init.kind === 'positions') {
    if (init.data.length !== 2 * n) {
      throw new ConfigError('init', `initial positions hold ${init.data.length / 2} points, expected ${n}`);
    }
    for (let i = 0; i < 2 * n; i++) {
      const v = init.data[i] ?? NaN;
      if (!Number.isFinite(v)) throw new ConfigError('init', `initial position ${Math.floor(i / 2)} is not finite`);
      out[i] = v;
    }
    return out;
  }
  if (!(init.std > 0) || !Number.isFinite(init.std) || !init.mean.every(Number.isFinite)) {
    throw new ConfigError('init', 'initial Gaussian needs a finite mean and a positive std');
  }
  const rng = new Rng(seed, Stream.init);
  for (let i = 0; i < n; i++) {
    out[2 * i] = init.mean[0] + init.std * rng.normal();
    out[2 * i + 1] = init.mean[1] + init.std * rng.normal();
    // A finite but huge mean or std (1e308) overflows here: refuse it rather than start from inf.
    if (!Number.isFinite((out[2 * i] ?? NaN) + (out[2 * i + 1] ?? NaN))) {
      throw new ConfigError('init', `initial Gaussian N([${init.mean.join(', ')}], ${init.std}^2 I) overflows: initial position ${i} is not finite`);
    }
  }
  return out;
}

// The live metrics' settings now live in the metrics layer; re-exported for existing importers.
export { METRIC_SUBSAMPLE, MMD_BANDWIDTH, SINKHORN_METRIC, SINKHORN_SUBSAMPLE, TARGET_SAMPLES, targetSamples, viewDiameter } from '../metrics/settings';
