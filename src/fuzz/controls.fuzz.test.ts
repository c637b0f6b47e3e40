/**
 * Control sequences, fuzzed (issue 21, "control sequences" of the fuzz suite; items 8 and 9 in spirit):
 * seeded random sequences of what the panel can ask of the Engine (Play, Pause, Step, Reset, Space,
 * the Method / Target / Compare lists, Step size and Particles with good, absurd and invalid values,
 * Speed, animation frames) on the CPU backend with manual frames. The oracle, after every action:
 *   - nothing throws (a refused change returns false and names its field in a message);
 *   - a refused configure leaves the configuration as it was;
 *   - the configuration the engine holds is always one it accepted: n a whole number within the
 *     backend's limit, a finite positive step size;
 * and at the end of each sequence, the state is leavable by the controls alone: choose a plain run
 * (Langevin on the Gaussian, N = 16, h = 0.05), Compare none, Reset, Play: it steps and has not diverged.
 * A short budget runs here (default 100); `FUZZ_CONTROLS=10000 [FUZZ_SEED=k] npx vitest run
 * src/fuzz/controls.fuzz.test.ts` is the long budget, reported as tried / refused / accepted / failed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/Engine';
import { manualEngine as manualEngineOf } from '../engine/manualEngine';
import type { RunConfig } from '../engine/types';
import { methods } from '../methods/registry';
import { targets } from '../targets/registry';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_207);
const CASES = Number(process.env.FUZZ_CONTROLS ?? 100);

const plain: RunConfig = {
  method: 'langevin',
  params: {},
  target: { id: 'gaussian', params: {} },
  n: 16,
  stepSize: 0.05,
  seed: 1,
  init: { kind: 'gaussian', mean: [0, 0], std: 1 },
};

type Action =
  | { kind: 'play' | 'pause' | 'step' | 'reset' | 'toggle' | 'compare-off' }
  | { kind: 'frames'; k: number }
  | { kind: 'method'; id: string }
  | { kind: 'target'; id: string }
  | { kind: 'compare'; id: string }
  | { kind: 'stepSize'; v: number }
  | { kind: 'n'; v: number }
  | { kind: 'speed'; v: 'auto' | 'slow' | number };

const methodIds = methods.map((m) => m.id);
const targetIds = targets.map((t) => t.id);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.constantFrom<Action>({ kind: 'play' }, { kind: 'pause' }, { kind: 'step' }, { kind: 'reset' }, { kind: 'toggle' }, { kind: 'compare-off' }),
  fc.integer({ min: 1, max: 3 }).map((k): Action => ({ kind: 'frames', k })),
  fc.constantFrom(...methodIds).map((id): Action => ({ kind: 'method', id })),
  fc.constantFrom(...targetIds, 'no-such-target').map((id): Action => ({ kind: 'target', id })),
  fc.constantFrom(...methodIds, 'no-such-method').map((id): Action => ({ kind: 'compare', id })),
  fc.constantFrom(1e-4, 0.01, 0.05, 0.5, 5, 1e3, 1e6, 0, -1, Number.NaN, Number.POSITIVE_INFINITY).map((v): Action => ({ kind: 'stepSize', v })),
  fc.constantFrom(8, 16, 32, 0, -5, 2.5, 1e12, Number.NaN).map((v): Action => ({ kind: 'n', v })),
  fc.constantFrom<'auto' | 'slow' | number>('auto', 1, 5, 'slow').map((v): Action => ({ kind: 'speed', v })),
);

/** An engine on the CPU backend with manual frames (src/engine/manualEngine.ts), one step per frame. */
async function manualEngine(): Promise<{ engine: Engine; frame: () => Promise<void> }> {
  const m = await manualEngineOf(plain);
  m.engine.setSpeed(1);
  return m;
}

const tally = { tried: 0, refused: 0, accepted: 0, failed: 0 };

/** Apply one action; returns whether a change was refused. Throws only through the oracle. */
async function apply(engine: Engine, frame: () => Promise<void>, a: Action): Promise<boolean | undefined> {
  const n = engine.getSnapshot().config.n;
  switch (a.kind) {
    case 'play':
      engine.play();
      return undefined;
    case 'pause':
      engine.pause();
      return undefined;
    case 'toggle':
      engine.toggle();
      return undefined;
    case 'step':
      engine.stepOnce();
      await frame();
      return undefined;
    case 'reset':
      engine.reset();
      return undefined;
    case 'compare-off':
      return !engine.setCompare(undefined);
    case 'frames':
      for (let i = 0; i < a.k; i++) await frame();
      return undefined;
    case 'method':
      return !engine.configure({ method: a.id, params: {}, n: Math.min(n, 32) });
    case 'target':
      return !engine.setTarget({ id: a.id, params: {} });
    case 'compare':
      return !engine.setCompare(a.id);
    case 'stepSize':
      return !engine.configure({ stepSize: a.v });
    case 'n':
      return !engine.configure({ n: a.v });
    case 'speed':
      engine.setSpeed(a.v);
      return undefined;
  }
}

describe('fuzz: control sequences on the engine (CPU backend, manual frames)', () => {
  it(`${CASES} seeded sequences: nothing throws, refusals change nothing, every state leads back to a stepping run`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), async (actions) => {
        const { engine, frame } = await manualEngine();
        try {
          for (const a of actions) {
            tally.tried++;
            const before = engine.getSnapshot().config;
            const refused = await apply(engine, frame, a);
            const after = engine.getSnapshot().config;
            if (refused === true) {
              tally.refused++;
              // a refused change leaves the configuration as it was
              expect(after, `refused ${JSON.stringify(a)} changed the configuration`).toEqual(before);
            } else tally.accepted++;
            // the held configuration is always one the engine accepted
            expect(Number.isInteger(after.n) && after.n >= 1 && after.n <= 1_048_576, `n = ${after.n} after ${JSON.stringify(a)}`).toBe(true);
            expect(Number.isFinite(after.stepSize) && after.stepSize > 0, `h = ${after.stepSize} after ${JSON.stringify(a)}`).toBe(true);
          }
          // leavable by the controls alone: a plain run, no compare, Reset, Play -> it steps
          engine.setCompare(undefined);
          expect(engine.configure({ method: plain.method, params: {}, target: plain.target, n: plain.n, stepSize: plain.stepSize, domain: 'plane' }), 'the plain run was refused').toBe(true);
          engine.setSpeed(1);
          engine.reset();
          engine.play();
          const s0 = engine.getSnapshot().step;
          for (let i = 0; i < 8 && engine.getSnapshot().step <= s0 + 1; i++) await frame();
          const end = engine.getSnapshot();
          expect(end.diverged, 'the plain run diverged').toBe(false);
          expect(end.playing, 'the plain run is not playing').toBe(true);
          expect(end.step, `the plain run did not step after ${JSON.stringify(actions)}`).toBeGreaterThan(s0);
        } catch (e) {
          tally.failed++;
          throw e;
        } finally {
          engine.dispose();
        }
      }),
      { seed: SEED, numRuns: CASES, endOnFailure: true },
    );
    console.log(`fuzz: ${CASES} control sequences, ${tally.tried} actions tried: ${tally.refused} refused, ${tally.accepted} accepted, ${tally.failed} failed`);
    expect(tally.failed).toBe(0);
  }, Math.max(900_000, CASES * 3_000));
});
