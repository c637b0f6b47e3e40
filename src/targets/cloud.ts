/**
 * A target known only by a fixed sample cloud (a file, an uploaded image, a painted density):
 * no density or score (kind `none`), `cloud` holds the points; sample() draws from them with
 * replacement. Flows toward samples (MMD, Sinkhorn) use the cloud itself.
 */
import type { Rng } from '../reference/philox';
import { emptyPacked, TargetKind } from './pack';
import type { TargetDef, TargetInstance } from './types';

export function cloudTarget(points: Float64Array, id = 'cloud'): TargetInstance {
  const m = Math.floor(points.length / 2);
  if (m < 1 || points.length % 2 !== 0) throw new Error('a target cloud needs at least one (x, y) point');
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < m; i++) {
    const x = points[2 * i] ?? NaN, y = points[2 * i + 1] ?? NaN;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`target cloud point ${i} is not finite`);
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const half = Math.max(x1 - x0, y1 - y0, 1e-3) * 0.6;
  return {
    id,
    params: {},
    packed: emptyPacked(TargetKind.none),
    logDensity: () => 0,
    score: () => [0, 0],
    sampleOnly: true,
    cloud: points,
    view: [cx - half, cx + half, cy - half, cy + half],
    sample(rng: Rng, n: number): Float64Array {
      const out = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const j = rng.int(m);
        out[2 * i] = points[2 * j] ?? 0;
        out[2 * i + 1] = points[2 * j + 1] ?? 0;
      }
      return out;
    },
  };
}

/**
 * The registered target of a fixed sample cloud (TargetDef.data 'points'): built from the points a run
 * gives (TargetConfig.cloud, the CLI's --target-file), listed in the menu only while a run has it.
 */
export const cloud: TargetDef = {
  id: 'cloud',
  label: 'Cloud',
  description: 'A fixed sample cloud: a file (--target-file), an uploaded image, a painted density or dragged samples. Known only by its points.',
  about: {
    tex: String.raw`\pi \approx \frac{1}{m}\sum_{j=1}^{m} \delta_{y_j}`,
    params: {},
    text: 'A target known only by its points: a file, an uploaded image, a painted density, or a sample target dragged on the canvas. There is no density or score, so only the sample-based flows run on it; they flow toward the points themselves.',
  },
  params: [],
  data: 'points',
  menuLabel: (points) => `Cloud (${((points?.length ?? 0) / 2).toLocaleString('en-US')} points)`,
  create(_params, points) {
    if (!points) throw new Error("target 'cloud' needs its points (e.g. --target-file y.npy)");
    return cloudTarget(points);
  },
};
