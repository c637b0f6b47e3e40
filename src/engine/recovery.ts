/**
 * Device-loss recovery: while a GPU run plays, a positions snapshot is read back every
 * SNAPSHOT_EVERY_MS; when the device is lost the engine builds a new backend and restores the
 * snapshot into the new run (same config, same n), so the user loses at most a few seconds.
 */
import type { Simulation } from './types';

export const SNAPSHOT_EVERY_MS = 2000;

export interface PositionsSnapshot {
  data: Float32Array;
  step: number;
  n: number;
}

export class SnapshotKeeper {
  private snap: PositionsSnapshot | undefined;
  private lastAt = -Infinity;

  constructor(private readonly everyMs = SNAPSHOT_EVERY_MS) {}

  get latest(): PositionsSnapshot | undefined {
    return this.snap;
  }

  /** A new run: the old snapshot no longer applies. */
  clear(): void {
    this.snap = undefined;
    this.lastAt = -Infinity;
  }

  /** Take a snapshot of `sim` if one is due at time `now` (ms). */
  async maybeTake(sim: Simulation, now: number): Promise<void> {
    if (now - this.lastAt < this.everyMs) return;
    this.lastAt = now;
    const data = await sim.positions();
    this.snap = { data, step: sim.stepCount, n: sim.n };
  }

  /** Restore the snapshot into `sim` when it fits; returns the restored step (undefined: none restored). */
  restoreInto(sim: Simulation | undefined, snap: PositionsSnapshot | undefined = this.snap): number | undefined {
    if (!sim || !snap || snap.n !== sim.n) return undefined;
    sim.setPositions(snap.data, snap.step);
    return snap.step;
  }
}
