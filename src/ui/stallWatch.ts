/**
 * The "playing but not stepping" watchdog (issue 21 item 8). Once a second the page compares the
 * primary run's step counter with the clock: a run that plays, is ready, has not blown up and is
 * visible must advance within
 *   limit = max(STALL_MIN_MS, STALL_FACTOR x the last batch's time)     (msPerStep x stepsPerFrame,
 *                                                                         the slowest run of the view)
 *   limit = STALL_FIRST_MS                                              (no batch finished yet: shader
 *                                                                         compilation on a software GPU)
 * A longer wait is a stuck state (a batch whose GPU work or read-back never completes, a frame loop
 * that stopped, a run that vanished): the page says so and recovers (Engine.recoverStall: the batches
 * in flight are abandoned, the runs rebuilt on the same backend from the latest snapshot, the frame
 * loop restarted). If the run is stuck again before it made one step, recovering again would only
 * loop: the page pauses and says so instead (Play tries again). Time while the page is hidden or
 * frozen (looks more than FROZEN_GAP_MS apart: a long synchronous task blocks the timer as it blocks
 * the frames) is not counted.
 *
 * Pure StallWatch (clock injected, tested in stallWatch.test.ts) + the React hook that drives it.
 */
import { useEffect } from 'react';
import type { Engine, EngineSnapshot } from '../engine/Engine';

export const STALL_MIN_MS = 10_000;
export const STALL_FACTOR = 5;
export const STALL_FIRST_MS = 60_000;
export const STALL_CHECK_MS = 1000;
/** Looks further apart than this: the page was frozen or throttled (the clock restarts). */
export const FROZEN_GAP_MS = 3000;

type RunTiming = Pick<NonNullable<EngineSnapshot['compare']>, 'step' | 'msPerStep' | 'stepsPerFrame'>;

/** What the watch reads from the engine's snapshot: every run (`runs`, the primary first), or the older compare / compare2. */
export type StallInput = Pick<EngineSnapshot, 'status' | 'playing' | 'diverged' | 'step' | 'msPerStep' | 'stepsPerFrame'> & {
  runs?: readonly RunTiming[] | undefined;
  compare?: RunTiming | undefined;
  compare2?: RunTiming | undefined;
};

/** The compared runs of the view (runs 1..3). */
function comparedOf(s: StallInput): RunTiming[] {
  return s.runs ? s.runs.slice(1) : [s.compare, s.compare2].filter((r) => r !== undefined);
}

/** Every run's step: any change restarts the clock. */
function stepsKey(s: StallInput): string {
  return [s.step, ...comparedOf(s).map((r) => r.step)].join('|');
}

export type StallVerdict =
  | { kind: 'ok' }
  /** Stuck for `waitedMs` at `step` (limit `limitMs`): recover. */
  | { kind: 'stalled'; step: number; waitedMs: number; limitMs: number }
  /** Stuck again right after a recovery, before any step: pause instead of looping. */
  | { kind: 'stalled-again'; step: number; waitedMs: number; limitMs: number };

/** The longest a healthy run may go without a step (see the header). */
export function stallLimitMs(s: StallInput): number {
  const runs = [s, ...comparedOf(s)];
  const batchMs = Math.max(...runs.map((r) => (r.msPerStep > 0 ? r.msPerStep * Math.max(1, r.stepsPerFrame) : Infinity)));
  if (!Number.isFinite(batchMs)) return STALL_FIRST_MS;
  return Math.max(STALL_MIN_MS, STALL_FACTOR * batchMs);
}

export class StallWatch {
  private key = '';
  private since = 0;
  /** A recovery happened and no step has been made since. */
  private recovered = false;
  private lastLook = -Infinity;

  /** Look at the snapshot at time `now` (ms); `visible`: the page is shown (hidden pages get no frames). */
  observe(s: StallInput, now: number, visible: boolean): StallVerdict {
    // every run's step, and the state that allows stepping: any change restarts the clock
    const key = stepsKey(s);
    const expected = visible && s.status === 'ready' && s.playing && !s.diverged;
    // a late look means the page itself was frozen (a long synchronous task) or throttled: no frame
    // could run meanwhile, so that time is not the run's
    const frozen = now - this.lastLook > FROZEN_GAP_MS;
    this.lastLook = now;
    if (!expected || frozen) {
      this.key = '';
      this.since = now;
      return { kind: 'ok' };
    }
    if (key !== this.key) {
      if (this.key !== '') this.recovered = false;
      this.key = key;
      this.since = now;
      return { kind: 'ok' };
    }
    const waitedMs = now - this.since;
    const limitMs = stallLimitMs(s);
    if (waitedMs <= limitMs) return { kind: 'ok' };
    this.since = now;
    if (this.recovered) {
      this.recovered = false;
      return { kind: 'stalled-again', step: s.step, waitedMs, limitMs };
    }
    return { kind: 'stalled', step: s.step, waitedMs, limitMs };
  }

  /** A recovery was made at `now`; `s` is the state right after it (its steps are the new start). */
  afterRecovery(s: StallInput, now: number): void {
    this.key = stepsKey(s);
    this.since = now;
    this.recovered = true;
  }
}

const sec = (ms: number): string => `${Math.round(ms / 1000)} s`;

/** The page's words for a verdict (`from`: the step the run continues from, undefined: started over). */
export function stallText(v: Exclude<StallVerdict, { kind: 'ok' }>, from?: number): string {
  if (v.kind === 'stalled-again') {
    return `Paused: the run is still not stepping after a recovery (no step for ${sec(v.waitedMs)} at step ${v.step}; its steps should take under ${sec(v.limitMs)}). Press Play to try again, or lower the number of particles`;
  }
  const how = from !== undefined ? `restarted from the snapshot at step ${from}` : 'restarted from step 0 (no snapshot to restore)';
  return `The run was playing but had not stepped for ${sec(v.waitedMs)} (stuck at step ${v.step}): ${how}`;
}

/** Drive a StallWatch from the engine once a second (the page's App). */
export function useStallWatch(engine: Engine): void {
  useEffect(() => {
    const watch = new StallWatch();
    const id = window.setInterval(() => {
      const v = watch.observe(engine.getSnapshot(), performance.now(), document.visibilityState !== 'hidden');
      if (v.kind === 'ok') return;
      if (v.kind === 'stalled-again') {
        engine.pause();
        engine.say('error', stallText(v));
        return;
      }
      const from = engine.recoverStall();
      engine.say('warning', stallText(v, from));
      watch.afterRecovery(engine.getSnapshot(), performance.now());
    }, STALL_CHECK_MS);
    return () => clearInterval(id);
  }, [engine]);
}
