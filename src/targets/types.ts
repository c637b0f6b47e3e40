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

/**
 * The editor a target declares (TargetDef.editor): what the canvas and the side panel let the user
 * move. The canvas (ui/CanvasView.tsx), its legend and the side panel render by this declaration,
 * never by a target id. Every run that flows toward samples also gets the "Move cloud" handle.
 *   - components: the instance's `components` are draggable handles, and the side panel edits
 *     their weights and spreads; `params` turns edited components back into the target's params.
 *   - wells: draggable points (e.g. the double well's minimisers), read from an instance and written
 *     back into the params.
 *   - clusters: one handle per cluster of the target's samples (dragged apart as a cloud).
 */
export type TargetEditor =
  | {
      kind: 'components';
      /** The target's params for these components (checked by create like any params). */
      params(components: readonly Component[]): Params;
      /** Means live on the unit torus: a dragged mean wraps mod 1. */
      wrap?: boolean;
      /** The covariance of a component the panel adds. */
      freshCov: [number, number, number];
      /** The largest spread (sqrt of the mean variance) the panel accepts, with the words saying why. */
      maxSpread?: { value: number; why: string };
    }
  | {
      kind: 'wells';
      /** The draggable points of an instance (undefined: none on this instance). */
      points(target: TargetInstance): [number, number][] | undefined;
      /** The params with these points (merged over the current params). */
      params(points: readonly [number, number][]): Params;
      /** The handles' accessible name and label, e.g. 'Well' (Well 1, Well 2). */
      name: string;
      /** The legend's line for these handles. */
      legend: string;
    }
  | {
      kind: 'clusters';
      /** Cluster centres of an instance (its samples are labelled by the nearest). */
      centres(target: TargetInstance): [number, number][] | undefined;
    };

/** A target edited as text (issue 20: a formula): the side panel's box(es) and the gallery of presets, each a full set of params. */
export interface TargetTextEditor {
  /** The text parameters edited in boxes (in order), e.g. ['logp'] or ['V', 'W']. */
  fields: string[];
  /** The preset gallery: each a label, one sentence and the params it sets (texts and values). */
  presets: { id: string; label: string; text: string; params: Params }[];
  /** The grammar in one paragraph (shown beside the box). */
  help: string;
}

/** What decides which methods run on an instance (src/engine/compat.ts factsOf). */
export type TargetFactsSource = Pick<TargetInstance, 'sampleOnly' | 'cloud' | 'sample' | 'periodic' | 'landscape'>;

export interface TargetDef {
  id: string;
  label: string;
  description: string;
  params: ParamSpec[];
  /** What the About panel shows (the density in TeX, the parameters, the source). */
  about?: About;
  /**
   * Where an instance comes from: 'params' (default): its parameters alone; 'points': a given point
   * cloud (a file, an image, a painting, dragged samples: TargetConfig.cloud, the CLI's
   * --target-file). A 'points' target is not in `targets` (the menu's fixed entries, `wgf list`):
   * the menu lists it only while the run has it (menuLabel), a link does not carry its points.
   */
  data?: 'params' | 'points';
  /** The menu's label for an instance of a 'points' target, e.g. 'Cloud (1,234 points)'. */
  menuLabel?: (points: Float64Array | undefined) => string;
  /** What the canvas and the side panel let the user edit (none when absent). */
  editor?: TargetEditor;
  /**
   * Targets whose parameter list depends on their parameters' values (a formula's own named
   * parameters, issue 20): the full list for `params` (given or partial; absent values take the
   * defaults). Every generic reader (registry createTarget, the URL, the CLI's --param, the panel's
   * sliders) asks `targetParamSpecs` (src/targets/registry.ts), which calls this hook, never a target
   * id. Throws ParamError naming the parameter when the values that decide the list are bad (a
   * formula that does not parse). Absent: `params` is the list.
   */
  paramsFor?: (params: Params) => ParamSpec[];
  /** The editor of text parameters in the side panel (e.g. the formula box and its preset gallery); absent: none. */
  textEditor?: TargetTextEditor;
  /**
   * Build from resolved params (defaults overlaid, checked); throws ParamError on a bad value. A
   * 'points' target gets its points (and throws a clear message without them).
   */
  create(params: Params, points?: Float64Array): TargetInstance;
}
