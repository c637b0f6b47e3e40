/**
 * Progress of long `wgf` runs on stderr (issue 21 item 5): silent for the first `delayMs` (2 s), then
 * a bar redrawn in place when stderr is a terminal, or one line per 10% otherwise (logs, CI), each
 * with the elapsed time and an estimate of what is left. `finish()` ends the bar's line.
 */
export interface ProgressSink {
  err: (text: string) => void;
  /** stderr is a terminal: draw a bar with \r. */
  isTTY?: boolean;
  /** Show progress at all (the real process: true; in-process callers such as tests leave it out). */
  progress?: boolean;
}

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export class Progress {
  private readonly t0: number;
  private lastDecile = 0;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    /** e.g. 'wgf run' */
    private readonly label: string,
    /** total units (steps, iterations, samples) */
    private readonly total: number,
    /** e.g. 'steps' */
    private readonly unit: string,
    private readonly now: () => number = () => performance.now(),
    private readonly delayMs = 2000,
  ) {
    this.t0 = now();
  }

  /** `done` units of `total` are done. */
  update(done: number): void {
    const t = this.now();
    const elapsed = t - this.t0;
    if (this.sink.progress !== true || elapsed < this.delayMs || this.total <= 0) return;
    const frac = Math.min(1, Math.max(0, done / this.total));
    // work that ends before anything was shown stays silent (a run that was merely slow to start)
    if (frac >= 1 && !this.drawn) return;
    const left = frac > 0 ? (elapsed * (1 - frac)) / frac / 1000 : Infinity;
    const text = `${Math.floor(frac * 100)}% (${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} ${this.unit}, ${fmtSeconds(elapsed / 1000)}, about ${fmtSeconds(left)} left; Ctrl-C stops)`;
    if (this.sink.isTTY) {
      if (t - this.lastDraw < 100 && frac < 1) return;
      this.lastDraw = t;
      const width = 30;
      const full = Math.round(frac * width);
      this.sink.err(`\r${this.label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${text}\x1b[K`);
      this.drawn = true;
      return;
    }
    const decile = Math.floor(frac * 10);
    // a line per 10%, and one every 30 s while a slow stretch crosses none (so a long step is not silence)
    if (decile > this.lastDecile || !this.drawn || t - this.lastDraw >= 30_000) {
      this.lastDecile = decile;
      this.lastDraw = t;
      this.drawn = true;
      this.sink.err(`${this.label}: ${text}\n`);
    }
  }

  /** Close the bar's line (a terminal) so what follows starts on a fresh line. */
  finish(): void {
    if (this.sink.isTTY && this.drawn) this.sink.err('\n');
    this.drawn = false;
  }
}
