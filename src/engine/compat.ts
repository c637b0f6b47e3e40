/**
 * What runs on what: the one compatibility rule (issue 18), asked by the engine's validation
 * (config.ts resolveRun), the controls (ui/compat.ts, ControlPanel's disabled options), the CLI
 * (cli/run.ts, before any file is read) and the links (state/link.ts).
 *
 * Declared by the registries, not by ids:
 *   - a method says what it needs of a target (MethodDef.needs: 'score' | 'samples' | 'landscape')
 *     and the domains it runs on (MethodDef.domains), and what of it runs on the host on the GPU
 *     backend (MethodDef.hostNote: its float64 twin, e.g. jko's inner solves or solver=dense);
 *   - a target says what it is by its instance (TargetInstance: sampleOnly, an exact sampler or a
 *     fixed cloud, periodic, landscape), summarised as TargetFacts and a TargetKind.
 * `compatibility` answers for (method, target, domain, backend, params): either a problem (the field
 * it is about, a few words for a disabled option, the sentence the engine and the CLI print), or
 * where the steps run ('gpu': WGSL; 'host': the float64 twin on the host under the GPU backend;
 * 'cpu': the CPU engine; `runsOn`, with the reason). No method or target id is written here.
 */
import { getMethod, methods } from '../methods/registry';
import type { MethodDef } from '../methods/types';
import type { Params } from '../core/params';
import { createTarget, findTarget, pointsTarget, targets } from '../targets/registry';
import type { TargetFactsSource } from '../targets/types';
import type { BackendKind, Domain } from './types';

/** What a target is, for deciding which methods run on it. */
export interface TargetFacts {
  sampleOnly: boolean;
  hasSamples: boolean;
  periodic: boolean;
  /** An energy landscape (issue 10): only landscape methods run on it, and they run on nothing else. */
  landscape?: boolean;
  /**
   * Evaluated only by host code, with no WGSL: a landscape given by host functions
   * (PackedLandscape.host) without its WGSL (PackedLandscape.shader). The GPU backend refuses it
   * (gpuRefusal); the CPU backend runs it. The formula density and the formula landscape carry their
   * WGSL (PackedTarget.shader, PackedLandscape.shader) and run on both.
   */
  hostOnly?: boolean;
}

/** A target's kind: a density (score, maybe an exact sampler), samples only, or an energy landscape. */
export type TargetKind = 'density' | 'samples' | 'landscape';

export type MethodNeeds = NonNullable<MethodDef['needs']>;

/** The target kinds a method's `needs` runs on ('samples' on a density also needs its exact sampler). */
export const RUNS_ON: Readonly<Record<MethodNeeds, readonly TargetKind[]>> = {
  score: ['density'],
  samples: ['density', 'samples'],
  landscape: ['landscape'],
};

export function factsOf(t: TargetFactsSource): TargetFacts {
  return { sampleOnly: Boolean(t.sampleOnly), hasSamples: Boolean(t.cloud ?? t.sample), periodic: Boolean(t.periodic), landscape: Boolean(t.landscape), ...(t.landscape?.host && !t.landscape.shader ? { hostOnly: true } : {}) };
}

export function targetKind(f: TargetFacts): TargetKind {
  return f.landscape ? 'landscape' : f.sampleOnly ? 'samples' : 'density';
}

/** The domain a target lives in. */
export function targetDomain(f: TargetFacts): Domain {
  return f.periodic ? 'torus' : 'plane';
}

export function methodNeeds(m: Pick<MethodDef, 'needs'>): MethodNeeds {
  return m.needs ?? 'score';
}

export function methodDomains(m: Pick<MethodDef, 'domains'>): Domain[] {
  return m.domains ?? ['plane'];
}

/** The one point a target built from points (TargetDef.data 'points') is asked its facts with. */
const PROBE_POINTS = new Float64Array([0, 0]);

/** The facts of the fixed sample cloud of a file, an image, a painting or dragged samples (TargetDef.data 'points'). */
export const CLOUD_FACTS: TargetFacts = factsOf(createTarget(pointsTarget().id, {}, PROBE_POINTS));

const factsCache = new Map<string, TargetFacts | undefined>();

/**
 * Facts of a registered target at its default parameters (a target built from points: of an
 * instance on one point); undefined: unknown id.
 */
export function targetFacts(id: string): TargetFacts | undefined {
  if (factsCache.has(id)) return factsCache.get(id);
  let f: TargetFacts | undefined;
  const def = findTarget(id);
  if (def) {
    try {
      f = factsOf(createTarget(id, {}, def.data === 'points' ? PROBE_POINTS : undefined));
    } catch {
      f = undefined;
    }
  }
  factsCache.set(id, f);
  return f;
}

/** The methods in the order a choice tries them: priority first (MethodDef.priority), then registry order. */
export function methodsByPriority(): MethodDef[] {
  return methods.map((m, i) => ({ m, i })).sort((a, b) => (b.m.priority ?? 0) - (a.m.priority ?? 0) || a.i - b.i).map((e) => e.m);
}

export interface CompatProblem {
  /** The RunConfig field the problem is about (the engine's ConfigError field). */
  field: 'domain' | 'target';
  /** A few words for a disabled option, e.g. 'needs a score'. */
  short: string;
  /** The sentence the engine and the CLI say. */
  message: string;
}

export type RunsOn = 'gpu' | 'host' | 'cpu';

export type Compat =
  | { ok: true; runsOn: RunsOn; /** runsOn 'host': what runs there, in a few words (MethodDef.hostNote). */ hostNote?: string }
  | { ok: false; problem: CompatProblem };

export interface CompatQuery {
  method: MethodDef;
  /** undefined: not known yet (only the method's own domain is checked). */
  target: TargetFacts | undefined;
  /** For the sentences (default 'the target'). */
  targetId?: string;
  domain: Domain;
  /** Default 'gpu'. */
  backend?: BackendKind;
  /** The method's parameters (for what runs on the host; default: its defaults). */
  params?: Params;
}

const idsWhere = (keep: (m: MethodDef) => boolean): string => methods.filter(keep).map((m) => m.id).join(', ');

/** The registry's target ids of a kind, for the sentences. */
function targetIdsOfKind(kind: TargetKind): string {
  return targets.map((t) => t.id).filter((id) => { const f = targetFacts(id); return f !== undefined && targetKind(f) === kind; }).join(', ');
}

/**
 * Why the GPU backend cannot run a target with `facts` (undefined: it can): a target evaluated only
 * by host code (TargetFacts.hostOnly). Asked by compatibility() when the query names the GPU
 * backend, and by GpuSimulation before it builds anything.
 */
export function gpuRefusal(facts: TargetFacts | undefined, targetId = 'the target'): CompatProblem | undefined {
  if (!facts?.hostOnly) return undefined;
  const tid = targetId === 'the target' ? targetId : `'${targetId}'`;
  return { field: 'target', short: 'CPU backend only', message: `${tid} is evaluated by its float64 twin only (it has no WGSL): run it on the CPU backend` };
}

/**
 * The one rule: can `method` run on `target` in `domain`, and where do its steps run on `backend`.
 * What the GPU backend cannot evaluate (gpuRefusal) is refused only when the query names
 * backend 'gpu' (a query without a backend asks about the method and the target, whatever runs them).
 */
export function compatibility(q: CompatQuery): Compat {
  const { method, target: facts, domain } = q;
  const id = method.id;
  const tid = q.targetId ?? 'the target';
  const fail = (field: CompatProblem['field'], short: string, message: string): Compat => ({ ok: false, problem: { field, short, message } });
  if (!methodDomains(method).includes(domain)) {
    return fail('domain', `not on the ${domain}`, `${id} does not run on the ${domain} (supported: ${methodDomains(method).join(', ')})`);
  }
  if (facts) {
    if (domain === 'torus' && !facts.periodic) return fail('target', 'target not periodic', `the torus needs a periodic target; '${tid}' is not periodic`);
    if (domain !== 'torus' && facts.periodic) return fail('target', 'target on the torus', `'${tid}' is a target on the torus: run it with domain torus`);
    const needs = methodNeeds(method);
    const kind = targetKind(facts);
    if (!RUNS_ON[needs].includes(kind)) {
      if (needs === 'landscape') return fail('target', 'needs an energy landscape', `${id} descends an energy landscape, and '${tid}' is a density: use a landscape target (${targetIdsOfKind('landscape')})`);
      if (kind === 'landscape') {
        return fail('target', 'not on an energy landscape', `'${tid}' is an energy landscape, not a density: ${id} needs ${needs === 'samples' ? 'target samples' : "the target's score"}; use a landscape method (${idsWhere((m) => methodNeeds(m) === 'landscape')})`);
      }
      return fail('target', 'needs a score', `${id} needs the target's score, but '${tid}' is known only by samples: use a sample-based flow (${idsWhere((m) => methodNeeds(m) === 'samples')})`);
    }
    if (needs === 'samples' && !facts.hasSamples) return fail('target', 'needs samples', `${id} needs samples of the target, and '${tid}' has no exact sampler`);
    const noGpu = q.backend === 'gpu' ? gpuRefusal(facts, q.targetId) : undefined;
    if (noGpu) return { ok: false, problem: noGpu };
  }
  return { ok: true, ...runsOn(method, q.params, q.backend) };
}

/** Where a method's steps run, and on the host, why (in a few words). */
export interface Placement {
  runsOn: RunsOn;
  /** runsOn 'host': what runs there, e.g. 'inner solve on the host (float64 twin)'. */
  hostNote?: string;
}

/**
 * The one answer to "does it run its float64 twin on the host": on the CPU backend every step runs
 * in the CPU engine ('cpu'); on the GPU backend a method runs its twin on the host ('host') exactly
 * when its own declaration (MethodDef.hostNote: e.g. jko always, w-newton / wsfn with solver
 * 'dense') gives a reason for these parameters, else its WGSL stepper ('gpu'). Asked by
 * compatibility(), GpuSimulation (stepperRunsOn), the status bar's host note and the CLI's
 * `stepper` field; the method's createGpu builds its host stepper on the same declaration.
 */
export function runsOn(method: Pick<MethodDef, 'hostNote'>, params: Params = {}, backend: BackendKind = 'gpu'): Placement {
  if (backend === 'cpu') return { runsOn: 'cpu' };
  const hostNote = method.hostNote?.(params);
  return hostNote !== undefined ? { runsOn: 'host', hostNote } : { runsOn: 'gpu' };
}

/** Why `method` cannot run on a target with `facts` in `domain`, in a few words (undefined: it can). */
export function incompatibility(method: MethodDef, facts: TargetFacts | undefined, domain: Domain): string | undefined {
  const c = compatibility({ method, target: facts, domain });
  return c.ok ? undefined : c.problem.short;
}

/**
 * By ids (the CLI, before reading any file): the sentence refusing `methodId` on `targetId` in
 * `domain`, or undefined when it runs (or an id is unknown: the caller names that itself).
 */
export function refusalByIds(methodId: string, targetId: string, domain: Domain): string | undefined {
  const method = methods.find((m) => m.id === methodId);
  const facts = targetFacts(targetId);
  if (!method || !facts) return undefined;
  const c = compatibility({ method, target: facts, targetId, domain });
  return c.ok ? undefined : c.problem.message;
}

/** The method a choice switches to for a target with `facts` in `domain`: the compatible one of highest priority. */
export function preferredMethod(facts: TargetFacts | undefined, domain: Domain = 'plane'): MethodDef | undefined {
  return methodsByPriority().find((m) => incompatibility(m, facts, domain) === undefined);
}

/** The first registry target (menu order) that `method` runs on in `domain`, if any. */
export function firstTargetFor(method: MethodDef, domain: Domain): string | undefined {
  return targets.map((t) => t.id).find((id) => incompatibility(method, targetFacts(id), domain) === undefined);
}

/** The registry's periodic targets (the torus's), in menu order. */
export function periodicTargetIds(): string[] {
  return targets.map((t) => t.id).filter((id) => targetFacts(id)?.periodic);
}

/** A method by id, or undefined. */
export function findMethod(id: string): MethodDef | undefined {
  try {
    return getMethod(id);
  } catch {
    return undefined;
  }
}
