/**
 * Philox 4x32-10 (Salmon et al. 2011), the float64 CPU twin of shaders/common/philox.wgsl.
 * The u32 words are bit-identical to the GPU's; uniforms use the top 24 bits, so they are
 * exactly equal on both backends; normals (Box-Muller) then differ only by f32 rounding.
 */
export const PHILOX_KEY_HI = 0xcafef00d;

function mulhilo(a: number, b: number): [number, number] {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const hi = (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
  return [hi, Math.imul(a, b) >>> 0];
}

/** One Philox call: 4 u32 words out, writes into `out` (length 4). */
export function philox4x32(
  c0: number, c1: number, c2: number, c3: number,
  k0: number, k1: number,
  out: Uint32Array | number[] = new Uint32Array(4),
): Uint32Array | number[] {
  let x0 = c0 >>> 0, x1 = c1 >>> 0, x2 = c2 >>> 0, x3 = c3 >>> 0;
  let key0 = k0 >>> 0, key1 = k1 >>> 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      key0 = (key0 + 0x9e3779b9) >>> 0;
      key1 = (key1 + 0xbb67ae85) >>> 0;
    }
    const [h0, l0] = mulhilo(0xd2511f53, x0);
    const [h1, l1] = mulhilo(0xcd9e8d57, x2);
    const n0 = (h1 ^ x1 ^ key0) >>> 0;
    const n2 = (h0 ^ x3 ^ key1) >>> 0;
    x0 = n0; x1 = l1; x2 = n2; x3 = l0;
  }
  out[0] = x0; out[1] = x1; out[2] = x2; out[3] = x3;
  return out;
}

/** Uniform in (0,1) from the top 24 bits of a word (same value as the WGSL `philox_uniform`). */
export function philoxUniform(r: number): number {
  return ((r >>> 8) + 0.5) * (1 / 16777216);
}

/** Two standard normals by Box-Muller from words r0, r1 (twin of `philox_normal2`). */
export function philoxNormal2(r0: number, r1: number): [number, number] {
  const u1 = philoxUniform(r0);
  const u2 = philoxUniform(r1);
  const rad = Math.sqrt(-2 * Math.log(u1));
  const th = 2 * Math.PI * u2;
  return [rad * Math.cos(th), rad * Math.sin(th)];
}

/** Streams used by the kernels: counter = (index, step, stream, 0). */
export const Stream = {
  init: 1,
  langevinNoise: 2,
  malaAccept: 3,
  targetSamples: 4,
  sampler: 5,
  subsample: 6,
} as const;

/**
 * Sequential generator over one Philox stream (for CPU samplers and initialisation):
 * counter = (i, hi, stream, 0) with i incremented per call.
 */
export class Rng {
  private i = 0;
  private readonly words = new Uint32Array(4);
  private spare: number | null = null;
  constructor(private readonly seed: number, private readonly stream: number, private readonly hi = 0) {}

  private next4(): Uint32Array {
    philox4x32(this.i, this.hi, this.stream, 0, this.seed, PHILOX_KEY_HI, this.words);
    this.i = (this.i + 1) >>> 0;
    return this.words;
  }

  /** Uniform in (0, 1). */
  uniform(): number {
    return philoxUniform(this.next4()[0] ?? 0);
  }

  /** Standard normal. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const w = this.next4();
    const [a, b] = philoxNormal2(w[0] ?? 0, w[1] ?? 0);
    this.spare = b;
    return a;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }
}
