/**
 * The one metrics function both backends run: the plan says which metrics apply, a backend
 * (GpuMetrics or CpuMetrics) computes them on ANY point set (particles, generator samples, a file),
 * and this assembles the result. A backend answers a batch: the GPU records every asked metric into
 * one compute pass and reads the rows back once; the CPU computes them with the float64 twins.
 */
import type { SinkhornResult } from '../ot/sinkhorn';
import type { MetricPlan } from './plan';

export interface MetricValues {
  /** Kernel Stein discrepancy (IMQ kernel, c = 1, beta = -1/2; V-statistic) on up to METRIC_SUBSAMPLE points. */
  ksd?: number;
  /** Energy distance (= MMD^2 with the energy kernel) to the target samples. */
  energy?: number;
  /** MMD^2 (Gaussian kernel) to the target samples. */
  mmd?: number;
  /** Debiased S_eps to the target samples, with its solve's iterations and final marginal error. */
  sinkhorn?: number;
  sinkhornIterations?: number;
  sinkhornMarginalError?: number;
  /** Torus: L2 distance between the smoothed density of the points and the target density. */
  l2?: number;
}

/**
 * One measurement in progress. Each asked metric returns a promise; `run()` starts the work (the GPU
 * submits once). A promise resolves to undefined when the backend was destroyed meanwhile.
 */
export interface MetricBatch {
  ksd(): Promise<number | undefined>;
  energy(): Promise<number | undefined>;
  mmd(): Promise<number | undefined>;
  l2(): Promise<number | undefined>;
  sinkhorn(): Promise<SinkhornResult | undefined>;
  run(): void;
}

export interface MetricBackend<P> {
  /** A batch over the first n points of `points`; undefined once the backend is destroyed. */
  begin(points: P, n: number): MetricBatch | undefined;
}

/** The plan's metrics of the first n points; undefined when the backend was destroyed before they were read. */
export async function measureMetrics<P>(backend: MetricBackend<P>, plan: MetricPlan, points: P, n: number): Promise<MetricValues | undefined> {
  const batch = backend.begin(points, n);
  if (!batch) return undefined;
  const ksd = plan.ksd ? batch.ksd() : undefined;
  const energy = plan.energy ? batch.energy() : undefined;
  const mmd = plan.mmd ? batch.mmd() : undefined;
  const l2 = plan.l2 ? batch.l2() : undefined;
  const sinkhorn = plan.sinkhorn ? batch.sinkhorn() : undefined;
  batch.run();
  const [vk, ve, vm, vl, vs] = await Promise.all([ksd, energy, mmd, l2, sinkhorn]);
  const stale = (plan.ksd && vk === undefined) || (plan.energy && ve === undefined) || (plan.mmd && vm === undefined)
    || (plan.l2 && vl === undefined) || (plan.sinkhorn && vs === undefined);
  if (stale) return undefined;
  const out: MetricValues = {};
  if (vl !== undefined) out.l2 = vl;
  if (vk !== undefined) out.ksd = vk;
  if (ve !== undefined) out.energy = ve;
  if (vm !== undefined) out.mmd = vm;
  if (vs !== undefined) {
    out.sinkhorn = vs.value;
    out.sinkhornIterations = vs.iterations;
    out.sinkhornMarginalError = vs.marginalError;
  }
  return out;
}
