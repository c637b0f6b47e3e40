/**
 * What runs on what, for the controls: a method's `needs` ('score' | 'samples') and `domains`
 * against a target's facts (sample-only? exact sampler? periodic?), from src/defaults.ts. The
 * controls use it to annotate and disable choices before the engine's validation would refuse
 * them (its message is shown when it does). Which method to switch to, which parameters and step
 * size follow a change: registry data (MethodDef.priority, domainDefaults, defaultStep) read by
 * src/defaults.ts; no method id is written here.
 */
import { describeFollowed, factsOf, followDefaults, incompatibility, methodDomains, methodsByPriority, type TargetFacts } from '../defaults';
import { getMethod } from '../methods/registry';
import type { MethodDef } from '../methods/types';
import { createTarget, getTarget, targets } from '../targets/registry';
import type { Domain, RunConfig } from '../engine/types';

export { factsOf, incompatibility, methodDomains, type TargetFacts } from '../defaults';

const factsCache = new Map<string, TargetFacts>();

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

export function findMethod(id: string): MethodDef | undefined {
  try {
    return getMethod(id);
  } catch {
    return undefined;
  }
}

/** The method to switch to for a target with `facts` in `domain`: the compatible one of highest priority (MethodDef.priority). */
export function preferredMethod(facts: TargetFacts, domain: Domain = 'plane'): MethodDef | undefined {
  return methodsByPriority().find((m) => incompatibility(m, facts, domain) === undefined);
}

/** The sample-based method to switch to for a sample-only target. */
export function preferredSampleMethod(domain: Domain = 'plane'): MethodDef | undefined {
  return preferredMethod({ sampleOnly: true, hasSamples: true, periodic: false }, domain);
}

/** The first periodic target of the registry (for switching to the torus), if any. */
export function firstPeriodicTarget(): string | undefined {
  for (const id of periodicTargetIds()) return id;
  return undefined;
}

export function periodicTargetIds(): string[] {
  return targets.map((t) => t.id).filter((id) => targetFacts(id)?.periodic);
}

/** Why a method cannot run on the torus at all (undefined: it can), for the Domain control. */
export function torusRefusal(method: MethodDef | undefined): string | undefined {
  if (!method || methodDomains(method).includes('torus')) return undefined;
  return `${method.label} runs on the plane only`;
}

/**
 * The config change for a new target chosen by the user (the Target list, an image, a painting):
 * the domain follows the target; a method that cannot run on it switches to the preferred one (and
 * says so); the domain's parameters and a default step size follow (src/defaults.ts followDefaults),
 * exactly as the Domain control does.
 */
export function retarget(config: RunConfig, target: RunConfig['target'], facts: TargetFacts): { change: Partial<RunConfig>; note?: string } {
  const domain: Domain = facts.periodic ? 'torus' : 'plane';
  const method = findMethod(config.method);
  const change: Partial<RunConfig> = { target };
  if ((config.domain ?? 'plane') !== domain) change.domain = domain;
  const notes: string[] = [];
  const why = method ? incompatibility(method, facts, domain) : undefined;
  if (method && why !== undefined) {
    const alt = preferredMethod(facts, domain);
    if (alt) {
      change.method = alt.id;
      change.params = {};
      notes.push(`switched to ${alt.label}: ${method.label} ${why}`);
    }
  }
  const { change: full, followed } = followDefaults(config, change);
  notes.push(...describeFollowed(followed));
  return notes.length > 0 ? { change: full, note: notes.join(', ') } : { change: full };
}
