/**
 * The kernel Stein discrepancy metric (IMQ kernel, c = 1, beta = -1/2; V-statistic) of the first
 * m = min(n, METRIC_SUBSAMPLE) points: needs only the target's score, so it applies to plane runs of
 * targets with a score (the Stein kernel is not periodic: not on the torus).
 *   GPU  targetEval (scores) + ksdRows (shaders/ksdRows.wgsl) in the shared pass; rows summed in float64
 *   CPU  the twins src/reference/targetEval.ts + src/reference/ksdRows.ts
 */
import { KsdRows } from '../kernels/ksdRows';
import { TargetEval } from '../kernels/targetEval';
import { ksdFromRows, ksdRows } from '../reference/ksdRows';
import { targetEval } from '../reference/targetEval';
import { METRIC_SUBSAMPLE } from './settings';
import type { CpuMetric, GpuMetric, GpuMetricHost, MetricDef } from './types';

function gpuKsd(host: GpuMetricHost): GpuMetric {
  const cap = METRIC_SUBSAMPLE;
  const scores = host.res.buffer('scores', 16 * cap, GPUBufferUsage.STORAGE);
  const rows = host.res.buffer('ksdRows', 4 * cap, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
  const ksdK = host.res.track(new KsdRows(host.device));
  const ksdBG = ksdK.bindIO(host.x, scores, rows);
  /** targetEval is built for the target's WGSL (a formula target's PackedTarget.shader): a new one when it changes. */
  let evalK: { kernel: TargetEval; bg: GPUBindGroup; key: string | undefined } | undefined;
  return {
    measure: (b) => {
      const m = b.m;
      const shader = b.target.packed.shader;
      if (!evalK || evalK.key !== shader?.key) {
        const kernel = host.res.track(new TargetEval(host.device, m, shader));
        evalK = { kernel, bg: kernel.bindIO(host.x, scores), key: shader?.key };
      }
      evalK.kernel.configure(m);
      ksdK.configure(m);
      evalK.kernel.encode(b.pass, evalK.bg, b.targetBG, m);
      ksdK.encode(b.pass, ksdBG, m);
      return b.readBack(rows, 4 * m, (bytes, off) => ({ value: ksdFromRows(new Float32Array(bytes, off, m), m) }));
    },
  };
}

function cpuKsd(): CpuMetric {
  return {
    measure: (b) =>
      Promise.resolve().then(() => {
        const { score } = targetEval(b.target.packed, b.sub);
        return { value: ksdFromRows(ksdRows(b.sub, score, b.m), b.m) };
      }),
  };
}

export const ksdMetric = {
  id: 'ksd',
  label: 'KSD',
  plot: {
    title: 'Kernel Stein discrepancy',
    yTitle: 'KSD (IMQ)',
    what: 'Kernel Stein discrepancy of the particles (IMQ kernel): needs only the score; 0 at the target',
    yScale: 'log',
  },
  appliesTo: (f) => !f.landscape && f.domain !== 'torus' && !f.sampleOnly,
  needsSamples: false,
  gpu: gpuKsd,
  cpu: cpuKsd,
  status: (read, fmt) => {
    const v = read('ksd');
    return v === undefined ? undefined : { text: `KSD ${fmt(v)}` };
  },
} as const satisfies MetricDef;
