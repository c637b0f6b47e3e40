/**
 * `blr`: Bayesian logistic regression (the SVGD / GWG papers' first real posterior).
 *   Features standardised over ALL rows (mean, population sd), intercept last:
 *     theta = [w_1..w_D, b],  z_r = x_r . w + b,  p(y_r = 1 | theta) = sigmoid(z_r)
 *     log pi(theta) = sum_{r in train} [ y_r z_r - log(1 + e^{z_r}) ] + sum_k log N(theta_k; 0, prior^2)
 *     grad_w = sum_r (y_r - sigmoid(z_r)) x_r - w / prior^2,  grad_b = sum_r (y_r - sigmoid(z_r)) - b / prior^2
 *   `test` = held-out fraction: the first round(test * rows) rows of a fixed seeded permutation are
 *   the test set (not in the likelihood); test = 0: all rows are in the likelihood.
 * Labels: breast-cancer 1 = benign; iris 1 = virginica (versicolor vs virginica only).
 */
import type { ParamSpec, Params } from '../core/params';
import { Rng } from '../reference/philox';
import { BLR_DATASETS, binaryDataset, type BlrDatasetId } from './datasets';
import { LOG_2PI, num, sigmoid, softplus, type NdTarget } from './types';

export const blrParams: ParamSpec[] = [
  { name: 'data', label: 'data set', kind: 'enum', default: 'breast-cancer', options: [...BLR_DATASETS], description: 'breast-cancer: UCI Wisconsin diagnostic, 569 x 30, label 1 = benign; iris: versicolor (0) vs virginica (1), 100 x 4.' },
  { name: 'prior', label: 'prior sd', kind: 'number', default: 1, min: 1e-3, max: 1e3, log: true, description: 'Prior N(0, prior^2) on every weight and the intercept.' },
  { name: 'test', label: 'held-out fraction', kind: 'number', default: 0.2, min: 0, max: 0.9, description: 'Fraction of rows held out (a fixed seeded permutation); 0 = all rows in the likelihood.' },
];

/** The fixed seed of the train/test permutation (Philox stream 20). */
export const BLR_SPLIT_SEED = 20261207;
const SPLIT_STREAM = 20;

export interface BlrData {
  dataset: BlrDatasetId;
  features: number;
  featureNames: string[];
  positive: string;
  /** Standardised train rows (rows x features) and labels. */
  x: Float64Array;
  y: Uint8Array;
  rows: number;
  /** Standardised held-out rows (empty when test = 0). */
  testX: Float64Array;
  testY: Uint8Array;
  testRows: number;
  prior: number;
}

export interface BlrTarget extends NdTarget {
  data: BlrData;
}

/** Fisher-Yates on 0..n-1 with the fixed split seed. */
export function splitPermutation(n: number): Uint32Array {
  const perm = Uint32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(BLR_SPLIT_SEED, SPLIT_STREAM);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = perm[i] ?? 0;
    perm[i] = perm[j] ?? 0;
    perm[j] = t;
  }
  return perm;
}

export function blrData(dataset: BlrDatasetId, test: number, prior: number): BlrData {
  const raw = binaryDataset(dataset);
  const { rows, features: f } = raw;
  const z = new Float64Array(rows * f);
  for (let k = 0; k < f; k++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += raw.x[r * f + k] ?? 0;
    mean /= rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += ((raw.x[r * f + k] ?? 0) - mean) ** 2;
    const sd = Math.sqrt(v / rows);
    if (!(sd > 0)) throw new Error(`blr: feature ${raw.featureNames[k] ?? k} of ${dataset} is constant`);
    for (let r = 0; r < rows; r++) z[r * f + k] = ((raw.x[r * f + k] ?? 0) - mean) / sd;
  }
  const perm = splitPermutation(rows);
  const nTest = Math.round(test * rows);
  const take = (ids: Uint32Array): { x: Float64Array; y: Uint8Array } => {
    const x = new Float64Array(ids.length * f);
    const y = new Uint8Array(ids.length);
    ids.forEach((r, i) => {
      x.set(z.subarray(r * f, r * f + f), i * f);
      y[i] = raw.y[r] ?? 0;
    });
    return { x, y };
  };
  const testIds = perm.slice(0, nTest).sort();
  const trainIds = perm.slice(nTest).sort();
  const tr = take(trainIds), te = take(testIds);
  return { dataset, features: f, featureNames: raw.featureNames, positive: raw.positive, x: tr.x, y: tr.y, rows: trainIds.length, testX: te.x, testY: te.y, testRows: nTest, prior };
}

export function createBlr(p: Params): BlrTarget {
  const dataset = p.data as BlrDatasetId;
  const data = blrData(dataset, num(p, 'test'), num(p, 'prior'));
  const f = data.features, d = f + 1;
  const { x: X, y: Y, rows } = data;
  const pp = 1 / (data.prior * data.prior);
  const logNorm = -d * (0.5 * LOG_2PI + Math.log(data.prior));
  const logpGrad = (x: Float64Array, n: number, grad?: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      const b = x[o + f] ?? 0;
      let lp = 0, gb = 0;
      if (grad) grad.fill(0, o, o + d);
      for (let r = 0; r < rows; r++) {
        let zr = b;
        const ro = r * f;
        for (let k = 0; k < f; k++) zr += (X[ro + k] ?? 0) * (x[o + k] ?? 0);
        const yr = Y[r] ?? 0;
        lp += yr * zr - softplus(zr);
        if (grad) {
          const e = yr - sigmoid(zr);
          gb += e;
          for (let k = 0; k < f; k++) grad[o + k] = (grad[o + k] ?? 0) + e * (X[ro + k] ?? 0);
        }
      }
      let q = 0;
      for (let k = 0; k < d; k++) {
        const t = x[o + k] ?? 0;
        q += t * t;
        if (grad) grad[o + k] = (k === f ? gb : (grad[o + k] ?? 0)) - t * pp;
      }
      out[i] = lp + logNorm - 0.5 * q * pp;
    }
    return out;
  };
  return {
    id: 'blr', d, params: p, data,
    names: [...Array.from({ length: f }, (_, k) => `w_${k + 1}`), 'b'],
    logp: (x, n) => logpGrad(x, n),
    logpGrad,
    reference: `reference draws (scripts/nd-reference.ts) for data=${dataset}, prior=${data.prior}, test=${num(p, 'test')}`,
  };
}

export interface BlrPredictive {
  /** Which rows were scored: the held-out rows, or the training rows when test = 0. */
  on: 'test' | 'train';
  rows: number;
  /** Fraction of rows where the posterior-predictive probability (mean over particles of sigmoid(z)) picks the label. */
  accuracy: number;
  /** Mean over rows of log p(y_r | data) with p averaged over the particles (log pointwise predictive density / rows). */
  logLik: number;
}

/** Posterior-predictive accuracy and log-likelihood of particles theta (n x d) on the held-out rows. */
export function blrPredictive(t: BlrTarget, theta: Float64Array, n: number): BlrPredictive {
  const { data } = t;
  const f = data.features, d = f + 1;
  const held = data.testRows > 0;
  const X = held ? data.testX : data.x, Y = held ? data.testY : data.y, rows = held ? data.testRows : data.rows;
  let correct = 0, ll = 0;
  for (let r = 0; r < rows; r++) {
    let pm = 0;
    for (let i = 0; i < n; i++) {
      let z = theta[i * d + f] ?? 0;
      for (let k = 0; k < f; k++) z += (X[r * f + k] ?? 0) * (theta[i * d + k] ?? 0);
      pm += sigmoid(z);
    }
    pm /= n;
    const y = Y[r] ?? 0;
    if ((pm > 0.5 ? 1 : 0) === y) correct++;
    ll += Math.log(Math.max(y === 1 ? pm : 1 - pm, 1e-300));
  }
  return { on: held ? 'test' : 'train', rows, accuracy: correct / rows, logLik: ll / rows };
}
