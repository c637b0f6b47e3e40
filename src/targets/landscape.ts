/**
 * Energy landscapes as targets (issue 10): the presets of src/landscapes/presets.ts (`quadratic`,
 * `double-well`, `attract-repel`, `two-layer-net`) wrapped as TargetDefs, so they are listed by `wgf list`, chosen in
 * the UI's Target list and resolved like any target. A landscape target is not a density:
 *   - `landscape` holds the packed energy F(rho) = int V drho + 1/2 int int W drho drho (the same
 *     numbers as shaders/common/landscapes.wgsl); only methods with needs 'landscape' run on it;
 *   - logDensity = -V and score = -grad V, for drawing (the canvas shades V) and nothing else;
 *   - `packed` is the 'none' target (log p = 0, score 0 on both backends): no score method uses it;
 *   - `defaultInit` is the preset's initial cloud (double well: x1 ~ 0.01 N(0,1), x2 ~ N(0,1));
 *   - no exact sampler: KSD / energy / MMD / Sinkhorn do not apply (src/metrics/plan.ts), the
 *     method's readouts (F, |g|, smallest Hessian eigenvalue) are the metrics.
 */
import type { Params } from '../core/params';
import { landscapes, type LandscapeDef } from '../landscapes/presets';
import { landGradV, landV } from '../reference/landscapes';
import { emptyPacked, TargetKind } from './pack';
import type { TargetDef, TargetEditor, TargetInstance } from './types';

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * The wells editor: V's two minimisers m -+ d (the packed V of kind 2, src/reference/landscapes.ts),
 * dragged on the canvas and written back as the params well1, well2 (3 decimals).
 */
export const wellsEditor: TargetEditor = {
  kind: 'wells',
  name: 'Well',
  legend: 'well handles: the minimisers of V (drag)',
  points(t) {
    const L = t.landscape;
    if (!L || L.vKind !== 2) return undefined;
    const [m0, m1, d0, d1] = [L.v[0] ?? 0, L.v[1] ?? 0, L.v[2] ?? 0, L.v[3] ?? 0];
    return [
      [m0 - d0, m1 - d1],
      [m0 + d0, m1 + d1],
    ];
  },
  params: (ws) => ({ well1: (ws[0] ?? [0, 0]).map(round3), well2: (ws[1] ?? [0, 0]).map(round3) }),
};

/** A landscape whose parameters place its wells (well1, well2) gets the wells editor. */
const hasWells = (def: LandscapeDef): boolean => ['well1', 'well2'].every((name) => def.params.some((p) => p.name === name));

function landscapeTarget(def: LandscapeDef): TargetDef {
  return {
    id: def.id,
    label: def.label,
    description: `Energy landscape: ${def.description}`,
    params: def.params,
    about: def.about,
    ...(hasWells(def) ? { editor: wellsEditor } : {}),
    create(params: Params): TargetInstance {
      const L = def.pack(params);
      return {
        id: def.id,
        params,
        packed: emptyPacked(TargetKind.none),
        logDensity: (x, y) => -landV(L, x, y),
        score: (x, y) => {
          const [g0, g1] = landGradV(L, x, y);
          return [-g0, -g1];
        },
        view: def.view,
        // the divergence box (src/engine/divergence.ts) also covers where the parameters put the minimisers (a moved mean, dragged wells)
        box: Math.max(...def.view.map(Math.abs), ...Object.values(params).flatMap((v) => (Array.isArray(v) ? v.map((c) => (typeof c === 'number' ? Math.abs(c) : 0)) : []))),
        landscape: L,
        defaultInit: (n, seed) => def.init(n, seed),
      };
    },
  };
}

/** In menu order: the canonical saddle demo first. */
export const landscapeTargets: TargetDef[] = [landscapes['double-well'], landscapes['attract-repel'], landscapes.quadratic, landscapes['two-layer-net']].map(landscapeTarget);

export const isLandscapeTarget = (t: TargetInstance): boolean => t.landscape !== undefined;
