/**
 * Which configuration changes restart the run and which update it in place: a pure function of
 * the change and the run's state, so the rule can be read (and tested) in one place.
 *
 * - In place (particles kept): the step size and the target (a dragged mixture component, a
 *   moved cloud): the user watches the same particles react.
 * - A new run (fresh particles from the seed): anything else (method, parameters, n, seed,
 *   domain, sample count).
 * - A new run for any change when there is no healthy run to keep: after a blow-up the
 *   particles are NaN or huge, so keeping them would only diverge again; after a failed start
 *   (e.g. `#n=999999999`) there is no run at all, and a valid value must revive it.
 */
import type { RunConfig } from './types';

export type ConfigKey = keyof Omit<RunConfig, 'init'>;

/** Fields that change a healthy run in place. */
export const IN_PLACE_KEYS: readonly ConfigKey[] = ['stepSize', 'target'];

export interface RunState {
  /** A simulation exists (false after a failed start or before the backend is up). */
  hasRun: boolean;
  /** The particles blew up (NaN or |x| over the limit) and the run is paused for it. */
  diverged: boolean;
}

export type ChangePlan =
  | { kind: 'none' }
  | { kind: 'in-place'; target: boolean; stepSize: boolean }
  | { kind: 'restart'; after: 'divergence' | 'failed-start' | undefined };

/** The keys of `partial` whose values differ from `current` (by value: JSON of numbers, arrays, params). */
export function changedKeys(current: RunConfig, partial: Partial<Omit<RunConfig, 'init'>>): ConfigKey[] {
  return (Object.keys(partial) as ConfigKey[]).filter((k) => !sameValue(partial[k], current[k]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Float64Array || b instanceof Float64Array) return false; // clouds: compared by identity
  if (isTargetLike(a) && isTargetLike(b)) return a.id === b.id && a.cloud === b.cloud && JSON.stringify(a.params) === JSON.stringify(b.params);
  return JSON.stringify(a) === JSON.stringify(b);
}

function isTargetLike(v: unknown): v is { id: string; params: unknown; cloud?: unknown } {
  return typeof v === 'object' && v !== null && 'id' in v && 'params' in v;
}

export function planChange(changed: readonly ConfigKey[], state: RunState): ChangePlan {
  if (changed.length === 0) return { kind: 'none' };
  if (!state.hasRun) return { kind: 'restart', after: 'failed-start' };
  if (state.diverged) return { kind: 'restart', after: 'divergence' };
  if (changed.every((k) => IN_PLACE_KEYS.includes(k))) return { kind: 'in-place', target: changed.includes('target'), stepSize: changed.includes('stepSize') };
  return { kind: 'restart', after: undefined };
}
