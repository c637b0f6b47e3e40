/**
 * Sinkhorn-divergence flow toward a sample cloud: METHODS.md section 4 (Feydy et al. 2019,
 * "Interpolating between Optimal Transport and MMD using Sinkhorn Divergences"; GeomLoss gradient flows).
 *   (1/a_i) grad_{x_i} S_eps(a, b) = (x_i - T_ab(x_i)) - (x_i - T_aa(x_i))
 *   x_i <- x_i + tau (T_ab(x_i) - T_aa(x_i))        (debias, default)
 *   x_i <- x_i + tau (T_ab(x_i) - x_i)              (debias = false: the OT_eps flow)
 * T = barycentric projection of the entropic plan (shaders/sinkhornBarycenter.wgsl). The Sinkhorn
 * solve of each step is recorded by src/ot/sinkhornFlow.ts (recordFlowIterations) on the GPU problem
 * and on its float64 twin alike, warm-started from the previous step's potentials, which stay in GPU
 * buffers (the schedule index wraps on the GPU, so many steps fit in one pass). warm = true (default):
 * the first step anneals over the whole GeomLoss schedule (diameter^2 -> blur^2), later ones re-anneal
 * only its last `anneal` levels (default 'auto': by the geometry, from the level whose scale matches a
 * quarter of tau times the cloud's extent, at least 5; src/ot/sinkhornFlow.ts autoAnnealLevels), then
 * `iterations` at blur^2 (26 softmin passes per step instead of 82 on moons at tau = 0.2,
 * marginal-error check included; 46 instead of 86 on the funnel). warm = false: every step re-runs the whole schedule (the original behaviour).
 * Some re-annealing matters: a step of size tau moves x by O(tau), which changes f by O(tau) >> eps,
 * and warm-started iterations at eps = blur^2 alone then lag behind the particles.
 * For benchmarks and scripts: sinkhornFlowPasses (the softmin passes a step records).
 */
import { SinkhornBarycenter } from '../kernels/sinkhornBarycenter';
import { CpuSoftminProblem } from '../ot/cpuSinkhorn';
import { gpuProblemOnBuffers, type GpuSoftminProblem } from '../ot/gpuSinkhorn';
import { cloudDiameter, SinkhornOptionError } from '../ot/sinkhorn';
import { flowSolvePlan, flowStepPasses, recordFlowIterations, setFlowSchedule, type FlowSolvePlan } from '../ot/sinkhornFlow';
import { sinkhornBarycenter } from '../reference/sinkhornBarycenter';
import { ParamError, readParams } from '../core/params';
import type { MethodDef, MethodRun } from './types';

interface FlowSettings {
  blur: number;
  scaling: number;
  /** rho = reach^2, or null (balanced). */
  rho: number | null;
  /** null: follow the run's step size. */
  tau: number | null;
  iterations: number;
  debias: boolean;
  warm: boolean;
  /** A number: the user's depth; 'auto': by the geometry (src/ot/sinkhornFlow.ts autoAnnealLevels). */
  anneal: number | 'auto';
}

function settings(run: MethodRun): FlowSettings {
  const p = readParams(sinkhornFlow.params, run.params);
  const reach = p.optNum('reach');
  return {
    blur: p.num('blur'),
    scaling: p.num('scaling'),
    rho: reach === undefined ? null : reach * reach,
    tau: p.optNum('tau') ?? null,
    iterations: p.int('iterations'),
    debias: p.bool('debias'),
    warm: p.bool('warm'),
    anneal: annealOf(p.optNum('anneal')),
  };
}

function annealOf(v: number | undefined): number | 'auto' {
  return v === undefined ? 'auto' : Math.max(0, Math.round(v));
}

/** The plan at step size tau (the fixed `tau` parameter, else the run's step size) and the cloud's own extent: anneal 'auto' reads them. */
function planOf(s: FlowSettings, cloud: Float64Array, stepSize: number): FlowSolvePlan {
  return flowSolvePlan(flowDiameter(cloud), { ...s, tau: s.tau ?? stepSize, extent: cloudDiameter(cloud, cloud) });
}

const samePlan = (a: FlowSolvePlan, b: FlowSolvePlan): boolean => a.offset === b.offset && a.period === b.period && a.schedule.length === b.schedule.length;

/** The schedule and tick layout a run's steppers use. */
export function sinkhornFlowPlan(run: MethodRun): FlowSolvePlan {
  return planOf(settings(run), needCloud(run), run.stepSize);
}

/**
 * For benchmarks and scripts (src/bench/flowBench.ts): the softmin passes (tiled N M log-sum-exps)
 * one GPU step of the run records, the first (cold) step and each later one: the step's Sinkhorn
 * iterations (src/ot/sinkhornFlow.ts flowStepPasses, counted in its test) plus the 2 of the in-step
 * marginal-error check.
 */
export function sinkhornFlowPasses(run: MethodRun): { first: number; later: number } {
  const plan = sinkhornFlowPlan(run);
  return { first: flowStepPasses(plan, true) + 2, later: flowStepPasses(plan, false) + 2 };
}

/**
 * Start of the annealing, eps_0 = diameter^2: the cloud's bounding box joined with [-3, 3]^2 (where
 * the default N(0, I) initial particles lie; the particles are not read back to measure it).
 */
function flowDiameter(cloud: Float64Array): number {
  return cloudDiameter(cloud, [-3, -3, 3, 3]);
}

function needCloud(run: MethodRun): Float64Array {
  if (!run.cloud) throw new Error('sinkhorn-flow needs the target cloud (method.needs = samples)');
  return run.cloud;
}

export const sinkhornFlow: MethodDef = {
  id: 'sinkhorn-flow',
  label: 'Sinkhorn flow',
  // two softmins (x-y and the mirrored x-x) per iteration, plus the re-annealed eps levels and the gradient
  pairSweeps: (p) => 2 * ((typeof p.iterations === 'number' ? p.iterations : 1) + 4),
  description: 'Wasserstein gradient flow of the debiased Sinkhorn divergence S_eps toward the target samples (Feydy et al. 2019).',
  needs: 'samples',
  // tau = h moves each particle a fraction h of the way to its transport target (src/engine/defaults.ts); the preferred flow for sample targets.
  defaultStep: { fixed: 0.2 },
  priority: 2,
  // No per-target defaults: the funnel (a cloud 47 wide at M = 128, its top reaching |x1| ~ 30) once
  // needed warm off, since re-annealing a fixed 5 levels carried the particles away (energy distance to
  // 512 exact samples 20.7 after 60 steps, N = 128, tau = 0.2, CPU twin; warm off 0.077); the depth now
  // follows the geometry (anneal 'auto', src/ot/sinkhornFlow.ts: 10 levels there, 0.080; scripts/flow-anneal.ts).
  about: {
    tex: String.raw`\begin{gathered} S_\varepsilon(a, b) = \mathrm{OT}_\varepsilon(a, b) - \tfrac12\,\mathrm{OT}_\varepsilon(a, a) - \tfrac12\,\mathrm{OT}_\varepsilon(b, b), \qquad \varepsilon = \mathrm{blur}^2 \\ x_i \leftarrow x_i + \tau\,\big(T_{ab}(x_i) - T_{aa}(x_i)\big), \qquad T_{ab}(x_i) = \frac{1}{a_i}\sum_{j} P_{ij}\, y_j \end{gathered}`,
    text: 'Entropic optimal transport (log-domain Sinkhorn) matches the particles a with the target samples b; each particle moves a fraction τ toward where the plan P sends it, minus where the particles’ own self-transport sends it (the debiasing), which keeps them from collapsing. It is the Wasserstein gradient flow of the Sinkhorn divergence S_ε.',
    params: {
      blur: 'Entropic blur: ε = blur². Small blur is close to true optimal transport (sharper, slower to solve); large blur behaves like an MMD.',
      scaling: 'ε-annealing: each Sinkhorn iteration multiplies ε by scaling², from the cloud diameter² down to blur². Closer to 1: more iterations, more accurate.',
      reach: "Unbalanced transport: marginals relaxed by KL with ρ = reach² (mass may be created or destroyed far away; robust to outliers); 'none' = balanced OT.",
      tau: "The flow step τ: the fraction of the way to the transport target moved per step; 'step' uses the run's Step size.",
      iterations: 'Sinkhorn iterations per flow step at ε = blur², after the re-annealing: more, a better converged plan (the status bar shows its marginal error).',
      warm: "Warm start: later steps re-anneal only the schedule's last levels from the previous potentials (about 3× fewer passes); off: the whole schedule every step.",
      anneal: "With warm start: how many of the last ε levels each step re-runs; 'auto' (default): from the level whose scale √ε matches a quarter of τ × the target cloud's extent (the scale of a step's moves), at least 5.",
      debias: 'On: flow S_ε (T_ab − T_aa, no shrinkage); off: flow OT_ε (T_ab − x), which contracts the cloud by the blur.',
    },
    papers: [{ authors: 'J. Feydy, T. Séjourné, F.-X. Vialard, S. Amari, A. Trouvé, G. Peyré', title: 'Interpolating between optimal transport and MMD using Sinkhorn divergences', year: 2019, venue: 'AISTATS 2019 (PMLR 89)' }],
  },
  params: [
    { name: 'blur', label: 'Entropic blur (ε = blur²)', kind: 'number', default: 0.1, min: 1e-3, max: 10, step: 0.01, log: true, description: 'entropic blur: eps = blur^2 (GeomLoss blur)' },
    { name: 'scaling', label: 'ε-annealing ratio (scaling)', kind: 'number', default: 0.7, min: 0.05, max: 0.99, step: 0.01, description: 'eps-annealing ratio of each step: eps *= scaling^2 per iteration from diameter^2 to blur^2' },
    {
      name: 'reach', label: 'Unbalanced reach (ρ = reach²)', kind: 'number', default: 'none', alsoAccept: ['none'], min: 1e-3, max: 1e3, step: 0.1, log: true,
      description: "unbalanced OT: KL-relaxed marginals with rho = reach^2 (updates damped by 1/(1 + eps/rho)); 'none' = balanced",
    },
    {
      name: 'tau', label: 'Flow step τ', kind: 'number', default: 'step', alsoAccept: ['step'], min: 1e-4, max: 10, step: 0.01, log: true,
      description: "x <- x + tau (T_ab(x) - T_aa(x)); 'step' = the run's step size",
    },
    { name: 'iterations', label: 'Sinkhorn iterations per step', kind: 'number', default: 1, min: 1, max: 1000, step: 1, description: 'Sinkhorn iterations per flow step at eps = blur^2, after the re-annealing from warm potentials' },
    { name: 'warm', label: 'Warm start (re-anneal last levels)', kind: 'boolean', default: true, description: "later steps re-anneal only the schedule's last levels from the previous potentials (debiased flows); off: the whole schedule every step" },
    {
      name: 'anneal', label: 'Re-annealed ε levels', kind: 'number', default: 'auto', alsoAccept: ['auto'], min: 0, max: 100, step: 1, shownWhen: { warm: [true] },
      description: "warm: annealing levels (eps = blur^2 / scaling^(2j), j <= anneal) re-run by every step after the first; 'auto': from the level whose sqrt(eps) is tau * (the cloud's bounding-box diagonal) / 4, at least 5 (src/ot/sinkhornFlow.ts autoAnnealLevels)",
    },
    { name: 'debias', label: 'Debias (flow S_ε, not OT_ε)', kind: 'boolean', default: true, description: 'flow S_eps (T_ab - T_aa); off: OT_eps (T_ab - x)' },
  ],
  readouts: [
    {
      key: 'flowMarginalError', label: 'flow plan marginal err', when: 'metrics',
      description: "The Sinkhorn flow's own plan after the last step's iterations: L1 error of its marginals (raise Sinkhorn iterations to lower it)",
    },
  ],
  check(params, domain, cloud) {
    // The annealing schedule's length depends on the cloud's diameter: refuse one too long for the
    // GPU schedule buffer here (by parameter), not in createGpu / createCpu.
    if (!cloud) return;
    try {
      planOf(settings({ n: 1, stepSize: 1, seed: 0, params, domain }), cloud, 1);
    } catch (e) {
      if (e instanceof SinkhornOptionError) throw new ParamError(e.option, e.message);
      throw e;
    }
  },
  createGpu(ctx, run) {
    const s = settings(run);
    const cloud = ctx.cloud;
    if (!cloud) throw new Error('sinkhorn-flow needs the target cloud buffer');
    const { device } = ctx;
    const n = run.n;
    let plan = planOf(s, needCloud(run), run.stepSize);
    let tau = s.tau ?? run.stepSize;
    const bary = new SinkhornBarycenter(device);
    const tmp = device.createBuffer({ label: 'SinkhornFlow.tab', size: Math.max(16, Math.ceil((8 * n) / 16) * 16), usage: GPUBufferUsage.STORAGE });
    let m = cloud.m;
    let problem: GpuSoftminProblem;
    let fresh: boolean;
    const bindGroups = new Map<string, GPUBindGroup>();
    const configure = (): void => {
      problem = gpuProblemOnBuffers(device, { n, m, xs: ctx.pos, y: cloud.buffer });
      setFlowSchedule(problem, plan, s.rho);
      problem.reset();
      fresh = true;
      bindGroups.clear();
    };
    const blockValues = (): { ab: Record<string, number>; aa: Record<string, number>; plain: Record<string, number> } => ({
      ab: { n, m, alpha: 0, beta: 1, gamma: 0 },
      aa: { n, m: n, alpha: 1, beta: -tau, gamma: tau },
      plain: { n, m, alpha: 1 - tau, beta: tau, gamma: 0 },
    });
    const v = blockValues();
    const blocks = { ab: bary.paramBlock(v.ab, 'ab'), aa: bary.paramBlock(v.aa, 'aa'), plain: bary.paramBlock(v.plain, 'plain') };
    configure();
    const bindGroup = (role: 'ab' | 'aa' | 'plain', cur: 0 | 1): GPUBindGroup => {
      const pot = role === 'aa' ? problem.buffer('faa') : problem.buffer('gab');
      const key = `${role}|${cur}|${pot.label}`;
      let bg = bindGroups.get(key);
      if (!bg) {
        const x = ctx.pos[cur], next = ctx.pos[cur === 0 ? 1 : 0];
        bg = role === 'ab'
          ? bary.bindIO(blocks.ab, { sched: problem.sched, x, y: cloud.buffer, logw: problem.logb, pot, addend: x, out: tmp }, key)
          : role === 'aa'
            ? bary.bindIO(blocks.aa, { sched: problem.sched, x, y: x, logw: problem.loga, pot, addend: tmp, out: next }, key)
            : bary.bindIO(blocks.plain, { sched: problem.sched, x, y: cloud.buffer, logw: problem.logb, pot, addend: x, out: next }, key);
        bindGroups.set(key, bg);
      }
      return bg;
    };
    return {
      readouts: {
        // the plan's two marginal errors, written on the GPU by encodeMarginalError() in each step
        metrics: {
          region: () => ({ buffer: problem.resultBuffer, offset: 0, bytes: 8 }),
          decode(bytes) {
            const [a = NaN, b = NaN] = new Float32Array(bytes, 0, 2);
            return { flowMarginalError: Math.max(a, b) };
          },
        },
      },
      encode(pass, cur) {
        problem.attach(pass);
        problem.xIndex = cur;
        // the step's iterations; the index ticks after all but the last (it then sits on blur^2 for
        // the projections) and once more after them, wrapping to the re-annealing start
        recordFlowIterations(problem, plan, fresh);
        fresh = false;
        // the plan's marginal error at blur^2 for these particles, kept on the GPU for metrics()
        // (two softmin passes and two reductions)
        problem.encodeMarginalError();
        if (s.debias) {
          bary.encode(pass, bindGroup('ab', cur), n);
          bary.encode(pass, bindGroup('aa', cur), n);
        } else {
          bary.encode(pass, bindGroup('plain', cur), n);
        }
        problem.commit(true);
        problem.detach();
        return cur === 0 ? 1 : 0;
      },
      setStepSize(h) {
        if (s.tau !== null) return;
        tau = h;
        const w = blockValues();
        bary.writeBlock(blocks.aa, w.aa);
        bary.writeBlock(blocks.plain, w.plain);
        // anneal 'auto' follows the step size: a new depth restarts the solve (the next step is a cold one)
        const next = planOf(s, needCloud(run), h);
        if (!samePlan(next, plan)) {
          plan = next;
          problem.destroy();
          configure();
        }
      },
      setCloud(next) {
        if (next > cloud.m) throw new Error(`sinkhorn-flow: ${next} cloud points exceed the buffer's ${cloud.m}`);
        problem.destroy();
        m = next;
        const w = blockValues();
        bary.writeBlock(blocks.ab, w.ab);
        bary.writeBlock(blocks.plain, w.plain);
        configure();
      },
      destroy() {
        problem.destroy();
        bary.destroy();
        tmp.destroy();
      },
    };
  },
  createCpu(run) {
    const s = settings(run);
    let cloud = needCloud(run);
    let tau = s.tau ?? run.stepSize;
    let plan = planOf(s, cloud, run.stepSize);
    let problem: CpuSoftminProblem | undefined;
    return {
      step(x) {
        const n = run.n;
        const first = !problem;
        if (!problem) {
          problem = new CpuSoftminProblem({ points: x }, { points: cloud });
          setFlowSchedule(problem, plan, s.rho);
        } else {
          // the previous step's last tick (the GPU records it after the projections; here it is
          // deferred so that readouts() between steps still measures at blur^2)
          problem.commit(true);
          problem.setX(x);
        }
        // the same updates and ticks as on the GPU (src/ot/sinkhornFlow.ts)
        recordFlowIterations(problem, plan, first);
        const eps = problem.epsilon;
        if (!s.debias) {
          return sinkhornBarycenter(x, n, problem.y, problem.m, problem.logb, problem.current('gab'), x, { eps, alpha: 1 - tau, beta: tau, gamma: 0 });
        }
        const tab = sinkhornBarycenter(x, n, problem.y, problem.m, problem.logb, problem.current('gab'), x, { eps, alpha: 0, beta: 1, gamma: 0 });
        return sinkhornBarycenter(x, n, x, n, problem.loga, problem.current('faa'), tab, { eps, alpha: 1, beta: -tau, gamma: tau });
      },
      setStepSize(h) {
        if (s.tau !== null) return;
        tau = h;
        // as on the GPU: a new 'auto' depth restarts the solve
        const next = planOf(s, cloud, h);
        if (!samePlan(next, plan)) {
          plan = next;
          problem = undefined;
        }
      },
      // After a step the problem still holds the step's particles and potentials at blur^2 (the
      // schedule index sits there until the next step's first tick): the state the GPU stepper
      // measures inside its step.
      async readouts(when) {
        return when === 'metrics' && problem ? { flowMarginalError: await problem.marginalError() } : {};
      },
      setCloud(next) {
        cloud = next;
        problem = undefined;
      },
    };
  },
};
