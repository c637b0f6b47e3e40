/**
 * Workgroup sizes set from one place (src/gpu/workgroups.ts): every WGSL declares what the module
 * says, the setter refuses bad sizes, and kernels built at another size give the same answers
 * (bit for bit where the summation order does not depend on the size).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { philoxWords } from '../reference/philoxWords';
import { medianBandwidth } from '../reference/medianBandwidth';
import { particleStats } from '../reference/particleStats';
import { Rng } from '../reference/philox';
import { MedianBandwidth } from '../kernels/medianBandwidth';
import { ParticleStats } from '../kernels/particleStats';
import { PhiloxWords } from '../kernels/philoxWords';
import { SvgdStep } from '../kernels/svgdStep';
import { WG } from '../kernels/kernel';
import { kernelNames, renderShaderCode, renderShaderNames, shaderCode } from './shaders';
import { runPass, withDevice, type GpuTest } from './testing';
import {
  DEFAULT_WORKGROUP_SIZES, isTuned, minParticleWorkgroup, resetWorkgroupSizes, setWorkgroupSizes, withWorkgroupSizes,
  workgroupSize, workgroupSizes,
} from './workgroups';

afterEach(() => resetWorkgroupSizes());

const overrideDefault = (code: string): number | undefined => {
  const m = /override\s+WG\s*:\s*u32\s*=\s*(\d+)u?\s*;/.exec(code);
  return m ? Number(m[1]) : undefined;
};
const sizes = (code: string): string[] => [...code.matchAll(/@workgroup_size\(([^)]*)\)/g)].map((m) => (m[1] ?? '').trim());

describe('the WGSL declares the sizes src/gpu/workgroups.ts sets', () => {
  for (const name of kernelNames) {
    it(name, () => {
      const code = shaderCode(name);
      const dflt = overrideDefault(code);
      if (isTuned(name)) {
        expect(dflt).toBe(DEFAULT_WORKGROUP_SIZES[name]);
        expect(sizes(code).length).toBeGreaterThan(0);
        for (const s of sizes(code)) expect(s).toBe('WG');
      } else if (name === 'clockTick') {
        // one invocation by design
        expect(sizes(code)).toEqual(['1']);
      } else {
        // not yet adopted: its class sizes dispatches with kernel.ts WG, so the WGSL default must be it
        expect(dflt).toBe(WG);
        for (const s of sizes(code)) expect(s).toBe('WG');
      }
    });
  }
  it('render shaders have no compute entry points', () => {
    for (const name of renderShaderNames) expect(renderShaderCode(name)).not.toMatch(/@compute/);
  });
});

describe('setWorkgroupSizes', () => {
  it('sets, copies and resets', () => {
    setWorkgroupSizes({ svgdStep: 64, particleStats: 128 });
    expect(workgroupSize('svgdStep')).toBe(64);
    expect(workgroupSizes().particleStats).toBe(128);
    expect(minParticleWorkgroup()).toBe(64);
    expect(workgroupSize('clockTick')).toBeUndefined();
    resetWorkgroupSizes();
    expect(workgroupSizes()).toEqual(DEFAULT_WORKGROUP_SIZES);
    expect(minParticleWorkgroup()).toBe(256);
  });
  it('refuses non-powers of two, out of range and unknown kernels, changing nothing', () => {
    for (const bad of [0, 3, 96, 2048, 1.5, NaN]) expect(() => setWorkgroupSizes({ svgdStep: bad })).toThrow(/power of two/);
    expect(() => setWorkgroupSizes({ svgdStep: 64, clockTick: 2 })).toThrow(/unknown tunable kernel 'clockTick'/);
    expect(() => setWorkgroupSizes({ svgdStep: 64, nope: 64 })).toThrow(/unknown/);
    expect(workgroupSizes()).toEqual(DEFAULT_WORKGROUP_SIZES);
  });
  it('withWorkgroupSizes restores the previous sizes even when fn throws', async () => {
    setWorkgroupSizes({ fft: 128 });
    await expect(withWorkgroupSizes({ fft: 32 }, () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(workgroupSize('fft')).toBe(128);
  });
});

function points(n: number, seed: number): Float32Array {
  const rng = new Rng(seed, 5);
  return Float32Array.from({ length: 2 * n }, () => 1.5 * rng.normal());
}

async function svgdAt(t: GpuTest, wg: number, x: Float32Array, s4: Float32Array, n: number): Promise<Float32Array> {
  return withWorkgroupSizes({ svgdStep: wg }, async () => {
    const k = t.track(new SvgdStep(t.device));
    expect(k.wg).toBe(wg);
    k.configure({ n, h: 0.1, sigma2: 0.5 });
    const out = t.empty(8 * n);
    runPass(t.device, (pass) => k.encode(pass, k.bindIO(t.upload(x), t.upload(s4), t.upload(new Float32Array(4)), out), n));
    return new Float32Array(await t.read(out, 8 * n));
  });
}

describe('kernels built at other sizes', () => {
  it('svgdStep at WG = 32, 64, 128 is bit-identical to WG = 256 (each thread sums j in the same order)', async () => {
    const n = 1000;
    const x = points(n, 1);
    const s4 = Float32Array.from({ length: 4 * n }, (_, i) => (i % 4 < 2 ? -(x[2 * (i >> 2) + (i % 4)] ?? 0) : 0));
    await withDevice(async (t) => {
      const ref = await svgdAt(t, 256, x, s4, n);
      for (const wg of [32, 64, 128]) expect(Array.from(await svgdAt(t, wg, x, s4, n))).toEqual(Array.from(ref));
    });
  });

  it('philoxWords at WG = 64: words bit-identical to the twin', async () => {
    const n = 1000, c1 = 7, c2 = 1, seed = 99;
    const want = philoxWords(n, c1, c2, seed);
    const got = await withWorkgroupSizes({ philoxWords: 64 }, () => withDevice(async (t) => {
      const k = t.track(new PhiloxWords(t.device));
      k.configure({ n, c1, c2, seed });
      const w = t.empty(16 * n), z = t.empty(8 * n);
      runPass(t.device, (pass) => k.encode(pass, k.bind([w, z]), n));
      return new Uint32Array(await t.read(w, 16 * n));
    }));
    expect(Array.from(got)).toEqual(Array.from(want.words));
  });

  it('medianBandwidth at WG = 32, 64, 128 equals WG = 256 bit for bit, and the twin within f32 rounding', async () => {
    const n = 5000;
    const x = points(n, 2);
    const run = (wg: number): Promise<number[]> => withWorkgroupSizes({ medianBandwidth: wg }, () => withDevice(async (t) => {
      const k = t.track(new MedianBandwidth(t.device));
      k.configure(n);
      const bw = t.empty(16);
      runPass(t.device, (pass) => k.encode(pass, k.bindIO(t.upload(x), bw)));
      return Array.from(new Float32Array(await t.read(bw, 8)));
    }));
    const ref = await run(256);
    // thread t strides over subset rows t, t + WG, ...: maxima and counts are exact integers
    for (const wg of [32, 64, 128]) expect(await run(wg)).toEqual(ref);
    const want = medianBandwidth(Float64Array.from(x), n);
    expect(Math.abs((ref[1] ?? NaN) - want.med2)).toBeLessThan(2e-5 * want.med2);
  });

  it('particleStats at WG = 64: exact counts, partials sized for 64', async () => {
    const n = 10_001;
    const x = points(n, 3);
    x[6] = NaN;
    x[101] = Infinity;
    const want = particleStats(Float64Array.from(x), n);
    const got = await withWorkgroupSizes({ particleStats: 64 }, () => withDevice(async (t) => {
      const k = t.track(new ParticleStats(t.device));
      expect(ParticleStats.partialsBytes(n)).toBe(Math.ceil(n / 64) * 32);
      k.configure(n);
      const result = t.empty(ParticleStats.resultBytes());
      runPass(t.device, (pass) => k.encode(pass, k.bindIO(t.upload(x), t.empty(ParticleStats.partialsBytes(n)), result), n));
      return new Float32Array(await t.read(result, 32));
    }));
    expect(got[0]).toBe(want[0]);
    expect(got[7]).toBe(2);
    // tree sums of 1e4 f32 values of size <= 6^2: ~log2(N) 6e-8 sum|terms|
    for (const i of [1, 2, 3, 4, 5]) expect(Math.abs((got[i] ?? NaN) - (want[i] ?? NaN))).toBeLessThan(1e-5 * n);
    expect(got[6]).toBe(Math.fround(want[6] ?? NaN));
  });

  it('a size above the device limit fails when the kernel is built, naming it', async () => {
    await withDevice(async (t) => {
      const limit = t.device.limits.maxComputeInvocationsPerWorkgroup;
      if (limit >= 1024) return expect(limit).toBeGreaterThanOrEqual(1024);
      await withWorkgroupSizes({ svgdStep: 1024 }, () => {
        expect(() => new SvgdStep(t.device)).toThrow(/svgdStep: workgroup size 1024 exceeds this device's limit/);
      });
    });
  });
});
