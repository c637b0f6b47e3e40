/**
 * The Sinkhorn solve inside one step of the Sinkhorn-divergence flow (method 'sinkhorn-flow',
 * src/methods/sinkhornFlow.ts; METHODS.md section 4), recorded on any SoftminProblem, so the GPU
 * stepper and its float64 CPU twin run the same sequence of updates and schedule ticks.
 *
 * The schedule is GeomLoss's epsilon_schedule, eps_0 = diameter^2 ... eps_{L-1} = blur^2.
 *
 * warm = false (the original behaviour): every step runs the L annealing iterations (averaged
 *   symmetric updates of f_ab, g_ab, f_aa, g_bb) and K = `iterations` more at blur^2, from the
 *   previous step's potentials: 4 (L + K) softmin passes per step (80 at blur 0.1, scaling 0.7 on
 *   8gaussians, L = 15, K = 5).
 * warm = true (debiased flows only): the first step runs the whole schedule; each later step re-anneals only the last
 *   J = `anneal` levels before blur^2 (eps_{L-1-J} .. eps_{L-2}), where the previous potentials are
 *   already nearly right, then K = `iterations` at blur^2, all with the same mirrored update:
 *     f_ab <- softmin(C_xy, log b + g_ab / eps),  f_aa <- softmin(C_xx, log a + f_aa / eps)
 *     g_ab <- softmin(C_yx, log a + f_ab / eps),  f_aa <- softmin(C_xx, log a + f_aa / eps)
 *   (alternating: each half reads the other half's new values; 4 passes, 2 without debias). The
 *   self-problem gets two half-updates so that where x = y it runs exactly the updates of the (a, b)
 *   problem: T_ab = T_aa then holds whatever the truncation, as in the averaged loop (the debiasing
 *   cancels the solver's error, and the S_eps minimiser x = y stays a fixed point of the flow).
 *   f_aa in the plain iteration f <- S(f) may alternate by a constant; T_aa does not see constants.
 *   g_bb, the target's self-potential, is left out: the velocity T_ab - T_aa never reads it (it enters
 *   only the value S_eps). Passes per warm step: 4 (J + K) (24 at J = 5, K = 1), plus the 2 of the
 *   in-step marginal-error check on the GPU: 26 against 4 (L + K) + 2 = 82 before.
 * Why the short re-annealing works: a step of size tau moves x by O(tau) and changes the potentials
 * mostly at large scales (where plain iterations at eps = blur^2 contract slowly: warm starts at
 * blur^2 alone left the energy distance at 0.29 instead of 0.0012 on moons, N = 512, 20 steps of
 * tau = 0.5, CPU twin, measured); a few coarse levels repair those scales and keep the fine ones.
 * Measured on the CPU twin (N = M = 512, tau = 0.5, 21 steps, energy distance to the flow's cloud):
 * moons 0.00064 (J = 5, K = 1) vs 0.00119 before, 8gaussians 0.00085 vs 0.00084. Alternatives that
 * were worse: averaged updates on the levels (moons 0.037 at J = 4, unstable), the (a, b) pair
 * alternating with a single averaged f_aa update (a Gaussian cloud's variance 7% too large: the
 * solver errors of T_ab and T_aa no longer cancel), J = 3 or 4 (moons stalls at 0.009).
 * The price: the flow plan's marginal error after a step is larger (0.10 to 0.16 vs 0.04 before on
 * those runs), since each step solves less; it is reported as it is (Metrics.flowMarginalError).
 *
 * The depth J: `anneal` when the user sets it (a number); by default ('auto') it follows the geometry
 *   (autoAnnealLevels): a step moves a particle by tau |T_ab - T_aa|, T_ab in the cloud's hull, a
 *   move of the order of tau * (the cloud's extent, its bounding-box diagonal) once the particles
 *   reach the cloud, and the potentials change at the scale of that move; so the re-annealing starts
 *   at the schedule's last level whose scale sqrt(eps) is still >= AUTO_ANNEAL_FRACTION * tau * extent,
 *   and never re-runs fewer than AUTO_ANNEAL_MIN levels (the fixed default before, which the
 *   measurements above used; moons and 8gaussians at tau <= 0.5 stay there).
 *   A fixed J = 5 diverged on the funnel, whose cloud is wide (a heavy top: diameter 47 at M = 128,
 *   155 at larger M) while the levels J = 5 re-runs start at sqrt(eps) ~ 0.4: the warm potentials
 *   are wrong at the scales the particles moved over (scripts/flow-anneal.ts measures it).
 *
 * Schedule ticks: the index wraps back to `offset` = L - 1 - J every `period` = J + K ticks
 * (shaders/common/schedule.wgsl), so any number of steps fits in one GPU pass. recordFlowIterations
 * ticks after each level and each iteration but the last, leaving the index on blur^2 for the
 * marginal-error check and the projections; the caller ticks once more after them (commit(true)).
 */
import { debiasSides, loopPasses, recordSinkhorn, type LoopPlan, type Phase, type SoftminProblem } from './loop';
import { epsilonSchedule } from './sinkhorn';

export interface FlowSolveOptions {
  blur: number;
  scaling: number;
  /** Sinkhorn iterations per step at eps = blur^2 (K). */
  iterations: number;
  /** Annealing levels re-run by each warm step (J; clipped to L - 1), or 'auto': autoAnnealLevels at step size `tau`. */
  anneal: number | 'auto';
  /** The flow's step size tau: what anneal = 'auto' reads (required then). */
  tau?: number;
  /** anneal = 'auto': the target cloud's extent (bounding-box diagonal; default: the schedule's diameter). */
  extent?: number;
  warm: boolean;
  debias: boolean;
}

/** anneal = 'auto': the re-annealing starts at the level whose scale sqrt(eps) matches this fraction of tau * extent. */
export const AUTO_ANNEAL_FRACTION = 0.25;
/** anneal = 'auto': at least this many levels (the fixed default before the depth followed the geometry). */
export const AUTO_ANNEAL_MIN = 5;

/**
 * The warm re-annealing depth J for a step of size tau toward a cloud of extent `extent` (bounding-box
 * diagonal; see the header): L - 1 - k0, k0 the last index whose sqrt(eps_k) >= AUTO_ANNEAL_FRACTION *
 * tau * extent (0 when none is), and at least AUTO_ANNEAL_MIN; clipped to L - 1.
 */
export function autoAnnealLevels(schedule: readonly number[], extent: number, tau: number): number {
  const L = schedule.length;
  const scale = AUTO_ANNEAL_FRACTION * tau * extent;
  let k0 = 0;
  for (let k = 0; k < L; k++) if (Math.sqrt(schedule[k] ?? 0) >= scale) k0 = k;
  return Math.min(L - 1, Math.max(AUTO_ANNEAL_MIN, L - 1 - k0));
}

export interface FlowSolvePlan {
  /** GeomLoss schedule, L entries, the last = blur^2. */
  schedule: number[];
  /** Index the schedule wraps back to (0 when not warm). */
  offset: number;
  /** Ticks per step. */
  period: number;
  /** Levels re-annealed per step (J; L when not warm, all of them, averaged). */
  levels: number;
  iterations: number;
  warm: boolean;
  debias: boolean;
}

/** The schedule and the tick layout of one flow; `diameter` sets eps_0 = diameter^2. */
export function flowSolvePlan(diameter: number, o: FlowSolveOptions): FlowSolvePlan {
  const schedule = epsilonSchedule(diameter, o.blur, o.scaling);
  const L = schedule.length;
  const K = Math.max(1, Math.round(o.iterations));
  // without debiasing no self-problem cancels the truncation error (a Gaussian cloud's OT_eps flow
  // came out 7% too wide with the warm steps, measured): the whole schedule every step
  if (!o.warm || !o.debias) return { schedule, offset: 0, period: L + K, levels: L, iterations: K, warm: false, debias: o.debias };
  let J: number;
  if (o.anneal === 'auto') {
    if (!(o.tau !== undefined && Number.isFinite(o.tau) && o.tau > 0)) throw new Error(`flowSolvePlan: anneal 'auto' needs a positive step size tau, got ${String(o.tau)}`);
    J = autoAnnealLevels(schedule, o.extent ?? diameter, o.tau);
  } else {
    J = Math.max(0, Math.min(Math.round(o.anneal), L - 1));
  }
  return { schedule, offset: L - 1 - J, period: J + K, levels: J, iterations: K, warm: true, debias: o.debias };
}

/** The schedule with its wrap, set once when the problem is created (the ticks then stay on the problem). */
export function setFlowSchedule(problem: SoftminProblem, plan: FlowSolvePlan, rho: number | null): void {
  problem.setSchedule(plan.schedule, rho, plan.period, plan.offset);
}

/**
 * One flow step's Sinkhorn iterations as a plan for the loop driver (src/ot/loop.ts; see the header).
 * `first`: the step that starts from zero potentials (a fresh or reset problem: the init jump, then
 * the whole schedule). Every
 * tick of the step but the last is in the plan; the caller records the last after the projections.
 * The plan continues on the problem's wrapping schedule clock (set once by setFlowSchedule).
 */
export function flowStepPlan(plan: FlowSolvePlan, first: boolean): LoopPlan {
  const phases: Phase[] = [];
  if (first) phases.push({ update: 'jump', count: 1, tick: 'none' });
  if (!plan.warm) {
    phases.push({ update: 'averaged', count: plan.schedule.length + plan.iterations, tick: 'butLast' });
  } else {
    // the first step anneals from eps_0 down to the warm levels with GeomLoss's averaged updates
    if (first) phases.push({ update: 'averaged', count: plan.offset });
    phases.push({ update: 'mirrored', count: plan.levels }, { update: 'mirrored', count: plan.iterations, tick: 'butLast' });
  }
  return { start: 'warm', sides: debiasSides(plan.debias), phases };
}

/** Record one flow step's Sinkhorn iterations (flowStepPlan) on the problem. */
export function recordFlowIterations(problem: SoftminProblem, plan: FlowSolvePlan, first: boolean): void {
  recordSinkhorn(problem, flowStepPlan(plan, first));
}

/** Softmin passes recorded by recordFlowIterations for a step (not counting the marginal-error check). */
export function flowStepPasses(plan: FlowSolvePlan, first: boolean): number {
  return loopPasses(flowStepPlan(plan, first));
}
