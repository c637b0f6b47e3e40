/** Registry look-ups for the URL state and the controls (unknown ids give undefined). */
import { runStepSize } from '../engine/defaults';
import { getMethod } from '../methods/registry';
import type { ParamSpec } from '../core/params';
import type { SpecLookup } from '../state/urlState';
import { getTarget, targetParamSpecs } from '../targets/registry';

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

export const specLookup: SpecLookup = {
  methodParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getMethod(id).params),
  targetParams: (id: string): readonly ParamSpec[] | undefined => attempt(() => getTarget(id).params),
  targetParamsFor: (id, params) => targetParamSpecs(getTarget(id), params),
  stepSize: (run) => runStepSize(run),
};
