/**
 * d-dimensional targets in float64 (issue 19): ids, parameters and coordinate names are the
 * contract. Each target gives a vectorised log-density and score over particles stored N x d
 * row-major (Float64Array), and states its reference: exact moments (gaussian-nd, funnel-nd) or
 * reference draws made by scripts/nd-reference.ts (blr, eight-schools; src/nd/referenceDraws.ts).
 */
import { checkParam, ParamError, parseParam, type ParamSpec, type Params, type ParamValue } from '../core/params';
import type { NdTarget } from './types';
import { createGaussianNd, gaussianNdParams, createFunnelNd, funnelNdParams } from './targetsAnalytic';
import { blrParams, createBlr } from './targetsBlr';
import { createEightSchools } from './targetsEightSchools';

export interface NdTargetDef {
  id: string;
  label: string;
  params: ParamSpec[];
  description: string;
  create(params: Params): NdTarget;
}

export const ndTargets: NdTargetDef[] = [
  { id: 'gaussian-nd', label: 'Gaussian (d-D)', params: gaussianNdParams, description: 'N(m, diag(s^2)) with variances log-spaced from 1 down to 1/cond: condition number cond. Exact moments and samples.', create: createGaussianNd },
  { id: 'funnel-nd', label: "Neal's funnel (d-D)", params: funnelNdParams, description: "Neal (2003): v ~ N(0, scale^2), x_k | v ~ N(0, e^v), k = 1..d-1; coordinates [v, x_1..x_{d-1}]. Exact moments and samples.", create: createFunnelNd },
  { id: 'blr', label: 'Bayesian logistic regression', params: blrParams, description: 'Logistic regression on standardised features, intercept last, prior N(0, prior^2); reference draws by scripts/nd-reference.ts.', create: createBlr },
  { id: 'eight-schools', label: 'Eight schools (non-centred)', params: [], description: 'Rubin (1981), BDA3 5.5, non-centred: [mu, log_tau, theta_trans_1..8]; reference draws by scripts/nd-reference.ts.', create: createEightSchools },
];

export function ndTargetDef(id: string): NdTargetDef {
  const def = ndTargets.find((t) => t.id === id);
  if (!def) throw new Error(`unknown d-D target '${id}' (have ${ndTargets.map((t) => t.id).join(', ')})`);
  return def;
}

/**
 * Resolve parameters: values may be typed (ParamValue) or strings (CLI/URL, parsed by the spec);
 * unknown names and out-of-range values throw a ParamError naming the parameter.
 */
export function resolveNdParams(specs: readonly ParamSpec[], given: Record<string, ParamValue | string>, owner: string): Params {
  const out: Params = {};
  for (const name of Object.keys(given)) {
    if (!specs.some((s) => s.name === name)) throw new ParamError(name, `${owner}: unknown parameter '${name}' (have ${specs.map((s) => s.name).join(', ') || 'none'})`);
  }
  for (const s of specs) {
    const v = given[s.name];
    out[s.name] = v === undefined ? s.default : typeof v === 'string' ? parseParam(s, v) : checkParam(s, v);
  }
  return out;
}

export function createNdTarget(id: string, given: Record<string, ParamValue | string> = {}): NdTarget {
  const def = ndTargetDef(id);
  return def.create(resolveNdParams(def.params, given, id));
}

export type { NdTarget } from './types';
