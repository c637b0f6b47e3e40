/**
 * Float64 twin of shaders/common/fourier.wgsl: Fourier helpers on the torus T^2 = [0,1)^2, the
 * Riesz kernel's coefficients, and the mode indexing shared by torusDft / torusSynth / pmMultiply.
 * Modes xi in [-K, K]^2 are stored row-major: m = (xi_y + K)(2K + 1) + (xi_x + K).
 */

/** WGSL round(): half to even. */
export function roundEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** p mod 1 in [0, 1). */
export function wrapUnit(p: number): number {
  const w = p - Math.floor(p);
  return w >= 1 ? 0 : w;
}

/** Minimum-image difference d - round(d) in [-1/2, 1/2]. */
export function minImage(d: number): number {
  return d - roundEven(d);
}

/** Riesz kernel of order s on T^2: khat(xi) = |xi|^(-2 s) for xi != 0, khat(0) = k0 (METHODS.md section 2). */
export function rieszKhat(xx: number, xy: number, s: number, k0: number): number {
  const r2 = xx * xx + xy * xy;
  return r2 === 0 ? k0 : Math.pow(r2, -s);
}

/** Number of modes (2K + 1)^2 for |xi|_inf <= K. */
export const modeCount = (k: number): number => (2 * k + 1) * (2 * k + 1);

/** Mode m -> xi = (xi_x, xi_y). */
export function modeXi(m: number, k: number): [number, number] {
  const w = 2 * k + 1;
  return [(m % w) - k, Math.floor(m / w) - k];
}

export const TWO_PI = 2 * Math.PI;
