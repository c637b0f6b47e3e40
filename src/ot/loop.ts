/**
 * The one Sinkhorn loop driver (GeomLoss `sinkhorn_divergence.py::sinkhorn_loop`, Feydy et al. 2019;
 * METHODS.md section 4), parameterised by its schedule. Every Sinkhorn solve of the project runs
 * through it: the metric S_eps (src/ot/sinkhorn.ts sinkhornLoop: cold, or warm with a re-anneal), the
 * sinkhorn-flow steppers (src/ot/sinkhornFlow.ts: the whole schedule every step, or a warm re-anneal
 * of the last levels with mirrored updates) and W-Flow training (src/generators/train.ts).
 *
 * A backend supplies only the softmin update on its storage (`SoftminProblem`: the WGSL one in
 * src/ot/gpuSinkhorn.ts records GPU passes, the float64 twin in src/ot/cpuSinkhorn.ts computes):
 *   next[p] = blend cur[p] + (1 - blend) lambda_k softmin_{eps_k}(C(z, w), log w + cur[q] / eps_k)
 * with eps_k read from the problem's schedule at its tick counter. The driver decides which updates
 * run, in which order, and when the tick advances (`LoopPlan`):
 *   start   'cold': zero the potentials first; 'warm': keep them (the caller may have seeded them).
 *   sides   which potentials the loop keeps: f_ab, g_ab (the (a, b) problem), f_aa, g_bb (debiasing).
 *   phases  run in order, each `count` iterations of one update rule, or (runSinkhorn only) until
 *           the marginal error is <= tol, checked every `checkEvery` iterations, up to `maxIter`.
 * The update rules (one iteration each; "reads the old values" = every softmin before the commit
 * reads the potentials current before the iteration):
 *   jump         every side: p <- softmin (blend 0), all reading the old values. GeomLoss's init at
 *                eps_0 and its last extrapolation; not counted as an iteration.
 *   averaged     every side: p <- (p + softmin) / 2, all reading the old values (GeomLoss's
 *                symmetric update along the eps-scaling schedule).
 *   alternating  f_ab <- softmin; then g_ab <- softmin reading the new f_ab; f_aa, g_bb averaged.
 *                At small eps the averaged (a, b) update contracts like (1 + lambda) / 2 per
 *                iteration against lambda^2 for the alternating one (lambda the Jacobi factor);
 *                measured on moons (N = 512 vs 1024, blur 0.1, CPU twin): marginal error after 300
 *                iterations 7.9e-3 alternating vs 4.1e-2 averaged.
 *   mirrored     f_ab <- softmin and f_aa <- softmin; then g_ab <- softmin (new f_ab) and
 *                f_aa <- softmin again: the self-problem runs exactly the (a, b) problem's updates
 *                where x = y, so T_ab = T_aa there whatever the truncation (the flow's warm steps,
 *                see src/ot/sinkhornFlow.ts). g_bb is not updated.
 *   tick         'each' (default): the schedule index advances after every iteration; 'butLast': not
 *                after the last one (the caller ticks later); 'none': never.
 * The eps schedule itself lives on the problem (SoftminProblem.setSchedule); `schedule` in the plan
 * sets it first, a plan without it continues on the problem's clock (the flow sets a wrapping
 * schedule once and records one plan per step). `loopPasses` counts the softmin passes a plan
 * records, from the plan alone.
 */

/** The four potentials of GeomLoss's loop: f_ab on x, g_ab on y, f_aa on x, g_bb on y. */
export type Potential = 'fab' | 'gab' | 'faa' | 'gbb';

export interface Potentials {
  fab: Float64Array;
  gab: Float64Array;
  faa: Float64Array;
  gbb: Float64Array;
}

/** One Sinkhorn problem between a (n points) and b (m points) on one backend: the softmin adapter the driver runs. */
export interface SoftminProblem {
  readonly n: number;
  readonly m: number;
  /**
   * Set eps_0..eps_{L-1} (and lambda_k from rho, null = balanced); the tick counter restarts at 0.
   * period > 0: the index wraps back to `offset` every `period` ticks (see scheduleIndex).
   */
  setSchedule(eps: readonly number[], rho: number | null, period?: number, offset?: number): void;
  /**
   * Record next[p] = blend cur[p] + (1 - blend) lambda_k softmin_{eps_k}(C(z, w), log w + cur[q] / eps_k):
   *   fab: z = x, w = (y, b), q = gab;  gab: z = y, w = (x, a), q = fab;
   *   faa: z = x, w = (x, a), q = faa;  gbb: z = y, w = (y, b), q = gbb.
   * Every update recorded before `commit` reads the potentials current before them.
   */
  softmin(p: Potential, blend: number): void;
  /** The recorded updates become current; `tick` advances the schedule index (it saturates at the last eps). */
  commit(tick: boolean): void;
  /** Zero all potentials (a cold start). */
  reset(): void;
  /** max over the two sides of the (a, b) plan's marginal error, see shaders/sinkhornReduce.wgsl. Reads back. */
  marginalError(): Promise<number>;
  /** S_eps (debias) or OT_eps at the current potentials and eps. Reads back. */
  value(debias: boolean): Promise<number>;
  potentials(): Promise<Potentials>;
  destroy(): void;
}

/** Which potentials a loop keeps. */
export interface Sides {
  /** f_ab and g_ab (the transport problem between a and b). */
  ab: boolean;
  /** f_aa (a's self-problem, debiasing; the flow's T_aa). */
  aa: boolean;
  /** g_bb (b's self-problem, debiasing; enters only the value S_eps). */
  bb: boolean;
}

/** The (a, b) problem, with both self-problems when debiased. */
export function debiasSides(debias: boolean): Sides {
  return { ab: true, aa: debias, bb: debias };
}

export type UpdateRule = 'jump' | 'averaged' | 'alternating' | 'mirrored';
export type Tick = 'each' | 'butLast' | 'none';

/** Stop rule of a convergence phase (runSinkhorn only: it reads the marginal error back). */
export interface Until {
  /** Stop when the marginal error <= tol (0: run to maxIter). */
  tol: number;
  /** Check every k iterations of this phase (the first check before its first iteration). */
  checkEvery: number;
  /** Cap on all iterations of the loop so far (jumps not counted), this phase included. */
  maxIter: number;
}

export type Phase =
  | { update: UpdateRule; count: number; tick?: Tick }
  | { update: UpdateRule; until: Until };

export interface LoopPlan {
  /** 'cold': reset() first (zero potentials); 'warm': keep the current ones. */
  start: 'cold' | 'warm';
  sides: Sides;
  phases: readonly Phase[];
  /** Set on the problem first (the tick restarts at 0); absent: continue on the problem's schedule clock. */
  schedule?: { eps: readonly number[]; rho: number | null; period?: number; offset?: number };
}

export interface LoopOutcome {
  /** Iterations run (jumps not counted). */
  iterations: number;
  /** Marginal error at the last check of a convergence phase; NaN if the plan had none. */
  marginalError: number;
  /** Whether the last convergence phase reached its tol (false if the plan had none). */
  converged: boolean;
}

function check(plan: LoopPlan): void {
  for (const ph of plan.phases) {
    if ((ph.update === 'alternating' || ph.update === 'mirrored') && !plan.sides.ab) {
      throw new Error(`Sinkhorn loop: the ${ph.update} update needs the (a, b) potentials`);
    }
    if ('count' in ph && !(Number.isInteger(ph.count) && ph.count >= 0)) throw new Error(`Sinkhorn loop: a phase count must be an integer >= 0, got ${ph.count}`);
    if ('until' in ph) {
      const u = ph.until;
      if (ph.update === 'jump') throw new Error('Sinkhorn loop: a convergence phase needs an iterating update, not jump');
      if (!(Number.isInteger(u.checkEvery) && u.checkEvery >= 1)) throw new Error(`Sinkhorn loop: checkEvery must be an integer >= 1, got ${u.checkEvery}`);
      if (!(Number.isInteger(u.maxIter) && u.maxIter >= 0)) throw new Error(`Sinkhorn loop: maxIter must be an integer >= 0, got ${u.maxIter}`);
      if (!(u.tol >= 0)) throw new Error(`Sinkhorn loop: tol must be >= 0, got ${u.tol}`);
    }
  }
}

/** Record one iteration of `rule` on `sides` (see the header), then commit with or without a tick. */
export function recordUpdate(problem: SoftminProblem, rule: UpdateRule, sides: Sides, tick: boolean): void {
  switch (rule) {
    case 'jump':
    case 'averaged': {
      const blend = rule === 'jump' ? 0 : 0.5;
      if (sides.ab) {
        problem.softmin('fab', blend);
        problem.softmin('gab', blend);
      }
      if (sides.aa) problem.softmin('faa', blend);
      if (sides.bb) problem.softmin('gbb', blend);
      break;
    }
    case 'alternating':
      problem.softmin('fab', 0);
      problem.commit(false);
      problem.softmin('gab', 0);
      if (sides.aa) problem.softmin('faa', 0.5);
      if (sides.bb) problem.softmin('gbb', 0.5);
      break;
    case 'mirrored':
      problem.softmin('fab', 0);
      if (sides.aa) problem.softmin('faa', 0);
      problem.commit(false);
      problem.softmin('gab', 0);
      if (sides.aa) problem.softmin('faa', 0);
      break;
  }
  problem.commit(tick);
}

function begin(problem: SoftminProblem, plan: LoopPlan): void {
  check(plan);
  if (plan.schedule) problem.setSchedule(plan.schedule.eps, plan.schedule.rho, plan.schedule.period ?? 0, plan.schedule.offset ?? 0);
  if (plan.start === 'cold') problem.reset();
}

/** Record `count` iterations of a counted phase; returns the iterations counted (jumps: 0). */
function recordPhase(problem: SoftminProblem, sides: Sides, ph: { update: UpdateRule; count: number; tick?: Tick }): number {
  const tick = ph.tick ?? 'each';
  for (let k = 0; k < ph.count; k++) recordUpdate(problem, ph.update, sides, tick === 'each' || (tick === 'butLast' && k < ph.count - 1));
  return ph.update === 'jump' ? 0 : ph.count;
}

/**
 * Record a plan without reading anything back (e.g. into a GPU compute pass: the flow steppers).
 * A plan with a convergence phase needs runSinkhorn.
 */
export function recordSinkhorn(problem: SoftminProblem, plan: LoopPlan): number {
  begin(problem, plan);
  let iterations = 0;
  for (const ph of plan.phases) {
    if (!('count' in ph)) throw new Error('recordSinkhorn: a phase that runs until convergence reads back: use runSinkhorn');
    iterations += recordPhase(problem, plan.sides, ph);
  }
  return iterations;
}

/** Run a plan, convergence phases included (each check reads the marginal error back, a few bytes on the GPU). */
export async function runSinkhorn(problem: SoftminProblem, plan: LoopPlan): Promise<LoopOutcome> {
  begin(problem, plan);
  let it = 0;
  let marginalError = NaN;
  let converged = false;
  for (const ph of plan.phases) {
    if ('count' in ph) {
      it += recordPhase(problem, plan.sides, ph);
      continue;
    }
    const { tol, checkEvery, maxIter } = ph.until;
    const start = it;
    marginalError = Infinity;
    converged = false;
    for (;;) {
      if ((it - start) % checkEvery === 0 || it >= maxIter) {
        marginalError = await problem.marginalError();
        if (marginalError <= tol) {
          converged = true;
          break;
        }
      }
      if (it >= maxIter) break;
      recordUpdate(problem, ph.update, plan.sides, true);
      it++;
    }
  }
  return { iterations: it, marginalError, converged };
}

/** Softmin passes one iteration of `rule` records on `sides`. */
export function updatePasses(rule: UpdateRule, sides: Sides): number {
  const ab = sides.ab ? 2 : 0, aa = sides.aa ? 1 : 0, bb = sides.bb ? 1 : 0;
  if (rule === 'mirrored') return ab + 2 * aa;
  return ab + aa + bb;
}

/** Softmin passes a plan of counted phases records (the marginal-error checks not included). */
export function loopPasses(plan: LoopPlan): number {
  let total = 0;
  for (const ph of plan.phases) {
    if (!('count' in ph)) throw new Error('loopPasses: a convergence phase has no fixed pass count');
    total += ph.count * updatePasses(ph.update, plan.sides);
  }
  return total;
}
