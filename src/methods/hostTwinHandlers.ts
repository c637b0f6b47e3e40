/**
 * The host twin as worker handlers (src/methods/hostTwinWorker.ts serves them; hostTwin.ts calls
 * them): one method's float64 CPU stepper (MethodDef.createCpu, the same as the CPU backend's and
 * the in-thread twin's), its float64 positions kept here between steps. Plain data in and out,
 * checked first: bad input is refused by a named message, never a crash.
 */
import type { JobContext } from '../platform/worker/protocol';
import { transfer } from '../platform/worker/protocol';
import type { PackedLandscape } from '../reference/landscapes';
import type { HostTwinHandlers, HostTwinRun } from './hostTwin';
import { getMethod } from './registry';
import type { CpuStepper } from './types';

const NO_TARGET = { kind: 0, count: 0, data: new Float64Array(0) };

function landscapeProblem(L: PackedLandscape): string | undefined {
  if (typeof L !== 'object' || L === null || !(L.v instanceof Float64Array) || !(L.w instanceof Float64Array) || !Number.isInteger(L.vKind) || !Number.isInteger(L.wKind)) return 'host twin: not an energy landscape';
  return undefined;
}

function runProblem(run: HostTwinRun): string | undefined {
  if (typeof run !== 'object' || run === null) return 'host twin: no run given';
  if (!Number.isInteger(run.n) || run.n < 1) return `host twin: N must be a positive integer (got ${String(run.n)})`;
  if (!(run.stepSize > 0) || !Number.isFinite(run.stepSize)) return `host twin: the step size must be a positive finite number (got ${String(run.stepSize)})`;
  return landscapeProblem(run.landscape);
}

/** Fresh handlers (one twin per worker; `open` replaces it). */
export function hostTwinHandlers(): HostTwinHandlers {
  let cpu: CpuStepper | undefined;
  let n = 0;
  let x: Float64Array | undefined;
  const twin = (): CpuStepper => {
    if (!cpu) throw new Error('host twin: step before open');
    return cpu;
  };
  return {
    open(_ctx: JobContext, run: HostTwinRun) {
      const problem = runProblem(run);
      if (problem) throw new Error(problem);
      const def = getMethod(run.method);
      if (def.needs !== 'landscape') throw new Error(`host twin: method '${run.method}' is not a landscape method`);
      cpu = def.createCpu({ n: run.n, stepSize: run.stepSize, seed: run.seed, params: run.params, domain: 'plane', landscape: run.landscape });
      n = run.n;
      x = undefined;
    },
    step(_ctx: JobContext, start: Float64Array | null, step: number) {
      const st = twin();
      if (start) {
        if (!(start instanceof Float64Array) || start.length !== 2 * n) throw new Error(`host twin: expected ${2 * n} coordinates for N = ${n}, got ${start instanceof Float64Array ? start.length : String(start)}`);
        x = start;
      }
      if (!x) throw new Error('host twin: the first step needs the positions');
      x = st.step(x, step, NO_TARGET);
      const r = st.readouts?.('metrics');
      const readouts = r instanceof Promise || !r ? {} : r;
      // the twin keeps x (it may step it in place): the page gets a copy
      const out = Float64Array.from(x);
      return transfer({ x: out, readouts }, [out.buffer]);
    },
    setStepSize(_ctx: JobContext, h: number) {
      if (!(h > 0) || !Number.isFinite(h)) throw new Error(`host twin: the step size must be a positive finite number (got ${String(h)})`);
      twin().setStepSize(h);
    },
    setLandscape(_ctx: JobContext, L: PackedLandscape) {
      const problem = landscapeProblem(L);
      if (problem) throw new Error(problem);
      twin().setLandscape?.(L);
    },
  };
}
