/** GPU kernel: log-density and score of the target at points (shaders/targetEval.wgsl). Twin: src/reference/targetEval.ts. */
import type { TargetShader } from '../core/packed';
import { Kernel } from './kernel';

export class TargetEval extends Kernel {
  /** The point count the params uniform holds (what `encode` dispatches over). */
  private count = 0;

  /**
   * `n`: the point count (written to the params uniform now, so a kernel never evaluates zero points
   * by default; `configure` changes it). `target`: the per-target WGSL of a formula target
   * (PackedTarget.shader); absent for the built-in kinds.
   */
  constructor(device: GPUDevice, n: number, target?: TargetShader) {
    super(device, { name: 'targetEval', ...(target ? { target } : {}), bindings: ['uniform', 'read-only-storage', 'storage'], usesTarget: true });
    this.configure(n);
  }

  /** Set the point count (a uniform write: takes effect for passes submitted after it). */
  configure(n: number): void {
    if (!(Number.isInteger(n) && n >= 0)) throw new Error(`targetEval: n must be a non-negative integer (got ${n})`);
    super.setParams({ n });
    this.count = n;
  }

  /** The params uniform holds only `n`: routed through `configure` so `encode`'s check stays true. */
  override setParams(values: Record<string, number>): void {
    const keys = Object.keys(values);
    const n = values.n;
    if (keys.length !== 1 || n === undefined) throw new Error(`targetEval: params are { n } only (got ${keys.join(', ') || 'none'})`);
    this.configure(n);
  }

  /** points: array<vec2f>; out: array<vec4f> = (score, logp, 0). */
  bindIO(points: GPUBuffer, out: GPUBuffer): GPUBindGroup {
    return this.bind([points, out]);
  }

  /** `n` must be the configured count (the uniform bounds the evaluated points): a mismatch is refused, not silently partial. */
  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, target: GPUBindGroup, n: number): void {
    if (n !== this.count) throw new Error(`targetEval: encode for n = ${n} but the kernel is configured for n = ${this.count}; call configure(${n}) first`);
    this.dispatch(pass, io, this.groups(n), target);
  }
}
