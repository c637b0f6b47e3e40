import type { ParamSpec, Params } from '../core/params';
import type { About } from '../core/about';
import type { PackedTarget } from '../core/packed';
export { TARGET_DATA_VEC4, MAX_COMPONENTS, TARGET_UNIFORM_BYTES, type PackedTarget } from '../core/packed';
export type { PaperRef, About } from '../core/about';
import type { Rng } from '../reference/philox';
import type { PackedLandscape } from '../reference/landscapes';

/** One mixture component, as the canvas edits it. */
export interface Component {
  mean: [number, number];
  /** Covariance [s11, s12, s22]. */
  cov: [number, number, number];
  weight: number;
}

/** A target with its parameters fixed: density, score, packing, optional exact sampler. */
export interface TargetInstance {
  id: string;
  params: Params;
  packed: PackedTarget;
  /** Unnormalised log-density, float64. */
  logDensity(x: number, y: number): number;
  /** grad log density, float64. */
  score(x: number, y: number): [number, number];
  /** Exact i.i.d. samples, interleaved [x0, y0, x1, y1, ...]; absent when the target has no exact sampler. */
  sample?: (rng: Rng, n: number) => Float64Array;
  /** A view rectangle that shows the target well: [xmin, xmax, ymin, ymax]. */
  view: [number, number, number, number];
  /** The mixture's components (draggable on the canvas), when the target is a mixture or Gaussian. */
  components?: Component[];
  /**
   * True for targets known only by samples (toy clouds, files, images, paintings): logDensity and
   * score are not defined (they return 0), so score-based methods refuse them.
   */
  sampleOnly?: boolean;
  /** A fixed reference cloud (file, image, painting), interleaved [x0, y0, ...]; flows use it as is. */
  cloud?: Float64Array;
  /** True for targets on the torus T^2 = [0,1)^2 (1-periodic density); only these run with domain 'torus'. */
  periodic?: boolean;
  /**
   * Energy landscapes (issue 10, src/targets/landscape.ts): the energy F(rho) = int V + 1/2 int int W the
   * landscape methods (MethodDef.needs 'landscape') descend; logDensity is -V there (for drawing only),
   * and no score/sample method runs on it.
   */
  landscape?: PackedLandscape;
  /**
   * The largest |coordinate| a particle of a sane run reaches on this target, when the view does not
   * say it (src/engine/divergence.ts: the box is 100 times this or the view's farthest corner), e.g.
   * the funnel, whose neck's width grows as e^(v/2).
   */
  box?: number;
  /** Landscapes: the default initial cloud (interleaved, 2n) for a seed, e.g. next to the double well's saddle. */
  defaultInit?: (n: number, seed: number) => Float64Array;
}

export interface TargetDef {
  id: string;
  label: string;
  description: string;
  params: ParamSpec[];
  /** What the About panel shows (the density in TeX, the parameters, the source). */
  about?: About;
  /** Build from resolved params (defaults overlaid, checked); throws ParamError on a bad value. */
  create(params: Params): TargetInstance;
}
