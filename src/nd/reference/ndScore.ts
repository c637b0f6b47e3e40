/**
 * Float64 twin of shaders/nd/ndScore.wgsl: log-density and score of a packed d-D target (the
 * kinds the GPU evaluates: gaussian-nd with its diagonal covariance, blr, eight-schools,
 * funnel-nd), same formulas and the
 * same packed data as the WGSL reads. `packNdTarget` makes the package from a target of
 * src/nd/targets.ts; src/nd/gpu.test.ts checks the twin against the target's own logpGrad.
 */
import { eightSchoolsData } from '../datasets';
import type { BlrTarget } from '../targetsBlr';
import { sigmoid, softplus, type NdTarget } from '../types';

export interface PackedNdTarget {
  /** 0 gaussian-nd (diagonal), 1 blr, 2 eight-schools, 3 funnel-nd. */
  kind: 0 | 1 | 2 | 3;
  d: number;
  /** gaussian: [m (d), prec (d)]; blr: [X (rows x (d-1)), y (rows)]; eight-schools: [y (8), sigma (8)]; funnel: [1 / scale^2]. */
  tdata: Float64Array;
  rows: number;
  /** blr prior precision 1 / prior^2 (0 for gaussian). */
  pp: number;
  logNorm: number;
}

export function packNdTarget(t: NdTarget): PackedNdTarget {
  if (t.id === 'gaussian-nd') {
    const ex = t.exact;
    if (!ex) throw new Error('gaussian-nd: no exact moments');
    const tdata = new Float64Array(2 * t.d);
    tdata.set(ex.mean, 0);
    for (let k = 0; k < t.d; k++) tdata[t.d + k] = 1 / (ex.sd[k] ?? 1) ** 2;
    // logNorm = log pi at the mean
    const logNorm = t.logp(Float64Array.from(ex.mean), 1)[0] ?? 0;
    return { kind: 0, d: t.d, tdata, rows: 0, pp: 0, logNorm };
  }
  if (t.id === 'blr') {
    const { data } = t as BlrTarget;
    const f = data.features;
    const tdata = new Float64Array(data.rows * f + data.rows);
    tdata.set(data.x, 0);
    for (let r = 0; r < data.rows; r++) tdata[data.rows * f + r] = data.y[r] ?? 0;
    return { kind: 1, d: t.d, tdata, rows: data.rows, pp: 1 / data.prior ** 2, logNorm: -t.d * (0.5 * Math.log(2 * Math.PI) + Math.log(data.prior)) };
  }
  if (t.id === 'eight-schools' || t.id === 'funnel-nd') {
    let tdata: Float64Array;
    if (t.id === 'eight-schools') {
      const { y, sigma } = eightSchoolsData();
      tdata = Float64Array.from([...y, ...sigma]);
    } else {
      const scale = t.params.scale;
      if (typeof scale !== 'number') throw new Error('funnel-nd: no scale parameter');
      tdata = Float64Array.from([1 / (scale * scale)]);
    }
    const p: PackedNdTarget = { kind: t.id === 'eight-schools' ? 2 : 3, d: t.d, tdata, rows: 0, pp: 0, logNorm: 0 };
    // the constant: the target's normalised log-density minus the packed form's, at the origin
    const zero = new Float64Array(t.d);
    p.logNorm = (t.logp(zero, 1)[0] ?? 0) - (ndScore(p, zero, 1).logp[0] ?? 0);
    return p;
  }
  throw new Error(`ndScore: target '${t.id}' has no GPU form yet (gaussian-nd, blr, eight-schools and funnel-nd do)`);
}

export function ndScore(p: PackedNdTarget, x: Float64Array, n: number): { scores: Float64Array; logp: Float64Array } {
  const { d, tdata } = p;
  const scores = new Float64Array(n * d);
  const logp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let lp = 0;
    if (p.kind === 2) {
      const mu = x[o] ?? 0, lt = x[o + 1] ?? 0, tau = Math.exp(lt), u = (tau * tau) / 25;
      let s1 = 0, s2 = 0;
      for (let j = 0; j < 8; j++) {
        const tt = x[o + 2 + j] ?? 0, sg = tdata[8 + j] ?? 1;
        const res = (tdata[j] ?? 0) - mu - tau * tt, r = res / (sg * sg);
        scores[o + 2 + j] = -tt + tau * r;
        lp -= 0.5 * tt * tt + 0.5 * res * r;
        s1 += r;
        s2 += r * tt;
      }
      lp += (-mu * mu) / 50 - Math.log(1 + u) + lt;
      scores[o] = -mu / 25 + s1;
      scores[o + 1] = 1 - (2 * u) / (1 + u) + tau * s2;
    } else if (p.kind === 3) {
      const v = x[o] ?? 0, ev = Math.exp(-v), pv = tdata[0] ?? 1;
      let q = 0;
      for (let k = 1; k < d; k++) {
        const xk = x[o + k] ?? 0;
        scores[o + k] = -xk * ev;
        q += xk * xk;
      }
      lp = -0.5 * q * ev - 0.5 * v * v * pv - 0.5 * (d - 1) * v;
      scores[o] = -v * pv - 0.5 * (d - 1) + 0.5 * q * ev;
    } else if (p.kind === 0) {
      for (let k = 0; k < d; k++) {
        const r = (x[o + k] ?? 0) - (tdata[k] ?? 0);
        const pk = tdata[d + k] ?? 0;
        scores[o + k] = -pk * r;
        lp -= 0.5 * pk * r * r;
      }
    } else {
      const f = d - 1;
      for (let r = 0; r < p.rows; r++) {
        let z = x[o + f] ?? 0;
        for (let k = 0; k < f; k++) z += (tdata[r * f + k] ?? 0) * (x[o + k] ?? 0);
        const y = tdata[p.rows * f + r] ?? 0;
        lp += y * z - softplus(z);
        const e = y - sigmoid(z);
        for (let k = 0; k < f; k++) scores[o + k] = (scores[o + k] ?? 0) + e * (tdata[r * f + k] ?? 0);
        scores[o + f] = (scores[o + f] ?? 0) + e;
      }
      for (let k = 0; k < d; k++) {
        const t = x[o + k] ?? 0;
        scores[o + k] = (scores[o + k] ?? 0) - p.pp * t;
        lp -= 0.5 * p.pp * t * t;
      }
    }
    logp[i] = lp + p.logNorm;
  }
  return { scores, logp };
}
