/**
 * One compared run of the split view (runs 1..3 of src/engine/runList.ts; run 1 is "Compare with"):
 * its own method, parameters and (optionally) step size; the primary's target, seed, n and domain;
 * in its own RunSlot on the same backend, with its own device-loss snapshots.
 *
 * Rules (issue 8, bug 6):
 * - A run identical to the primary (same method, same resolved parameters) is refused: it would
 *   draw the same particles twice. The same method with other parameters is a fair comparison.
 * - When the primary's target (or method, or domain) changes and the compared method cannot run
 *   on it any more (e.g. a score method on a sample-only target) or would become identical, the
 *   first registry method that can run and differs from the primary takes its place, and the
 *   snapshot says so (`note`): it never changes silently. With none, the split view turns off.
 */
import { getMethod, methods } from '../methods/registry';
import { resolveParams, type Params } from '../core/params';
import { compareStepSize } from './defaults';
import { configProblem, type EngineEvent } from './events';
import { SnapshotKeeper } from './recovery';
import { RunSlot, type SlotHooks } from './runSlot';
import type { Backend, RunConfig, Simulation } from './types';
import { checkWork } from './work';

/**
 * The compared run's config: the primary's everything but the method, its parameters and the step
 * size: its own (`stepSize`, set by the user) or, without one, the rule of src/engine/defaults.ts
 * compareStepSize (its method's default when the primary runs at its default, else the primary's).
 */
export function compareConfig(primary: RunConfig, method: string, params: Params, stepSize?: number): RunConfig {
  return { ...primary, method, params, stepSize: stepSize ?? compareStepSize(primary, method) };
}

/**
 * Same method and the same parameters once defaults are filled in, and no step size of its own that
 * differs from the primary's (unknown method/params: not the same).
 */
export function sameRun(primary: RunConfig, method: string, params: Params, stepSize?: number): boolean {
  if (primary.method !== method) return false;
  if (stepSize !== undefined && stepSize !== primary.stepSize) return false;
  try {
    const specs = getMethod(method).params;
    return JSON.stringify(resolveParams(specs, primary.params)) === JSON.stringify(resolveParams(specs, params));
  } catch {
    return false;
  }
}

/** Methods to try instead of `current` (registry order), never the primary's own method. */
export function replacementCandidates(primaryMethod: string, current: string): string[] {
  return methods.map((m) => m.id).filter((id) => id !== primaryMethod && id !== current);
}

export type BuildResult =
  | { ok: true; switched?: EngineEvent }
  | { ok: false; event: EngineEvent };

/** What a compared run is asked to be: method, parameters, and its own step size (undefined: the rule above). */
export interface RunSpec {
  method: string;
  params: Params;
  stepSize?: number | undefined;
}

export class CompareRun {
  method: string | undefined;
  params: Params = {};
  /** Its own step size (the user set it); undefined: compareStepSize's rule, following the primary. */
  stepSize: number | undefined;
  slot: RunSlot | undefined;
  /** Why the compared method is not the one asked for (a target change switched it). */
  note: EngineEvent | undefined;
  /** Its positions snapshots for device-loss / stall recovery (src/engine/recovery.ts). */
  readonly snapshots = new SnapshotKeeper();

  constructor(private readonly hooks: SlotHooks) {}

  get sim(): Simulation | undefined {
    return this.slot?.sim;
  }

  /** Removed from the split view. */
  off(): void {
    this.method = undefined;
    this.params = {};
    this.stepSize = undefined;
    this.note = undefined;
    this.snapshots.clear();
    this.slot?.destroy();
    this.slot = undefined;
  }

  /** Drop the simulation but keep the method (a backend change or device loss rebuilds it). */
  detach(): void {
    this.slot?.replace(undefined);
  }

  /**
   * (Re)create the compared run for `primary` on `backend`. With `mayReplace` (the primary's
   * target, method or domain changed), a method that no longer fits is replaced by one that does.
   * On failure the split view is off and the event says why.
   */
  build(backend: Backend, primary: RunConfig, mayReplace: boolean): BuildResult {
    const method = this.method;
    if (!method) return { ok: true };
    const first = this.tryCreate(backend, primary, method, this.params, this.stepSize);
    if (first.sim) {
      this.install(first.sim);
      return { ok: true };
    }
    const problem = first.problem;
    if (mayReplace) {
      for (const alt of replacementCandidates(primary.method, method)) {
        const r = this.tryCreate(backend, primary, alt, {}, undefined);
        if (!r.sim) continue;
        const switched: EngineEvent = { type: 'compare-switched', from: method, to: alt, problem };
        this.method = alt;
        this.params = {};
        this.stepSize = undefined;
        this.note = switched;
        this.install(r.sim);
        return { ok: true, switched };
      }
    }
    this.off();
    const event: EngineEvent = problem.field === 'compare' ? { type: 'compare-identical', method } : mayReplace ? { type: 'compare-off', method, problem } : { type: 'compare-rejected', method, problem };
    return { ok: false, event };
  }

  /**
   * Switch to `spec` for `primary` (the user asked for it): the new run is created first, so a
   * refusal (identical to the primary, or invalid here) keeps the current compared run, if any, as
   * it was.
   */
  choose(backend: Backend, primary: RunConfig, spec: RunSpec): BuildResult {
    const { method, params, stepSize } = spec;
    const r = this.tryCreate(backend, primary, method, params, stepSize);
    if (!r.sim) {
      const event: EngineEvent = r.problem.field === 'compare' ? { type: 'compare-identical', method } : { type: 'compare-rejected', method, problem: r.problem };
      return { ok: false, event };
    }
    this.method = method;
    this.params = params;
    this.stepSize = stepSize;
    this.note = undefined;
    this.install(r.sim);
    return { ok: true };
  }

  /** Keep `spec` to build with the first run (before start()). */
  keep(spec: RunSpec): void {
    this.method = spec.method;
    this.params = spec.params;
    this.stepSize = spec.stepSize;
    this.note = undefined;
  }

  /** What this run is (undefined: off). */
  get spec(): RunSpec | undefined {
    return this.method === undefined ? undefined : { method: this.method, params: this.params, ...(this.stepSize !== undefined ? { stepSize: this.stepSize } : {}) };
  }

  private tryCreate(backend: Backend, primary: RunConfig, method: string, params: Params, stepSize: number | undefined): { sim?: Simulation; problem: ReturnType<typeof configProblem> } {
    if (sameRun(primary, method, params, stepSize)) return { problem: { field: 'compare', reason: 'identical to the main run', method } };
    try {
      const config = compareConfig(primary, method, params, stepSize);
      checkWork(config, backend.info); // the compared method may be all-pairs where the main one is not
      return { sim: backend.createSimulation(config), problem: { field: '', reason: '', method } };
    } catch (e) {
      return { problem: configProblem(e, method) };
    }
  }

  private install(sim: Simulation): void {
    if (!this.slot) this.slot = new RunSlot(this.hooks);
    this.slot.replace(sim);
    this.snapshots.clear();
  }
}
