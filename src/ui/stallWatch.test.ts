/**
 * The "playing but not stepping" watchdog (src/ui/stallWatch.ts): a healthy run never trips it (slow
 * steps get a limit from their own timing), a stuck one trips it once past its limit, a second stall
 * before any step after a recovery asks to pause instead of looping, and nothing counts while paused,
 * diverged, not ready or hidden.
 */
import { describe, expect, it } from 'vitest';
import { FROZEN_GAP_MS, STALL_FACTOR, STALL_FIRST_MS, STALL_MIN_MS, StallWatch, stallLimitMs, stallText, type StallInput } from './stallWatch';

/** Look once a second for `ms` (as the page does) from time `t`; the first non-ok verdict, or the last. */
function wait(w: StallWatch, s: StallInput, t: { now: number }, ms: number) {
  let v = w.observe(s, t.now, true);
  for (let k = 0; k < ms / 1000 && v.kind === 'ok'; k++) v = w.observe(s, (t.now += 1000), true);
  return v;
}

const run = (over: Partial<StallInput> = {}): StallInput => ({ status: 'ready', playing: true, diverged: false, step: 10, msPerStep: 5, stepsPerFrame: 2, ...over });

describe('StallWatch', () => {
  it('limits: the first batch gets STALL_FIRST_MS, later ones max(STALL_MIN_MS, factor x batch), the slowest run of the view counts', () => {
    expect(stallLimitMs(run({ msPerStep: 0 }))).toBe(STALL_FIRST_MS);
    expect(stallLimitMs(run())).toBe(STALL_MIN_MS);
    expect(stallLimitMs(run({ msPerStep: 4000, stepsPerFrame: 1 }))).toBe(STALL_FACTOR * 4000);
    expect(stallLimitMs(run({ compare: { step: 3, msPerStep: 3000, stepsPerFrame: 2 } }))).toBe(STALL_FACTOR * 6000);
    expect(stallLimitMs(run({ compare: { step: 0, msPerStep: 0, stepsPerFrame: 1 } }))).toBe(STALL_FIRST_MS);
  });

  it('a run that steps, even slowly, is never stalled; a stuck one is, once, then again only after its limit', () => {
    const w = new StallWatch();
    let t = 0;
    for (let k = 0; k < 100; k++, t += 1000) expect(w.observe(run({ step: k * 3 }), t, true).kind).toBe('ok');
    // 4 s a step: a step every 4 s is fine
    for (let k = 0; k < 30; k++, t += 1000) expect(w.observe(run({ step: 1000 + Math.floor(k / 4), msPerStep: 4000, stepsPerFrame: 1 }), t, true).kind).toBe('ok');
    const stuck = run({ step: 5000 });
    const start = t;
    let v = w.observe(stuck, t, true);
    while (v.kind === 'ok' && t - start < 60_000) v = w.observe(stuck, (t += 1000), true);
    expect(v).toMatchObject({ kind: 'stalled', step: 5000, limitMs: STALL_MIN_MS });
    expect(t - start).toBe(STALL_MIN_MS + 1000);
    expect(w.observe(stuck, t + 1000, true).kind).toBe('ok');
  });

  it('stuck again after a recovery before any step: stalled-again (pause, do not loop); a step in between clears it', () => {
    const w = new StallWatch();
    const t = { now: 0 };
    expect(wait(w, run({ step: 7 }), t, STALL_MIN_MS + 2000).kind).toBe('stalled');
    // the recovery restored step 5 and nothing moves after it
    w.afterRecovery(run({ step: 5 }), t.now);
    expect(wait(w, run({ step: 5 }), t, STALL_MIN_MS + 2000).kind).toBe('stalled-again');
    // a recovery that then steps is fine, and a later stall is a first stall again
    w.afterRecovery(run({ step: 5 }), t.now);
    expect(w.observe(run({ step: 6 }), (t.now += 1000), true).kind).toBe('ok');
    expect(wait(w, run({ step: 6 }), t, STALL_MIN_MS + 2000).kind).toBe('stalled');
  });

  it('a frozen page (the watch itself looked late) is not a stalled run', () => {
    const w = new StallWatch();
    let t = 0;
    w.observe(run(), t, true);
    // the main thread was blocked for 20 s: the first look after it restarts the clock
    expect(w.observe(run(), (t += 20_000), true).kind).toBe('ok');
    for (let k = 0; k < 9; k++) expect(w.observe(run(), (t += 1000), true).kind).toBe('ok');
    expect(w.observe(run(), t + FROZEN_GAP_MS - 1, true).kind).toBe('stalled');
  });

  it('paused, diverged, not ready or hidden: nothing counts, and the clock restarts after', () => {
    const w = new StallWatch();
    const t = { now: 0 };
    for (const s of [run({ playing: false }), run({ diverged: true }), run({ status: 'failed' }), run({ status: 'starting' })]) expect(wait(w, s, t, 120_000).kind).toBe('ok');
    for (let k = 0; k < 120; k++) expect(w.observe(run(), (t.now += 1000), false).kind).toBe('ok');
    const start = t.now;
    expect(wait(w, run(), t, 60_000).kind).toBe('stalled');
    expect(t.now - start).toBe(STALL_MIN_MS + 1000);
  });

  it('words: what happened, for how long, and what the page did', () => {
    expect(stallText({ kind: 'stalled', step: 42, waitedMs: 11_200, limitMs: 10_000 }, 40)).toBe('The run was playing but had not stepped for 11 s (stuck at step 42): restarted from the snapshot at step 40');
    expect(stallText({ kind: 'stalled', step: 42, waitedMs: 11_200, limitMs: 10_000 })).toMatch(/restarted from step 0 \(no snapshot to restore\)/);
    expect(stallText({ kind: 'stalled-again', step: 0, waitedMs: 31_000, limitMs: 30_000 })).toMatch(/^Paused: the run is still not stepping after a recovery .*Press Play/);
  });
});
