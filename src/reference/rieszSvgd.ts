/**
 * Float64 Riesz-kernel SVGD on the torus T^2 (METHODS.md section 2), composed from the twins:
 *   direct: torusDft -> torusSynth                       O(N K^2), the exact truncated Fourier kernel
 *   pm:     pmDeposit -> fft -> pmMultiply -> fft^-1 -> pmInterp   O(N + G^2 log G)
 * Both return the velocity phi at the particles (interleaved); `rieszStep` wraps x + h phi mod 1.
 */
import { fft2d } from './fft';
import { wrapUnit } from './fourier';
import { pmDeposit } from './pmDeposit';
import { pmVelocity } from './pmInterp';
import { pmMultiply } from './pmMultiply';
import { torusDft } from './torusDft';
import { torusVelocity, type RieszOptions } from './torusSynth';

export function rieszVelocityDirect(x: Float64Array, scores: Float64Array, n: number, o: RieszOptions, scoreStride = 2): Float64Array {
  return torusVelocity(x, torusDft(x, scores, n, o.modes, scoreStride), n, o);
}

/** The grid velocity field (phi_x + i phi_y at the G x G nodes, interleaved re/im). */
export function rieszFieldPm(x: Float64Array, scores: Float64Array, n: number, g: number, o: RieszOptions, scoreStride = 2): Float64Array {
  const spec = fft2d(pmDeposit(x, scores, n, g, scoreStride), g, 2, -1);
  return fft2d(pmMultiply(spec, g, o), g, 1, 1);
}

export function rieszVelocityPm(x: Float64Array, scores: Float64Array, n: number, g: number, o: RieszOptions, scoreStride = 2): Float64Array {
  return pmVelocity(x, rieszFieldPm(x, scores, n, g, o, scoreStride), n, g);
}

export function rieszStep(x: Float64Array, phi: Float64Array, h: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = wrapUnit((x[i] ?? 0) + h * (phi[i] ?? 0));
  return out;
}
