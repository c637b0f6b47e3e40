/**
 * The one Sinkhorn loop driver (src/ot/loop.ts) against exact answers, on the float64 twin and on the
 * WebGPU backend (Dawn + SwiftShader): two Diracs (the only plan is the product: OT_eps = S_eps =
 * |x - y|^2 / 2 balanced, (2 rho + eps)(1 - exp(-C / (2 rho + eps))) unbalanced), two identical
 * clouds (S_eps = 0 exactly with symmetric updates), cold vs warm starts, the pass count of a plan
 * and its tick layout.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, testDevice, withValidation } from '../gpu/testing';
import { Rng } from '../reference/philox';
import { sinkhornBarycenter } from '../reference/sinkhornBarycenter';
import { CpuSoftminProblem, createCpuSinkhorn } from './cpuSinkhorn';
import { createGpuSinkhorn } from './gpuSinkhorn';
import { debiasSides, loopPasses, recordSinkhorn, runSinkhorn, type LoopPlan } from './loop';
import { cloudDiameter, epsilonSchedule, resolveSinkhornOptions, sinkhornDivergence, sinkhornLoop } from './sinkhorn';
import { flowSolvePlan, flowStepPlan, setFlowSchedule } from './sinkhornFlow';

function gaussianCloud(n: number, seed: number, scale = 1, offset: [number, number] = [0, 0]): Float64Array {
  const rng = new Rng(seed, 3);
  return Float64Array.from({ length: 2 * n }, (_, i) => (offset[i % 2] ?? 0) + scale * rng.normal());
}

/** GeomLoss's loop with symmetric updates only: init jump, one averaged iteration per eps_k (+ `extra` at blur^2), last jump. */
function geomlossPlan(eps: readonly number[], debias: boolean, extra: number, rho: number | null = null): LoopPlan {
  return {
    start: 'cold', sides: debiasSides(debias), schedule: { eps, rho },
    phases: [{ update: 'jump', count: 1, tick: 'none' }, { update: 'averaged', count: eps.length + extra }, { update: 'jump', count: 1 }],
  };
}

const X: [number, number] = [0.3, -1.2], Y: [number, number] = [2.1, 0.4];
const C = ((X[0] - Y[0]) ** 2 + (X[1] - Y[1]) ** 2) / 2;

describe('Sinkhorn loop driver, float64 twin: exact answers', () => {
  it('two Diracs: OT_eps = S_eps = |x - y|^2 / 2 (balanced), whatever the eps schedule', async () => {
    for (const blur of [0.05, 1, 5]) {
      for (const debias of [true, false]) {
        const r = await sinkhornDivergence(createCpuSinkhorn(), { points: X }, { points: Y }, { blur, scaling: 0.6, debias });
        // one point each: softmin_eps(C, log 1 + g / eps) = C - g exactly (one log-sum-exp term), so
        // f + g = C after the first averaged iteration and the marginals are exact: the first check stops
        expect(r.converged).toBe(true);
        expect(r.iterations).toBe(r.scheduleLength);
        expect(Math.abs(r.value - C)).toBeLessThanOrEqual(1e-14 * C);
        expect(Math.abs((r.potentials.fab[0] ?? NaN) + (r.potentials.gab[0] ?? NaN) - C)).toBeLessThanOrEqual(1e-14 * C);
      }
    }
  });

  it('two Diracs, unbalanced (reach): OT_eps = (2 rho + eps)(1 - exp(-C / (2 rho + eps))), the primal optimum', async () => {
    // the plan m delta_(x,y) costs m C + (2 rho + eps)(m log m - m + 1): minimal at m = exp(-C / (2 rho + eps))
    for (const [reach, blur] of [[1, 0.1], [0.5, 0.3], [3, 1]] as const) {
      const rho = reach * reach, eps = blur * blur;
      const want = (2 * rho + eps) * -Math.expm1(-C / (2 * rho + eps));
      const r = await sinkhornDivergence(createCpuSinkhorn(), { points: X }, { points: Y }, { blur, scaling: 0.6, reach, debias: false, tol: 1e-12, maxIter: 5000 });
      expect(r.converged).toBe(true);
      // at marginal error <= 1e-12 the dual value is within ~1e-12 of the optimum
      expect(Math.abs(r.value - want)).toBeLessThanOrEqual(1e-10);
    }
  });

  it('two identical clouds: S_eps = 0 exactly with symmetric updates, ~0 with the metric loop', async () => {
    const x = gaussianCloud(60, 1);
    const eps = epsilonSchedule(cloudDiameter(x, x), 0.1, 0.7);
    const p = new CpuSoftminProblem({ points: x }, { points: x });
    await runSinkhorn(p, geomlossPlan(eps, true, 20));
    // x = y, a = b: f_ab and f_aa (g_ab and g_bb) receive the same float64 operations on the same numbers
    expect(await p.value(true)).toBe(0);
    const pot = await p.potentials();
    expect(Array.from(pot.fab)).toEqual(Array.from(pot.faa));
    // the metric's loop refines (a, b) with alternating updates and (a, a) with averaged ones: not
    // bitwise equal, but both converge to the same potentials (marginal error 1e-6: |S| measured 1.1e-12)
    const r = await sinkhornDivergence(createCpuSinkhorn(), { points: x }, { points: x }, { blur: 0.1, scaling: 0.7, tol: 1e-6 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.value)).toBeLessThan(1e-8);
  });

  it('cold vs warm: the metric loop from the previous potentials agrees with a cold solve (tol 1e-5: |diff| < 1e-5 relative)', async () => {
    const x0 = gaussianCloud(100, 2), y = gaussianCloud(120, 3, 0.7, [1, 0.5]);
    const x1 = x0.map((v, i) => v + 0.05 * Math.sin(i));
    const o = resolveSinkhornOptions({ blur: 0.2, scaling: 0.7, tol: 1e-5 });
    const diameter = cloudDiameter(x0, y);
    const warm = new CpuSoftminProblem({ points: x0 }, { points: y });
    await sinkhornLoop(warm, o, diameter);
    warm.setX(x1);
    const w = await sinkhornLoop(warm, o, diameter, true);
    const c = await sinkhornLoop(new CpuSoftminProblem({ points: x1 }, { points: y }), o, diameter);
    expect(w.converged && c.converged).toBe(true);
    // both stop at marginal error <= 1e-5 (here the warm start re-annealed: its marginal error at
    // blur^2 was > 10 tol); S_eps 0.73461, measured relative |diff| 2.6e-12
    expectClose([w.value], [c.value], { atol: 0, rtol: 1e-5 }, 'warm vs cold S_eps, marginal error 1e-5');
  });

  it('cold vs warm re-anneal (the flow plan): after a small move, the warm step\'s velocity is as close to the converged one as the cold step\'s (within 1.5x)', async () => {
    // The sinkhorn-flow's step plans (src/ot/sinkhornFlow.ts): a first step at x0, x moves by ~0.05,
    // then one more step: warm (re-anneal the last J = 5 levels, mirrored, + 1 iteration) or cold-every-
    // step (the whole schedule, averaged, + 1 iteration). Both truncate the solve; compare the flow's
    // velocity T_ab - T_aa with that of a converged solve (marginal error 1e-4) at x1, relative RMS.
    const y = gaussianCloud(100, 4, 0.8, [0.5, 0]);
    const x0 = gaussianCloud(100, 5), x1 = x0.map((v, i) => v + 0.05 * Math.cos(i));
    const D = cloudDiameter(y, [-3, -3, 3, 3]);
    const eps = 0.1 * 0.1;
    const velocity = (p: CpuSoftminProblem): Float64Array => {
      const tab = sinkhornBarycenter(x1, 100, p.y, p.m, p.logb, p.current('gab'), x1, { eps, alpha: 0, beta: 1, gamma: 0 });
      return sinkhornBarycenter(x1, 100, x1, 100, p.loga, p.current('faa'), tab, { eps, alpha: 0, beta: -1, gamma: 1 });
    };
    const ref = new CpuSoftminProblem({ points: x1 }, { points: y });
    const converged = await sinkhornLoop(ref, resolveSinkhornOptions({ blur: 0.1, scaling: 0.7, tol: 1e-4, maxIter: 3000 }), D);
    expect(converged.converged).toBe(true);
    const want = velocity(ref);
    const relError = (warm: boolean): number => {
      const plan = flowSolvePlan(D, { blur: 0.1, scaling: 0.7, iterations: 1, anneal: 5, debias: true, warm });
      const p = new CpuSoftminProblem({ points: x0 }, { points: y });
      setFlowSchedule(p, plan, null);
      recordSinkhorn(p, flowStepPlan(plan, true));
      p.commit(true);
      p.setX(x1);
      recordSinkhorn(p, flowStepPlan(plan, false));
      expect(p.epsilon).toBe(eps);
      const got = velocity(p);
      let d = 0, w = 0;
      for (let i = 0; i < got.length; i++) {
        d += ((got[i] ?? NaN) - (want[i] ?? NaN)) ** 2;
        w += (want[i] ?? NaN) ** 2;
      }
      return Math.sqrt(d / w);
    };
    const warm = relError(true), cold = relError(false);
    // measured: warm 0.249, cold 0.197 (a move of 0.01: 0.233 vs 0.195, 0.2: 0.209 vs 0.160)
    expect(warm).toBeLessThan(1.5 * cold);
    expect(cold).toBeLessThan(0.3);
  });

  it('plans: loopPasses = counted passes for every update rule; tick layout; misuse refused by name', async () => {
    const x = gaussianCloud(20, 6), y = gaussianCloud(30, 7);
    const plan: LoopPlan = {
      start: 'cold', sides: debiasSides(true), schedule: { eps: [4, 1, 0.25], rho: null },
      phases: [
        { update: 'jump', count: 1, tick: 'none' }, { update: 'averaged', count: 2 },
        { update: 'alternating', count: 3, tick: 'butLast' }, { update: 'mirrored', count: 2, tick: 'none' },
      ],
    };
    const p = new CpuSoftminProblem({ points: x }, { points: y });
    expect(recordSinkhorn(p, plan)).toBe(2 + 3 + 2);
    // jump 4, averaged 2 x 4, alternating 3 x 4, mirrored 2 x 4 (f_ab, g_ab, f_aa twice; g_bb kept)
    expect(p.passes).toBe(loopPasses(plan));
    expect(loopPasses(plan)).toBe(4 + 8 + 12 + 8);
    // 2 + 2 ticks: the index saturates on the last eps
    expect(p.epsilon).toBe(0.25);
    expect(() => recordSinkhorn(p, { start: 'warm', sides: debiasSides(true), phases: [{ update: 'alternating', until: { tol: 0, checkEvery: 1, maxIter: 1 } }] })).toThrow(/runSinkhorn/);
    expect(() => recordSinkhorn(p, { start: 'warm', sides: { ab: false, aa: false, bb: true }, phases: [{ update: 'mirrored', count: 1 }] })).toThrow(/\(a, b\) potentials/);
    await expect(runSinkhorn(p, { start: 'warm', sides: debiasSides(true), phases: [{ update: 'jump', until: { tol: 0, checkEvery: 1, maxIter: 1 } }] })).rejects.toThrow(/not jump/);
    // tol 0 runs to maxIter (counting every iteration of the loop), checking every 4 and at the cap
    const q = new CpuSoftminProblem({ points: x }, { points: y });
    const r = await runSinkhorn(q, { start: 'cold', sides: debiasSides(false), schedule: { eps: [1], rho: null }, phases: [{ update: 'averaged', count: 2 }, { update: 'alternating', until: { tol: 0, checkEvery: 4, maxIter: 10 } }] });
    expect(r).toMatchObject({ iterations: 10, converged: false });
    expect(r.marginalError).toBeGreaterThan(0);
    // passes: 2 x 2 averaged + 8 alternating x 2 + checks at iterations 2, 6, 10 (2 undamped softmins each)
    expect(q.passes).toBe(4 + 16 + 6);
  });
});

describe('Sinkhorn loop driver, GPU backend (WGSL)', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    device = await testDevice();
  });

  it('two Diracs: S_eps = |x - y|^2 / 2 within f32 rounding; the same plan on both backends', async () => {
    const eps = epsilonSchedule(cloudDiameter(X, Y), 0.1, 0.6);
    const plan = geomlossPlan(eps, true, 3);
    const got = await withValidation(device, async () => {
      const problem = createGpuSinkhorn(device).problem({ points: X }, { points: Y });
      const r = await runSinkhorn(problem, plan);
      const v = await problem.value(true);
      problem.destroy();
      return { r, v };
    });
    const cpu = new CpuSoftminProblem({ points: X }, { points: Y });
    const want = await runSinkhorn(cpu, plan);
    expect(got.r).toEqual(want);
    expect(Math.abs((await cpu.value(true)) - C)).toBeLessThanOrEqual(1e-14 * C);
    // C = 2.9: f32 carries ~3e-7 relative through a few log-sum-exp terms
    expectClose([got.v], [C], { atol: 0, rtol: 1e-5 }, 'GPU S_eps of two Diracs vs |x - y|^2 / 2');
  });
});
