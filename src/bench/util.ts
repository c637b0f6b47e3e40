/** Small helpers shared by the benchmark scripts. */

/** Median (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/** Milliseconds as seconds, three significant digits: '1.23 s'. */
export const fmtS = (ms: number): string => `${(ms / 1000).toPrecision(3)} s`;

/** A torus displacement's minimum image d - round(d) (round half to even, as WGSL's round()), in [-1/2, 1/2]. */
export function minImage(d: number): number {
  const r = Math.round(d);
  return d - (r - d === 0.5 && r % 2 !== 0 ? r - 1 : r);
}
