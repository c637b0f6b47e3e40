/**
 * The transformed-Gaussian and energy targets of METHODS.md "Built-in targets":
 *   banana   y = (x1/a, a x2 + a b (x1^2 + a^2)) ~ N((0, 4), [[1, .5], [.5, 1]]), a = 2, b = 0.2;
 *            det dy/dx = 1 so p(x) = N(y(x); m, S); exact samples x1 = a y1, x2 = y2/a - b (x1^2 + a^2).
 *   donut    log p = -(|x| - 2.6)^2 / 0.033 + const (no exact sampler).
 *   funnel   v = x2 - 2 ~ N(0, 3^2), x1 | v ~ N(0, e^v); exact samples.
 *   squiggle (x1, x2 + sin(5 x1)) ~ N(0, [[2, .25], [.25, .5]]); exact samples x2 = z2 - sin(5 z1).
 *   u1..u4   Rezende & Mohamed (2015), p ∝ exp(-U) (no exact sampler; u2..u4 are improper in z1).
 * Density and score are evaluated from the packed data by src/reference/targetEval.ts.
 */
import type { Params } from '../core/params';
import { chol2, instanceFromPacked, squareView } from './gaussian';
import { emptyPacked, packBanana, packDonut, packFunnel, packSquiggle, TargetKind, type TargetKindCode } from './pack';
import type { TargetDef } from './types';

const BANANA_MEAN: [number, number] = [0, 4];
const BANANA_COV: [number, number, number] = [1, 0.5, 1];
const DONUT_RADIUS = 2.6;
const DONUT_WIDTH = 0.033;
const FUNNEL_SHIFT = 2;
const FUNNEL_SIGMA = 3;
const SQUIGGLE_FREQ = 5;
const SQUIGGLE_COV: [number, number, number] = [2, 0.25, 0.5];

function num(params: Params, name: string, fallback: number): number {
  const v = params[name];
  return typeof v === 'number' ? v : fallback;
}

export const banana: TargetDef = {
  id: 'banana',
  label: 'Banana',
  description: 'y = (x1/a, a x2 + a b (x1^2 + a^2)) ~ N((0,4), [[1,.5],[.5,1]]). Exact samples.',
  about: {
    tex: String.raw`\pi(x) = \mathcal{N}\big(y(x);\ m, S\big), \quad y(x) = \big(x_1 / a,\ a x_2 + a b\,(x_1^2 + a^2)\big), \quad m = (0, 4), \ S = \begin{pmatrix} 1 & 0.5 \\ 0.5 & 1 \end{pmatrix}`,
    text: 'A correlated Gaussian bent into a crescent (det ∂y/∂x = 1, so no Jacobian term): the score changes direction along the curve, a classic test for samplers that assume a straight covariance. Exact samples by inverting y.',
    params: { a: 'Stretch a: the crescent is a times wider along x₁.', b: 'Bend b: how strongly x₂ curves with x₁² (0: a plain Gaussian).' },
    papers: [{ authors: 'H. Haario, E. Saksman, J. Tamminen', title: 'Adaptive proposal distribution for random walk Metropolis algorithm (the banana-shaped target)', year: 1999, venue: 'Computational Statistics 14(3)' }],
  },
  params: [
    { name: 'a', label: 'Stretch a', kind: 'number', default: 2, min: 0.25, max: 8, step: 0.05, description: 'Stretch: x1 = a y1.' },
    { name: 'b', label: 'Bend b', kind: 'number', default: 0.2, min: -2, max: 2, step: 0.01, description: 'Bend: y2 = a x2 + a b (x1^2 + a^2).' },
  ],
  create(params) {
    const a = num(params, 'a', 2);
    const b = num(params, 'b', 0.2);
    const [m1, m2] = BANANA_MEAN;
    const l = chol2(BANANA_COV);
    // y within 2.5 sd: x1 = a y1, x2 = y2/a - b a^2 (y1^2 + 1).
    const x1 = 2.5 * a * Math.sqrt(BANANA_COV[0]);
    const y1max = Math.abs(m1) + 2.5 * Math.sqrt(BANANA_COV[0]);
    const yTop = (m2 + 2.5 * Math.sqrt(BANANA_COV[2])) / a;
    const yBot = (m2 - 2.5 * Math.sqrt(BANANA_COV[2])) / a;
    const bend = [-b * a * a * (1 + y1max * y1max), -b * a * a];
    const lo = yBot + Math.min(...bend);
    const hi = yTop + Math.max(...bend);
    return instanceFromPacked('banana', params, packBanana(a, b, BANANA_MEAN, BANANA_COV), squareView(-x1, x1, lo, hi), (rng, n) => {
      const out = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const z0 = rng.normal();
        const z1 = rng.normal();
        const y1 = m1 + l[0] * z0;
        const y2 = m2 + l[1] * z0 + l[2] * z1;
        const x = a * y1;
        out[2 * i] = x;
        out[2 * i + 1] = y2 / a - b * (x * x + a * a);
      }
      return out;
    });
  },
};

export const donut: TargetDef = {
  id: 'donut',
  label: 'Donut',
  description: 'log p = -(|x| - 2.6)^2 / 0.033 + const (normalised ring). No exact sampler.',
  about: {
    tex: String.raw`\log \pi(x) = -\frac{(\lVert x \rVert - 2.6)^2}{0.033} + \text{const}`,
    text: 'A thin ring of radius 2.6: the score points toward the circle and vanishes along it, so particles must spread around the ring by noise (Langevin) or repulsion (SVGD). Steep across the ring: a large step overshoots.',
    params: {},
  },
  params: [],
  create(params) {
    return instanceFromPacked('donut', params, packDonut(DONUT_RADIUS, DONUT_WIDTH), [-3.5, 3.5, -3.5, 3.5]);
  },
};

export const funnel: TargetDef = {
  id: 'funnel',
  label: 'Funnel',
  description: "Neal's funnel: v = x2 - 2 ~ N(0, 3^2), x1 | v ~ N(0, e^v). Exact samples.",
  about: {
    tex: String.raw`v = x_2 - 2 \sim \mathcal{N}(0, 3^2), \qquad x_1 \mid v \sim \mathcal{N}\big(0, e^{v}\big)`,
    text: "Neal's funnel: the width in x₁ changes by orders of magnitude with x₂. One step size cannot suit both the wide top and the narrow neck.",
    params: {},
    papers: [{ authors: 'R. M. Neal', title: 'Slice sampling', year: 2003, venue: 'Annals of Statistics 31(3)' }],
  },
  params: [],
  create(params) {
    const inst = instanceFromPacked('funnel', params, packFunnel(FUNNEL_SHIFT, FUNNEL_SIGMA), [-7, 7, -5, 9], (rng, n) => {
      const out = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const v = FUNNEL_SIGMA * rng.normal();
        out[2 * i] = Math.exp(0.5 * v) * rng.normal();
        out[2 * i + 1] = v + FUNNEL_SHIFT;
      }
      return out;
    });
    // the top of the funnel is wide: x1 ~ N(0, e^v) reaches |x1| ~ 4 e^(v/2) ~ 9e4 at v = 20 (6.7 sd of v); the divergence box
    return { ...inst, box: 1e3 };
  },
};

export const squiggle: TargetDef = {
  id: 'squiggle',
  label: 'Squiggle',
  description: '(x1, x2 + sin(5 x1)) ~ N(0, [[2, .25], [.25, .5]]). Exact samples.',
  about: {
    tex: String.raw`\big(x_1,\ x_2 + \sin(5 x_1)\big) \sim \mathcal{N}\Big(0, \begin{pmatrix} 2 & 0.25 \\ 0.25 & 0.5 \end{pmatrix}\Big)`,
    text: 'A Gaussian whose second coordinate is shifted by a sine wave of x₁: a narrow wiggly band. Exact samples: x₂ = z₂ − sin(5 z₁).',
    params: {},
  },
  params: [],
  create(params) {
    const l = chol2(SQUIGGLE_COV);
    return instanceFromPacked('squiggle', params, packSquiggle(SQUIGGLE_FREQ, SQUIGGLE_COV), [-4.5, 4.5, -4.5, 4.5], (rng, n) => {
      const out = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const z0 = rng.normal();
        const z1 = rng.normal();
        const x = l[0] * z0;
        out[2 * i] = x;
        out[2 * i + 1] = l[1] * z0 + l[2] * z1 - Math.sin(SQUIGGLE_FREQ * x);
      }
      return out;
    });
  },
};

function rezende(id: 'u1' | 'u2' | 'u3' | 'u4', kind: TargetKindCode, formula: string, tex: string): TargetDef {
  return {
    id,
    label: `U${id.slice(1)} (Rezende & Mohamed)`,
    description: `p ∝ exp(-U), ${formula} (Rezende & Mohamed 2015; unnormalised). No exact sampler.`,
    about: {
      tex: String.raw`\pi(z) \propto e^{-U(z)}, \qquad ` + tex,
      text: `One of the four test energies of the normalizing-flows paper${id === 'u1' ? ': a ring split into two lobes' : ': a sine-shaped band; improper along z₁ (the mass does not decay sideways), so the cloud spreads out left and right'}. No exact sampler.`,
      params: {},
      papers: [{ authors: 'D. J. Rezende, S. Mohamed', title: 'Variational inference with normalizing flows', year: 2015, venue: 'ICML 2015' }],
    },
    params: [],
    create: (params) => instanceFromPacked(id, params, emptyPacked(kind), [-4, 4, -4, 4]),
  };
}

const W1 = String.raw`w_1 = \sin(\pi z_1 / 2)`;
const gauss = (num: string, den: string): string => String.raw`e^{-\frac12\left(\frac{${num}}{${den}}\right)^2}`;
export const u1 = rezende('u1', TargetKind.u1, 'U1 = ((|z| - 2)/0.4)^2/2 - log(exp(-((z1-2)/0.6)^2/2) + exp(-((z1+2)/0.6)^2/2))',
  String.raw`U(z) = \frac12\left(\frac{\lVert z\rVert - 2}{0.4}\right)^2 - \log\Big(` + gauss('z_1 - 2', '0.6') + ' + ' + gauss('z_1 + 2', '0.6') + String.raw`\Big)`);
export const u2 = rezende('u2', TargetKind.u2, 'U2 = ((z2 - w1)/0.4)^2/2, w1 = sin(pi z1/2); improper in z1',
  String.raw`U(z) = \frac12\left(\frac{z_2 - w_1}{0.4}\right)^2, \quad ` + W1);
export const u3 = rezende('u3', TargetKind.u3, 'U3 = -log(exp(-((z2-w1)/0.35)^2/2) + exp(-((z2-w1+w2)/0.35)^2/2)), w2 = 3 exp(-((z1-1)/0.6)^2/2); improper in z1',
  String.raw`U(z) = -\log\Big(` + gauss('z_2 - w_1', '0.35') + ' + ' + gauss('z_2 - w_1 + w_2', '0.35') + String.raw`\Big), \quad ` + W1 + String.raw`, \ w_2 = 3\,` + gauss('z_1 - 1', '0.6'));
export const u4 = rezende('u4', TargetKind.u4, 'U4 = -log(exp(-((z2-w1)/0.4)^2/2) + exp(-((z2-w1+w3)/0.35)^2/2)), w3 = 3 sigmoid((z1-1)/0.3); improper in z1',
  String.raw`U(z) = -\log\Big(` + gauss('z_2 - w_1', '0.4') + ' + ' + gauss('z_2 - w_1 + w_3', '0.35') + String.raw`\Big), \quad ` + W1 + String.raw`, \ w_3 = 3\,\sigma\!\left(\frac{z_1 - 1}{0.3}\right)`);
