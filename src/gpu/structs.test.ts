/**
 * Layouts read from the WGSL (src/gpu/structs.ts) against the WGSL declarations they come from, and
 * the byte sizes the kernels derive from them against the element counts their headers state.
 * Runs without a device: the parse needs no GPU.
 */
import { makeStructuredView } from 'webgpu-utils';
import { describe, expect, it } from 'vitest';
import { TARGET_DATA_VEC4, TARGET_UNIFORM_BYTES } from '../targets/types';
import { packTargetUniform, TargetKind } from '../targets/pack';
import { createTarget } from '../targets/registry';
import { modeCount } from '../reference/fourier';
import { ParticleStats } from '../kernels/particleStats';
import { PmDeposit } from '../kernels/pmDeposit';
import { TorusDft } from '../kernels/torusDft';
import { kernelDefs, renderUniform, storageElementBytes, targetDefs, targetParamsLayout } from './structs';
import { commonPrelude, kernelNames } from './shaders';

describe('TargetParams (shaders/common/targets.wgsl)', () => {
  it('size and offsets read from the WGSL; TARGET_UNIFORM_BYTES and TARGET_DATA_VEC4 agree with them', () => {
    const l = targetParamsLayout();
    // struct TargetParams { kind: u32, count: u32, _pad0: u32, _pad1: u32, data: array<vec4f, N> }
    const n = Number(/data:\s*array<vec4f,\s*(\d+)>/.exec(commonPrelude(['targets']))?.[1]);
    expect(l).toEqual({ bytes: 16 + 16 * n, kindOffset: 0, countOffset: 4, dataOffset: 16, dataSlots: n });
    expect(l.bytes).toBe(TARGET_UNIFORM_BYTES);
    expect(l.dataSlots).toBe(TARGET_DATA_VEC4);
  });

  it('packTargetUniform writes every field where the WGSL reads it (read back through a webgpu-utils view)', () => {
    const t = createTarget('mixture', {});
    const buf = packTargetUniform(t.packed);
    expect(buf.byteLength).toBe(TARGET_UNIFORM_BYTES);
    const def = targetDefs().uniforms.tgt;
    if (!def) throw new Error('no tgt uniform');
    const view = makeStructuredView(def, buf);
    const v = view.views as { kind: Uint32Array; count: Uint32Array; data: Float32Array };
    expect(v.kind[0]).toBe(TargetKind.gaussianMixture);
    expect(v.count[0]).toBe(t.packed.count);
    expect(Array.from(v.data)).toEqual(Array.from(Float32Array.from(t.packed.data)));
  });
});

describe('storage sizes derived from the WGSL element types', () => {
  it('particleStats: partials are 2 vec4f per workgroup of 256, result is array<vec4f, 2>', () => {
    expect(storageElementBytes('particleStats', 'partials')).toBe(16);
    expect(ParticleStats.partialsBytes(70_001)).toBe(Math.ceil(70_001 / 256) * 32);
    expect(ParticleStats.partialsBytes(0)).toBe(32);
    expect(ParticleStats.resultBytes()).toBe(kernelDefs('particleStats').storages.result?.size);
    expect(ParticleStats.resultBytes()).toBe(32);
  });

  it('pmDeposit: acc is 3 G^2 atomic<u32>, grid is 2 G^2 vec2f', () => {
    expect(PmDeposit.accBytes(32)).toBe(3 * 32 * 32 * 4);
    expect(PmDeposit.gridBytes(32)).toBe(2 * 32 * 32 * 8);
  });

  it('torusDft: two vec4f per mode', () => {
    expect(TorusDft.coefBytes(6)).toBe(2 * modeCount(6) * 16);
  });

  it('an unknown variable names what the WGSL has', () => {
    expect(() => storageElementBytes('particleStats', 'nope')).toThrow(/no variable 'nope'.*partials/);
  });
});

describe('uniform structs', () => {
  it('every kernel params struct and render view struct is a whole number of 16-byte rows', () => {
    for (const name of kernelNames) {
      const p = kernelDefs(name).uniforms.params;
      if (p) expect(p.size % 16, name).toBe(0);
    }
    expect(renderUniform('density', 'view').size).toBe(32);
    // ParticleView { rect: vec4f, radius: vec2f, intensity: f32, count: u32, colour: vec4f, images: u32 } -> 52, padded to 64
    expect(renderUniform('particles', 'view').size).toBe(64);
  });
});
