/** Float64 twin of shaders/distRows.wgsl: rows[i] = sum_j |a_i - b_j|; and the energy distance from row sums. */
export function distRows(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number): Float64Array {
  const rows = new Float64Array(na);
  for (let i = 0; i < na; i++) {
    const a0 = a[2 * i] ?? 0, a1 = a[2 * i + 1] ?? 0;
    let acc = 0;
    for (let j = 0; j < nb; j++) acc += Math.hypot(a0 - (b[2 * j] ?? 0), a1 - (b[2 * j + 1] ?? 0));
    rows[i] = acc;
  }
  return rows;
}

function sum(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] ?? 0;
  return s;
}

/** ED = 2 E|X-Y| - E|X-X'| - E|Y-Y'| (V-statistics) from the three row-sum arrays. */
export function energyFromRows(xy: ArrayLike<number>, xx: ArrayLike<number>, yy: ArrayLike<number>, m: number, M: number): number {
  return (2 * sum(xy)) / (m * M) - sum(xx) / (m * m) - sum(yy) / (M * M);
}
