/**
 * Landscape presets: energies F(rho) = int V drho + 1/2 int int W(x, y) drho drho on P2(R^2)
 * (METHODS.md section 6, issue 10). Each preset packs into the numbers that drive both
 * shaders/common/landscapes.wgsl (f32) and its float64 twin src/reference/landscapes.ts.
 *
 *   quadratic      V = |x - m|^2 / 2, W = (c/2) |x - y|^2 (c = 0 by default): the exact tests.
 *   double-well    V = (x1^2 - 1)^2 / 4 + x2^2 / 2, W = (c/2) |x - y|^2, c = 0.5. F = 1/4 on the
 *                  saddle (every x = 0), 0 at the minimisers (every particle in one well (+-1, 0)).
 *                  Default init x1 ~ 0.01 N(0,1), x2 ~ N(0,1) (next to the saddle).
 *                  The wells `well1`, `well2` (defaults (-1, 0), (1, 0)) can be moved (dragged on the
 *                  canvas): V = (s^2 - 1)^2 / 4 + t^2 / 2 in the coordinates s along, t across the
 *                  wells (src/reference/landscapes.ts, vKind 2); the defaults give the V above bit for bit.
 *   attract-repel  V = (k/2)|x|^2 (k = 0 by default), W(z) = |z|^a / a - |z|^b / b, a = 4, b = 2.
 *                  For a = 4, b = 2 (k = 0) every minimiser lies on a circle of radius 1/sqrt(3)
 *                  around the mean, with isotropic covariance, F = -1/12 (src/landscapes/landscapes.test.ts).
 *   two-layer-net  mean-field training of a two-layer tanh network: a particle is a neuron theta = (w, b),
 *                  f_rho(u) = (1/N) sum_j tanh(w_j u + b_j), F = 1/2 E_u (y(u) - f_rho(u))^2 over M = 32
 *                  equispaced points u in [-2, 2], labels from the teacher y(u) = (tanh(3u + 1.5) +
 *                  tanh(-2u + 1)) / 2 (a bump; TEACHER). V = E_u [y^2/2 - y tanh(theta.(u,1))] and
 *                  W = E_u tanh(theta.(u,1)) tanh(theta'.(u,1)): W is not a function of theta - theta'.
 *                  F = 0 when the neurons are the teacher's (each half of them). Init w, b ~ N(0, 1).
 *                  The canvas shades V: the first variation V + int W(., theta') drho at any rho symmetric
 *                  under theta -> -theta (f_rho = 0, tanh is odd), the N(0, I) start among them.
 */
import { ParamError, type ParamSpec, type Params } from '../core/params';
import { Rng, Stream } from '../reference/philox';
import type { PackedLandscape } from '../reference/landscapes';
import type { About } from '../core/about';

export type LandscapeId = 'quadratic' | 'double-well' | 'attract-repel' | 'two-layer-net';

export interface LandscapeDef {
  id: LandscapeId;
  label: string;
  description: string;
  params: ParamSpec[];
  pack(params: Params): PackedLandscape;
  /** The preset's default initial cloud, interleaved (2n), from the Philox init stream. */
  init(n: number, seed: number): Float64Array;
  /** A view rectangle [xmin, xmax, ymin, ymax]. */
  view: [number, number, number, number];
  /** Default step sizes by method id on this landscape (src/engine/defaults.ts), where the method's own default does not suit it. */
  stepSize?: Partial<Record<string, number>>;
  /** The About panel: the energy in TeX, a line per parameter. */
  about: About;
}

const num = (p: Params, name: string, fallback: number): number => {
  const v = p[name];
  return typeof v === 'number' ? v : fallback;
};
const vec2 = (p: Params, name: string, fallback: [number, number]): [number, number] => {
  const v = p[name];
  return Array.isArray(v) && v.length === 2 ? [v[0] ?? 0, v[1] ?? 0] : fallback;
};

export function packLandscape(vKind: number, v: number[], wKind: number, w: number[]): PackedLandscape {
  const pv = new Float64Array(4), pw = new Float64Array(4);
  pv.set(v.slice(0, 4));
  pw.set(w.slice(0, 4));
  return { vKind, wKind, v: pv, w: pw };
}

/** x_i ~ (sx N(0,1), sy N(0,1)) from the Philox init stream. */
export function gaussianInit(n: number, seed: number, sx: number, sy: number): Float64Array {
  const rng = new Rng(seed, Stream.init);
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = sx * rng.normal();
    x[2 * i + 1] = sy * rng.normal();
  }
  return x;
}

/** two-layer-net: the teacher neurons (w*_1, b*_1, w*_2, b*_2) and the data range [-R, R]. */
export const TEACHER = [3, 1.5, -2, 1] as const;
export const NET_RANGE = 2;

const cParam: ParamSpec = { name: 'c', label: 'Interaction c', kind: 'number', default: 0.5, min: 0, max: 100, step: 0.05, description: 'W(x, y) = (c/2)|x - y|^2' };

export const landscapes: Record<LandscapeId, LandscapeDef> = {
  quadratic: {
    id: 'quadratic',
    label: 'Quadratic',
    description: 'V = |x - m|^2 / 2, W = (c/2)|x - y|^2: convex, the exact tests (Newton with h = 1 converges in one step).',
    params: [
      { name: 'mean', label: 'Minimiser m', kind: 'vector', length: 2, default: [0, 0], description: 'm in V = |x - m|^2 / 2' },
      { ...cParam, default: 0 },
    ],
    pack: (p) => packLandscape(1, [...vec2(p, 'mean', [0, 0]), 1, 0], 1, [num(p, 'c', 0)]),
    init: (n, seed) => gaussianInit(n, seed, 1, 1),
    view: [-3, 3, -3, 3],
    about: {
      tex: String.raw`F(\rho) = \int \tfrac12 |x - m|^2\, d\rho + \tfrac{c}{4} \iint |x - y|^2\, d\rho(x)\, d\rho(y)`,
      text: 'A convex energy with one minimiser: every particle at m (F = 0). Newton with h = 1 gets there in one step; used by the exact tests.',
      params: { mean: 'm: where V = |x − m|²/2 is smallest.', c: 'c: strength of the attraction W = (c/2)|x − y|² between particles.' },
    },
  },
  'double-well': {
    id: 'double-well',
    label: 'Double well',
    description: 'V = (x1^2 - 1)^2/4 + x2^2/2, W = (c/2)|x - y|^2: strict saddle at 0 (F = 1/4), minimisers in one well (F = 0).',
    params: [
      cParam,
      { name: 'well1', label: 'Well 1', kind: 'vector', length: 2, default: [-1, 0], description: 'the first minimiser of V (drag it on the canvas)' },
      { name: 'well2', label: 'Well 2', kind: 'vector', length: 2, default: [1, 0], description: 'the second minimiser of V (drag it on the canvas)' },
    ],
    pack: (p) => {
      // centre m and half-difference d of the wells: V's minimisers are m -+ d (v = [0, 0, 1, 0] by default)
      const [a0, a1] = vec2(p, 'well1', [-1, 0]), [b0, b1] = vec2(p, 'well2', [1, 0]);
      const d0 = (b0 - a0) / 2, d1 = (b1 - a1) / 2;
      if (!(Math.hypot(d0, d1) >= 1e-3)) throw new ParamError('well2', `well2: the wells must be at least 0.002 apart, got (${a0}, ${a1}) and (${b0}, ${b1})`);
      return packLandscape(2, [(a0 + b0) / 2, (a1 + b1) / 2, d0, d1], 1, [num(p, 'c', 0.5)]);
    },
    init: (n, seed) => gaussianInit(n, seed, 0.01, 1),
    view: [-2, 2, -2, 2],
    about: {
      tex: String.raw`F(\rho) = \int \Big[\tfrac14 (x_1^2 - 1)^2 + \tfrac12 x_2^2\Big] d\rho + \tfrac{c}{4} \iint |x - y|^2\, d\rho(x)\, d\rho(y)`,
      text: 'Two wells at (±1, 0) and a strict saddle at 0 (F = 1/4). The attraction c makes all particles prefer the same well (F = 0). The default start is next to the saddle: x₁ ~ 0.01 N(0, 1), x₂ ~ N(0, 1).',
      params: {
        c: 'c: strength of the attraction W = (c/2)|x − y|² that pulls the particles into one well.',
        well1: 'Well 1: the first minimiser of V (drag its handle on the canvas); V keeps its shape along and across the line through the wells.',
        well2: 'Well 2: the second minimiser of V (drag its handle on the canvas).',
      },
    },
  },
  'attract-repel': {
    id: 'attract-repel',
    label: 'Attraction-repulsion',
    description: 'W(z) = |z|^a/a - |z|^b/b (a > b >= 2), optional confinement V = (k/2)|x|^2: particles settle on a ring.',
    params: [
      { name: 'a', label: 'Attraction a', kind: 'number', default: 4, min: 2, max: 10, step: 0.5, description: 'W(z) = |z|^a / a - |z|^b / b' },
      { name: 'b', label: 'Repulsion b', kind: 'number', default: 2, min: 2, max: 10, step: 0.5, description: 'b >= 2 keeps W twice differentiable at z = 0 (the Hessian needs it)' },
      { name: 'k', label: 'Confinement k', kind: 'number', default: 0, min: 0, max: 100, step: 0.1, description: 'V = (k/2)|x|^2' },
    ],
    pack: (p) => {
      const a = num(p, 'a', 4), b = num(p, 'b', 2);
      if (!(a > b)) throw new ParamError('a', `a: expected a > b (attraction stronger at long range), got a = ${a}, b = ${b}`);
      if (!(b >= 2)) throw new ParamError('b', `b: expected b >= 2 (W twice differentiable at 0), got ${b}`);
      return packLandscape(1, [0, 0, num(p, 'k', 0), 0], 2, [a, b]);
    },
    init: (n, seed) => gaussianInit(n, seed, 1, 1),
    view: [-1.5, 1.5, -1.5, 1.5],
    // W's curvature grows as 3|z|^2: from the N(0, I) start (|x| up to ~4) gradient descent at the
    // methods' 0.2 blew up within 4 steps (issue 22: F 3.2 -> 1.7e21 in 40 steps, N = 256, CPU twin);
    // 0.02 is stable there and reaches F = -0.076 (the minimum -1/12) in 40 steps.
    stepSize: { wgd: 0.02, 'wgd-perturbed': 0.02 },
    about: {
      tex: String.raw`F(\rho) = \int \tfrac{k}{2}|x|^2\, d\rho + \tfrac12 \iint \Big[\frac{|x - y|^a}{a} - \frac{|x - y|^b}{b}\Big] d\rho(x)\, d\rho(y)`,
      text: 'Attraction at long range (a) and repulsion at short range (b): the particles settle on a ring (for a = 4, b = 2 of radius 1/√3 around their mean, F = −1/12).',
      params: { a: 'a: exponent of the attraction |z|^a / a (must exceed b).', b: 'b: exponent of the repulsion |z|^b / b (b ≥ 2 keeps W twice differentiable).', k: 'k: optional confinement V = (k/2)|x|² toward the origin.' },
    },
  },
  'two-layer-net': {
    id: 'two-layer-net',
    label: 'Two-layer net (mean field)',
    description: 'Neurons theta = (w, b) as particles, f(u) = mean tanh(w u + b), F = 1/2 E_u (y - f)^2 on 32 points of [-2, 2], teacher y = (tanh(3u + 1.5) + tanh(1 - 2u))/2; W(theta, theta\') is not a function of theta - theta\'.',
    params: [
      { name: 'teacher', label: 'Teacher (w1, b1, w2, b2)', kind: 'vector', length: 4, default: [...TEACHER], description: 'the two teacher neurons: y(u) = (tanh(w1 u + b1) + tanh(w2 u + b2)) / 2' },
      { name: 'm', label: 'Data points M', kind: 'number', default: 32, min: 2, max: 256, step: 1, description: 'M equispaced inputs u in [-2, 2]' },
    ],
    pack: (p) => {
      const t = p.teacher;
      const teacher = Array.isArray(t) && t.length === 4 ? t.map((v) => v ?? 0) : [...TEACHER];
      const m = Math.round(num(p, 'm', 32));
      if (!(m >= 2 && m <= 256)) throw new ParamError('m', `m: expected an integer in [2, 256] (data points), got ${num(p, 'm', 32)}`);
      return packLandscape(3, teacher, 3, [m, NET_RANGE, 0, 0]);
    },
    init: (n, seed) => gaussianInit(n, seed, 1, 1),
    view: [-4, 4, -4, 4],
    // H's largest eigenvalue stayed <= 0.45 along wgd runs (N = 64, seeds 1-3, dense): h = 2 keeps
    // h lambda_max < 1; wgd at the methods' 0.2 falls only 4x in 100 steps, at 2 about 40x.
    stepSize: { wgd: 2, 'wgd-perturbed': 2, wsfn: 2, jko: 2 },
    about: {
      tex: String.raw`F(\rho) = \frac12\, \mathbb{E}_u \Big(y(u) - \int \tanh(w u + b)\, d\rho(w, b)\Big)^2, \qquad y(u) = \tfrac12 \big(\tanh(w_1^* u + b_1^*) + \tanh(w_2^* u + b_2^*)\big)`,
      text: 'Mean-field training of a two-layer tanh network on a 1-D regression: each particle is a hidden neuron (w, b) (horizontal: w, vertical: b), the network is their average, and F is the squared loss on M equispaced inputs in [−2, 2] against a two-neuron teacher. F = 0 when the neurons sit on the teacher\'s (half on each). Here V(θ) = E[y²/2 − y tanh(θ·(u, 1))] and W(θ, θ′) = E[tanh(θ·(u, 1)) tanh(θ′·(u, 1))] is not a function of θ − θ′. The canvas shades V: at the start it is the first variation V + ∫W(·, θ′) dρ(θ′) of F, since for N(0, I) neurons (any ρ symmetric under θ → −θ) the network output is 0 (tanh is odd) and the ∫W term vanishes. Bright: where a neuron lowers the loss most.',
      params: {
        teacher: 'Teacher: the two neurons (w₁, b₁, w₂, b₂) whose average output tanh(w u + b) gives the labels y(u).',
        m: 'M: the number of equispaced data points u in [−2, 2].',
      },
    },
  },
};

export function landscapeDef(id: string): LandscapeDef {
  const d = (landscapes as Record<string, LandscapeDef | undefined>)[id];
  if (!d) throw new ParamError('target', `unknown landscape '${id}' (expected ${Object.keys(landscapes).join('|')})`);
  return d;
}

/** The preset with its parameters' defaults filled in, packed. */
export function createLandscape(id: string, params: Params = {}): PackedLandscape {
  const def = landscapeDef(id);
  const full: Params = {};
  for (const s of def.params) full[s.name] = params[s.name] ?? s.default;
  return def.pack(full);
}

/** The 12 f32 words of the WGSL `Landscape` uniform: [vKind, wKind, 0, 0 (u32)], v (vec4f), w (vec4f). */
export const LANDSCAPE_UNIFORM_BYTES = 48;
export function landscapeUniform(L: PackedLandscape): ArrayBuffer {
  const buf = new ArrayBuffer(LANDSCAPE_UNIFORM_BYTES);
  const u = new Uint32Array(buf, 0, 4);
  u[0] = L.vKind;
  u[1] = L.wKind;
  const f = new Float32Array(buf, 16, 8);
  f.set(L.v, 0);
  f.set(L.w, 4);
  return buf;
}
