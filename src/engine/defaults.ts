/**
 * The defaults of a run, as data in one place (no method or target id is written in ui/, engine/ or
 * cli/): the app's and the CLI's default run, the default step size of each (method, target, domain),
 * and the domain defaults that follow a change of domain (MethodDef.domainDefaults).
 *
 * The default step size (issue 8 bug 1): score-based methods take h = c / L, where L is the curvature
 * scale of -log pi: the 0.95 quantile, over the target's mass, of the largest eigenvalue of the Hessian
 * of -log pi (central differences of the float64 score; at 512 exact samples when the target has a
 * sampler, else on a 64 x 64 grid over its view weighted by the density). Explicit Euler on a
 * quadratic with curvature L is stable for h < 2 / L (ULA: the biased covariance S (I - hP/2)^-1
 * stays within 1 / (1 - c/2) of S); c = 0.2 (DEFAULT_STEP_RULE) keeps ULA's bias under 11 % in the
 * stiffest direction. E.g. 25gaussians (component variance 3.1e-4) gets 5e-5, the donut (radial
 * curvature 2 / 0.033 = 61) 2e-3, a unit Gaussian the cap 0.1. Sample-based flows take a fixed
 * step (MethodDef.defaultStep.fixed), the torus a method's domainDefaults.torus.stepSize. Values
 * are rounded down to 1, 2 or 5 times a power of ten. The default is per target id, at the target's
 * default parameters, so it does not drift while a mixture is dragged or edited.
 *
 * "User set the step size": a step size that differs from the default of the run it belongs to is
 * the user's (typed, or from the URL); followDefaults keeps it, and moves a default one to the new
 * run's default when the method, the target or the domain changes.
 */
import type { Domain, RunConfig } from './types';
import { affordableN, type AdapterClass } from '../methods/landscapeCost';
import { landscapes, type LandscapeDef } from '../landscapes/presets';
import { defaultMethods, methods } from '../methods/registry';
import type { MethodDef, StepSizeRule } from '../methods/types';
import { ParamError, type ParamValue, type Params } from '../core/params';
import { Rng } from '../reference/philox';
import { createTarget, defaultTargets, targets } from '../targets/registry';
import type { TargetInstance } from '../targets/types';

/** The app's first run (URL state without a hash): a showcase at N = 4,096 (the ids are the registries' data: defaultMethods, defaultTargets). */
export const APP_DEFAULTS = { method: defaultMethods.app, target: defaultTargets.app, n: 4096, seed: 1 } as const;
/** `wgf run` without options: the simplest run (Langevin on N(0, I)), 1,024 particles, 100 steps. */
export const CLI_DEFAULTS = { method: defaultMethods.cli, target: defaultTargets.cli, n: 1024, seed: 0, steps: 100 } as const;
/** Where a run leaving the torus goes when its target is periodic (the plane's default target). */
export const PLANE_TARGET = APP_DEFAULTS.target;

/** Score-based methods without their own rule. */
export const DEFAULT_STEP_RULE: Required<Pick<StepSizeRule, 'perCurvature' | 'max'>> = { perCurvature: 0.2, max: 0.1 };
/** Quantile of the curvature over the target's mass (see the header). */
export const CURVATURE_QUANTILE = 0.95;

function findMethod(id: string): MethodDef | undefined {
  return methods.find((m) => m.id === id);
}

/** Largest eigenvalue of the symmetric 2x2 [[a, b], [b, d]]. */
function maxEig(a: number, b: number, d: number): number {
  return 0.5 * (a + d) + Math.sqrt(0.25 * (a - d) * (a - d) + b * b);
}

/** Largest eigenvalue of -Hessian(log pi) at (x, y): central differences of the score, step delta. */
export function stiffnessAt(t: TargetInstance, x: number, y: number, delta: number): number {
  const [ax, ay] = t.score(x + delta, y);
  const [bx, by] = t.score(x - delta, y);
  const [cx, cy] = t.score(x, y + delta);
  const [dx, dy] = t.score(x, y - delta);
  const hxx = (ax - bx) / (2 * delta);
  const hyy = (cy - dy) / (2 * delta);
  const hxy = 0.5 * ((ay - by) / (2 * delta) + (cx - dx) / (2 * delta));
  return maxEig(-hxx, -hxy, -hyy);
}

/** The weighted `q` quantile of values (weights >= 0). */
function weightedQuantile(values: number[], weights: number[], q: number): number {
  const order = values.map((_, i) => i).sort((i, j) => (values[i] ?? 0) - (values[j] ?? 0));
  const total = weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  for (const i of order) {
    acc += weights[i] ?? 0;
    if (acc >= q * total) return values[i] ?? 0;
  }
  return values[order[order.length - 1] ?? 0] ?? 0;
}

/**
 * The curvature scale L of -log pi (see the header); undefined for targets known only by samples
 * (no score). At least 1e-6 (a flat target still gets a finite step).
 */
export function targetCurvature(t: TargetInstance): number | undefined {
  if (t.sampleOnly) return undefined;
  const [x0, x1, y0, y1] = t.view;
  const delta = 1e-4 * Math.max(x1 - x0, y1 - y0);
  const values: number[] = [];
  const weights: number[] = [];
  if (t.sample) {
    const s = t.sample(new Rng(12345, 0x5e), 512);
    for (let i = 0; i < s.length / 2; i++) {
      const v = stiffnessAt(t, s[2 * i] ?? 0, s[2 * i + 1] ?? 0, delta);
      if (Number.isFinite(v)) {
        values.push(v);
        weights.push(1);
      }
    }
  } else {
    const g = 64;
    const logp: number[] = [];
    const pts: [number, number][] = [];
    for (let i = 0; i < g; i++) {
      for (let j = 0; j < g; j++) {
        const x = x0 + ((i + 0.5) / g) * (x1 - x0);
        const y = y0 + ((j + 0.5) / g) * (y1 - y0);
        pts.push([x, y]);
        logp.push(t.logDensity(x, y));
      }
    }
    const top = Math.max(...logp.filter(Number.isFinite));
    pts.forEach(([x, y], k) => {
      const w = Math.exp((logp[k] ?? -Infinity) - top);
      const v = stiffnessAt(t, x, y, delta);
      if (w > 0 && Number.isFinite(v)) {
        values.push(v);
        weights.push(w);
      }
    });
  }
  if (values.length === 0) return undefined;
  return Math.max(1e-6, weightedQuantile(values, weights, CURVATURE_QUANTILE));
}

/** The largest of 1, 2, 5 times a power of ten that is <= h. */
export function niceFloor(h: number): number {
  if (!(h > 0) || !Number.isFinite(h)) return h;
  const p = Math.pow(10, Math.floor(Math.log10(h)));
  for (const m of [5, 2, 1]) {
    const v = Number((m * p).toPrecision(1));
    if (v <= h * (1 + 1e-12)) return v;
  }
  return Number(p.toPrecision(1));
}

const curvatureCache = new Map<string, number | undefined>();

/** Curvature of a registry target at its default parameters (cached); undefined: no score, or not a registry id. */
export function curvatureOf(targetId: string): number | undefined {
  if (curvatureCache.has(targetId)) return curvatureCache.get(targetId);
  let L: number | undefined;
  if (targets.some((t) => t.id === targetId)) {
    try {
      L = targetCurvature(createTarget(targetId));
    } catch {
      L = undefined;
    }
  }
  curvatureCache.set(targetId, L);
  return L;
}

/** The default step size of `method` on the registry target `targetId` in `domain` (see the header). */
export function defaultStepSize(methodId: string, targetId: string, domain: Domain = 'plane'): number {
  const method = findMethod(methodId);
  const onDomain = method?.domainDefaults?.[domain]?.stepSize;
  if (onDomain !== undefined) return onDomain;
  // the method's measured default on this target (MethodDef.targetDefaults, e.g. SVGD on 25gaussians)
  const onTarget = method?.targetDefaults?.[targetId]?.stepSize;
  if (onTarget !== undefined) return onTarget;
  // an energy landscape may set its own step per method (LandscapeDef.stepSize, e.g. two-layer-net)
  const onLandscape = (landscapes as Record<string, LandscapeDef | undefined>)[targetId]?.stepSize?.[methodId];
  if (onLandscape !== undefined) return onLandscape;
  const rule: StepSizeRule = method?.defaultStep ?? DEFAULT_STEP_RULE;
  if (rule.fixed !== undefined) return rule.fixed;
  const max = rule.max ?? DEFAULT_STEP_RULE.max;
  const L = curvatureOf(targetId);
  if (L === undefined) return max;
  return niceFloor(Math.min(max, (rule.perCurvature ?? DEFAULT_STEP_RULE.perCurvature) / L));
}

/** The default step size of a run (its method, target id and domain). */
export function runStepSize(run: Pick<RunConfig, 'method' | 'target' | 'domain'>): number {
  return defaultStepSize(run.method, run.target.id, run.domain ?? 'plane');
}

/**
 * The step size of a compared run (the split view's second and third runs share the primary's
 * target, seed and N): its own method's default when the primary's step size is the primary's
 * default (SVGD's default on the banana is 20 times Langevin's stable step), else the primary's
 * (the user set it, and compares the methods at that step).
 */
export function compareStepSize(primary: Pick<RunConfig, 'method' | 'target' | 'domain' | 'stepSize'>, method: string): number {
  return primary.stepSize === runStepSize(primary) ? runStepSize({ ...primary, method }) : primary.stepSize;
}

/**
 * The default particle count of `methodId` on `targetId` (issue 22 item 4): a landscape method starts
 * at the N its estimated step cost allows (src/methods/landscapeCost.ts affordableN: w-newton and wsfn 64 on
 * the double well, wgd 512, jko 64 on its host twin), every other method at APP_DEFAULTS.n.
 */
export function defaultN(methodId: string, targetId: string, params: Params = {}, adapter?: AdapterClass): number {
  const method = findMethod(methodId);
  if (!method || (method.needs ?? 'score') !== 'landscape') return APP_DEFAULTS.n;
  return affordableN(method, params, targetId, adapter === 'cpu' ? 'cpu' : 'gpu', adapter);
}

/** The kind of adapter a backend is, for the default N: the CPU engine, a software GPU (its description ends "(software)", src/gpu/device.ts) or a hardware one. */
export function adapterClass(info: { kind: 'gpu' | 'cpu'; description: string }): AdapterClass {
  if (info.kind === 'cpu') return 'cpu';
  return /\(software\)\s*$/.test(info.description) ? 'software' : 'hardware';
}

/**
 * Where the app's N = 4,096 is too slow to look alive (issue 22 item 5): on a software adapter
 * (SwiftShader; src/gpu/device.ts marks its description "(software)") a Sinkhorn-flow step at N =
 * 4,096 took 12-32 s and the sample-flow plots stayed blank for 24-116 s; on the CPU engine a float64
 * SVGD step at 4,096 takes ~0.44 s. The O(N^2) methods cost 16 times less at N = 1,024.
 */
export const SLOW_ADAPTER_N = 1024;

/**
 * The app's default N for a backend: APP_DEFAULTS.n on a hardware GPU, SLOW_ADAPTER_N on a software
 * adapter or the CPU engine. With `run` a landscape run (issue 22 item 4): the N its estimated step
 * cost allows on this adapter (defaultN with the adapter: e.g. wsfn on the double well 64 on a software
 * adapter, 2,048 on a hardware one, 128 on the CPU engine; jko 64 everywhere, its steps on the host).
 * Applied before the run starts, where the page starts a run without an `n` of its own (Engine.start).
 */
export function adapterDefaultN(info: { kind: 'gpu' | 'cpu'; description: string }, run?: Pick<RunConfig, 'method' | 'target' | 'params'>): number {
  if (run && findMethod(run.method)?.needs === 'landscape') return defaultN(run.method, run.target.id, run.params, adapterClass(info));
  return adapterClass(info) === 'hardware' ? APP_DEFAULTS.n : SLOW_ADAPTER_N;
}

/** The default N of a run (its method, target id and method parameters). */
export function runN(run: Pick<RunConfig, 'method' | 'target' | 'params'>): number {
  return defaultN(run.method, run.target.id, run.params);
}

/** The app's default run (the URL state's base). */
export function appDefaultRun(): RunConfig {
  const run = { method: APP_DEFAULTS.method, target: { id: APP_DEFAULTS.target, params: {} } };
  return { ...run, params: {}, n: APP_DEFAULTS.n, stepSize: runStepSize(run), seed: APP_DEFAULTS.seed, init: { kind: 'gaussian', mean: [0, 0], std: 1 } };
}

function same(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A method's default for parameter `name` in `domain` (domainDefaults, else the ParamSpec's). */
export function domainParam(method: MethodDef, domain: Domain, name: string): ParamValue | undefined {
  return method.domainDefaults?.[domain]?.params?.[name] ?? method.params.find((p) => p.name === name)?.default;
}

/**
 * A method's default for parameter `name` on the registry target `targetId` in `domain`: the domain's
 * default (domainDefaults) first, then the target's (MethodDef.targetDefaults), then the ParamSpec's.
 */
export function pairParam(method: MethodDef, targetId: string, domain: Domain, name: string): ParamValue | undefined {
  return method.domainDefaults?.[domain]?.params?.[name] ?? method.targetDefaults?.[targetId]?.params?.[name] ?? method.params.find((p) => p.name === name)?.default;
}

/**
 * The parameters a run of `methodId` on `targetId` gets where it does not set them, beyond the
 * ParamSpec defaults: MethodDef.targetDefaults (e.g. SVGD on 25gaussians: bandwidth 0.1). The engine
 * fills them in (src/engine/config.ts resolveRun), so the page, the CLI and the library run the same.
 */
export function targetParams(methodId: string, targetId: string): Params {
  return { ...(findMethod(methodId)?.targetDefaults?.[targetId]?.params ?? {}) };
}

/** The parameter names that have a domain or a target default. */
function domainParamNames(method: MethodDef): string[] {
  const names = new Set<string>();
  for (const d of Object.values(method.domainDefaults ?? {})) for (const k of Object.keys(d.params ?? {})) names.add(k);
  for (const d of Object.values(method.targetDefaults ?? {})) for (const k of Object.keys(d?.params ?? {})) names.add(k);
  return [...names];
}

/** One default that followDefaults changed (for the message the UI shows). */
export type FollowedDefault =
  | { kind: 'param'; name: string; label: string; value: ParamValue }
  | { kind: 'stepSize'; value: number }
  | { kind: 'n'; value: number };

/**
 * The full change for `change` to `config` (a new method, target or domain): parameters still at the
 * old (method, domain) default take the new domain's default (MethodDef.domainDefaults), and a step
 * size still at the old run's default takes the new run's; a step size in `change` is kept as given.
 * Both the Target list and the Domain control call this, so either path gives the same run.
 */
export function followDefaults(config: RunConfig, change: Partial<RunConfig>): { change: Partial<RunConfig>; followed: FollowedDefault[] } {
  const next: RunConfig = { ...config, ...change };
  const out: Partial<RunConfig> = { ...change };
  const followed: FollowedDefault[] = [];
  const method = findMethod(next.method);
  const fromDomain = config.domain ?? 'plane';
  const toDomain = next.domain ?? 'plane';
  if (method) {
    const sameMethod = next.method === config.method;
    const params: Params = { ...next.params };
    let touched = false;
    for (const name of domainParamNames(method)) {
      const spec = method.params.find((p) => p.name === name);
      // an absent parameter is what the engine runs: the old target's default (resolveRun), else the ParamSpec's
      const current = params[name] ?? (sameMethod ? (targetParams(method.id, config.target.id)[name] ?? spec?.default) : spec?.default);
      const baseline = sameMethod ? pairParam(method, config.target.id, fromDomain, name) : spec?.default;
      const target = pairParam(method, next.target.id, toDomain, name);
      if (target !== undefined && same(current, baseline) && !same(current, target)) {
        params[name] = target;
        touched = true;
        followed.push({ kind: 'param', name, label: spec?.label ?? name, value: target });
      }
    }
    // A value the new domain refuses (e.g. a kernel of the other domain set by hand): its domain default.
    try {
      method.check?.(params, toDomain);
    } catch (e) {
      const fallback = e instanceof ParamError ? domainParam(method, toDomain, e.param) : undefined;
      if (e instanceof ParamError && fallback !== undefined && !same(params[e.param], fallback) && domainParamNames(method).includes(e.param)) {
        params[e.param] = fallback;
        touched = true;
        followed.push({ kind: 'param', name: e.param, label: method.params.find((p) => p.name === e.param)?.label ?? e.param, value: fallback });
      }
    }
    if (touched) out.params = params;
  }
  // N follows like the step size: a count still at the old run's default takes the new run's (a landscape
  // method's N is what its step cost allows; N = 4,096 of a density run would take minutes a step there)
  if (change.n === undefined && config.n === runN(config)) {
    const n = runN({ ...next, params: out.params ?? next.params });
    if (n !== config.n) {
      out.n = n;
      followed.push({ kind: 'n', value: n });
    }
  }
  if (change.stepSize === undefined && config.stepSize === runStepSize(config)) {
    const h = runStepSize(next);
    if (h !== config.stepSize) {
      out.stepSize = h;
      followed.push({ kind: 'stepSize', value: h });
    }
  }
  return { change: out, followed };
}

/** "Riesz kernel, step size 0.0005": the followed defaults in words. */
export function describeFollowed(followed: readonly FollowedDefault[]): string[] {
  return followed.map((f) => {
    if (f.kind === 'stepSize') return `step size ${f.value}`;
    if (f.kind === 'n') return `N = ${f.value.toLocaleString('en-US')}`;
    const v = String(f.value);
    return typeof f.value === 'string' ? `${v.length <= 3 ? v.toUpperCase() : v.charAt(0).toUpperCase() + v.slice(1)} ${f.label.toLowerCase()}` : `${f.label} ${v}`;
  });
}

/**
 * What runs on what (the methods' order of choice, target facts, the compatibility rule): one place,
 * src/engine/compat.ts; re-exported here for the existing importers.
 */
export { factsOf, incompatibility, methodDomains, methodsByPriority, type TargetFacts } from './compat';
