/**
 * The run a choice leads to, the same for the panel (ui/ControlPanel.tsx, ui/TargetSources.tsx) and
 * a link (./link.ts): a new target (the Target list, an image, a painting, `#target=`), a new domain
 * (the Domain control, `#domain=`), a method a link names that cannot run where it lands. Pure
 * functions of the RunConfig: what runs on what is src/engine/compat.ts, the parameters and step
 * size that follow are src/engine/defaults.ts followDefaults. No method or target id is written here.
 */
import { describeFollowed, followDefaults, PLANE_TARGET, type FollowedDefault } from '../engine/defaults';
import { findMethod, firstTargetFor, incompatibility, methodDomains, periodicTargetIds, preferredMethod, targetFacts, type TargetFacts } from '../engine/compat';
import type { Domain, RunConfig } from '../engine/types';
import type { MethodDef } from '../methods/types';
import { getTarget } from '../targets/registry';

/** A registry target's label (the id itself for anything else, e.g. 'cloud'). */
export function targetLabel(id: string): string {
  try {
    return getTarget(id).label;
  } catch {
    return id;
  }
}

/**
 * The config change for a new target: the domain follows the target; a method that cannot run on
 * it switches to the preferred one (MethodDef.priority) and says so; the domain's parameters and a
 * default step size follow (followDefaults), exactly as the Domain control does.
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

/**
 * The config change for a new domain (the Domain control): the torus takes the first periodic
 * target unless the target is one, the plane leaves a periodic target for the plane's default;
 * parameters and step size follow. `error`: no periodic target is registered.
 */
export function redomain(config: RunConfig, d: Domain, facts: TargetFacts | undefined): { change: Partial<RunConfig>; followed: FollowedDefault[]; target?: string } | { error: string } {
  let target: RunConfig['target'] | undefined;
  if (d === 'torus') {
    const periodic = facts?.periodic ? undefined : periodicTargetIds()[0];
    if (!facts?.periodic && !periodic) return { error: 'the torus needs a periodic target, and none is registered' };
    if (periodic) target = { id: periodic, params: {} };
  } else if (facts?.periodic) {
    target = { id: PLANE_TARGET, params: {} };
  }
  const { change, followed } = followDefaults(config, { domain: d, ...(target ? { target } : {}) });
  return { change, followed, ...(target ? { target: target.id } : {}) };
}

/**
 * A link named `method` but not a target it runs on: the first registry target it runs on (in its
 * own domain when it cannot run in the current one), with the defaults that follow. Undefined: none.
 */
export function placeMethod(config: RunConfig, method: MethodDef): { change: Partial<RunConfig>; note: string } | undefined {
  const here = config.domain ?? 'plane';
  const domain = methodDomains(method).includes(here) ? here : (methodDomains(method)[0] ?? 'plane');
  const id = firstTargetFor(method, domain);
  if (id === undefined) return undefined;
  const why = incompatibility(method, targetFacts(config.target.id), here) ?? 'cannot run here';
  const change: Partial<RunConfig> = { target: { id, params: {} } };
  if (domain !== here) change.domain = domain;
  const { change: full, followed } = followDefaults(config, change);
  const words = [`target ${targetLabel(id)} (${method.label} ${why})`, ...(domain !== here ? [`domain ${domain}`] : []), ...describeFollowed(followed)];
  return { change: full, note: words.join(', ') };
}
