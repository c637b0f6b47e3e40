/**
 * The CPU simulation as worker handlers: one CpuSimulation (the float64 twins) per worker, driven
 * through the generic protocol. `step` runs its batch in time slices, yielding between steps every
 * STEP_SLICE_MS so a cancel is seen after the current step, and answers with the steps actually
 * done and the positions after them (transferred, for drawing on the main thread).
 */
import { CpuSimulation } from '../cpuSimulation';
import type { BackendInfo, Metrics, ParticleStats, RunConfig, TargetConfig } from '../types';
import { transfer, type JobContext, type Transfer } from '../../platform/worker/protocol';

/** Work between two checkpoints (ms): short enough for a prompt cancel, long enough to cost nothing. */
export const STEP_SLICE_MS = 8;

export interface StepResult {
  /** Steps done (fewer than asked when the batch was cancelled). */
  done: number;
  /** The positions after them, interleaved float64. */
  positions: Float64Array;
}

export function cpuSimulationHandlers() {
  let sim: CpuSimulation | undefined;
  const need = (): CpuSimulation => {
    if (!sim) throw new Error('cpu worker: no simulation yet (call create first)');
    return sim;
  };
  return {
    create(_ctx: JobContext, info: BackendInfo, config: RunConfig): number {
      sim?.destroy();
      sim = undefined;
      sim = new CpuSimulation(info, config);
      return sim.n;
    },
    async step(ctx: JobContext, count: number): Promise<Transfer<StepResult>> {
      const s = need();
      let done = 0;
      let t0 = performance.now();
      while (done < count && !ctx.signal.aborted) {
        s.step(1);
        done++;
        if (done < count && performance.now() - t0 >= STEP_SLICE_MS) {
          await ctx.checkpoint();
          t0 = performance.now();
        }
      }
      const positions = s.positions64();
      return transfer({ done, positions }, [positions.buffer]);
    },
    async positions(): Promise<Transfer<Float32Array>> {
      const p = await need().positions();
      return transfer(p, [p.buffer]);
    },
    setPositions(_ctx: JobContext, data: Float64Array, stepCount?: number): void {
      need().setPositions(data, stepCount);
    },
    stats(): Promise<ParticleStats> {
      return need().stats();
    },
    metrics(): Promise<Metrics> {
      return need().metrics();
    },
    setTarget(_ctx: JobContext, target: TargetConfig): void {
      need().setTarget(target);
    },
    setStepSize(_ctx: JobContext, h: number): void {
      need().setStepSize(h);
    },
    destroy(): void {
      sim?.destroy();
      sim = undefined;
    },
  };
}

export type CpuHandlers = ReturnType<typeof cpuSimulationHandlers>;
