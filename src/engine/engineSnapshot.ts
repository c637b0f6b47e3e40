/**
 * What the engine publishes to the page (React's useSyncExternalStore, ~10/s): the EngineSnapshot
 * type and how one run is summarised (RunView). Pure: src/engine/Engine.ts gathers the inputs.
 */
import type { Params } from '../core/params';
import type { TargetInstance } from '../targets/types';
import { getMethod } from '../methods/registry';
import type { EngineEvent, EngineMessage } from './events';
import type { Speed } from './frameLoop';
import { copyHistory, type MetricsHistory, type RunSlot } from './runSlot';
import type { BackendInfo, BackendKind, Metrics, ParticleStats, RunConfig } from './types';

/** One run of the view (index 0: the primary; 1..3: the compared runs, same target, seed and n). */
export interface RunView {
  /** Its place in the list: 0 the primary, 1 "Compare with", 2 and 3 the runs added after it. */
  index: number;
  method: string;
  label: string;
  /** Its own method parameters (unresolved: missing ones take their defaults). */
  params: Params;
  /** The step size it runs at. */
  stepSize: number;
  /** Compared runs: the step size the user gave it (undefined: it follows the primary, src/engine/defaults.ts compareStepSize). */
  ownStepSize: number | undefined;
  step: number;
  msPerStep: number;
  stepsPerFrame: number;
  stats: ParticleStats | undefined;
  metrics: Metrics | undefined;
  history: MetricsHistory;
  /** Set when a target change replaced the method asked for ('compare-switched'). */
  note: EngineEvent | undefined;
}

/** A compared run's view (the name the split view had before runs became a list). */
export type CompareSnapshot = RunView;

export interface EngineSnapshot {
  status: 'starting' | 'ready' | 'failed';
  playing: boolean;
  backendKind: BackendKind;
  backend: BackendInfo | undefined;
  /** Bumps whenever the backend (and so the GPU device) changes: the canvas is rebuilt. */
  generation: number;
  config: RunConfig;
  target: TargetInstance | undefined;
  /** Bumps on every target change (live edits included). */
  targetVersion: number;
  step: number;
  msPerStep: number;
  stepsPerFrame: number;
  stats: ParticleStats | undefined;
  metrics: Metrics | undefined;
  history: MetricsHistory;
  /** The primary run's method label (plot legends). */
  label: string;
  /** Every run, in order: runs[0] the primary (its fields above too), runs[1..3] the compared runs (1 to 4 in all). */
  runs: RunView[];
  /** runs[1] (split view on): kept for the e2e tests and the console that read it. */
  compare: CompareSnapshot | undefined;
  /** runs[2] (a third run, e.g. the "Saddle escape" preset). */
  compare2?: CompareSnapshot | undefined;
  /** The step of the primary run's latest device-loss snapshot (GPU runs; undefined: none yet). */
  snapshotStep: number | undefined;
  /** The latest event worth telling (errors, divergence, recovery); cleared by dismissMessage(). */
  message: EngineMessage | undefined;
  /** Persistent fact about the environment (e.g. no WebGPU): plain text; `noticeEvent` as data. */
  notice: string | undefined;
  noticeEvent: EngineEvent | undefined;
  /** The particles blew up: the run is paused until Reset or a change of the configuration. */
  diverged: boolean;
  recordEvery: number;
  recordedFrames: number;
  /** Steps per frame: 'auto' (adapted), a fixed k, or 'slow' (setSpeed). */
  speed: Speed;
  /**
   * The one-step generator shown beside the flow (src/ui/generator): 'shipped:<id>', 'user:<key>', or
   * undefined (none). The page's choice, held here so that the URL is written from one snapshot.
   */
  generator: string | undefined;
}

export function methodLabel(id: string): string {
  try {
    return getMethod(id).label;
  } catch {
    return id;
  }
}

/** One run's view from its slot. */
export function runView(index: number, slot: RunSlot, run: { method: string; params: Params; ownStepSize: number | undefined; stepSize: number; note: EngineEvent | undefined }): RunView {
  return {
    index,
    method: run.method,
    label: methodLabel(run.method),
    params: run.params,
    stepSize: slot.sim?.config.stepSize ?? run.stepSize,
    ownStepSize: run.ownStepSize,
    step: slot.sim?.stepCount ?? 0,
    msPerStep: slot.msPerStep,
    stepsPerFrame: slot.stepsPerFrame,
    stats: slot.stats,
    metrics: slot.metrics,
    history: copyHistory(slot.history),
    note: run.note,
  };
}
