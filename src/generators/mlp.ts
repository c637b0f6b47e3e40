/**
 * The generators' network: a small fully connected MLP in float64, forward pass, hand-written
 * reverse mode (backward through this MLP only) and Adam (Kingma & Ba 2015), seeded by the project's
 * Philox (src/reference/philox.ts), so one seed gives the same weights bit for bit on the CPU.
 *
 * Architecture (every generator, wflow, uotm and each S-JKO step):
 *   h_0 = z,  h_l = silu(h_{l-1} W_l + b_l)  (l = 1..L-1),  out = h_{L-1} W_L + b_L  (+ z when residual)
 *   silu(u) = u sigmoid(u)
 * Default 2-64-64-2 (src/generators/train.ts TRAIN_DEFAULTS; `--param hidden=128` gives the
 *   2-128-128-2 of the UOTM / S-JKO toy networks), SiLU, residual output (out = z + MLP(z)), last
 *   layer initialised to ZERO:
 *   - two hidden layers of 64: the maps here are nearly separable staircases (the 25-mode grid is
 *     the hardest: 25 sharp clusters from one Gaussian), and a forward + backward of a 256-point
 *     batch is ~3.5 M multiply-adds, against ~14 M at width 128: on the 2 shared cores these
 *     models are trained on, width 64 is what keeps each model at minutes;
 *   - SiLU is smooth (the potentials of UOTM / S-JKO are differentiated in their input, the map
 *     step needs grad v) and exports as two standard ONNX ops (Sigmoid, Mul);
 *   - the residual form with a zero last layer starts every map at the identity, which S-JKO
 *     requires (the chain starts from rho_0 = N(0, I)) and which is a neutral start for the others.
 * Weights and biases of the other layers: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's nn.Linear
 * default. Layout: W_l is [in, out] row-major (the ONNX Gemm B operand with transB = 0).
 * Batches are interleaved row-major [B, width] Float64Arrays.
 */
import { Rng } from '../reference/philox';

export interface MlpSpec {
  /** Layer widths, input first: [2, 128, 128, 2]. */
  sizes: number[];
  activation: 'silu';
  /** out = z + MLP(z) (needs sizes[0] = sizes[last]). */
  residual: boolean;
}

export interface Dense {
  inputs: number;
  outputs: number;
  /** [inputs, outputs] row-major. */
  w: Float64Array;
  b: Float64Array;
}

export interface Mlp {
  spec: MlpSpec;
  layers: Dense[];
}

export function checkSpec(spec: MlpSpec): void {
  if (spec.sizes.length < 2 || spec.sizes.some((s) => !Number.isInteger(s) || s < 1 || s > 4096)) {
    throw new Error(`MLP sizes must be >= 2 integers in 1..4096, got [${spec.sizes.join(', ')}]`);
  }
  if (spec.residual && spec.sizes[0] !== spec.sizes[spec.sizes.length - 1]) throw new Error('a residual MLP needs as many outputs as inputs');
}

/**
 * A seeded MLP; `zeroLast` zeroes the last layer (identity start of a residual map). `firstScale`
 * widens the first layer's uniform init (weights and biases) by that factor: steeper first-layer
 * units, i.e. sharper features at the start (1 = PyTorch's default).
 */
export function createMlp(spec: MlpSpec, rng: Rng, zeroLast: boolean, firstScale = 1): Mlp {
  checkSpec(spec);
  const layers: Dense[] = [];
  for (let l = 0; l + 1 < spec.sizes.length; l++) {
    const inputs = spec.sizes[l] ?? 1, outputs = spec.sizes[l + 1] ?? 1;
    const w = new Float64Array(inputs * outputs), b = new Float64Array(outputs);
    const last = l + 2 === spec.sizes.length;
    if (!(last && zeroLast)) {
      const bound = (l === 0 ? firstScale : 1) / Math.sqrt(inputs);
      for (let i = 0; i < w.length; i++) w[i] = bound * (2 * rng.uniform() - 1);
      for (let i = 0; i < b.length; i++) b[i] = bound * (2 * rng.uniform() - 1);
    }
    layers.push({ inputs, outputs, w, b });
  }
  return { spec: { ...spec, sizes: [...spec.sizes] }, layers };
}

export function cloneMlp(m: Mlp): Mlp {
  return { spec: { ...m.spec, sizes: [...m.spec.sizes] }, layers: m.layers.map((d) => ({ ...d, w: d.w.slice(), b: d.b.slice() })) };
}

export function parameterCount(m: Mlp): number {
  return m.layers.reduce((s, d) => s + d.w.length + d.b.length, 0);
}

/** All parameters in one array (layer by layer, W then b): for determinism checks and hashing. */
export function flatParameters(m: Mlp): Float64Array {
  const out = new Float64Array(parameterCount(m));
  let o = 0;
  for (const d of m.layers) {
    out.set(d.w, o);
    o += d.w.length;
    out.set(d.b, o);
    o += d.b.length;
  }
  return out;
}

function sigmoid(u: number): number {
  return 1 / (1 + Math.exp(-u));
}

/** What backward needs: each layer's input and pre-activation. */
export interface MlpCache {
  batch: number;
  inputs: Float64Array[];
  pre: Float64Array[];
  out: Float64Array;
}

/** H = X W + b for a [batch, inputs] X. */
function affine(d: Dense, x: Float64Array, batch: number): Float64Array {
  const { inputs: ni, outputs: no, w, b } = d;
  const h = new Float64Array(batch * no);
  for (let i = 0; i < batch; i++) {
    const ho = i * no;
    for (let j = 0; j < no; j++) h[ho + j] = b[j] ?? 0;
    for (let k = 0; k < ni; k++) {
      const a = x[i * ni + k] ?? 0;
      if (a === 0) continue;
      const wo = k * no;
      for (let j = 0; j < no; j++) h[ho + j] = (h[ho + j] ?? 0) + a * (w[wo + j] ?? 0);
    }
  }
  return h;
}

/** Forward pass with the cache for backward. */
export function forwardCached(m: Mlp, x: Float64Array, batch: number): MlpCache {
  const first = m.layers[0];
  if (!first || x.length !== batch * first.inputs) throw new Error(`MLP input: expected ${batch} x ${first?.inputs ?? 0} numbers, got ${x.length}`);
  const inputs: Float64Array[] = [];
  const pre: Float64Array[] = [];
  let h = x;
  const L = m.layers.length;
  for (let l = 0; l < L; l++) {
    const d = m.layers[l];
    if (!d) break;
    inputs.push(h);
    const u = affine(d, h, batch);
    if (l + 1 < L) {
      pre.push(u);
      const a = new Float64Array(u.length);
      for (let i = 0; i < u.length; i++) {
        const v = u[i] ?? 0;
        a[i] = v * sigmoid(v);
      }
      h = a;
    } else {
      if (m.spec.residual) for (let i = 0; i < u.length; i++) u[i] = (u[i] ?? 0) + (x[i] ?? 0);
      h = u;
    }
  }
  return { batch, inputs, pre, out: h };
}

export function forward(m: Mlp, x: Float64Array, batch: number): Float64Array {
  return forwardCached(m, x, batch).out;
}

/** Gradients of one MLP, same shapes as its layers. */
export interface MlpGrads {
  w: Float64Array[];
  b: Float64Array[];
}

export function zeroGrads(m: Mlp): MlpGrads {
  return { w: m.layers.map((d) => new Float64Array(d.w.length)), b: m.layers.map((d) => new Float64Array(d.b.length)) };
}

/**
 * Reverse mode: given dL/dout ([batch, outputs]) returns dL/dx ([batch, inputs]) and ADDS the
 * parameter gradients into `grads` (when given), so several backward passes can accumulate.
 */
export function backward(m: Mlp, cache: MlpCache, dOut: Float64Array, grads?: MlpGrads): Float64Array {
  const { batch } = cache;
  const L = m.layers.length;
  let g = dOut;
  for (let l = L - 1; l >= 0; l--) {
    const d = m.layers[l];
    const x = cache.inputs[l];
    if (!d || !x) break;
    const { inputs: ni, outputs: no, w } = d;
    if (l + 1 < L) {
      // through silu: silu'(u) = s(u) (1 + u (1 - s(u)))
      const u = cache.pre[l];
      if (!u) break;
      const gu = new Float64Array(g.length);
      for (let i = 0; i < g.length; i++) {
        const v = u[i] ?? 0;
        const s = sigmoid(v);
        gu[i] = (g[i] ?? 0) * s * (1 + v * (1 - s));
      }
      g = gu;
    }
    if (grads) {
      const gw = grads.w[l], gb = grads.b[l];
      if (!gw || !gb) throw new Error('gradient buffers do not match the MLP');
      for (let i = 0; i < batch; i++) {
        const go = i * no;
        for (let j = 0; j < no; j++) gb[j] = (gb[j] ?? 0) + (g[go + j] ?? 0);
        for (let k = 0; k < ni; k++) {
          const a = x[i * ni + k] ?? 0;
          if (a === 0) continue;
          const wo = k * no;
          for (let j = 0; j < no; j++) gw[wo + j] = (gw[wo + j] ?? 0) + a * (g[go + j] ?? 0);
        }
      }
    }
    const gx = new Float64Array(batch * ni);
    for (let i = 0; i < batch; i++) {
      const go = i * no;
      for (let k = 0; k < ni; k++) {
        const wo = k * no;
        let s = 0;
        for (let j = 0; j < no; j++) s += (g[go + j] ?? 0) * (w[wo + j] ?? 0);
        gx[i * ni + k] = s;
      }
    }
    g = gx;
  }
  // the residual path: out = z + MLP(z) adds dOut to dz
  if (m.spec.residual) for (let i = 0; i < g.length; i++) g[i] = (g[i] ?? 0) + (dOut[i] ?? 0);
  return g;
}

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export const ADAM_DEFAULTS: AdamOptions = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** Adam with bias correction, in place on the MLP's parameters. */
export class Adam {
  private t = 0;
  private readonly m1: MlpGrads;
  private readonly m2: MlpGrads;
  constructor(private readonly net: Mlp, readonly options: AdamOptions) {
    this.m1 = zeroGrads(net);
    this.m2 = zeroGrads(net);
  }

  step(grads: MlpGrads, lr = this.options.lr): void {
    this.t++;
    const { beta1, beta2, eps } = this.options;
    const c1 = 1 - Math.pow(beta1, this.t), c2 = 1 - Math.pow(beta2, this.t);
    const update = (p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array): void => {
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] ?? 0;
        const mi = beta1 * (m[i] ?? 0) + (1 - beta1) * gi;
        const vi = beta2 * (v[i] ?? 0) + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = (p[i] ?? 0) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
      }
    };
    this.net.layers.forEach((d, l) => {
      const gw = grads.w[l], gb = grads.b[l], mw = this.m1.w[l], mb = this.m1.b[l], vw = this.m2.w[l], vb = this.m2.b[l];
      if (!gw || !gb || !mw || !mb || !vw || !vb) throw new Error('Adam: gradient buffers do not match the MLP');
      update(d.w, gw, mw, vw);
      update(d.b, gb, mb, vb);
    });
  }
}

/** Weights rounded to float32 (what the ONNX file holds): the TS forward of the exported model. */
export function roundToFloat32(m: Mlp): Mlp {
  const c = cloneMlp(m);
  for (const d of c.layers) {
    d.w = Float64Array.from(Float32Array.from(d.w));
    d.b = Float64Array.from(Float32Array.from(d.b));
  }
  return c;
}
