/** Small helpers shared by the benchmark scripts. */

/** Median (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/** Milliseconds as seconds, three significant digits: '1.23 s'. */
export const fmtS = (ms: number): string => `${(ms / 1000).toPrecision(3)} s`;
