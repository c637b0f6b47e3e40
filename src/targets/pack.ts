/**
 * GPU packing of the analytic targets: the numbers read by shaders/common/targets.wgsl (as f32)
 * and by its float64 twin src/reference/targetEval.ts. Layout of `data` (vec4 slots, METHODS.md
 * "Built-in targets"):
 *
 *   0 gaussian-mixture (gaussian: count = 1), component k in slots 2k, 2k+1:
 *       [mx, my, logc, 0], [P11, P12, P22, 0];  P = S^-1, logc = log w - log 2pi - log det S / 2
 *       log p = logsumexp_k (logc_k - (x-m_k)^T P_k (x-m_k) / 2)             (normalised)
 *   1 banana   [a, b, m1, m2], [P11, P12, P22, logc]
 *       y = (x1/a, a x2 + a b (x1^2 + a^2)) ~ N(m, S);  log p = log N(y(x); m, S)   (det dy/dx = 1)
 *   2 donut    [r0, 1/c, logc, 0]:         log p = logc - (|x| - r0)^2 / c
 *   3 funnel   [shift, 1/sv^2, logc, 0]:   v = x2 - shift ~ N(0, sv^2), x1 | v ~ N(0, e^v)
 *   4 squiggle [w, 0, logc, 0], [P11, P12, P22, 0]:  (x1, x2 + sin(w x1)) ~ N(0, S)
 *   5..8 u1..u4 (Rezende & Mohamed 2015): no data, constants live in the code (unnormalised).
 *  10 wrapped-Gaussian mixture on the torus [0,1)^2 (`torus-mixture`), slots as kind 0 with
 *       m_k wrapped into [0,1)^2:  log p = logsumexp_{k, a in {-1,0,1}^2} (logc_k - (d+a)^T P_k (d+a) / 2),
 *       d = (x - m_k) - round(x - m_k)   (normalised on the torus up to images beyond the 9 nearest)
 *  11 formula (issue 20): the values of the formula's parameters in slots 0-1 (in the formula's
 *       order); the code is the packed target's `shader` (src/targets/formula.ts)
 *   9 isotropic mixture (up to TARGET_DATA_VEC4 = 32 components, e.g. `25gaussians`), slot k:
 *       [mx, my, logc, prec];  prec = 1/sigma^2, logc = log w - log 2pi + log prec
 *       log p = logsumexp_k (logc_k - prec_k |x - m_k|^2 / 2)                 (normalised)
 */
import { targetParamsLayout } from '../gpu/structs';
import { MAX_COMPONENTS, TARGET_DATA_VEC4, type Component, type PackedTarget } from './types';

/** Kind codes shared with `tgt.kind` in shaders/common/targets.wgsl. */
export const TargetKind = {
  gaussianMixture: 0,
  banana: 1,
  donut: 2,
  funnel: 3,
  squiggle: 4,
  u1: 5,
  u2: 6,
  u3: 7,
  u4: 8,
  isotropicMixture: 9,
  torusMixture: 10,
  /**
   * A formula (src/targets/formula.ts): its WGSL rides on the packed target (PackedTarget.shader,
   * `fn target_formula`), its parameter values in data slots 0-1; the twin is PackedTarget.evalPoint.
   */
  formula: 11,
  /** Sample-only targets: no density (log p = 0, score = 0 on both backends). */
  none: 15,
} as const;
export type TargetKindCode = (typeof TargetKind)[keyof typeof TargetKind];

const LOG_2PI = Math.log(2 * Math.PI);

export function emptyPacked(kind: TargetKindCode, count = 0): PackedTarget {
  return { kind, count, data: new Float64Array(TARGET_DATA_VEC4 * 4) };
}

function setSlot(p: PackedTarget, slot: number, a: number, b: number, c: number, d: number): void {
  p.data.set([a, b, c, d], 4 * slot);
}

/** Inverse and log-determinant of the SPD matrix [s11, s12; s12, s22] (callers validate first). */
export function spdInverse(cov: readonly [number, number, number]): { prec: [number, number, number]; logDet: number } {
  const [s11, s12, s22] = cov;
  const det = s11 * s22 - s12 * s12;
  if (!(s11 > 0 && s22 > 0 && det > 0)) throw new Error(`covariance [${cov.join(', ')}] is not positive definite`);
  return { prec: [s22 / det, -s12 / det, s11 / det], logDet: Math.log(det) };
}

/** Gaussian mixture; weights are normalised here. */
export function packMixture(comps: readonly Component[]): PackedTarget {
  if (comps.length < 1 || comps.length > MAX_COMPONENTS) throw new Error(`a mixture needs 1..${MAX_COMPONENTS} components, got ${comps.length}`);
  const total = comps.reduce((s, c) => s + c.weight, 0);
  const p = emptyPacked(TargetKind.gaussianMixture, comps.length);
  comps.forEach((c, k) => {
    const { prec, logDet } = spdInverse(c.cov);
    const logc = Math.log(c.weight / total) - LOG_2PI - 0.5 * logDet;
    setSlot(p, 2 * k, c.mean[0], c.mean[1], logc, 0);
    setSlot(p, 2 * k + 1, prec[0], prec[1], prec[2], 0);
  });
  return p;
}

/** Wrapped-Gaussian mixture on the torus (kind 10); means wrapped into [0,1)^2, weights normalised here. */
export function packTorusMixture(comps: readonly Component[]): PackedTarget {
  const p = packMixture(comps);
  p.kind = TargetKind.torusMixture;
  for (let k = 0; k < comps.length; k++) {
    for (const i of [8 * k, 8 * k + 1]) {
      const v = p.data[i] ?? 0;
      p.data[i] = v - Math.floor(v);
    }
  }
  return p;
}

/** Isotropic mixture sum_k w_k N(m_k, sigma_k^2 I), up to TARGET_DATA_VEC4 components; weights normalised here. */
export function packIsotropicMixture(comps: readonly { mean: readonly [number, number]; std: number; weight: number }[]): PackedTarget {
  if (comps.length < 1 || comps.length > TARGET_DATA_VEC4) throw new Error(`an isotropic mixture needs 1..${TARGET_DATA_VEC4} components, got ${comps.length}`);
  const total = comps.reduce((s, c) => s + c.weight, 0);
  const p = emptyPacked(TargetKind.isotropicMixture, comps.length);
  comps.forEach((c, k) => {
    if (!(c.std > 0) || !(c.weight > 0)) throw new Error(`isotropic mixture component ${k}: std and weight must be positive`);
    const prec = 1 / (c.std * c.std);
    setSlot(p, k, c.mean[0], c.mean[1], Math.log(c.weight / total) - LOG_2PI + Math.log(prec), prec);
  });
  return p;
}

export function packBanana(a: number, b: number, mean: readonly [number, number], cov: readonly [number, number, number]): PackedTarget {
  const { prec, logDet } = spdInverse(cov);
  const p = emptyPacked(TargetKind.banana);
  setSlot(p, 0, a, b, mean[0], mean[1]);
  setSlot(p, 1, prec[0], prec[1], prec[2], -LOG_2PI - 0.5 * logDet);
  return p;
}

/** erf, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7); only used for the donut's normaliser. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/**
 * Ring of radius r0, log p = logc - (|x| - r0)^2 / c, normalised by
 * Z = 2 pi int_0^inf exp(-(r - r0)^2 / c) r dr = 2 pi [c/2 exp(-r0^2/c) + r0 sqrt(pi c) (1 + erf(r0/sqrt c)) / 2].
 */
export function packDonut(r0: number, c: number): PackedTarget {
  const z = 2 * Math.PI * (0.5 * c * Math.exp((-r0 * r0) / c) + 0.5 * r0 * Math.sqrt(Math.PI * c) * (1 + erf(r0 / Math.sqrt(c))));
  const p = emptyPacked(TargetKind.donut);
  setSlot(p, 0, r0, 1 / c, -Math.log(z), 0);
  return p;
}

/** Neal's funnel shifted: v = x2 - shift ~ N(0, sv^2), x1 | v ~ N(0, e^v). */
export function packFunnel(shift: number, sv: number): PackedTarget {
  const p = emptyPacked(TargetKind.funnel);
  setSlot(p, 0, shift, 1 / (sv * sv), -0.5 * Math.log(2 * Math.PI * sv * sv) - 0.5 * LOG_2PI, 0);
  return p;
}

export function packSquiggle(w: number, cov: readonly [number, number, number]): PackedTarget {
  const { prec, logDet } = spdInverse(cov);
  const p = emptyPacked(TargetKind.squiggle);
  setSlot(p, 0, w, 0, -LOG_2PI - 0.5 * logDet, 0);
  setSlot(p, 1, prec[0], prec[1], prec[2], 0);
  return p;
}

/**
 * The GPU uniform (TargetParams): u32 kind, u32 count, then TARGET_DATA_VEC4 vec4f, at the size and
 * offsets read from shaders/common/targets.wgsl (src/gpu/structs.ts). GPU paths only (the layout is
 * parsed on first use).
 */
export function packTargetUniform(p: PackedTarget): ArrayBuffer {
  const l = targetParamsLayout();
  if (l.dataSlots !== TARGET_DATA_VEC4) throw new Error(`TargetParams.data has ${l.dataSlots} slots in the WGSL, TARGET_DATA_VEC4 = ${TARGET_DATA_VEC4}`);
  const buf = new ArrayBuffer(l.bytes);
  const view = new DataView(buf);
  view.setUint32(l.kindOffset, p.kind, true);
  view.setUint32(l.countOffset, p.count, true);
  new Float32Array(buf, l.dataOffset, l.dataSlots * 4).set(p.data.subarray(0, l.dataSlots * 4));
  return buf;
}
