/**
 * Device-loss recovery: while a GPU run plays, a positions snapshot of every run (the primary and
 * the split view's compared runs) is read back every SNAPSHOT_EVERY_MS; on pause (and after a
 * Step while paused) one is taken at once, so a paused run loses nothing; after a recovery the
 * restored snapshot is kept, so a second loss soon after restores the same step instead of
 * resetting. When the device is lost the engine builds a new backend and restores each run's
 * snapshot into its new run (same config, same n): the user loses at most a few seconds, and
 * the message names every run that was restored and every run that started over.
 *
 * The one recovery path for every run (the primary and runs 1..3 alike): holdRuns before the runs
 * are rebuilt, restoreRuns after; used for a lost device and for a stuck run (Engine.recoverStall).
 */
import type { Simulation } from './types';

export const SNAPSHOT_EVERY_MS = 2000;

export interface PositionsSnapshot {
  data: Float32Array;
  step: number;
  n: number;
  /** The run it was read from: a snapshot restores only into the run that replaced this one. */
  source?: Simulation | undefined;
}

export class SnapshotKeeper {
  private snap: PositionsSnapshot | undefined;
  private lastAt = -Infinity;
  /** Bumped by clear() and keep(): a read started before either is dropped when it lands. */
  private epoch = 0;

  constructor(private readonly everyMs = SNAPSHOT_EVERY_MS) {}

  get latest(): PositionsSnapshot | undefined {
    return this.snap;
  }

  /** A new run: the old snapshot no longer applies. */
  clear(): void {
    this.snap = undefined;
    this.lastAt = -Infinity;
    this.epoch++;
  }

  /** Keep `snap` as the latest (e.g. the one just restored into a recovered run). */
  keep(snap: PositionsSnapshot): void {
    this.snap = snap;
    this.epoch++;
  }

  /** Whether a snapshot is due at time `now` (ms). */
  due(now: number): boolean {
    return now - this.lastAt >= this.everyMs;
  }

  /** Take a snapshot of `sim` if one is due at time `now` (ms). */
  async maybeTake(sim: Simulation, now: number): Promise<void> {
    if (!this.due(now)) return;
    await this.take(sim, now);
  }

  /**
   * Take a snapshot of `sim` now (after its queued steps finished). A read abandoned by a lost or
   * destroyed run (an empty array) or a failed read keeps the previous snapshot.
   */
  async take(sim: Simulation, now: number): Promise<void> {
    this.lastAt = now;
    const epoch = this.epoch;
    try {
      await sim.finish();
      const step = sim.stepCount;
      const data = await sim.positions();
      if (data.length !== 2 * sim.n || epoch !== this.epoch) return;
      this.snap = { data, step, n: sim.n, source: sim };
    } catch {
      // the device went away mid-read: the previous snapshot stays the one to restore
    }
  }

  /**
   * Restore the snapshot into `sim` when it fits (same n and, when `from` is given, read from
   * `from`); returns the restored step (undefined: none restored).
   */
  restoreInto(sim: Simulation | undefined, snap: PositionsSnapshot | undefined = this.snap, from?: Simulation): number | undefined {
    if (!sim || !snap || snap.n !== sim.n) return undefined;
    if (from !== undefined && snap.source !== undefined && snap.source !== from) return undefined;
    sim.setPositions(snap.data, snap.step);
    return snap.step;
  }
}

/** A run as recovery sees it: its current simulation and its snapshot keeper. */
export interface RecoverableRun {
  readonly sim: Simulation | undefined;
  readonly snapshots: SnapshotKeeper;
}

/** Every run, its simulation and latest snapshot, held before the runs are rebuilt (device lost, stuck). */
export interface HeldRuns {
  held: { run: RecoverableRun; sim: Simulation | undefined; snap: PositionsSnapshot | undefined }[];
}

export function holdRuns(runs: readonly RecoverableRun[]): HeldRuns {
  return { held: runs.map((run) => ({ run, sim: run.sim, snap: run.snapshots.latest })) };
}

/**
 * After the runs were rebuilt: restore each run's held snapshot (found by the run's identity: a run
 * that was dropped meanwhile moves the others' indices) into its new simulation (only a snapshot
 * read from the simulation it replaced), and keep it, so that a second loss before the next
 * snapshot restores the same step again (not a reset). Returns, for each of `runs` in order, its
 * restored step (undefined: started over, or it had no simulation before).
 */
export function restoreRuns(before: HeldRuns, runs: readonly RecoverableRun[]): (number | undefined)[] {
  return runs.map((run) => {
    const h = before.held.find((x) => x.run === run);
    const sim = run.sim;
    if (!h || !sim || !h.sim) return undefined;
    const from = run.snapshots.restoreInto(sim, h.snap, h.sim);
    if (from !== undefined && h.snap) run.snapshots.keep({ ...h.snap, source: sim });
    return from;
  });
}

/** Take every run's snapshot at `now` (after their queued steps), together. */
export async function snapshotRuns(runs: readonly RecoverableRun[], now: number): Promise<void> {
  await Promise.all(runs.map((r) => (r.sim ? r.snapshots.take(r.sim, now) : undefined)));
}
