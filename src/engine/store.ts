/**
 * The React bridge: subscribe / getSnapshot for useSyncExternalStore. The snapshot is rebuilt
 * only when published, so React sees a new object exactly when something changed: discrete
 * events publish at once (`emit(true)`), frame updates at most every `throttleMs`.
 */
export class Store<S> {
  private readonly listeners = new Set<() => void>();
  private snapshot: S;
  private lastEmitAt = -Infinity;
  /** Something changed since the last publish (a frame update held back by the throttle). */
  dirty = true;

  constructor(
    private readonly build: () => S,
    private readonly throttleMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.snapshot = build();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): S => this.snapshot;

  /** Publish now (force) or, for frame updates, at most every throttleMs (else stay dirty). */
  emit(force = false): void {
    const t = this.now();
    if (!force && t - this.lastEmitAt < this.throttleMs) {
      this.dirty = true;
      return;
    }
    this.lastEmitAt = t;
    this.dirty = false;
    this.snapshot = this.build();
    for (const l of [...this.listeners]) l();
  }

  clear(): void {
    this.listeners.clear();
  }
}
