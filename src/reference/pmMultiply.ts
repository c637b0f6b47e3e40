/**
 * Float64 twin of shaders/pmMultiply.wgsl: from F0 = FFT(rho_g), F1 = FFT(Sx_g + i Sy_g) (2 fields,
 * interleaved re/im) to out = Phi_x + i Phi_y (1 field) with, for |xi|_inf <= K,
 *   Phi = khat(xi) [S(xi) - 2 pi i xi F0(xi)] / [sinc(pi xi_x/G) sinc(pi xi_y/G)]^4,
 * Sx, Sy split from F1 by Hermitian symmetry; 0 outside the truncation.
 */
import { rieszKhat, TWO_PI } from './fourier';
import type { RieszOptions } from './torusSynth';

const sincPi = (t: number): number => (t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t));
const signedMode = (a: number, g: number): number => (a < g / 2 ? a : a - g);

export function pmMultiply(spec: Float64Array, g: number, o: RieszOptions): Float64Array {
  const g2 = g * g;
  const out = new Float64Array(2 * g2);
  const at = (i: number): number => spec[i] ?? 0;
  for (let c = 0; c < g2; c++) {
    const ax = c % g, ay = Math.floor(c / g);
    const xx = signedMode(ax, g), xy = signedMode(ay, g);
    if (Math.abs(xx) > o.modes || Math.abs(xy) > o.modes) continue;
    const neg = ((g - ay) % g) * g + ((g - ax) % g);
    const f1r = at(2 * (g2 + c)), f1i = at(2 * (g2 + c) + 1);
    const cjr = at(2 * (g2 + neg)), cji = -at(2 * (g2 + neg) + 1);
    const sxr = 0.5 * (f1r + cjr), sxi = 0.5 * (f1i + cji);
    const dzr = 0.5 * (f1r - cjr), dzi = 0.5 * (f1i - cji);
    const syr = dzi, syi = -dzr;
    const rr = at(2 * c), ri = at(2 * c + 1);
    const w = sincPi(xx / g) * sincPi(xy / g);
    const scale = rieszKhat(xx, xy, o.s, o.k0) / (w * w * w * w);
    const pxr = scale * (sxr + TWO_PI * xx * ri), pxi = scale * (sxi - TWO_PI * xx * rr);
    const pyr = scale * (syr + TWO_PI * xy * ri), pyi = scale * (syi - TWO_PI * xy * rr);
    out[2 * c] = pxr - pyi;
    out[2 * c + 1] = pxi + pyr;
  }
  return out;
}
