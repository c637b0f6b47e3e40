/**
 * Float64 twin of shaders/common/landscapes.wgsl: the pieces of an energy ("landscape") on P2(R^2)
 *   F(rho) = int V drho + 1/2 int int W(x, y) drho(x) drho(y)          (METHODS.md section 6)
 * with W(x, y) a general symmetric interaction (W(x, y) = W(y, x)), not only a function of x - y.
 * Same functions, same names, same order as the WGSL. Symmetric 2x2 matrices are [h11, h12, h22];
 * the cross term hess_12 W = d^2 W / dx dy is a general 2x2 matrix [a11, a12, a21, a22] (row-major).
 *
 *   vKind 0: V = 0
 *   vKind 1: V = (k/2) |x - m|^2,               v = [m1, m2, k, 0]
 *   vKind 2: double well with wells m -+ d,      v = [m1, m2, d1, d2] (d != 0): with r = x - m,
 *            s = d.r / |d|^2, t = (d1 r2 - d2 r1) / |d|, V = (s^2 - 1)^2 / 4 + t^2 / 2; minimisers
 *            m -+ d (V = 0), saddle m. v = [0, 0, 1, 0] (the default) is V = (x1^2 - 1)^2/4 + x2^2/2
 *            bit for bit (s = x1, t = x2 exactly).
 *   wKind 0: W = 0
 *   wKind 1: W = (c/2) |x - y|^2,               w = [c, 0, 0, 0]
 *   wKind 2: W = |z|^a / a - |z|^b / b, z = x - y, w = [a, b, 0, 0], a > b >= 2 (C^2 at z = 0)
 *   vKind 3 + wKind 3: the mean-field two-layer network (`two-layer-net`). A particle is a neuron
 *     theta = (w, b) in R^2, f_rho(u) = int sigma(w u + b) drho(theta), sigma = tanh; data u_m =
 *     R (-1 + 2 m / (M - 1)), m = 0..M-1 (M >= 2 equispaced points in [-R, R]), labels from the
 *     two-neuron teacher y(u) = (sigma(w*_1 u + b*_1) + sigma(w*_2 u + b*_2)) / 2, and
 *       F(rho) = 1/2 E_u (y(u) - f_rho(u))^2   (E_u: the mean over the M points), i.e., with
 *       phi = (u, 1) and z = theta . phi,
 *       V(theta) = E_u [ y^2 / 2 - y sigma(z) ]       (the constant E y^2 / 2 makes F the loss itself)
 *       W(theta, theta') = E_u sigma(z) sigma(z')     (F = int V + 1/2 int int W: no 1/2 in W)
 *     W is symmetric but not a function of theta - theta'; hess_12 W = E_u sigma'(z) sigma'(z') phi phi^T.
 *     v = [w*_1, b*_1, w*_2, b*_2] (the teacher), w = [M, R, 0, 0]; V reads M and R from w too.
 *     The activation's argument is clamped to [-15, 15] (tanh there is 1 - 2e-13; WGSL's tanh may
 *     overflow beyond), in both twins.
 */

import type { TargetShader } from '../core/packed';

/**
 * A landscape evaluated on the host (formula landscapes, src/targets/formula.ts): v(x) and w(z)
 * write [value, d/dx0, d/dx1, h00, h01, h11] into out; W(x, y) = w(x - y). Used before vKind/wKind.
 */
export interface LandscapeHost {
  v(x0: number, x1: number, out: Float64Array): void;
  w(z0: number, z1: number, out: Float64Array): void;
}

const HOST_OUT = new Float64Array(6);

export interface PackedLandscape {
  /** Formula landscapes: V and W from the host (vKind, wKind are then not read by the twin). */
  host?: LandscapeHost;
  /** Formula landscapes: their WGSL (vKind, wKind 4 of shaders/common/landscapes.wgsl), spliced into the landscape kernels' modules. */
  shader?: TargetShader;
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
/** A value and its first two derivatives. */
export type Vec3 = [number, number, number];

const at = (a: Float64Array, i: number): number => a[i] ?? 0;

/** sigma = tanh with its argument clamped to [-15, 15] (as in the WGSL): [sigma, sigma', sigma'']. */
export function landAct(z: number): Vec3 {
  const t = Math.tanh(Math.min(15, Math.max(-15, z)));
  const d = 1 - t * t;
  return [t, d, -2 * t * d];
}

/** The number of data points M (clamped to [2, 256]) of a two-layer-net landscape. */
export function landNetM(L: PackedLandscape): number {
  return Math.min(256, Math.max(2, Math.round(at(L.w, 0))));
}

/** Data point u_m = R (-1 + 2 m / (M - 1)). */
export function landNetU(L: PackedLandscape, m: number, M: number): number {
  return at(L.w, 1) * (-1 + (2 * m) / (M - 1));
}

/** The teacher's label y(u) = (sigma(w*_1 u + b*_1) + sigma(w*_2 u + b*_2)) / 2. */
export function landNetY(L: PackedLandscape, u: number): number {
  return 0.5 * (landAct(at(L.v, 0) * u + at(L.v, 1))[0] + landAct(at(L.v, 2) * u + at(L.v, 3))[0]);
}

export function landV(L: PackedLandscape, x0: number, x1: number): number {
  if (L.host) { L.host.v(x0, x1, HOST_OUT); return HOST_OUT[0] ?? NaN; }
  if (L.vKind === 1) {
    const d0 = x0 - at(L.v, 0), d1 = x1 - at(L.v, 1);
    return 0.5 * at(L.v, 2) * (d0 * d0 + d1 * d1);
  }
  if (L.vKind === 2) {
    const [s, t] = wellCoords(L, x0, x1);
    const q = s * s - 1;
    return 0.25 * q * q + 0.5 * t * t;
  }
  if (L.vKind === 3) {
    const M = landNetM(L);
    let s = 0;
    for (let m = 0; m < M; m++) {
      const u = landNetU(L, m, M), y = landNetY(L, u);
      s += 0.5 * y * y - y * landAct(x0 * u + x1)[0];
    }
    return s / M;
  }
  return 0;
}

/** The double well's coordinates (s, t) of x (vKind 2): s = d.(x - m) / |d|^2 along the wells, t = d^perp.(x - m) / |d|. */
export function wellCoords(L: PackedLandscape, x0: number, x1: number): Vec2 {
  const r0 = x0 - at(L.v, 0), r1 = x1 - at(L.v, 1);
  const d0 = at(L.v, 2), d1 = at(L.v, 3);
  const l2 = d0 * d0 + d1 * d1;
  return [(d0 * r0 + d1 * r1) / l2, (d0 * r1 - d1 * r0) / Math.sqrt(l2)];
}

export function landGradV(L: PackedLandscape, x0: number, x1: number): Vec2 {
  if (L.host) { L.host.v(x0, x1, HOST_OUT); return [HOST_OUT[1] ?? NaN, HOST_OUT[2] ?? NaN]; }
  if (L.vKind === 1) {
    const k = at(L.v, 2);
    return [k * (x0 - at(L.v, 0)), k * (x1 - at(L.v, 1))];
  }
  if (L.vKind === 2) {
    // grad V = s (s^2 - 1) d / |d|^2 + t d^perp / |d|, d^perp = (-d2, d1)
    const [s, t] = wellCoords(L, x0, x1);
    const d0 = at(L.v, 2), d1 = at(L.v, 3);
    const l2 = d0 * d0 + d1 * d1, l = Math.sqrt(l2);
    const gs = s * (s * s - 1);
    return [(gs * d0) / l2 - (t * d1) / l, (gs * d1) / l2 + (t * d0) / l];
  }
  if (L.vKind === 3) {
    const M = landNetM(L);
    let g0 = 0, g1 = 0;
    for (let m = 0; m < M; m++) {
      const u = landNetU(L, m, M);
      const c = -landNetY(L, u) * landAct(x0 * u + x1)[1];
      g0 += c * u;
      g1 += c;
    }
    return [g0 / M, g1 / M];
  }
  return [0, 0];
}

export function landHessV(L: PackedLandscape, x0: number, x1: number): Sym2 {
  if (L.host) { L.host.v(x0, x1, HOST_OUT); return [HOST_OUT[3] ?? NaN, HOST_OUT[4] ?? NaN, HOST_OUT[5] ?? NaN]; }
  if (L.vKind === 1) {
    const k = at(L.v, 2);
    return [k, 0, k];
  }
  if (L.vKind === 2) {
    // hess V = (3 s^2 - 1) d d^T / |d|^4 + d^perp d^perp^T / |d|^2
    const [s] = wellCoords(L, x0, x1);
    const d0 = at(L.v, 2), d1 = at(L.v, 3);
    const l2 = d0 * d0 + d1 * d1;
    const a = (3 * s * s - 1) / (l2 * l2);
    return [a * d0 * d0 + (d1 * d1) / l2, a * d0 * d1 - (d0 * d1) / l2, a * d1 * d1 + (d0 * d0) / l2];
  }
  if (L.vKind === 3) {
    const M = landNetM(L);
    let h11 = 0, h12 = 0, h22 = 0;
    for (let m = 0; m < M; m++) {
      const u = landNetU(L, m, M);
      const c = -landNetY(L, u) * landAct(x0 * u + x1)[2];
      h11 += c * u * u;
      h12 += c * u;
      h22 += c;
    }
    return [h11 / M, h12 / M, h22 / M];
  }
  return [0, 0, 0];
}

/** |z|^e for e >= 0 from r2 = |z|^2, with 0^0 = 1 (the power term's limit at z = 0). */
export function landPowR2(r2: number, e: number): number {
  if (e === 0) return 1;
  if (r2 === 0) return 0;
  return Math.pow(r2, 0.5 * e);
}

export function landW(L: PackedLandscape, x0: number, x1: number, y0: number, y1: number): number {
  if (L.host) { L.host.w(x0 - y0, x1 - y1, HOST_OUT); return HOST_OUT[0] ?? NaN; }
  const z0 = x0 - y0, z1 = x1 - y1;
  const r2 = z0 * z0 + z1 * z1;
  if (L.wKind === 1) return 0.5 * at(L.w, 0) * r2;
  if (L.wKind === 2) {
    const a = at(L.w, 0), b = at(L.w, 1);
    return landPowR2(r2, a) / a - landPowR2(r2, b) / b;
  }
  if (L.wKind === 3) {
    const M = landNetM(L);
    let s = 0;
    for (let m = 0; m < M; m++) {
      const u = landNetU(L, m, M);
      s += landAct(x0 * u + x1)[0] * landAct(y0 * u + y1)[0];
    }
    return s / M;
  }
  return 0;
}

/** grad_x W(x, y). */
export function landGradW1(L: PackedLandscape, x0: number, x1: number, y0: number, y1: number): Vec2 {
  if (L.host) { L.host.w(x0 - y0, x1 - y1, HOST_OUT); return [HOST_OUT[1] ?? NaN, HOST_OUT[2] ?? NaN]; }
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
  if (L.wKind === 3) {
    const M = landNetM(L);
    let g0 = 0, g1 = 0;
    for (let m = 0; m < M; m++) {
      const u = landNetU(L, m, M);
      const c = landAct(x0 * u + x1)[1] * landAct(y0 * u + y1)[0];
      g0 += c * u;
      g1 += c;
    }
    return [g0 / M, g1 / M];
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
  if (L.host) { L.host.w(x0 - y0, x1 - y1, HOST_OUT); return [HOST_OUT[3] ?? NaN, HOST_OUT[4] ?? NaN, HOST_OUT[5] ?? NaN]; }
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
  if (L.wKind === 3) {
    const M = landNetM(L);
    let h11 = 0, h12 = 0, h22 = 0;
    for (let m = 0; m < M; m++) {
      const u = landNetU(L, m, M);
      const c = landAct(x0 * u + x1)[2] * landAct(y0 * u + y1)[0];
      h11 += c * u * u;
      h12 += c * u;
      h22 += c;
    }
    return [h11 / M, h12 / M, h22 / M];
  }
  return [0, 0, 0];
}

/** hess_xy W(x, y) = d/dy grad_x W (general 2x2, row-major); for W(x - y) it is -hess W(z). */
export function landHessW12(L: PackedLandscape, x0: number, x1: number, y0: number, y1: number): Mat2 {
  if (L.host || L.wKind === 1 || L.wKind === 2) {
    const [h11, h12, h22] = landHessW11(L, x0, x1, y0, y1);
    return [-h11, -h12, -h12, -h22];
  }
  if (L.wKind === 3) {
    // d^2/dx_r dy_c E sigma(x . phi) sigma(y . phi) = E sigma'(z) sigma'(z') phi_r phi_c (symmetric here)
    const M = landNetM(L);
    let a11 = 0, a12 = 0, a22 = 0;
    for (let m = 0; m < M; m++) {
      const u = landNetU(L, m, M);
      const c = landAct(x0 * u + x1)[1] * landAct(y0 * u + y1)[1];
      a11 += c * u * u;
      a12 += c * u;
      a22 += c;
    }
    return [a11 / M, a12 / M, a12 / M, a22 / M];
  }
  return [0, 0, 0, 0];
}

/** [grad_1 W(x, y), W(x, y)] in one pass (twin of land_pair_grad: the two-layer net's data loop once). */
export function landPairGrad(L: PackedLandscape, x0: number, x1: number, y0: number, y1: number): Vec3 {
  if (L.wKind === 3) {
    const M = landNetM(L);
    let g0 = 0, g1 = 0, w = 0;
    for (let m = 0; m < M; m++) {
      const u = landNetU(L, m, M);
      const sx = landAct(x0 * u + x1), sy = landAct(y0 * u + y1)[0];
      g0 += sx[1] * sy * u;
      g1 += sx[1] * sy;
      w += sx[0] * sy;
    }
    return [g0 / M, g1 / M, w / M];
  }
  const [g0, g1] = landGradW1(L, x0, x1, y0, y1);
  return [g0, g1, landW(L, x0, x1, y0, y1)];
}

/** hess_11 W(x, y) vx + hess_12 W(x, y) vy in one pass (twin of land_pair_hvp). */
export function landPairHvp(L: PackedLandscape, x0: number, x1: number, y0: number, y1: number, vx0: number, vx1: number, vy0: number, vy1: number): Vec2 {
  if (L.wKind === 3) {
    const M = landNetM(L);
    let a0 = 0, a1 = 0;
    for (let m = 0; m < M; m++) {
      const u = landNetU(L, m, M);
      const sx = landAct(x0 * u + x1), sy = landAct(y0 * u + y1);
      const c = sx[2] * sy[0] * (u * vx0 + vx1) + sx[1] * sy[1] * (u * vy0 + vy1);
      a0 += c * u;
      a1 += c;
    }
    return [a0 / M, a1 / M];
  }
  const [h11, h12, h22] = landHessW11(L, x0, x1, y0, y1);
  const [c11, c12, c21, c22] = landHessW12(L, x0, x1, y0, y1);
  return [h11 * vx0 + h12 * vx1 + c11 * vy0 + c12 * vy1, h12 * vx0 + h22 * vx1 + c21 * vy0 + c22 * vy1];
}
