/**
 * The d-dimensional foundation (issue 19), one import for the engine / CLI / UI integration:
 * targets (float64, ids and coordinates are the contract), samplers (float64 twins), the WGSL
 * kernels' classes, reference draws and diagnostics. Nothing here imports ui/state/engine/cli/
 * methods/targets.
 */
export { ndTargets, ndTargetDef, createNdTarget, resolveNdParams, type NdTargetDef } from './targets';
export type { NdTarget } from './types';
export { blrPredictive, type BlrTarget, type BlrPredictive } from './targetsBlr';
export { eightSchoolsExact } from './eightSchoolsExact';
export { langevinNdStep, langevinPropose, langevinAccept } from './reference/langevinNd';
export { svgdNd, svgdNdVelocity, medianBandwidthNd, type SvgdNdKernel } from './reference/svgdNd';
export { gwgNdStep, gwgAdaptNd } from './reference/gwgNd';
export { ndScore, packNdTarget, type PackedNdTarget } from './reference/ndScore';
export { NdScore } from './kernels/ndScore';
export { LangevinNd } from './kernels/langevinNd';
export { SvgdNd } from './kernels/svgdNd';
export { ndTiling } from './kernels/ndKernel';
export { meanSd, splitRhat, ess } from './diagnostics';
export { runHmc } from './hmc';
export { REFERENCE_JOBS, parseReference, referenceChains, type ReferenceDraws, type ReferenceInfo } from './referenceDraws';
