/**
 * Float64 twin of shaders/torusSynth.wgsl: Riesz-kernel SVGD velocity on T^2 from the modes of
 * torusDft (METHODS.md section 2),
 *   phi(x) = sum_{|xi|_inf <= K} khat(xi) [ S(xi) - 2 pi i xi R(xi) ] e^{2 pi i xi.x},
 *   khat(xi) = |xi|^(-2s), khat(0) = k0;   x_i <- (x_i + h phi(x_i)) mod 1.
 * `torusVelocity` returns phi at the particles (interleaved) for the exact tests.
 */
import { modeCount, modeXi, rieszKhat, TWO_PI, wrapUnit } from './fourier';

export interface RieszOptions {
  /** K: modes |xi|_inf <= K. */
  modes: number;
  s: number;
  k0: number;
}

export function torusVelocity(x: Float64Array, coef: Float64Array, n: number, o: RieszOptions): Float64Array {
  const mc = modeCount(o.modes);
  const a = new Float64Array(4 * mc);
  for (let m = 0; m < mc; m++) {
    const [xx, xy] = modeXi(m, o.modes);
    const kh = rieszKhat(xx, xy, o.s, o.k0);
    const c = (i: number): number => coef[8 * m + i] ?? 0;
    a.set([kh * (c(0) + TWO_PI * xx * c(5)), kh * (c(1) - TWO_PI * xx * c(4)), kh * (c(2) + TWO_PI * xy * c(5)), kh * (c(3) - TWO_PI * xy * c(4))], 4 * m);
  }
  const phi = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const x0 = x[2 * i] ?? 0;
    const x1 = x[2 * i + 1] ?? 0;
    let p0 = 0, p1 = 0;
    for (let m = 0; m < mc; m++) {
      const [xx, xy] = modeXi(m, o.modes);
      const t = TWO_PI * (xx * x0 + xy * x1);
      const cs = Math.cos(t), sn = Math.sin(t);
      p0 += (a[4 * m] ?? 0) * cs - (a[4 * m + 1] ?? 0) * sn;
      p1 += (a[4 * m + 2] ?? 0) * cs - (a[4 * m + 3] ?? 0) * sn;
    }
    phi[2 * i] = p0;
    phi[2 * i + 1] = p1;
  }
  return phi;
}

export function torusSynth(x: Float64Array, coef: Float64Array, n: number, h: number, o: RieszOptions): Float64Array {
  const phi = torusVelocity(x, coef, n, o);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) out[i] = wrapUnit((x[i] ?? 0) + h * (phi[i] ?? 0));
  return out;
}
