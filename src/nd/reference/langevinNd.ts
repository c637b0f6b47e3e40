/**
 * Float64 twin of shaders/nd/langevinNd.wgsl: ULA and MALA in d dimensions (METHODS.md section 1;
 * Roberts & Tweedie 1996), particles N x d row-major.
 *   ula / propose:  y_i = x_i + h s(x_i) + sqrt(2h) xi_i,  xi_i ~ N(0, I_d)
 *   accept (MALA):  log A_i = log pi(y_i) - log pi(x_i) - (|x_i - y_i - h s(y_i)|^2 - |y_i - x_i - h s(x_i)|^2) / (4h)
 *                   x_i <- y_i when log u_i < log A_i
 * Random numbers (Philox 4x32-10, src/reference/philox.ts): coordinate k of particle i at step t
 * takes the normal pair of counter (i, t, Stream.langevinNoise, floor(k/2)), member k mod 2; the
 * acceptance uniform is word 0 of counter (i, t, Stream.malaAccept, 0). The GPU draws the same words.
 */
import { philox4x32, philoxNormal2, philoxUniform, PHILOX_KEY_HI, Stream } from '../../reference/philox';
import type { NdTarget } from '../types';

const words = new Uint32Array(4);

/** The d standard normals of particle i at step t (see header). */
export function langevinNoise(i: number, step: number, seed: number, d: number, out: Float64Array, offset = 0): void {
  for (let p = 0; 2 * p < d; p++) {
    philox4x32(i, step, Stream.langevinNoise, p, seed, PHILOX_KEY_HI, words);
    const [a, b] = philoxNormal2(words[0] ?? 0, words[1] ?? 0);
    out[offset + 2 * p] = a;
    if (2 * p + 1 < d) out[offset + 2 * p + 1] = b;
  }
}

export function acceptUniform(i: number, step: number, seed: number): number {
  philox4x32(i, step, Stream.malaAccept, 0, seed, PHILOX_KEY_HI, words);
  return philoxUniform(words[0] ?? 0);
}

export interface LangevinNdStep {
  n: number;
  d: number;
  h: number;
  seed: number;
  step: number;
}

/** y = x + h s + sqrt(2h) xi (entry points `ula` (in place) and `propose` of the WGSL). */
export function langevinPropose(x: Float64Array, scores: Float64Array, o: LangevinNdStep): Float64Array {
  const { n, d, h } = o;
  const y = new Float64Array(n * d);
  const xi = new Float64Array(d);
  const c = Math.sqrt(2 * h);
  for (let i = 0; i < n; i++) {
    langevinNoise(i, o.step, o.seed, d, xi);
    for (let k = 0; k < d; k++) y[i * d + k] = (x[i * d + k] ?? 0) + h * (scores[i * d + k] ?? 0) + c * (xi[k] ?? 0);
  }
  return y;
}

/** The MALA test (entry point `accept`): returns the new x and the number accepted. */
export function langevinAccept(x: Float64Array, y: Float64Array, sx: Float64Array, sy: Float64Array, lpx: Float64Array, lpy: Float64Array, o: LangevinNdStep): { x: Float64Array; accepted: number } {
  const { n, d, h } = o;
  const out = Float64Array.from(x);
  let accepted = 0;
  for (let i = 0; i < n; i++) {
    let fwd = 0, bwd = 0;
    for (let k = 0; k < d; k++) {
      const xk = x[i * d + k] ?? 0, yk = y[i * d + k] ?? 0;
      const f = yk - xk - h * (sx[i * d + k] ?? 0);
      const b = xk - yk - h * (sy[i * d + k] ?? 0);
      fwd += f * f;
      bwd += b * b;
    }
    const logA = (lpy[i] ?? 0) - (lpx[i] ?? 0) - (bwd - fwd) / (4 * h);
    if (Math.log(acceptUniform(i, o.step, o.seed)) < logA) {
      for (let k = 0; k < d; k++) out[i * d + k] = y[i * d + k] ?? 0;
      accepted++;
    }
  }
  return { x: out, accepted };
}

/** One full ULA (mala = false) or MALA step on the CPU. */
export function langevinNdStep(target: NdTarget, x: Float64Array, o: LangevinNdStep & { mala: boolean }): { x: Float64Array; accepted: number } {
  const sx = new Float64Array(o.n * o.d);
  const lpx = target.logpGrad(x, o.n, sx);
  const y = langevinPropose(x, sx, o);
  if (!o.mala) return { x: y, accepted: o.n };
  const sy = new Float64Array(o.n * o.d);
  const lpy = target.logpGrad(y, o.n, sy);
  return langevinAccept(x, y, sx, sy, lpx, lpy, o);
}
