/**
 * Float64 twin of shaders/langevinStep.wgsl (same Philox counters, same formulas).
 *   y = x + h s(x) + sqrt(2h) xi;  MALA: accept if log u < log pi(y) - log pi(x) - (|bwd|^2 - |fwd|^2)/(4h).
 */
import type { PackedTarget } from '../core/packed';
import { targetLogp, targetScore } from './targetEval';
import { PHILOX_KEY_HI, philox4x32, philoxNormal2, philoxUniform, Stream } from './philox';

export interface LangevinStepParams {
  n: number;
  h: number;
  seed: number;
  mala: boolean;
  /** The step counter (clock) for the Philox counter. */
  step: number;
}

/** Updates x (interleaved, length 2n) in place; returns the number of accepted proposals (n for ULA). */
export function langevinStep(x: Float64Array, target: PackedTarget, p: LangevinStepParams): number {
  const words = new Uint32Array(4);
  const c = Math.sqrt(2 * p.h);
  let accepted = 0;
  for (let i = 0; i < p.n; i++) {
    const x0 = x[2 * i] ?? 0;
    const x1 = x[2 * i + 1] ?? 0;
    philox4x32(i, p.step, Stream.langevinNoise, 0, p.seed, PHILOX_KEY_HI, words);
    const [z0, z1] = philoxNormal2(words[0] ?? 0, words[1] ?? 0);
    const [sx0, sx1] = targetScore(target, x0, x1);
    const y0 = x0 + p.h * sx0 + c * z0;
    const y1 = x1 + p.h * sx1 + c * z1;
    if (!p.mala) {
      x[2 * i] = y0;
      x[2 * i + 1] = y1;
      accepted++;
      continue;
    }
    const [sy0, sy1] = targetScore(target, y0, y1);
    const f0 = y0 - x0 - p.h * sx0, f1 = y1 - x1 - p.h * sx1;
    const b0 = x0 - y0 - p.h * sy0, b1 = x1 - y1 - p.h * sy1;
    const logA = targetLogp(target, y0, y1) - targetLogp(target, x0, x1) - (b0 * b0 + b1 * b1 - f0 * f0 - f1 * f1) / (4 * p.h);
    const u = philoxUniform(words[2] ?? 0);
    if (Math.log(u) < logA) {
      x[2 * i] = y0;
      x[2 * i + 1] = y1;
      accepted++;
    }
  }
  return accepted;
}
