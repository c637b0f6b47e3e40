/**
 * The float64 CPU softmin backend of the one Sinkhorn loop (src/ot/sinkhorn.ts): potentials in
 * Float64Arrays, every update computed by the twins of the WGSL kernels
 * (src/reference/sinkhornSoftmin.ts, sinkhornReduce.ts), so the CPU and GPU runs execute the same
 * sequence of updates (GeomLoss sinkhorn_loop, Feydy et al. 2019):
 *   next[p] = blend cur[p] + (1 - blend) lambda_k softmin_{eps_k}(C, log w + cur[q] / eps_k)
 */
import { sinkhornReduce } from '../reference/sinkhornReduce';
import { sinkhornSoftmin } from '../reference/sinkhornSoftmin';
import {
  cloudDiameter, logWeights, scheduleIndex, SinkhornMetric,
  type Measure, type Potential, type Potentials, type SinkhornOptions, type SinkhornResult, type SoftminBackend, type SoftminProblem,
} from './sinkhorn';

const POTENTIALS: readonly Potential[] = ['fab', 'gab', 'faa', 'gbb'];

export class CpuSoftminProblem implements SoftminProblem {
  readonly n: number;
  readonly m: number;
  x: Float64Array;
  y: Float64Array;
  readonly loga: Float64Array;
  readonly logb: Float64Array;
  private cur: Potentials;
  private next: Potentials;
  private readonly written = new Set<Potential>();
  private eps: number[] = [1];
  private lambda: number[] = [1];
  private rho: number | null = null;
  /** Ticks since setSchedule (the GPU's sched.iter); the entry read is scheduleIndex(k, ...). */
  private k = 0;
  private period = 0;
  private offset = 0;
  /** Softmin evaluations (updates and the undamped ones of marginalError), each one tiled WGSL pass on the GPU. */
  passes = 0;

  constructor(a: Measure, b: Measure) {
    this.loga = logWeights(a, 'a');
    this.logb = logWeights(b, 'b');
    this.n = this.loga.length;
    this.m = this.logb.length;
    this.x = Float64Array.from(a.points);
    this.y = Float64Array.from(b.points);
    const zeros = (): Potentials => ({ fab: new Float64Array(this.n), gab: new Float64Array(this.m), faa: new Float64Array(this.n), gbb: new Float64Array(this.m) });
    this.cur = zeros();
    this.next = zeros();
  }

  /** Replace a's points (same n), e.g. particles that moved; potentials are kept as a warm start. */
  setX(x: ArrayLike<number>): void {
    if (x.length !== 2 * this.n) throw new Error(`setX: expected ${2 * this.n} numbers, got ${x.length}`);
    this.x = Float64Array.from(x);
  }

  setY(y: ArrayLike<number>): void {
    if (y.length !== 2 * this.m) throw new Error(`setY: expected ${2 * this.m} numbers, got ${y.length}`);
    this.y = Float64Array.from(y);
  }

  /** eps of the current schedule step. */
  get epsilon(): number {
    return this.eps[this.index()] ?? 1;
  }

  private index(): number {
    return scheduleIndex(this.k, this.eps.length - 1, this.period, this.offset);
  }

  current(p: Potential): Float64Array {
    return this.cur[p];
  }

  setSchedule(eps: readonly number[], rho: number | null, period = 0, offset = 0): void {
    if (eps.length === 0) throw new Error('empty eps schedule');
    this.eps = [...eps];
    this.rho = rho;
    this.lambda = eps.map((e) => (rho === null ? 1 : 1 / (1 + e / rho)));
    this.k = 0;
    this.period = period;
    this.offset = offset;
  }

  private side(p: Potential): { z: Float64Array; nz: number; w: Float64Array; nw: number; logw: Float64Array; q: Potential } {
    switch (p) {
      case 'fab': return { z: this.x, nz: this.n, w: this.y, nw: this.m, logw: this.logb, q: 'gab' };
      case 'gab': return { z: this.y, nz: this.m, w: this.x, nw: this.n, logw: this.loga, q: 'fab' };
      case 'faa': return { z: this.x, nz: this.n, w: this.x, nw: this.n, logw: this.loga, q: 'faa' };
      case 'gbb': return { z: this.y, nz: this.m, w: this.y, nw: this.m, logw: this.logb, q: 'gbb' };
    }
  }

  softmin(p: Potential, blend: number): void {
    const s = this.side(p);
    const k = this.index();
    this.passes++;
    sinkhornSoftmin(s.z, s.nz, s.w, s.nw, s.logw, this.cur[s.q], this.cur[p], { eps: this.eps[k] ?? 1, lambda: this.lambda[k] ?? 1, blend }, this.next[p]);
    this.written.add(p);
  }

  commit(tick: boolean): void {
    for (const p of this.written) {
      const t = this.cur[p];
      this.cur[p] = this.next[p];
      this.next[p] = t;
    }
    this.written.clear();
    if (tick) this.k++;
  }

  reset(): void {
    for (const p of POTENTIALS) {
      this.cur[p].fill(0);
      this.next[p].fill(0);
    }
    this.written.clear();
  }

  /** The undamped softmin of the potential opposite p (the would-be update of p), for error checks. */
  private raw(p: Potential): Float64Array {
    const s = this.side(p);
    this.passes++;
    return sinkhornSoftmin(s.z, s.nz, s.w, s.nw, s.logw, this.cur[s.q], this.cur[p], { eps: this.epsilon, lambda: 1, blend: 0, raw: true });
  }

  marginalError(): Promise<number> {
    const eps = this.epsilon;
    const ea = sinkhornReduce(this.loga, this.cur.fab, this.raw('fab'), this.n, 'error', eps, this.rho);
    const eb = sinkhornReduce(this.logb, this.cur.gab, this.raw('gab'), this.m, 'error', eps, this.rho);
    return Promise.resolve(Math.max(ea, eb));
  }

  value(debias: boolean): Promise<number> {
    const eps = this.epsilon;
    const va = sinkhornReduce(this.loga, this.cur.fab, debias ? this.cur.faa : new Float64Array(this.n), this.n, 'value', eps, this.rho);
    const vb = sinkhornReduce(this.logb, this.cur.gab, debias ? this.cur.gbb : new Float64Array(this.m), this.m, 'value', eps, this.rho);
    return Promise.resolve(va + vb);
  }

  potentials(): Promise<Potentials> {
    return Promise.resolve({ fab: this.cur.fab.slice(), gab: this.cur.gab.slice(), faa: this.cur.faa.slice(), gbb: this.cur.gbb.slice() });
  }

  destroy(): void {
    // nothing to release
  }
}

export class CpuSinkhorn implements SoftminBackend {
  readonly kind = 'cpu' as const;
  readonly description = 'float64 CPU reference';
  problem(a: Measure, b: Measure): CpuSoftminProblem {
    return new CpuSoftminProblem(a, b);
  }
  destroy(): void {
    // nothing to release
  }
}

export function createCpuSinkhorn(): CpuSinkhorn {
  return new CpuSinkhorn();
}

export interface CpuSinkhornMetric {
  /** S_eps (or OT_eps) between particles x (2n) and cloud y (2m); warm-started after the first call while n, m stay. */
  measure(x: ArrayLike<number>, y: ArrayLike<number>): Promise<SinkhornResult>;
  destroy(): void;
}

/** The live-plot metric on the CPU backend (see SinkhornMetric). */
export function createCpuSinkhornMetric(options: SinkhornOptions): CpuSinkhornMetric {
  let state: { problem: CpuSoftminProblem; metric: SinkhornMetric } | undefined;
  return {
    measure(x, y) {
      if (!state || state.problem.n * 2 !== x.length || state.problem.m * 2 !== y.length) {
        const problem = new CpuSoftminProblem({ points: x }, { points: y });
        state = { problem, metric: new SinkhornMetric(problem, options, options.diameter ?? cloudDiameter(x, y)) };
      } else {
        state.problem.setX(x);
        state.problem.setY(y);
      }
      return state.metric.measure();
    },
    destroy() {
      state?.metric.destroy();
      state = undefined;
    },
  };
}
