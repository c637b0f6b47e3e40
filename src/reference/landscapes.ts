/**
 * Float64 twin of shaders/common/landscapes.wgsl: the pieces of an energy ("landscape") on P2(R^2)
 *   F(rho) = int V drho + 1/2 int int W(x, y) drho(x) drho(y)          (METHODS.md section 6)
 * with W(x, y) a general symmetric interaction (W(x, y) = W(y, x)), not only a function of x - y.
 * Same functions, same names, same order as the WGSL. Symmetric 2x2 matrices are [h11, h12, h22];
 * the cross term hess_12 W = d^2 W / dx dy is a general 2x2 matrix [a11, a12, a21, a22] (row-major).
 *
 *   vKind 0: V = 0
 *   vKind 1: V = (k/2) |x - m|^2,               v = [m1, m2, k, 0]
 *   vKind 2: V = (x1^2 - 1)^2 / 4 + x2^2 / 2    (double well, minimisers (+-1, 0), saddle 0)
 *   wKind 0: W = 0
 *   wKind 1: W = (c/2) |x - y|^2,               w = [c, 0, 0, 0]
 *   wKind 2: W = |z|^a / a - |z|^b / b, z = x - y, w = [a, b, 0, 0], a > b >= 2 (C^2 at z = 0)
 */

export interface PackedLandscape {
  vKind: number;
  wKind: number;
  /** 4 numbers: V's parameters. */
  v: Float64Array;
  /** 4 numbers: W's parameters. */
  w: Float64Array;
}

export type Vec2 = [number, number];
/** Symmetric 2x2 [h11, h12, h22]. */
export type Sym2 = [number, number, number];
/** General 2x2 row-major [a11, a12, a21, a22]. */
export type Mat2 = [number, number, number, number];

const at = (a: Float64Array, i: number): number => a[i] ?? 0;

export function landV(L: PackedLandscape, x0: number, x1: number): number {
  if (L.vKind === 1) {
    const d0 = x0 - at(L.v, 0), d1 = x1 - at(L.v, 1);
    return 0.5 * at(L.v, 2) * (d0 * d0 + d1 * d1);
  }
  if (L.vKind === 2) {
    const q = x0 * x0 - 1;
    return 0.25 * q * q + 0.5 * x1 * x1;
  }
  return 0;
}

export function landGradV(L: PackedLandscape, x0: number, x1: number): Vec2 {
  if (L.vKind === 1) {
    const k = at(L.v, 2);
    return [k * (x0 - at(L.v, 0)), k * (x1 - at(L.v, 1))];
  }
  if (L.vKind === 2) return [x0 * (x0 * x0 - 1), x1];
  return [0, 0];
}

export function landHessV(L: PackedLandscape, x0: number, _x1: number): Sym2 {
  if (L.vKind === 1) {
    const k = at(L.v, 2);
    return [k, 0, k];
  }
  if (L.vKind === 2) return [3 * x0 * x0 - 1, 0, 1];
  return [0, 0, 0];
}

/** |z|^e for e >= 0 from r2 = |z|^2, with 0^0 = 1 (the power term's limit at z = 0). */
export function landPowR2(r2: number, e: number): number {
  if (e === 0) return 1;
  if (r2 === 0) return 0;
  return Math.pow(r2, 0.5 * e);
}

export function landW(L: PackedLandscape, x0: number, x1: number, y0: number, y1: number): number {
  const z0 = x0 - y0, z1 = x1 - y1;
  const r2 = z0 * z0 + z1 * z1;
  if (L.wKind === 1) return 0.5 * at(L.w, 0) * r2;
  if (L.wKind === 2) {
    const a = at(L.w, 0), b = at(L.w, 1);
    return landPowR2(r2, a) / a - landPowR2(r2, b) / b;
  }
  return 0;
}

/** grad_x W(x, y). */
export function landGradW1(L: PackedLandscape, x0: number, x1: number, y0: number, y1: number): Vec2 {
  const z0 = x0 - y0, z1 = x1 - y1;
  if (L.wKind === 1) {
    const c = at(L.w, 0);
    return [c * z0, c * z1];
  }
  if (L.wKind === 2) {
    const r2 = z0 * z0 + z1 * z1;
    const a = at(L.w, 0), b = at(L.w, 1);
    const s = landPowR2(r2, a - 2) - landPowR2(r2, b - 2);
    return [s * z0, s * z1];
  }
  return [0, 0];
}

/**
 * Radial pieces of hess |z|^p / p = |z|^(p-2) I + (p-2) |z|^(p-4) z z^T, written as
 * s I + t z z^T with t |z|^2 = (p-2) |z|^(p-2) finite (and t z z^T -> 0 at z = 0 for p >= 2).
 */
function powerHess(r2: number, p: number): [number, number] {
  const s = landPowR2(r2, p - 2);
  const t = r2 === 0 || p === 2 ? 0 : (p - 2) * landPowR2(r2, p - 4);
  return [s, t];
}

/** hess_xx W(x, y) (symmetric). */
export function landHessW11(L: PackedLandscape, x0: number, x1: number, y0: number, y1: number): Sym2 {
  const z0 = x0 - y0, z1 = x1 - y1;
  if (L.wKind === 1) {
    const c = at(L.w, 0);
    return [c, 0, c];
  }
  if (L.wKind === 2) {
    const r2 = z0 * z0 + z1 * z1;
    const [sa, ta] = powerHess(r2, at(L.w, 0));
    const [sb, tb] = powerHess(r2, at(L.w, 1));
    const s = sa - sb, t = ta - tb;
    return [s + t * z0 * z0, t * z0 * z1, s + t * z1 * z1];
  }
  return [0, 0, 0];
}

/** hess_xy W(x, y) = d/dy grad_x W (general 2x2, row-major); for W(x - y) it is -hess W(z). */
export function landHessW12(L: PackedLandscape, x0: number, x1: number, y0: number, y1: number): Mat2 {
  if (L.wKind === 1 || L.wKind === 2) {
    const [h11, h12, h22] = landHessW11(L, x0, x1, y0, y1);
    return [-h11, -h12, -h12, -h22];
  }
  return [0, 0, 0, 0];
}
