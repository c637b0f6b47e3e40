/**
 * Float64 twin of shaders/particleStats.wgsl: [count, sx, sy, sxx, sxy, syy, maxAbs, nonFinite]
 * over finite particles, and the moments derived from them.
 */
export type StatsSums = [number, number, number, number, number, number, number, number];

export function particleStats(x: ArrayLike<number>, n: number): StatsSums {
  const s: StatsSums = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const a = x[2 * i] ?? NaN, b = x[2 * i + 1] ?? NaN;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      s[0] += 1; s[1] += a; s[2] += b; s[3] += a * a; s[4] += a * b; s[5] += b * b;
      s[6] = Math.max(s[6], Math.abs(a), Math.abs(b));
    } else {
      s[7] += 1;
    }
  }
  return s;
}

/** Mean and (biased, 1/count) covariance from the sums. */
export function momentsFromSums(s: ArrayLike<number>): { mean: [number, number]; cov: [number, number, number]; nonFinite: number; maxAbs: number } {
  const c = Math.max(s[0] ?? 0, 1);
  const mx = (s[1] ?? 0) / c, my = (s[2] ?? 0) / c;
  return {
    mean: [mx, my],
    cov: [(s[3] ?? 0) / c - mx * mx, (s[4] ?? 0) / c - mx * my, (s[5] ?? 0) / c - my * my],
    maxAbs: s[6] ?? 0,
    nonFinite: s[7] ?? 0,
  };
}

/** Mean and covariance of an interleaved [x0, y0, x1, y1, ...] cloud (its finite points). */
export function cloudMoments(x: ArrayLike<number>): { mean: [number, number]; cov: [number, number, number]; nonFinite: number; maxAbs: number } {
  return momentsFromSums(particleStats(x, Math.floor(x.length / 2)));
}
