/**
 * GPU kernel: the vector steps of Lanczos with full (CGS2) reorthogonalisation
 * (shaders/lanczosVec.wgsl): start, hnorm, dots, subtract, finish, combine, axpy. Twin:
 * src/reference/lanczos.ts. The state buffer layout (LanczosState) is read from the WGSL.
 */
import { makeShaderDataDefinitions } from 'webgpu-utils';
import { shaderCode } from '../gpu/shaders';
import { Kernel } from './kernel';

export const LANCZOS_ENTRIES = ['start', 'hnorm', 'dots', 'subtract', 'finish', 'combine', 'axpy'] as const;
export type LanczosEntry = (typeof LANCZOS_ENTRIES)[number];

/** Byte offsets of LanczosState's fields and its size, from the WGSL struct. */
export function lanczosStateLayout(): { bytes: number; norm0: number; coef: number; alpha: number; beta: number; kmax: number } {
  const defs = makeShaderDataDefinitions(shaderCode('lanczosVec'));
  const st = defs.structs.LanczosState;
  if (!st) throw new Error('lanczosVec.wgsl: no LanczosState');
  const f = st.fields;
  const off = (name: string): number => {
    const v = f[name];
    if (!v) throw new Error(`LanczosState.${name} missing`);
    return v.offset;
  };
  const kmax = (off('alpha') - off('coef')) / 4;
  return { bytes: st.size, norm0: off('norm0'), coef: off('coef'), alpha: off('alpha'), beta: off('beta'), kmax };
}

export class LanczosVec extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'lanczosVec', bindings: ['uniform', 'storage', 'storage', 'storage', 'read-only-storage', 'read-only-storage', 'storage'], entryPoints: [...LANCZOS_ENTRIES] });
  }
  configure(p: { n: number; count?: number; tol?: number; t?: number }): void {
    this.setParams({ n: p.n, count: p.count ?? 0, tol: p.tol ?? 1e-4, t: p.t ?? 0 });
  }
  /** state: LanczosState; q: (kmax + 1) n vec2f; w: n vec2f; src: b (start) or x (axpy); dir: s (axpy); out: combine / axpy. */
  bindIO(state: GPUBuffer, q: GPUBuffer, w: GPUBuffer, src: GPUBuffer, dir: GPUBuffer, out: GPUBuffer): GPUBindGroup {
    return this.bind([state, q, w, src, dir, out]);
  }
  run(pass: GPUComputePassEncoder, io: GPUBindGroup, entry: LanczosEntry, workgroups: number): void {
    this.dispatch(pass, io, workgroups, undefined, entry);
  }
}
