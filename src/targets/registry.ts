/**
 * The target registry: every built-in target of METHODS.md "Built-in targets", in menu order, and
 * `cloud` (a fixed sample cloud: TargetDef.data 'points'). Parameters are resolved (defaults
 * overlaid, checked) with resolveParams, then create(). Adding a target: its own file exporting a
 * TargetDef, plus one line in `allTargets` below.
 */
import { resolveParams, type ParamSpec, type Params } from '../core/params';
import { banana, donut, funnel, squiggle, u1, u2, u3, u4 } from './analytic';
import { cloud } from './cloud';
import { gaussian, mixture } from './gaussian';
import { toyTargets } from './toy';
import { torusMixture } from './torus';
import { landscapeTargets } from './landscape';
import { formulaTargets } from './formula';
import type { TargetDef, TargetInstance } from './types';

export { mixtureFromComponents } from './gaussian';
export { torusMixtureFromComponents } from './torus';

/**
 * Every registered target: analytic targets first, then the sample clouds of src/targets/toy.ts,
 * the energy landscapes (src/targets/landscape.ts), the targets typed as formulas (src/targets/formula.ts),
 * and the targets built from given points.
 */
export const allTargets: TargetDef[] = [gaussian, mixture, banana, donut, funnel, squiggle, u1, u2, u3, u4, torusMixture, ...toyTargets, ...landscapeTargets, ...formulaTargets, cloud];

/** The targets made from their parameters alone (data 'params'), in menu order: the menu's fixed entries, `wgf list`. */
export const targets: TargetDef[] = allTargets.filter((t) => (t.data ?? 'params') === 'params');

/**
 * The default targets, as data: the app's first run shows the mixture (something to drag), `wgf run`
 * without --target runs N(0, I). Read by src/engine/defaults.ts (no target id is written there).
 */
export const defaultTargets = { app: mixture.id, cli: gaussian.id } as const;

/** A registered target by id, or undefined. */
export function findTarget(id: string): TargetDef | undefined {
  return allTargets.find((d) => d.id === id);
}

export function getTarget(id: string): TargetDef {
  const t = findTarget(id);
  if (!t) throw new Error(`unknown target '${id}' (known: ${allTargets.map((d) => d.id).join(', ')})`);
  return t;
}

/** True for a registered target built from given points (TargetDef.data 'points'): its points are not in a link. */
export function isPointsTarget(id: string): boolean {
  return findTarget(id)?.data === 'points';
}

/** The target a point cloud becomes (the first 'points' target: `cloud`), e.g. for the CLI's --target-file. */
export function pointsTarget(): TargetDef {
  const t = allTargets.find((d) => d.data === 'points');
  if (!t) throw new Error('no target is built from points');
  return t;
}

/**
 * The full parameter list of target `def` for these (given or partial) params: TargetDef.paramsFor
 * when the target has one (a formula's own named parameters), else its static `params`. Throws
 * ParamError when the values that decide the list are bad (see TargetDef.paramsFor).
 */
export function targetParamSpecs(def: TargetDef, params: Params = {}): ParamSpec[] {
  return def.paramsFor ? def.paramsFor(params) : def.params;
}

/**
 * Resolve `params` against the target's specs and build it; throws ParamError on a bad value. A
 * 'points' target is built from `points` (and says so when they are missing).
 */
export function createTarget(id: string, params: Params = {}, points?: Float64Array): TargetInstance {
  const def = getTarget(id);
  return def.create(resolveParams(targetParamSpecs(def, params), params), points);
}
