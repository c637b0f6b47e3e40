/**
 * What runs on what: a method's `needs` ('score' | 'samples') and `domains` against a target's
 * facts (sample-only? exact sampler? periodic?). The controls use it to annotate and disable
 * choices before the engine's validation would refuse them (its message is shown when it does).
 */
import { getMethod, methods } from '../methods/registry';
import type { MethodDef } from '../methods/types';
import { createTarget, getTarget, targets } from '../targets/registry';
import type { TargetInstance } from '../targets/types';
import type { Domain, RunConfig } from '../engine/types';

export interface TargetFacts {
  sampleOnly: boolean;
  hasSamples: boolean;
  periodic: boolean;
}

const factsCache = new Map<string, TargetFacts>();

export function factsOf(t: TargetInstance): TargetFacts {
  return { sampleOnly: Boolean(t.sampleOnly), hasSamples: Boolean(t.cloud ?? t.sample), periodic: Boolean(t.periodic) };
}

/** Facts of a registry target at its default parameters ('cloud': a fixed sample cloud). */
export function targetFacts(id: string): TargetFacts | undefined {
  if (id === 'cloud') return { sampleOnly: true, hasSamples: true, periodic: false };
  const hit = factsCache.get(id);
  if (hit) return hit;
  try {
    getTarget(id);
    const f = factsOf(createTarget(id));
    factsCache.set(id, f);
    return f;
  } catch {
    return undefined;
  }
}

export function methodDomains(m: MethodDef): Domain[] {
  return m.domains ?? ['plane'];
}

/** Why `method` cannot run on a target with `facts` in `domain` (undefined: it can). */
export function incompatibility(method: MethodDef, facts: TargetFacts | undefined, domain: Domain): string | undefined {
  if (!methodDomains(method).includes(domain)) return `not on the ${domain}`;
  if (!facts) return undefined;
  const needs = method.needs ?? 'score';
  if (needs === 'score' && facts.sampleOnly) return 'needs a score';
  if (needs === 'samples' && !facts.hasSamples) return 'needs samples';
  if (domain === 'torus' && !facts.periodic) return 'target not periodic';
  return undefined;
}

export function findMethod(id: string): MethodDef | undefined {
  try {
    return getMethod(id);
  } catch {
    return undefined;
  }
}

/** The sample-based method to switch to for a sample-only target: Sinkhorn flow if registered, else MMD flow, else any. */
export function preferredSampleMethod(domain: Domain = 'plane'): MethodDef | undefined {
  const ok = methods.filter((m) => m.needs === 'samples' && methodDomains(m).includes(domain));
  return ok.find((m) => m.id === 'sinkhorn-flow') ?? ok.find((m) => m.id === 'mmd-flow') ?? ok[0];
}

/** The first periodic target of the registry (for switching to the torus), if any. */
export function firstPeriodicTarget(): string | undefined {
  for (const id of periodicTargetIds()) return id;
  return undefined;
}

export function periodicTargetIds(): string[] {
  return targets.map((t) => t.id).filter((id) => targetFacts(id)?.periodic);
}

/**
 * The config change for a new target chosen by the user: a score-based method on a sample-only
 * target switches to a sample-based flow (and says so), the domain follows the target.
 */
export function retarget(config: RunConfig, target: RunConfig['target'], facts: TargetFacts): { change: Partial<RunConfig>; note?: string } {
  const domain: Domain = facts.periodic ? 'torus' : 'plane';
  const method = findMethod(config.method);
  const change: Partial<RunConfig> = { target };
  if ((config.domain ?? 'plane') !== domain) change.domain = domain;
  if (method && incompatibility(method, facts, domain) !== undefined) {
    const alt = facts.sampleOnly ? preferredSampleMethod(domain) : methods.find((m) => incompatibility(m, facts, domain) === undefined);
    if (alt) {
      change.method = alt.id;
      change.params = {};
      return { change, note: `switched to ${alt.label}: ${method.label} ${incompatibility(method, facts, domain) ?? ''}` };
    }
  }
  return { change };
}
