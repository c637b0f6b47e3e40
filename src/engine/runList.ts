/**
 * The runs of the view, as a list: runs[0] the primary (a RunSlot), runs[1..3] the compared runs
 * (src/engine/compare.ts: each its own method, parameters and step size; the primary's target, seed,
 * n and domain). 1 to MAX_RUNS runs in all. Holds what belongs to a run by its index: the canvas
 * renderer attached at that index, the divergence watch of its simulation (an event names the index),
 * and each run's device-loss snapshots. Removing a run moves the later ones down one index.
 *
 * No messages, no frame loop: src/engine/Engine.ts says what happened, src/engine/scheduler.ts steps.
 */
import { compareStepSize } from './defaults';
import { CompareRun, type BuildResult, type RunSpec } from './compare';
import { resolveRun, resolveTarget } from './config';
import { DIVERGENCE_LIMIT, DivergenceWatch, divergenceRule, type Divergence, type DivergenceRule } from './divergence';
import { runView, type RunView } from './engineSnapshot';
import { SnapshotKeeper, type RecoverableRun } from './recovery';
import { RunSlot, type FrameRenderer } from './runSlot';
import type { Backend, RunConfig, Simulation } from './types';

/** The most runs side by side: the primary and three compared runs. */
export const MAX_RUNS = 4;

export interface RunListHooks {
  /** A run's particles crossed the divergence rule (src/engine/divergence.ts); `index`: which run. */
  onDivergence(d: Divergence, index: number): void;
  onStepFailed(e: unknown): void;
  markDirty(): void;
  /** The primary's batch finished (recording, snapshots). */
  afterPrimaryBatch(sim: Simulation): Promise<void>;
}

/** A compared run's (re)build that did not give the run asked for: its index and the result. */
export interface BuildNote {
  index: number;
  result: BuildResult;
}

export class RunList {
  readonly primary: RunSlot;
  readonly primarySnapshots = new SnapshotKeeper();
  private compared: CompareRun[] = [];
  private readonly renderers: (FrameRenderer | undefined)[] = [];
  private readonly watches = new WeakMap<Simulation, DivergenceWatch>();
  /** The primary as recovery sees it (one object, so that held runs are found again by identity). */
  private readonly primaryRun: RecoverableRun;

  constructor(private readonly hooks: RunListHooks) {
    this.primary = new RunSlot({
      afterBatch: (sim) => hooks.afterPrimaryBatch(sim),
      onStats: (s, sim) => this.report(this.watchOf(sim).stats(s), sim),
      onMetrics: (m, sim) => this.report(this.watchOf(sim).metrics(m), sim),
      onStepFailed: (e) => hooks.onStepFailed(e),
      markDirty: () => hooks.markDirty(),
    });
    const primary = this.primary;
    const snapshots = this.primarySnapshots;
    this.primaryRun = {
      get sim() {
        return primary.sim;
      },
      snapshots,
    };
  }

  /** The compared runs (runs 1..3), in order. */
  get comparedRuns(): readonly CompareRun[] {
    return this.compared;
  }

  /** Runs in all (1 to MAX_RUNS). */
  get count(): number {
    return 1 + this.compared.length;
  }

  /** The compared run at `index` (1..3), if any. */
  at(index: number): CompareRun | undefined {
    return index >= 1 ? this.compared[index - 1] : undefined;
  }

  /** The simulation of run `index` (0: the primary). */
  simAt(index: number): Simulation | undefined {
    return index === 0 ? this.primary.sim : this.at(index)?.sim;
  }

  /** The slots that have a simulation, primary first (what a frame steps). */
  activeSlots(): RunSlot[] {
    const out: RunSlot[] = [this.primary];
    for (const c of this.compared) if (c.sim && c.slot) out.push(c.slot);
    return out;
  }

  /** The renderers matching activeSlots(), by the runs' indices. */
  activeRenderers(): (FrameRenderer | undefined)[] {
    const out: (FrameRenderer | undefined)[] = [this.renderers[0]];
    this.compared.forEach((c, i) => {
      if (c.sim && c.slot) out.push(this.renderers[i + 1]);
    });
    return out;
  }

  /** Every run for recovery, primary first. */
  recoverable(): RecoverableRun[] {
    return [this.primaryRun, ...this.compared];
  }

  /** What the compared runs are (for the URL, configJson, setRuns). */
  specs(): RunSpec[] {
    return this.compared.flatMap((c) => (c.spec ? [c.spec] : []));
  }

  /** A new compared run, not yet in the list (add it with push once it is built). */
  create(): CompareRun {
    return new CompareRun({
      onStats: (s, sim) => this.report(this.watchOf(sim).stats(s), sim),
      onMetrics: (m, sim) => this.report(this.watchOf(sim).metrics(m), sim),
      onStepFailed: (e) => this.hooks.onStepFailed(e),
      markDirty: () => this.hooks.markDirty(),
    });
  }

  /** Append a compared run; false when the list is full (MAX_RUNS). */
  push(run: CompareRun): boolean {
    if (this.count >= MAX_RUNS) return false;
    this.compared.push(run);
    return true;
  }

  /** Remove compared run `index` (1..3): the later runs move down one index. */
  remove(index: number): boolean {
    const run = this.at(index);
    if (!run) return false;
    run.off();
    this.compared.splice(index - 1, 1);
    return true;
  }

  /** Remove every compared run. */
  clearCompared(): void {
    for (const c of this.compared) c.off();
    this.compared = [];
  }

  /** Drop every run's simulation, keeping what each run is (a backend change or a lost device rebuilds them). */
  detachCompared(): void {
    for (const c of this.compared) c.detach();
  }

  /**
   * (Re)create every compared run for `config`; runs that cannot be built leave the list (later
   * ones move down). Returns what to tell: each refusal, and each method switched (`mayReplace`).
   */
  buildCompared(backend: Backend, config: RunConfig, mayReplace: boolean, except?: CompareRun): BuildNote[] {
    const notes: BuildNote[] = [];
    this.compared.forEach((c, i) => {
      if (c === except || !c.method) return;
      const r = c.build(backend, config, mayReplace);
      if (!r.ok || r.switched) notes.push({ index: i + 1, result: r });
    });
    this.compared = this.compared.filter((c) => c.method !== undefined);
    return notes;
  }

  /**
   * The primary changed its target and/or step size in place: each compared run follows (a run with
   * its own step size keeps it). False when one cannot follow (the caller rebuilds them).
   */
  followInPlace(config: RunConfig, maxParticles: number, target: boolean, stepSize: boolean): boolean {
    for (const run of this.compared) {
      const sim = run.sim;
      const method = run.method;
      if (!sim || !method) continue;
      try {
        if (target) {
          resolveRun({ ...config, method, params: run.params }, maxParticles);
          sim.setTarget(config.target);
        }
        if (stepSize && run.stepSize === undefined) sim.setStepSize(compareStepSize(config, method));
      } catch {
        return false;
      }
    }
    return true;
  }

  /** A canvas draws run `index` (0..3) with `r`; the disposer detaches it. */
  attach(r: FrameRenderer, index: number): () => void {
    this.renderers[index] = r;
    return () => {
      if (this.renderers[index] === r) this.renderers[index] = undefined;
    };
  }

  /** The index of the run whose simulation is `sim` (-1: none, e.g. a run already replaced). */
  indexOfSim(sim: Simulation): number {
    if (this.primary.sim === sim) return 0;
    const i = this.compared.findIndex((c) => c.sim === sim);
    return i < 0 ? -1 : i + 1;
  }

  /** Every run's view, primary first (`config`: the primary's). */
  views(config: RunConfig): RunView[] {
    const out: RunView[] = [runView(0, this.primary, { method: config.method, params: config.params, ownStepSize: undefined, stepSize: config.stepSize, note: undefined })];
    this.compared.forEach((c, i) => {
      if (!c.slot || !c.method) return;
      out.push(runView(i + 1, c.slot, { method: c.method, params: c.params, ownStepSize: c.stepSize, stepSize: c.stepSize ?? compareStepSize(config, c.method), note: c.note }));
    });
    return out;
  }

  destroy(): void {
    this.clearCompared();
    this.primary.destroy();
  }

  private report(d: Divergence | undefined, sim: Simulation): void {
    if (!d) return;
    const index = this.indexOfSim(sim);
    if (index >= 0) this.hooks.onDivergence(d, index);
  }

  /** The divergence rule of a run (src/engine/divergence.ts), built once per simulation from its config. */
  private watchOf(sim: Simulation): DivergenceWatch {
    let w = this.watches.get(sim);
    if (!w) {
      let rule: DivergenceRule;
      try {
        rule = divergenceRule(resolveTarget(sim.config.target), sim.config.init);
      } catch {
        rule = { box: DIVERGENCE_LIMIT };
      }
      this.watches.set(sim, (w = new DivergenceWatch(rule)));
    }
    return w;
  }
}
