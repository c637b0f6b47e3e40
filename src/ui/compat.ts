/**
 * What runs on what, for the controls: the one rule of src/engine/compat.ts (a method's `needs` and
 * `domains` against a target's facts) and the choices that follow a change (src/state/choices.ts:
 * the same for the panel and a link). The controls use them to annotate and disable choices before
 * the engine's validation would refuse them (its message is shown when it does). No method id is
 * written here.
 */
import { methodDomains } from '../engine/compat';
import type { MethodDef } from '../methods/types';

export { factsOf, findMethod, incompatibility, methodDomains, periodicTargetIds, preferredMethod, targetFacts, type TargetFacts } from '../engine/compat';
export { redomain, retarget } from '../state/choices';

/** Why a method cannot run on the torus at all (undefined: it can), for the Domain control. */
export function torusRefusal(method: MethodDef | undefined): string | undefined {
  if (!method || methodDomains(method).includes('torus')) return undefined;
  return `${method.label} runs on the plane only`;
}
