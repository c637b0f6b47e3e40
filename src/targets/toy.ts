/**
 * Sample-cloud targets (METHODS.md "Built-in targets"), ported from ffjord's `lib/toy_data.py`
 * (Grathwohl et al. 2019, https://github.com/rtqichen/ffjord) and, for `25gaussians`, from
 * improved_wgan_training (Gulrajani et al. 2017). All draws come from the seeded Philox `Rng`
 * (no Math.random); make_moons / make_swiss_roll are re-derived here without sklearn:
 *
 *   8gaussians   x = (4 (cos k pi/4, sin k pi/4) + 0.5 z) / 1.414,   k ~ U{0..7}, z ~ N(0, I)
 *   25gaussians  x = (2 (i, j) + 0.05 z) / 2.828,                    i, j ~ U{-2..2}
 *   checkerboard x1 ~ U[-2, 2), x2 = U[0,1) - 2 B + (floor(x1) mod 2), B ~ Bernoulli(1/2); out 2 (x1, x2)
 *   rings        radii 3 (1, 3/4, 1/2, 1/4), n/4 points each on equally spaced angles
 *                (np.linspace endpoint=False), shuffled, + N(0, 0.08^2 I)
 *   moons        sklearn make_moons(noise 0.1): outer (cos t, sin t), inner (1 - cos t, 1/2 - sin t),
 *                t = linspace(0, pi) (n/2 each), shuffled, + N(0, 0.1^2 I); out 2 x + (-1, -0.2)
 *   pinwheel     5 arms: f = (1 + 0.3 z1, 0.1 z2), a = 2 pi l / 5 + 0.25 e^(f1),
 *                out 2 (f1 cos a + f2 sin a, -f1 sin a + f2 cos a)
 *   2spirals     r = 3 pi sqrt(u); p = (-r cos r + U[0, 1/2), r sin r + U[0, 1/2)), half of them -p;
 *                out p / 3 + N(0, 0.1^2 I)
 *   swissroll    sklearn make_swiss_roll(noise 1): t = 3 pi / 2 (1 + 2 u), (t cos t, t sin t) + N(0, I);
 *                out / 5
 * Deviations from the Python, all in law-preserving bookkeeping: exactly n points are returned
 * (ffjord's pinwheel/2spirals return a multiple of 5 / 2); labels (mixture component, arm, spiral)
 * are i.i.d. draws or balanced-and-shuffled as in the original, so every prefix of the output is
 * an i.i.d.-like subsample (the engine's metrics use the first points).
 * 8gaussians and 25gaussians are exact Gaussian mixtures: they also carry the normalised density
 * and score (packed as kind 0 gaussian mixture and kind 9 isotropic mixture), so score-based
 * methods run on them too. The others are `sampleOnly`.
 *
 * Outlier mass (every sample target, param `outliers` = p in [0, 0.1], default 0): the UOTM paper's
 * robustness demo. With probability p each drawn point is replaced by a draw from the far cluster
 * N(OUTLIER_CENTRE, OUTLIER_STD^2 I) = N((5, 5), 0.25^2 I), with exactly the draws of
 * src/generators/targets.ts withOutliers (base sample first, then per point one uniform and, for an
 * outlier, two normals), so a toy target with outliers = 0.01 is the shipped outlier models'
 * training law. 8gaussians / 25gaussians add the cluster to their density with weight p; the view
 * grows to show it. p = 0 leaves sampler, density and view unchanged (bit for bit).
 */
import { ParamError, type ParamSpec, type Params } from '../core/params';
import type { Rng } from '../reference/philox';
import { instanceFromPacked, squareView } from './gaussian';
import { emptyPacked, packIsotropicMixture, packMixture, TargetKind } from './pack';
import type { Component, TargetDef, TargetInstance } from './types';

type View = [number, number, number, number];
type Sampler = (rng: Rng, n: number) => Float64Array;

/** The far outlier cluster (the same numbers as src/generators/targets.ts; toy.test.ts checks they agree). */
export const TOY_OUTLIER_CENTRE: readonly [number, number] = [5, 5];
export const TOY_OUTLIER_STD = 0.25;
export const MAX_OUTLIER_MASS = 0.1;

const outlierSpec: ParamSpec = {
  name: 'outliers', label: 'Outlier mass', kind: 'number', default: 0, min: 0, max: MAX_OUTLIER_MASS, step: 0.005,
  description: `fraction of the samples moved to a far cluster N((${TOY_OUTLIER_CENTRE.join(', ')}), ${TOY_OUTLIER_STD}² I) (the UOTM paper's outlier demo; 0 = clean)`,
};
const OUTLIER_ABOUT = `The fraction p of the samples replaced by a far cluster N((${TOY_OUTLIER_CENTRE.join(', ')}), ${TOY_OUTLIER_STD}² I), the outlier demo of the UOTM paper (0: the clean target).`;

function outlierMass(params: Params): number {
  return params.outliers === undefined ? 0 : num(params, 'outliers');
}

/** `sample` with a fraction p of outliers: withOutliers' draws exactly (p = 0: `sample` itself). */
export function withOutlierMass(sample: Sampler, p: number): Sampler {
  if (!(p >= 0 && p < 1)) throw new ParamError('outliers', `outliers: expected a fraction in [0, 1), got ${p}`);
  if (p === 0) return sample;
  return (rng, n) => {
    const out = sample(rng, n);
    for (let i = 0; i < n; i++) {
      if (rng.uniform() < p) {
        out[2 * i] = TOY_OUTLIER_CENTRE[0] + TOY_OUTLIER_STD * rng.normal();
        out[2 * i + 1] = TOY_OUTLIER_CENTRE[1] + TOY_OUTLIER_STD * rng.normal();
      }
    }
    return out;
  };
}

/** The view grown (as a square) to show the outlier cluster when p > 0. */
function outlierView(view: View, p: number): View {
  if (p === 0) return view;
  const m = 4 * TOY_OUTLIER_STD;
  const x0 = Math.min(view[0], TOY_OUTLIER_CENTRE[0] - m), x1 = Math.max(view[1], TOY_OUTLIER_CENTRE[0] + m);
  const y0 = Math.min(view[2], TOY_OUTLIER_CENTRE[1] - m), y1 = Math.max(view[3], TOY_OUTLIER_CENTRE[1] + m);
  return squareView(x0, x1, y0, y1);
}

function num(params: Params, name: string): number {
  const v = params[name];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParamError(name, `${name}: expected a finite number`);
  return v;
}

/** A number parameter of an instance, or `fallback` (the editors read instances, never throw). */
function numOr(params: Params, name: string, fallback: number): number {
  const v = params[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function countOf(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`sample count must be an integer >= 0, got ${n}`);
  return n;
}

/** In-place Fisher-Yates shuffle of interleaved 2-D points (the np/sklearn `shuffle` step). */
export function shufflePoints(out: Float64Array, rng: Rng): Float64Array {
  const n = out.length / 2;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const a0 = out[2 * i] ?? 0, a1 = out[2 * i + 1] ?? 0;
    out[2 * i] = out[2 * j] ?? 0;
    out[2 * i + 1] = out[2 * j + 1] ?? 0;
    out[2 * j] = a0;
    out[2 * j + 1] = a1;
  }
  return out;
}

function addNoise(out: Float64Array, rng: Rng, std: number): Float64Array {
  if (std > 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + std * rng.normal();
  return out;
}

/** A sample-only target: no density (kind none, log p = 0, score = 0), exact sampler. */
function sampleOnlyInstance(id: string, params: Params, view0: View, sample0: Sampler): TargetInstance {
  const p = outlierMass(params);
  const sample = withOutlierMass(sample0, p);
  const view = outlierView(view0, p);
  return {
    id,
    params,
    packed: emptyPacked(TargetKind.none),
    logDensity: () => 0,
    score: () => [0, 0],
    sampleOnly: true,
    view,
    sample: (rng, n) => sample(rng, countOf(n)),
  };
}

const stdSpec = (def: number, what: string): ParamSpec => ({
  name: 'std', label: 'Cluster std σ', kind: 'number', default: def, min: 1e-3, max: 10, step: 0.01, log: true, description: what,
});
const noiseSpec = (def: number, what: string): ParamSpec => ({
  name: 'noise', label: 'Noise std ν', kind: 'number', default: def, min: 0, max: 10, step: 0.01, description: what,
});

// ---------------------------------------------------------------- 8gaussians
/** ffjord's divisor (not sqrt 2). */
export const EIGHT_DIVISOR = 1.414;

export function eightGaussiansComponents(scale: number, std: number): { mean: [number, number]; std: number }[] {
  // ffjord's centre order: (1,0), (-1,0), (0,1), (0,-1), then the four diagonals.
  const r = Math.SQRT1_2;
  const unit: [number, number][] = [[1, 0], [-1, 0], [0, 1], [0, -1], [r, r], [r, -r], [-r, r], [-r, -r]];
  return unit.map(([x, y]) => ({ mean: [(scale * x) / EIGHT_DIVISOR, (scale * y) / EIGHT_DIVISOR], std: std / EIGHT_DIVISOR }));
}

export const eightGaussians: TargetDef = {
  id: '8gaussians',
  label: '8 Gaussians',
  description: 'ffjord toy: 8 equal Gaussians on a circle, (4 (cos k pi/4, sin k pi/4) + 0.5 z) / 1.414. Exact samples and density.',
  about: {
    tex: String.raw`\pi = \frac18 \sum_{k=0}^{7} \mathcal{N}\Big(\tfrac{r}{1.414}\big(\cos\tfrac{k\pi}{4}, \sin\tfrac{k\pi}{4}\big),\ \big(\tfrac{\sigma}{1.414}\big)^2 I\Big)`,
    text: 'Eight equal Gaussians on a circle, the standard mode-coverage test: does every cluster get one eighth of the particles? Known by samples (the flows use them); its density is drawn too.',
    params: { scale: 'The circle radius r before the division by 1.414.', std: 'Each cluster’s std σ before the division by 1.414.', outliers: OUTLIER_ABOUT },
    papers: [{ authors: 'W. Grathwohl, R. T. Q. Chen, J. Bettencourt, I. Sutskever, D. Duvenaud', title: 'FFJORD: free-form continuous dynamics for scalable reversible generative models (toy data sets)', year: 2019, venue: 'ICLR 2019' }],
  },
  params: [
    { name: 'scale', label: 'Circle radius r', kind: 'number', default: 4, min: 0, max: 100, step: 0.1, description: 'circle radius before the division by 1.414' },
    stdSpec(0.5, 'component std before the division by 1.414'),
    outlierSpec,
  ],
  // one handle per cluster: drag the clusters apart on the canvas
  editor: { kind: 'clusters', centres: (t) => eightGaussiansComponents(numOr(t.params, 'scale', 4), numOr(t.params, 'std', 0.5)).map((c) => c.mean) },
  create(params) {
    const scale = num(params, 'scale');
    const std = num(params, 'std');
    const cs = eightGaussiansComponents(scale, std);
    const comps: Component[] = cs.map((c) => ({ mean: c.mean, cov: [c.std * c.std, 0, c.std * c.std], weight: 1 }));
    const s = std / EIGHT_DIVISOR;
    const sample: Sampler = (rng, n) => {
      const out = new Float64Array(2 * countOf(n));
      for (let i = 0; i < n; i++) {
        // ffjord draws the noise first, then the centre.
        const z0 = rng.normal(), z1 = rng.normal();
        const c = cs[rng.int(8)];
        out[2 * i] = (c?.mean[0] ?? 0) + s * z0;
        out[2 * i + 1] = (c?.mean[1] ?? 0) + s * z1;
      }
      return out;
    };
    const R = scale / EIGHT_DIVISOR + 4 * s;
    const p = outlierMass(params);
    // with outliers: the far cluster joins the density with weight p (the 8 clusters share 1 - p)
    const o2 = TOY_OUTLIER_STD * TOY_OUTLIER_STD;
    const packed = packMixture(p > 0 ? [...comps, { mean: [TOY_OUTLIER_CENTRE[0], TOY_OUTLIER_CENTRE[1]], cov: [o2, 0, o2], weight: (8 * p) / (1 - p) }] : comps);
    return instanceFromPacked('8gaussians', params, packed, outlierView(squareView(-R, R, -R, R), p), withOutlierMass(sample, p));
  },
};

// ---------------------------------------------------------------- 25gaussians
export const TWENTYFIVE_DIVISOR = 2.828;

export function twentyFiveGaussiansComponents(std: number): { mean: [number, number]; std: number; weight: number }[] {
  const out: { mean: [number, number]; std: number; weight: number }[] = [];
  for (let i = -2; i <= 2; i++) {
    for (let j = -2; j <= 2; j++) out.push({ mean: [(2 * i) / TWENTYFIVE_DIVISOR, (2 * j) / TWENTYFIVE_DIVISOR], std: std / TWENTYFIVE_DIVISOR, weight: 1 });
  }
  return out;
}

export const twentyFiveGaussians: TargetDef = {
  id: '25gaussians',
  label: '25 Gaussians',
  description: 'WGAN-GP toy: a 5 x 5 grid of equal Gaussians, (2 (i, j) + 0.05 z) / 2.828, i, j in -2..2. Exact samples and density.',
  about: {
    tex: String.raw`\pi = \frac{1}{25} \sum_{i, j = -2}^{2} \mathcal{N}\Big(\tfrac{2\,(i, j)}{2.828},\ \big(\tfrac{\sigma}{2.828}\big)^2 I\Big)`,
    text: 'A 5 × 5 grid of very narrow Gaussians: the score is steep near each cluster and tiny between them, so a score method needs a small step, and every method must spread over 25 modes.',
    params: { std: 'Each cluster’s std σ before the division by 2.828.', outliers: OUTLIER_ABOUT },
    papers: [{ authors: 'I. Gulrajani, F. Ahmed, M. Arjovsky, V. Dumoulin, A. Courville', title: 'Improved training of Wasserstein GANs', year: 2017, venue: 'NeurIPS 2017' }],
  },
  params: [stdSpec(0.05, 'component std before the division by 2.828'), outlierSpec],
  editor: { kind: 'clusters', centres: (t) => twentyFiveGaussiansComponents(numOr(t.params, 'std', 0.05)).map((c) => c.mean) },
  create(params) {
    const std = num(params, 'std');
    const cs = twentyFiveGaussiansComponents(std);
    const s = std / TWENTYFIVE_DIVISOR;
    const sample: Sampler = (rng, n) => {
      const out = new Float64Array(2 * countOf(n));
      for (let i = 0; i < n; i++) {
        const c = cs[rng.int(25)];
        out[2 * i] = (c?.mean[0] ?? 0) + s * rng.normal();
        out[2 * i + 1] = (c?.mean[1] ?? 0) + s * rng.normal();
      }
      return out;
    };
    const R = 4 / TWENTYFIVE_DIVISOR + 4 * s;
    const p = outlierMass(params);
    const packed = packIsotropicMixture(p > 0 ? [...cs, { mean: TOY_OUTLIER_CENTRE, std: TOY_OUTLIER_STD, weight: (25 * p) / (1 - p) }] : cs);
    return instanceFromPacked('25gaussians', params, packed, outlierView(squareView(-R, R, -R, R), p), withOutlierMass(sample, p));
  },
};

// ---------------------------------------------------------------- checkerboard
export const checkerboard: TargetDef = {
  id: 'checkerboard',
  label: 'Checkerboard',
  description: 'ffjord toy: uniform on the 8 squares of side 2 in [-4, 4]^2 with floor(x/2) + floor(y/2) even. Samples only.',
  about: {
    tex: String.raw`\pi = \mathrm{Uniform}\Big\{x \in [-4, 4)^2 :\ \big\lfloor \tfrac{x_1}{2} \big\rfloor + \big\lfloor \tfrac{x_2}{2} \big\rfloor \text{ even}\Big\}`,
    text: 'Uniform on the 8 dark squares of a checkerboard: sharp edges and no score, so only the sample-based flows run on it.',
    params: { outliers: OUTLIER_ABOUT },
    papers: [{ authors: 'W. Grathwohl, R. T. Q. Chen, J. Bettencourt, I. Sutskever, D. Duvenaud', title: 'FFJORD: free-form continuous dynamics for scalable reversible generative models (toy data sets)', year: 2019, venue: 'ICLR 2019' }],
  },
  params: [outlierSpec],
  create(params) {
    return sampleOnlyInstance('checkerboard', params, squareView(-4, 4, -4, 4), (rng, n) => {
      const out = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const x1 = rng.uniform() * 4 - 2;
        const x2 = rng.uniform() - rng.int(2) * 2 + (((Math.floor(x1) % 2) + 2) % 2);
        out[2 * i] = 2 * x1;
        out[2 * i + 1] = 2 * x2;
      }
      return out;
    });
  },
};

// ---------------------------------------------------------------- rings
export const RING_RADII = [3, 2.25, 1.5, 0.75] as const;

export const rings: TargetDef = {
  id: 'rings',
  label: 'Rings',
  description: 'ffjord toy: 4 concentric circles of radii 3, 2.25, 1.5, 0.75 (n/4 points each) plus N(0, noise^2 I). Samples only.',
  about: {
    tex: String.raw`x = r_k\,(\cos t, \sin t) + \nu\,z, \qquad r_k \in \{3,\ 2.25,\ 1.5,\ 0.75\}, \ \ t \in [0, 2\pi) \text{ evenly spaced}, \ \ z \sim \mathcal{N}(0, I)`,
    text: 'Four concentric noisy circles, a quarter of the samples each: the particles must fill nested rings without bridging them.',
    params: { noise: 'The std ν of the Gaussian noise added to each coordinate.', outliers: OUTLIER_ABOUT },
    papers: [{ authors: 'W. Grathwohl, R. T. Q. Chen, J. Bettencourt, I. Sutskever, D. Duvenaud', title: 'FFJORD: free-form continuous dynamics for scalable reversible generative models (toy data sets)', year: 2019, venue: 'ICLR 2019' }],
  },
  params: [noiseSpec(0.08, 'std of the Gaussian noise added to each coordinate'), outlierSpec],
  create(params) {
    const noise = num(params, 'noise');
    const R = 3 + 4 * noise;
    return sampleOnlyInstance('rings', params, squareView(-R, R, -R, R), (rng, n) => {
      const q = Math.floor(n / 4);
      // ffjord: the three outer circles get n // 4 points, the innermost the rest.
      const counts = [q, q, q, n - 3 * q];
      const out = new Float64Array(2 * n);
      let o = 0;
      counts.forEach((c, k) => {
        const r = RING_RADII[k] ?? 0;
        for (let i = 0; i < c; i++, o++) {
          const t = (2 * Math.PI * i) / c;
          out[2 * o] = r * Math.cos(t);
          out[2 * o + 1] = r * Math.sin(t);
        }
      });
      return addNoise(shufflePoints(out, rng), rng, noise);
    });
  },
};

// ---------------------------------------------------------------- moons
export const moons: TargetDef = {
  id: 'moons',
  label: 'Two moons',
  description: 'ffjord toy: sklearn make_moons(noise 0.1), scaled 2 x + (-1, -0.2). Samples only.',
  about: {
    tex: String.raw`x = 2\,(u + \nu z) - (1, 0.2), \qquad u \in \big\{(\cos t, \sin t)\big\} \cup \big\{(1 - \cos t,\ \tfrac12 - \sin t)\big\}, \ \ t \in [0, \pi], \ \ z \sim \mathcal{N}(0, I)`,
    text: 'Two interleaved half circles (scikit-learn’s make_moons), half of the samples each.',
    params: { noise: 'The std ν of the noise added before the scaling by 2.', outliers: OUTLIER_ABOUT },
    papers: [{ authors: 'W. Grathwohl, R. T. Q. Chen, J. Bettencourt, I. Sutskever, D. Duvenaud', title: 'FFJORD: free-form continuous dynamics for scalable reversible generative models (toy data sets)', year: 2019, venue: 'ICLR 2019' }],
  },
  params: [noiseSpec(0.1, 'make_moons noise std (before the scaling by 2)'), outlierSpec],
  create(params) {
    const noise = num(params, 'noise');
    return sampleOnlyInstance('moons', params, squareView(-3 - 8 * noise, 3 + 8 * noise, -1.2 - 8 * noise, 1.8 + 8 * noise), (rng, n) => {
      const nOut = Math.floor(n / 2);
      const nIn = n - nOut;
      const out = new Float64Array(2 * n);
      // np.linspace(0, pi, k) includes both ends.
      const lin = (i: number, k: number): number => (k > 1 ? (Math.PI * i) / (k - 1) : 0);
      for (let i = 0; i < nOut; i++) {
        out[2 * i] = Math.cos(lin(i, nOut));
        out[2 * i + 1] = Math.sin(lin(i, nOut));
      }
      for (let i = 0; i < nIn; i++) {
        out[2 * (nOut + i)] = 1 - Math.cos(lin(i, nIn));
        out[2 * (nOut + i) + 1] = 1 - Math.sin(lin(i, nIn)) - 0.5;
      }
      addNoise(shufflePoints(out, rng), rng, noise);
      for (let i = 0; i < n; i++) {
        out[2 * i] = 2 * (out[2 * i] ?? 0) - 1;
        out[2 * i + 1] = 2 * (out[2 * i + 1] ?? 0) - 0.2;
      }
      return out;
    });
  },
};

// ---------------------------------------------------------------- pinwheel
export const pinwheel: TargetDef = {
  id: 'pinwheel',
  label: 'Pinwheel',
  description: 'ffjord toy: 5 curved arms, f = (1 + 0.3 z1, 0.1 z2) rotated by 2 pi l/5 + 0.25 exp(f1), times 2. Samples only.',
  about: {
    tex: String.raw`f = (1 + \sigma_r z_1,\ \sigma_t z_2), \quad \theta = \tfrac{2\pi l}{5} + c\,e^{f_1}, \quad x = 2 \begin{pmatrix} \cos\theta & \sin\theta \\ -\sin\theta & \cos\theta \end{pmatrix} f, \quad l \in \{0, \dots, 4\}`,
    text: 'Five curved arms: each arm is a Gaussian blob rotated by an angle that grows with its distance from the centre.',
    params: { radialStd: 'σ_r: the spread along each arm.', tangentialStd: 'σ_t: the thickness of each arm.', rate: 'c: how much the arms twist (0: straight spokes).', outliers: OUTLIER_ABOUT },
    papers: [{ authors: 'W. Grathwohl, R. T. Q. Chen, J. Bettencourt, I. Sutskever, D. Duvenaud', title: 'FFJORD: free-form continuous dynamics for scalable reversible generative models (toy data sets)', year: 2019, venue: 'ICLR 2019' }],
  },
  params: [
    { name: 'radialStd', label: 'Radial spread σ_r', kind: 'number', default: 0.3, min: 0, max: 2, step: 0.01, description: 'radial_std' },
    { name: 'tangentialStd', label: 'Arm thickness σ_t', kind: 'number', default: 0.1, min: 0, max: 2, step: 0.01, description: 'tangential_std' },
    { name: 'rate', label: 'Twist rate c', kind: 'number', default: 0.25, min: 0, max: 2, step: 0.01, description: 'twist: angle += rate exp(f1)' },
    outlierSpec,
  ],
  create(params) {
    const rs = num(params, 'radialStd');
    const ts = num(params, 'tangentialStd');
    const rate = num(params, 'rate');
    return sampleOnlyInstance('pinwheel', params, squareView(-4, 4, -4, 4), (rng, n) => {
      const out = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        // Balanced labels (np.repeat), shuffled below like rng.permutation.
        const label = Math.floor((5 * i) / Math.max(n, 1));
        const f1 = 1 + rs * rng.normal();
        const f2 = ts * rng.normal();
        const a = (2 * Math.PI * label) / 5 + rate * Math.exp(f1);
        const c = Math.cos(a), s = Math.sin(a);
        out[2 * i] = 2 * (f1 * c + f2 * s);
        out[2 * i + 1] = 2 * (-f1 * s + f2 * c);
      }
      return shufflePoints(out, rng);
    });
  },
};

// ---------------------------------------------------------------- 2spirals
export const twoSpirals: TargetDef = {
  id: '2spirals',
  label: 'Two spirals',
  description: 'ffjord toy: r = 3 pi sqrt(u), (-r cos r, r sin r) + U[0, 0.5)^2 and its mirror, / 3, + N(0, 0.1^2 I). Samples only.',
  about: {
    tex: String.raw`r = 3\pi\sqrt{u}, \quad x = \pm\tfrac13\big((-r\cos r,\ r \sin r) + e\big) + \nu z, \qquad u \sim U[0, 1),\ e \sim U[0, 0.5)^2,\ z \sim \mathcal{N}(0, I)`,
    text: 'Two interleaved spirals (one the mirror image of the other): long thin arms that are close together near the centre.',
    params: { noise: 'The std ν of the Gaussian noise added after the division by 3.', outliers: OUTLIER_ABOUT },
    papers: [{ authors: 'W. Grathwohl, R. T. Q. Chen, J. Bettencourt, I. Sutskever, D. Duvenaud', title: 'FFJORD: free-form continuous dynamics for scalable reversible generative models (toy data sets)', year: 2019, venue: 'ICLR 2019' }],
  },
  params: [noiseSpec(0.1, 'std of the Gaussian noise added after the division by 3'), outlierSpec],
  create(params) {
    const noise = num(params, 'noise');
    return sampleOnlyInstance('2spirals', params, squareView(-4, 4, -4, 4), (rng, n) => {
      const half = Math.ceil(n / 2);
      const out = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const r = Math.sqrt(rng.uniform()) * 540 * ((2 * Math.PI) / 360);
        const sign = i < half ? 1 : -1;
        const x = -Math.cos(r) * r + rng.uniform() * 0.5;
        const y = Math.sin(r) * r + rng.uniform() * 0.5;
        out[2 * i] = (sign * x) / 3;
        out[2 * i + 1] = (sign * y) / 3;
      }
      return addNoise(shufflePoints(out, rng), rng, noise);
    });
  },
};

// ---------------------------------------------------------------- swissroll
export const swissroll: TargetDef = {
  id: 'swissroll',
  label: 'Swiss roll',
  description: 'ffjord toy: sklearn make_swiss_roll(noise 1.0) coordinates (x, z) / 5. Samples only.',
  about: {
    tex: String.raw`t = \tfrac{3\pi}{2}\,(1 + 2u), \qquad x = \tfrac15\big(t \cos t + \nu z_1,\ t \sin t + \nu z_2\big), \qquad u \sim U[0, 1),\ z \sim \mathcal{N}(0, I)`,
    text: 'A spiral band (scikit-learn’s swiss roll seen from the side): one long arm whose density thins out toward the outside.',
    params: { noise: 'The std ν of the noise before the division by 5.', outliers: OUTLIER_ABOUT },
    papers: [{ authors: 'W. Grathwohl, R. T. Q. Chen, J. Bettencourt, I. Sutskever, D. Duvenaud', title: 'FFJORD: free-form continuous dynamics for scalable reversible generative models (toy data sets)', year: 2019, venue: 'ICLR 2019' }],
  },
  params: [noiseSpec(1, 'make_swiss_roll noise std (before the division by 5)'), outlierSpec],
  create(params) {
    const noise = num(params, 'noise');
    const R = (4.5 * Math.PI + 3 * noise) / 5;
    return sampleOnlyInstance('swissroll', params, squareView(-R, R, -R, R), (rng, n) => {
      const out = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const t = 1.5 * Math.PI * (1 + 2 * rng.uniform());
        out[2 * i] = (t * Math.cos(t) + noise * rng.normal()) / 5;
        out[2 * i + 1] = (t * Math.sin(t) + noise * rng.normal()) / 5;
      }
      return out;
    });
  },
};

/** Menu order of the sample-cloud targets (after the analytic ones). */
export const toyTargets: TargetDef[] = [eightGaussians, twentyFiveGaussians, checkerboard, rings, moons, pinwheel, twoSpirals, swissroll];
