/**
 * The target registry: every built-in analytic target of METHODS.md "Built-in targets", in menu
 * order. Parameters are resolved (defaults overlaid, checked) with resolveParams, then create().
 */
import { resolveParams, type Params } from '../core/params';
import { banana, donut, funnel, squiggle, u1, u2, u3, u4 } from './analytic';
import { gaussian, mixture } from './gaussian';
import { toyTargets } from './toy';
import { torusMixture } from './torus';
import { landscapeTargets } from './landscape';
import type { TargetDef, TargetInstance } from './types';

export { mixtureFromComponents } from './gaussian';
export { torusMixtureFromComponents } from './torus';

/** Analytic targets first, then the sample clouds of src/targets/toy.ts, then the energy landscapes (src/targets/landscape.ts). */
export const targets: TargetDef[] = [gaussian, mixture, banana, donut, funnel, squiggle, u1, u2, u3, u4, torusMixture, ...toyTargets, ...landscapeTargets];

export function getTarget(id: string): TargetDef {
  const t = targets.find((d) => d.id === id);
  if (!t) throw new Error(`unknown target '${id}' (known: ${targets.map((d) => d.id).join(', ')})`);
  return t;
}

/** Resolve `params` against the target's specs and build it; throws ParamError on a bad value. */
export function createTarget(id: string, params: Params = {}): TargetInstance {
  const def = getTarget(id);
  return def.create(resolveParams(def.params, params));
}
