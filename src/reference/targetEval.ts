/**
 * Float64 twin of shaders/common/targets.wgsl (and of shaders/targetEval.wgsl): log-density and
 * score of a packed target, reading only p.kind, p.count and p.data (layout in src/targets/pack.ts).
 * Each function mirrors its WGSL namesake line for line (target_mixture <-> mixture, ...).
 * Definitions: METHODS.md "Built-in targets"; u1..u4 from Rezende & Mohamed (2015), Table 1.
 * Scores are closed form; mixtures and two-branch u-targets use log-sum-exp / stable softmax.
 * sin/cos arguments are first reduced to [-pi, pi] (WGSL only bounds their error there).
 */
import type { PackedTarget } from '../core/packed';
import { MAX_COMPONENTS, TARGET_DATA_VEC4 } from '../core/packed';

/** [score_x, score_y, logp], as the WGSL vec3f. */
export type Eval3 = [number, number, number];

/** Stands in for -inf in f32 (WGSL has no infinity literal). */
const NEG_BIG = -3.0e38;
const PI = Math.PI;
const TWO_PI = 2 * Math.PI;

function d(p: PackedTarget, i: number): number {
  return p.data[i] ?? 0;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

/** 1 / (1 + exp(-t)) without overflow. */
function sigmoid(t: number): number {
  const e = Math.exp(-Math.abs(t));
  return t >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** log(exp(a) + exp(b)). */
function logAddExp(a: number, b: number): number {
  return Math.max(a, b) + Math.log(1 + Math.exp(-Math.abs(a - b)));
}

/** Online log-sum-exp of terms l_k with the score sum_k softmax_k (-u_k) (twin of TargetLse). */
class ScoreLse {
  private m = NEG_BIG;
  private s = 0;
  private gx = 0;
  private gy = 0;
  add(l: number, ux: number, uy: number): void {
    if (l > this.m) {
      const c = Math.exp(this.m - l);
      this.s = this.s * c + 1;
      this.gx = this.gx * c - ux;
      this.gy = this.gy * c - uy;
      this.m = l;
    } else {
      const e = Math.exp(l - this.m);
      this.s += e;
      this.gx -= e * ux;
      this.gy -= e * uy;
    }
  }
  result(): Eval3 {
    return [this.gx / this.s, this.gy / this.s, this.m + Math.log(this.s)];
  }
}

/** Gaussian component at slot offset o ([mx, my, logc, -], [p11, p12, p22, -]) at d = x - m, into acc. */
function gaussTerm(acc: ScoreLse, p: PackedTarget, o: number, dx: number, dy: number): void {
  const ux = d(p, o + 4) * dx + d(p, o + 5) * dy;
  const uy = d(p, o + 5) * dx + d(p, o + 6) * dy;
  acc.add(d(p, o + 2) - 0.5 * (dx * ux + dy * uy), ux, uy);
}

/** log p = logsumexp_k (logc_k - q_k / 2), q_k = (x-m_k)^T P_k (x-m_k); one pass (online log-sum-exp). */
function mixture(p: PackedTarget, x: number, y: number): Eval3 {
  const acc = new ScoreLse();
  const n = Math.min(p.count, MAX_COMPONENTS);
  for (let k = 0; k < n; k++) gaussTerm(acc, p, 8 * k, x - d(p, 8 * k), y - d(p, 8 * k + 1));
  return acc.result();
}

/** Kind 9: slot k = [mx, my, logc, prec]; log p = logsumexp_k (logc_k - prec_k |x - m_k|^2 / 2). */
function isoMixture(p: PackedTarget, x: number, y: number): Eval3 {
  const acc = new ScoreLse();
  const n = Math.min(p.count, TARGET_DATA_VEC4);
  for (let k = 0; k < n; k++) {
    const o = 4 * k;
    const dx = x - d(p, o);
    const dy = y - d(p, o + 1);
    const ux = d(p, o + 3) * dx;
    const uy = d(p, o + 3) * dy;
    acc.add(d(p, o + 2) - 0.5 * (dx * ux + dy * uy), ux, uy);
  }
  return acc.result();
}

/** y = (x/a, a y + a b (x^2 + a^2)) - m;  score = -J^T P y, J = [[1/a, 0], [2 a b x, a]]. */
function banana(p: PackedTarget, x: number, y: number): Eval3 {
  const a = d(p, 0);
  const b = d(p, 1);
  const y1 = x / a - d(p, 2);
  const y2 = a * y + a * b * (x * x + a * a) - d(p, 3);
  const g1 = d(p, 4) * y1 + d(p, 5) * y2;
  const g2 = d(p, 5) * y1 + d(p, 6) * y2;
  return [-(g1 / a + 2 * a * b * x * g2), -a * g2, d(p, 7) - 0.5 * (y1 * g1 + y2 * g2)];
}

/** log p = logc - (r - r0)^2 / c;  score = -2 (r - r0) / (c r) x. */
function donut(p: PackedTarget, x: number, y: number): Eval3 {
  const r = Math.sqrt(x * x + y * y);
  const t = r - d(p, 0);
  const c = (-2 * t * d(p, 1)) / Math.max(r, 1e-20);
  return [c * x, c * y, d(p, 2) - t * t * d(p, 1)];
}

/**
 * v = y - shift; log p = logc - v^2/(2 sv^2) - v/2 - x^2 e^-v / 2. With s = e^(-v/2) (exponent
 * clamped to +-40 against f32 overflow) and t = x s: score = (-t s, -v/sv^2 - 1/2 + t^2/2).
 */
function funnel(p: PackedTarget, x: number, y: number): Eval3 {
  const v = y - d(p, 0);
  const s = Math.exp(clamp(-0.5 * v, -40, 40));
  const t = x * s;
  return [-t * s, -v * d(p, 1) - 0.5 + 0.5 * t * t, d(p, 2) - 0.5 * v * v * d(p, 1) - 0.5 * v - 0.5 * t * t];
}

/** z = (x, y + sin(w x)) ~ N(0, S);  score = -(g1 + w cos(w x) g2, g2), g = P z. */
function squiggle(p: PackedTarget, x: number, y: number): Eval3 {
  const w = d(p, 0);
  const h = w * x - TWO_PI * Math.round((w * x) / TWO_PI);
  const z2 = y + Math.sin(h);
  const g1 = d(p, 4) * x + d(p, 5) * z2;
  const g2 = d(p, 5) * x + d(p, 6) * z2;
  return [-(g1 + w * Math.cos(h) * g2), -g2, d(p, 2) - 0.5 * (x * g1 + z2 * g2)];
}

/** U1 = ((|z| - 2)/0.4)^2/2 - log(exp(-((z1-2)/0.6)^2/2) + exp(-((z1+2)/0.6)^2/2)). */
function u1(x: number, y: number): Eval3 {
  const r = Math.sqrt(x * x + y * y);
  const ra = (r - 2) / 0.4;
  const a = -0.5 * ((x - 2) / 0.6) * ((x - 2) / 0.6);
  const b = -0.5 * ((x + 2) / 0.6) * ((x + 2) / 0.6);
  const pa = sigmoid(a - b);
  const pb = sigmoid(b - a);
  const c = -ra / (0.4 * Math.max(r, 1e-20));
  return [c * x + pa * (-(x - 2) / 0.36) + pb * (-(x + 2) / 0.36), c * y, -0.5 * ra * ra + logAddExp(a, b)];
}

/** U2 = ((z2 - w1)/0.4)^2/2, w1 = sin(pi z1 / 2). */
function u2(x: number, y: number): Eval3 {
  const h = 0.5 * PI * (x - 4 * Math.round(0.25 * x));
  const w1 = Math.sin(h);
  const dw1 = 0.5 * PI * Math.cos(h);
  const u = (y - w1) / 0.4;
  return [(u / 0.4) * dw1, -u / 0.4, -0.5 * u * u];
}

/** U3 = -log(exp(-((z2-w1)/0.35)^2/2) + exp(-((z2-w1+w2)/0.35)^2/2)), w2 = 3 exp(-((z1-1)/0.6)^2/2). */
function u3(x: number, y: number): Eval3 {
  const h = 0.5 * PI * (x - 4 * Math.round(0.25 * x));
  const w1 = Math.sin(h);
  const dw1 = 0.5 * PI * Math.cos(h);
  const w2 = 3 * Math.exp(-0.5 * ((x - 1) / 0.6) * ((x - 1) / 0.6));
  const dw2 = (-w2 * (x - 1)) / 0.36;
  const ua = (y - w1) / 0.35;
  const ub = (y - w1 + w2) / 0.35;
  const a = -0.5 * ua * ua;
  const b = -0.5 * ub * ub;
  const pa = sigmoid(a - b);
  const pb = sigmoid(b - a);
  const sx = pa * (ua / 0.35) * dw1 - pb * (ub / 0.35) * (dw2 - dw1);
  const sy = -pa * (ua / 0.35) - pb * (ub / 0.35);
  return [sx, sy, logAddExp(a, b)];
}

/** U4 = -log(exp(-((z2-w1)/0.4)^2/2) + exp(-((z2-w1+w3)/0.35)^2/2)), w3 = 3 sigmoid((z1-1)/0.3). */
function u4(x: number, y: number): Eval3 {
  const h = 0.5 * PI * (x - 4 * Math.round(0.25 * x));
  const w1 = Math.sin(h);
  const dw1 = 0.5 * PI * Math.cos(h);
  const sg = sigmoid((x - 1) / 0.3);
  const w3 = 3 * sg;
  const dw3 = (3 * sg * sigmoid(-(x - 1) / 0.3)) / 0.3;
  const ua = (y - w1) / 0.4;
  const uc = (y - w1 + w3) / 0.35;
  const a = -0.5 * ua * ua;
  const c = -0.5 * uc * uc;
  const pa = sigmoid(a - c);
  const pc = sigmoid(c - a);
  const sx = pa * (ua / 0.4) * dw1 - pc * (uc / 0.35) * (dw3 - dw1);
  const sy = -pa * (ua / 0.4) - pc * (uc / 0.35);
  return [sx, sy, logAddExp(a, c)];
}

/** WGSL round(): half to even. */
function roundEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Kind 10, wrapped-Gaussian mixture on the torus (slots as kind 0): the 9 nearest images of each
 * component, d = (x - m_k) - round(x - m_k) + a, a in {-1,0,1}^2, one online log-sum-exp.
 */
function torusMixture(p: PackedTarget, x: number, y: number): Eval3 {
  const acc = new ScoreLse();
  const n = Math.min(p.count, MAX_COMPONENTS);
  for (let k = 0; k < n; k++) {
    const o = 8 * k;
    const d0x = x - d(p, o);
    const d0y = y - d(p, o + 1);
    const ddx = d0x - roundEven(d0x);
    const ddy = d0y - roundEven(d0y);
    for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) gaussTerm(acc, p, o, ddx + a, ddy + b);
  }
  return acc.result();
}

/**
 * Twin of `target_eval`: [score_x, score_y, logp]. Unknown kinds give [0, 0, 0]. A packed target
 * evaluated on the host (formula targets, src/targets/formula.ts) carries `evalPoint`, used first.
 */
export function targetEvalPoint(p: PackedTarget, x: number, y: number): Eval3 {
  const host = (p as PackedTarget & { evalPoint?: (x: number, y: number) => Eval3 }).evalPoint;
  if (host) return host(x, y);
  switch (p.kind) {
    case 0: return mixture(p, x, y);
    case 1: return banana(p, x, y);
    case 2: return donut(p, x, y);
    case 3: return funnel(p, x, y);
    case 4: return squiggle(p, x, y);
    case 5: return u1(x, y);
    case 6: return u2(x, y);
    case 7: return u3(x, y);
    case 8: return u4(x, y);
    case 9: return isoMixture(p, x, y);
    case 10: return torusMixture(p, x, y);
    default: return [0, 0, 0];
  }
}

/** Twin of `target_logp`. */
export function targetLogp(p: PackedTarget, x: number, y: number): number {
  return targetEvalPoint(p, x, y)[2];
}

/** Twin of `target_score`. */
export function targetScore(p: PackedTarget, x: number, y: number): [number, number] {
  const e = targetEvalPoint(p, x, y);
  return [e[0], e[1]];
}

/** Twin of shaders/targetEval.wgsl: points interleaved xy; score interleaved, one logp per point. */
export function targetEval(p: PackedTarget, points: Float64Array): { logp: Float64Array; score: Float64Array } {
  const n = points.length >> 1;
  const logp = new Float64Array(n);
  const score = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const e = targetEvalPoint(p, points[2 * i] ?? 0, points[2 * i + 1] ?? 0);
    score[2 * i] = e[0];
    score[2 * i + 1] = e[1];
    logp[i] = e[2];
  }
  return { logp, score };
}
