/**
 * What the engine tells its user, as data: the engine reports structured events (kind, field,
 * reason) and src/ui/messages.ts turns them into the words on screen. Each message also carries a
 * plain `text` (the raw reason, no UI wording) for consumers without the UI, e.g. the console.
 */
import { ConfigError, type BackendKind } from './types';
import type { DivergenceCause } from './divergence';

/** A refused configuration: `field` as in ConfigError ('n', 'stepSize', 'params.bandwidth', 'target.components'). */
export interface ConfigProblem {
  field: string;
  /** The validator's own message (may start with the method id or the parameter name). */
  reason: string;
  /** The method whose parameters `field` refers to. */
  method: string;
}

/** Which run of the split view an event is about: the primary ('main') or a compared run ('compare'; `index` says which). */
export type RunRole = 'main' | 'compare';

export type EngineEvent =
  /** A config was refused; `during` says what the user did and so what happened instead. */
  | { type: 'config-rejected'; during: 'start' | 'configure' | 'revive' | 'reset' | 'backend' | 'recovery'; problem: ConfigProblem; backend?: BackendKind }
  | { type: 'gpu-unavailable'; reason: string }
  /** `cause` and `reason` (in words): src/engine/divergence.ts, the one rule of the page, the CLI and the tests. */
  | { type: 'diverged'; run: RunRole; /** The run's index in the list: 0 the primary, 1..3 the compared runs (absent: 0 for 'main', 1 for 'compare'). */ index?: number; cause: DivergenceCause; step: number; limit: number; reason?: string }
  /** Play or Step after a blow-up without a change: nothing runs; the user must Reset or change the step size. */
  | { type: 'blocked-after-divergence'; step: number }
  /** A change after a blow-up (or after a failed start) started a fresh run. */
  | { type: 'restarted'; after: 'divergence' | 'failed-start'; changed: string[] }
  | { type: 'step-failed'; reason: string }
  /** `fromStep`: the primary run's restored step (undefined: no snapshot, started over); `runs`: the compared runs (split view), in order. */
  | { type: 'device-lost'; reason: string; recoveredOn: BackendKind; fromStep: number | undefined; runs?: { method: string; fromStep: number | undefined }[] }
  | { type: 'recording-stopped'; frames: number; limitBytes: number }
  /**
   * Split view: the compared run was refused or turned off. `index`: which compared run (2 or 3);
   * absent: run 1 ("Compare with"), as before runs became a list.
   */
  | { type: 'compare-rejected'; method: string; problem: ConfigProblem; index?: number }
  | { type: 'compare-identical'; method: string; index?: number }
  /** Split view: after a target change the compared method could not run; another one took its place. */
  | { type: 'compare-switched'; from: string; to: string; problem: ConfigProblem; index?: number }
  | { type: 'compare-off'; method: string; problem: ConfigProblem; index?: number }
  /** More compared runs than the view holds (src/engine/runList.ts MAX_RUNS). */
  | { type: 'runs-full'; max: number };

export interface EngineMessage {
  kind: 'info' | 'warning' | 'error';
  /** Plain text: the UI's own messages (say()), or the raw reason of an engine event. */
  text: string;
  /** The structured event, for engine messages (src/ui/messages.ts words it). */
  event?: EngineEvent;
}

/** A thrown validation error as data (ConfigError: its field; anything else: field ''). */
export function configProblem(e: unknown, method: string): ConfigProblem {
  if (e instanceof ConfigError) return { field: e.field, reason: e.message, method };
  return { field: '', reason: e instanceof Error ? e.message : String(e), method };
}

const KIND: Record<EngineEvent['type'], EngineMessage['kind']> = {
  'config-rejected': 'error',
  'gpu-unavailable': 'warning',
  diverged: 'error',
  'blocked-after-divergence': 'error',
  restarted: 'info',
  'step-failed': 'error',
  'device-lost': 'warning',
  'recording-stopped': 'warning',
  'compare-rejected': 'error',
  'compare-identical': 'error',
  'compare-switched': 'info',
  'compare-off': 'warning',
  'runs-full': 'error',
};

/** A compared run's event, naming its index when it is not run 1 (events about run 1 read as before). */
export function ofRun(event: EngineEvent, index: number): EngineEvent {
  if (index < 2) return event;
  switch (event.type) {
    case 'compare-rejected':
    case 'compare-identical':
    case 'compare-switched':
    case 'compare-off':
      return { ...event, index };
    default:
      return event;
  }
}

/** The message for an event: its kind and a plain fallback text (the raw reason, or the event type). */
export function eventMessage(event: EngineEvent): EngineMessage {
  return { kind: KIND[event.type], text: plainText(event), event };
}

function plainText(e: EngineEvent): string {
  switch (e.type) {
    case 'config-rejected':
    case 'compare-rejected':
    case 'compare-switched':
    case 'compare-off':
      return `${e.type}: ${e.problem.field}: ${e.problem.reason}`;
    case 'diverged':
      return e.reason !== undefined ? `diverged: ${e.reason}` : e.type;
    case 'gpu-unavailable':
    case 'step-failed':
    case 'device-lost':
      return `${e.type}: ${e.reason}`;
    default:
      return e.type;
  }
}
