/**
 * The reference sampler of the d-D targets (float64, seeded): Hamiltonian Monte Carlo (Duane et
 * al. 1987; Neal 2011) with a dense metric, run in whitened coordinates x = m + L z where
 * L L^T = S is a covariance estimate: U(z) = -log pi(m + L z), grad_z U = -L^T grad_x log pi.
 * Leapfrog with `leapfrog` steps, the step size jittered uniformly by +-10% per iteration (no
 * periodic orbits). Warm-up: two stages of step-size adaptation towards `targetAccept`
 * (log eps += 0.05 (accept prob - target) per iteration, averaged over chains), each followed by
 * a covariance estimate from its second half (shrunk towards 1e-3 I as Stan does); then `draws`
 * iterations per chain at the final step size, every `thin`-th kept.
 * Randomness: src/reference/philox.ts Rng(seed, HMC_STREAM, chain).
 */
import { Rng } from '../reference/philox';
import { ess, meanSd, splitRhat } from './diagnostics';
import type { NdTarget } from './types';

export const HMC_STREAM = 21;

export interface HmcOptions {
  seed: number;
  chains: number;
  warmup: number;
  draws: number;
  thin: number;
  leapfrog: number;
  targetAccept?: number;
  /** Start of every chain (default: metric.m, else 0); each chain adds 0.1 L xi, xi ~ N(0, I). */
  init?: Float64Array;
  /** Skip warm-up: use this metric (mean m, Cholesky factor L, row-major d x d) and step size. */
  metric?: { m: Float64Array; L: Float64Array; eps: number };
}

export interface HmcResult {
  /** Kept draws per chain, (draws / thin) x d each. */
  chains: Float64Array[];
  kept: number;
  acceptance: number;
  eps: number;
  metric: { m: Float64Array; L: Float64Array };
  rhat: Float64Array;
  ess: Float64Array;
  mean: Float64Array;
  sd: Float64Array;
  gradEvals: number;
  seconds: number;
}

/** Lower Cholesky factor of a symmetric positive definite d x d matrix (row-major). */
export function cholesky(S: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * d + j] ?? 0;
      for (let k = 0; k < j; k++) s -= (L[i * d + k] ?? 0) * (L[j * d + k] ?? 0);
      if (i === j) {
        if (!(s > 0)) throw new Error(`cholesky: matrix not positive definite at ${i} (pivot ${s})`);
        L[i * d + i] = Math.sqrt(s);
      } else {
        L[i * d + j] = s / (L[j * d + j] ?? 1);
      }
    }
  }
  return L;
}

/** Mean and covariance of rows (n x d), shrunk as Stan's adaptation: (n S + 5e-3 I) / (n + 5). */
export function covariance(x: Float64Array, n: number, d: number): { m: Float64Array; S: Float64Array } {
  const { mean } = meanSd(x, n, d);
  const S = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const da = (x[i * d + a] ?? 0) - (mean[a] ?? 0);
      for (let b = 0; b <= a; b++) S[a * d + b] = (S[a * d + b] ?? 0) + da * ((x[i * d + b] ?? 0) - (mean[b] ?? 0));
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = ((S[a * d + b] ?? 0) / Math.max(n - 1, 1)) * (n / (n + 5)) + (a === b ? (1e-3 * 5) / (n + 5) : 0);
      S[a * d + b] = v;
      S[b * d + a] = v;
    }
  }
  return { m: mean, S };
}

class Chain {
  z: Float64Array;
  x: Float64Array;
  gz: Float64Array;
  lp: number;
  private readonly gx: Float64Array;
  constructor(readonly target: NdTarget, public m: Float64Array, public L: Float64Array, x0: Float64Array, readonly rng: Rng, private readonly counter: { grads: number }) {
    const d = target.d;
    this.gx = new Float64Array(d);
    this.x = Float64Array.from(x0);
    this.z = this.toZ(x0);
    this.gz = new Float64Array(d);
    this.lp = this.evalAt(this.z, this.gz);
  }
  /** z = L^-1 (x - m) by forward substitution. */
  toZ(x: Float64Array): Float64Array {
    const d = this.target.d;
    const z = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = (x[i] ?? 0) - (this.m[i] ?? 0);
      for (let k = 0; k < i; k++) s -= (this.L[i * d + k] ?? 0) * (z[k] ?? 0);
      z[i] = s / (this.L[i * d + i] ?? 1);
    }
    return z;
  }
  toX(z: Float64Array, out: Float64Array): void {
    const d = this.target.d;
    for (let i = 0; i < d; i++) {
      let s = this.m[i] ?? 0;
      for (let k = 0; k <= i; k++) s += (this.L[i * d + k] ?? 0) * (z[k] ?? 0);
      out[i] = s;
    }
  }
  /** log pi at z, grad_z log pi into g. */
  evalAt(z: Float64Array, g: Float64Array): number {
    const d = this.target.d;
    const x = new Float64Array(d);
    this.toX(z, x);
    const lp = this.target.logpGrad(x, 1, this.gx)[0] ?? -Infinity;
    this.counter.grads++;
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let i = k; i < d; i++) s += (this.L[i * d + k] ?? 0) * (this.gx[i] ?? 0);
      g[k] = s;
    }
    return lp;
  }
  rebase(m: Float64Array, L: Float64Array): void {
    this.m = m;
    this.L = L;
    this.z = this.toZ(this.x);
    this.lp = this.evalAt(this.z, this.gz);
  }
  /** One HMC iteration; returns the acceptance probability. */
  iterate(eps0: number, steps: number): number {
    const d = this.target.d;
    const eps = eps0 * (0.9 + 0.2 * this.rng.uniform());
    const p = new Float64Array(d);
    let k0 = 0;
    for (let k = 0; k < d; k++) {
      p[k] = this.rng.normal();
      k0 += (p[k] ?? 0) ** 2;
    }
    const z = Float64Array.from(this.z);
    const g = Float64Array.from(this.gz);
    let lp = this.lp;
    for (let s = 0; s < steps; s++) {
      for (let k = 0; k < d; k++) p[k] = (p[k] ?? 0) + 0.5 * eps * (g[k] ?? 0);
      for (let k = 0; k < d; k++) z[k] = (z[k] ?? 0) + eps * (p[k] ?? 0);
      lp = this.evalAt(z, g);
      if (!Number.isFinite(lp)) break;
      for (let k = 0; k < d; k++) p[k] = (p[k] ?? 0) + 0.5 * eps * (g[k] ?? 0);
    }
    let k1 = 0;
    for (let k = 0; k < d; k++) k1 += (p[k] ?? 0) ** 2;
    const logA = lp - 0.5 * k1 - (this.lp - 0.5 * k0);
    const a = Number.isFinite(logA) ? Math.min(1, Math.exp(logA)) : 0;
    if (this.rng.uniform() < a) {
      this.z = z;
      this.gz = g;
      this.lp = lp;
      this.toX(z, this.x);
    }
    return a;
  }
}

export function runHmc(target: NdTarget, o: HmcOptions): HmcResult {
  const t0 = performance.now();
  const d = target.d;
  const counter = { grads: 0 };
  const target_a = o.targetAccept ?? 0.8;
  let m = o.metric?.m ?? new Float64Array(d);
  let L = o.metric?.L ?? Float64Array.from({ length: d * d }, (_, a) => (a % (d + 1) === 0 ? 1 : 0));
  let eps = o.metric?.eps ?? 0.1;
  const chains = Array.from({ length: o.chains }, (_, c) => {
    const rng = new Rng(o.seed, HMC_STREAM, c);
    // start: init (default: the metric's mean, else 0) plus 0.1 L xi, a small jitter in whitened units
    const xi = Float64Array.from({ length: d }, () => 0.1 * rng.normal());
    const x0 = Float64Array.from({ length: d }, (_, k) => {
      let s = o.init?.[k] ?? m[k] ?? 0;
      for (let j = 0; j <= k; j++) s += (L[k * d + j] ?? 0) * (xi[j] ?? 0);
      return s;
    });
    return new Chain(target, m, L, x0, rng, counter);
  });
  if (!o.metric) {
    for (let stage = 0; stage < 2; stage++) {
      const len = Math.floor(o.warmup / 2);
      const keep = new Float64Array(o.chains * (len - Math.floor(len / 2)) * d);
      let row = 0;
      for (let t = 0; t < len; t++) {
        let acc = 0;
        for (const ch of chains) acc += ch.iterate(eps, o.leapfrog);
        eps *= Math.exp(0.05 * (acc / o.chains - target_a));
        if (t >= Math.floor(len / 2)) for (const ch of chains) keep.set(ch.x, d * row++);
      }
      const cov = covariance(keep, row, d);
      m = cov.m;
      L = cholesky(cov.S, d);
      for (const ch of chains) ch.rebase(m, L);
      // the whitened scale changed: re-tune the step size briefly at the new metric
      for (let t = 0; t < 100; t++) {
        let acc = 0;
        for (const ch of chains) acc += ch.iterate(eps, o.leapfrog);
        eps *= Math.exp(0.05 * (acc / o.chains - target_a));
      }
    }
  }
  const kept = Math.floor(o.draws / o.thin);
  const out = chains.map(() => new Float64Array(kept * d));
  let accSum = 0;
  for (let t = 0; t < kept * o.thin; t++) {
    chains.forEach((ch, c) => {
      accSum += ch.iterate(eps, o.leapfrog);
      if ((t + 1) % o.thin === 0) out[c]?.set(ch.x, ((t + 1) / o.thin - 1) * d);
    });
  }
  const all = new Float64Array(o.chains * kept * d);
  out.forEach((c, i) => all.set(c, i * kept * d));
  const { mean, sd } = meanSd(all, o.chains * kept, d);
  return {
    chains: out, kept, eps, metric: { m, L },
    acceptance: accSum / (o.chains * kept * o.thin),
    rhat: Float64Array.from({ length: d }, (_, k) => splitRhat(out, kept, d, k)),
    ess: Float64Array.from({ length: d }, (_, k) => ess(out, kept, d, k)),
    mean, sd, gradEvals: counter.grads, seconds: (performance.now() - t0) / 1000,
  };
}
