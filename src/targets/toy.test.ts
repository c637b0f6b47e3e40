/**
 * The sample-cloud targets (src/targets/toy.ts, ffjord toy_data conventions) and the image cloud
 * (src/targets/image.ts): shapes, determinism per seed, and one geometric property per dataset,
 * checked exactly where a noise-free variant exists (noise = 0) and statistically otherwise
 * (|z| < 5 for counts and moments: a false alarm has probability ~1e-6 per check).
 * 8gaussians / 25gaussians also carry a density: it integrates to 1 and its score is grad log p.
 */
import { describe, expect, it } from 'vitest';
import { Rng, Stream } from '../reference/philox';
import { targetEval } from '../reference/targetEval';
import { cloudFromIntensity, grayFromRGBA } from './image';
import { createTarget } from './registry';
import { OUTLIER_CENTRE, OUTLIER_STD, withOutliers } from '../generators/targets';
import { EIGHT_DIVISOR, MAX_OUTLIER_MASS, RING_RADII, TOY_OUTLIER_CENTRE, TOY_OUTLIER_STD, toyTargets, TWENTYFIVE_DIVISOR } from './toy';
import type { TargetInstance } from './types';

const Z = 5;
const rngOf = (seed: number): Rng => new Rng(seed, Stream.sampler);

function draw(id: string, n: number, seed = 1, params = {}): { t: TargetInstance; x: Float64Array } {
  const t = createTarget(id, params);
  if (!t.sample) throw new Error(`${id} has no sampler`);
  return { t, x: t.sample(rngOf(seed), n) };
}

function pts(x: Float64Array): [number, number][] {
  return Array.from({ length: x.length / 2 }, (_, i) => [x[2 * i] ?? NaN, x[2 * i + 1] ?? NaN]);
}

/** z-score of a count against Binomial(n, p). */
function countZ(count: number, n: number, p: number): number {
  return (count - n * p) / Math.sqrt(n * p * (1 - p));
}

describe('toy targets: registry entries, shape, determinism', () => {
  for (const def of toyTargets) {
    it(`${def.id}: n points, finite, same seed same cloud, other seed other cloud`, () => {
      for (const n of [0, 1, 7, 1001]) {
        const { x } = draw(def.id, n, 3);
        expect(x.length).toBe(2 * n);
        expect(x.every(Number.isFinite)).toBe(true);
      }
      const a = draw(def.id, 500, 3).x;
      expect(draw(def.id, 500, 3).x).toEqual(a);
      expect(draw(def.id, 500, 4).x).not.toEqual(a);
      const t = createTarget(def.id);
      const [x0, x1, y0, y1] = t.view;
      expect(x1 - x0).toBeCloseTo(y1 - y0, 9);
      // The view shows the cloud: at least 99 % of the points inside it.
      const inside = pts(a).filter(([x, y]) => x >= x0 && x <= x1 && y >= y0 && y <= y1).length;
      expect(inside / 500).toBeGreaterThan(0.99);
    });
  }
  it('only 8gaussians and 25gaussians carry a density; the others are sampleOnly with kind none', () => {
    const withDensity = toyTargets.filter((d) => !createTarget(d.id).sampleOnly).map((d) => d.id);
    expect(withDensity).toEqual(['8gaussians', '25gaussians']);
    for (const d of toyTargets) {
      const t = createTarget(d.id);
      if (t.sampleOnly) {
        expect(t.packed.kind).toBe(15);
        expect(t.score(0.3, 0.1)).toEqual([0, 0]);
      }
    }
  });
});

/** Assign to the nearest centre; check counts (uniform weights) and within-cluster moments. */
function checkMixtureSamples(x: Float64Array, centres: [number, number][], std: number): void {
  const n = x.length / 2;
  const K = centres.length;
  const count = new Array<number>(K).fill(0);
  const s1 = Array.from({ length: K }, () => [0, 0]);
  const s2 = Array.from({ length: K }, () => [0, 0]);
  for (const [px, py] of pts(x)) {
    let best = 0, bd = Infinity;
    centres.forEach(([cx, cy], k) => {
      const d = (px - cx) ** 2 + (py - cy) ** 2;
      if (d < bd) [best, bd] = [k, d];
    });
    const c = centres[best] ?? [0, 0];
    count[best] = (count[best] ?? 0) + 1;
    const a = s1[best] ?? [0, 0], b = s2[best] ?? [0, 0];
    a[0] = (a[0] ?? 0) + px - c[0]; a[1] = (a[1] ?? 0) + py - c[1];
    b[0] = (b[0] ?? 0) + (px - c[0]) ** 2; b[1] = (b[1] ?? 0) + (py - c[1]) ** 2;
  }
  for (let k = 0; k < K; k++) {
    const nk = count[k] ?? 0;
    expect(Math.abs(countZ(nk, n, 1 / K)), `cluster ${k} count ${nk}`).toBeLessThan(Z);
    for (const d of [0, 1]) {
      const mean = (s1[k]?.[d] ?? 0) / nk;
      const variance = (s2[k]?.[d] ?? 0) / nk;
      // mean offset ~ N(0, std^2/nk); variance ~ std^2 (1 +- sqrt(2/nk)).
      expect(Math.abs(mean) / (std / Math.sqrt(nk)), `cluster ${k} mean offset`).toBeLessThan(Z);
      expect(Math.abs(variance / (std * std) - 1) / Math.sqrt(2 / nk), `cluster ${k} variance ${variance}`).toBeLessThan(Z);
    }
  }
}

describe('toy targets: one property each', () => {
  it('8gaussians: 8 equal clusters at 4 (cos k pi/4, sin k pi/4) / 1.414 with std 0.5 / 1.414', () => {
    const centres = Array.from({ length: 8 }, (_, k): [number, number] => [(4 * Math.cos((k * Math.PI) / 4)) / 1.414, (4 * Math.sin((k * Math.PI) / 4)) / 1.414]);
    expect(EIGHT_DIVISOR).toBe(1.414);
    checkMixtureSamples(draw('8gaussians', 40_000).x, centres, 0.5 / 1.414);
  });

  it('25gaussians: 25 equal clusters at 2 (i, j) / 2.828 with std 0.05 / 2.828', () => {
    const centres: [number, number][] = [];
    for (let i = -2; i <= 2; i++) for (let j = -2; j <= 2; j++) centres.push([(2 * i) / 2.828, (2 * j) / 2.828]);
    expect(TWENTYFIVE_DIVISOR).toBe(2.828);
    checkMixtureSamples(draw('25gaussians', 50_000).x, centres, 0.05 / 2.828);
  });

  it('checkerboard: every point in [-4, 4)^2 on a square with floor(x/2) + floor(y/2) even; the 8 squares equally full', () => {
    const n = 40_000;
    const counts = new Map<string, number>();
    let bad = 0;
    for (const [x, y] of pts(draw('checkerboard', n).x)) {
      const i = Math.floor(x / 2), j = Math.floor(y / 2);
      if (!(x >= -4 && x < 4 && y >= -4 && y < 4) || ((i + j) % 2 + 2) % 2 !== 0) bad++;
      counts.set(`${i},${j}`, (counts.get(`${i},${j}`) ?? 0) + 1);
    }
    expect(bad).toBe(0);
    expect(counts.size).toBe(8);
    for (const c of counts.values()) expect(Math.abs(countZ(c, n, 1 / 8))).toBeLessThan(Z);
  });

  it('rings: noise 0 puts exactly n/4 points on each radius 3, 2.25, 1.5, 0.75; the noise is N(0, 0.08^2)', () => {
    const n = 4000;
    const exact = pts(draw('rings', n, 1, { noise: 0 }).x);
    for (const r of RING_RADII) expect(exact.filter(([x, y]) => Math.abs(Math.hypot(x, y) - r) < 1e-12).length).toBe(n / 4);
    // Noisy: radial residual to the nearest ring ~ N(sigma^2 / (2 r), sigma^2) to first order.
    const noisy = draw('rings', 40_000).x;
    const res = pts(noisy).map(([x, y]) => {
      const r = Math.hypot(x, y);
      return RING_RADII.reduce((b, R) => (Math.abs(r - R) < Math.abs(b) ? r - R : b), Infinity);
    });
    const sd = Math.sqrt(res.reduce((s, v) => s + v * v, 0) / res.length);
    expect(sd).toBeGreaterThan(0.08 * 0.97);
    expect(sd).toBeLessThan(0.08 * 1.03);
  });

  it('moons: noise 0 puts n/2 points on each half-circle arc (2 x + (-1, -0.2)); with noise the distance to the arcs has sd 0.2', () => {
    const n = 2001;
    // Undo out = 2 u + (-1, -0.2): outer arc |u| = 1, v >= 0; inner arc |u - (1, 0.5)| = 1, v <= 0.5.
    const arcs = (x: number, y: number): [number, number] => {
      const u = (x + 1) / 2, v = (y + 0.2) / 2;
      const outer = v >= -1e-12 ? Math.abs(Math.hypot(u, v) - 1) : Infinity;
      const inner = v <= 0.5 + 1e-12 ? Math.abs(Math.hypot(u - 1, v - 0.5) - 1) : Infinity;
      return [outer, inner];
    };
    const exact = pts(draw('moons', n, 2, { noise: 0 }).x).map(([x, y]) => arcs(x, y));
    expect(exact.filter(([o]) => o < 1e-12).length).toBe(Math.floor(n / 2));
    expect(exact.filter(([o, i]) => i < 1e-12 && o >= 1e-12).length).toBe(n - Math.floor(n / 2));
    const d = pts(draw('moons', 20_000).x).map(([x, y]) => {
      const u = (x + 1) / 2, v = (y + 0.2) / 2;
      return Math.min(Math.abs(Math.hypot(u, v) - 1), Math.abs(Math.hypot(u - 1, v - 0.5) - 1));
    });
    // Near the arcs the distance is |N(0, 0.1^2)| in u-units: E|e| = 0.1 sqrt(2/pi) (slightly less where the arcs cross).
    const meanAbs = d.reduce((s, v) => s + v, 0) / d.length;
    expect(meanAbs).toBeGreaterThan(0.1 * Math.sqrt(2 / Math.PI) * 0.9);
    expect(meanAbs).toBeLessThan(0.1 * Math.sqrt(2 / Math.PI) * 1.03);
  });

  it('pinwheel: tangential std 0 puts every point on one of 5 arms, angle = -(2 pi l/5 + 0.25 exp(r/2)); arms equally full', () => {
    const n = 5000;
    const arm = new Array<number>(5).fill(0);
    let off = 0;
    for (const [x, y] of pts(draw('pinwheel', n, 5, { tangentialStd: 0 }).x)) {
      const f1 = Math.hypot(x, y) / 2;
      // out = 2 f1 (cos a, -sin a) (f1 > 0 except with probability ~1e-4): a = -atan2(y, x) mod 2 pi.
      const a = -Math.atan2(y, x);
      const l = (a - 0.25 * Math.exp(f1)) / ((2 * Math.PI) / 5);
      const k = Math.round(l);
      if (Math.abs(l - k) > 1e-9) {
        off++;
        continue;
      }
      arm[((k % 5) + 5) % 5] = (arm[((k % 5) + 5) % 5] ?? 0) + 1;
    }
    expect(off).toBeLessThan(5);
    for (const c of arm) expect(Math.abs(c - n / 5)).toBeLessThanOrEqual(off);
  });

  it('2spirals: noise 0 puts every point on s (-r cos r + u1, r sin r + u2) / 3, r in [0, 3 pi], u in [0, 1/2)^2; half with each sign', () => {
    const n = 300;
    const sign = [0, 0];
    for (const [x, y] of pts(draw('2spirals', n, 6, { noise: 0 }).x)) {
      const X = 3 * x, Y = 3 * y;
      const rad = Math.hypot(X, Y);
      let found = -1;
      for (const [si, s] of [[0, 1], [1, -1]] as const) {
        for (let r = Math.max(0, rad - 0.75); r <= Math.min(3 * Math.PI, rad + 0.75) && found < 0; r += 2e-5) {
          const u1 = s * X + r * Math.cos(r), u2 = s * Y - r * Math.sin(r);
          if (u1 >= -1e-4 && u1 < 0.5 + 1e-4 && u2 >= -1e-4 && u2 < 0.5 + 1e-4) found = si;
        }
        if (found >= 0) break;
      }
      expect(found, `point (${x}, ${y}) on neither spiral`).toBeGreaterThanOrEqual(0);
      sign[found] = (sign[found] ?? 0) + 1;
    }
    // The two spirals overlap near the origin, so a few points fit both: counts balanced to a few.
    expect(Math.abs((sign[0] ?? 0) - n / 2)).toBeLessThan(10);
  });

  it('swissroll: noise 0 gives 5 x = t (cos t, sin t) with t = |5 x| ~ U[3 pi/2, 9 pi/2]', () => {
    const n = 20_000;
    let mean = 0;
    for (const [x, y] of pts(draw('swissroll', n, 7, { noise: 0 }).x)) {
      const t = Math.hypot(5 * x, 5 * y);
      const ok = t >= 1.5 * Math.PI - 1e-9 && t <= 4.5 * Math.PI + 1e-9 && Math.abs(5 * x - t * Math.cos(t)) < 1e-9 && Math.abs(5 * y - t * Math.sin(t)) < 1e-9;
      if (!ok) throw new Error(`(${x}, ${y}) is not on the noise-free roll`);
      mean += t / n;
    }
    // U[a, b]: mean 3 pi, sd (b - a)/sqrt(12) = 3 pi / sqrt(12).
    expect(Math.abs(mean - 3 * Math.PI) / ((3 * Math.PI) / Math.sqrt(12 * n))).toBeLessThan(Z);
  });
});

describe('8gaussians and 25gaussians densities', () => {
  const cases = [
    ['8gaussians', 0.5 / 1.414, 4 / 1.414 + 3] as const,
    ['25gaussians', 0.05 / 2.828, 4 / 2.828 + 0.2] as const,
  ];
  for (const [id, s, half] of cases) {
    it(`${id}: integrates to 1 (midpoint rule, cell = sigma / 2: error ~ exp(-2 pi^2 4) ~ 1e-34)`, () => {
      const t = createTarget(id);
      const h = s / 2;
      const k = Math.ceil((2 * half) / h);
      let total = 0;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) total += Math.exp(t.logDensity(-half + (i + 0.5) * h, -half + (j + 0.5) * h));
      }
      expect(Math.abs(total * h * h - 1)).toBeLessThan(1e-6);
    });
    it(`${id}: score = central finite difference of logDensity`, () => {
      const t = createTarget(id);
      const rng = new Rng(9, 9);
      // h = 1e-6: truncation h^2 |f'''| / 6 < 1e-12 * 3e9 / 6 = 5e-4 for the 25gaussians' 1/sigma^2 = 3200
      // (|score| up to ~5e3 there), rounding eps |f| / h ~ 2e-7.
      const fd = 1e-6;
      for (let q = 0; q < 300; q++) {
        const x = (2 * rng.uniform() - 1) * half, y = (2 * rng.uniform() - 1) * half;
        const [sx, sy] = t.score(x, y);
        const gx = (t.logDensity(x + fd, y) - t.logDensity(x - fd, y)) / (2 * fd);
        const gy = (t.logDensity(x, y + fd) - t.logDensity(x, y - fd)) / (2 * fd);
        expect(Math.abs(sx - gx), `d/dx at (${x}, ${y})`).toBeLessThan(1e-5 * (1 + Math.abs(sx)));
        expect(Math.abs(sy - gy), `d/dy at (${x}, ${y})`).toBeLessThan(1e-5 * (1 + Math.abs(sy)));
      }
    });
  }
  it('the packed densities equal (1/K) sum_k N(x; c_k, s^2 I) written out', () => {
    // log((1/K) sum_k exp(l_k)) with l_k = -|x - c_k|^2 / (2 s^2) - log(2 pi s^2), by log-sum-exp.
    const logMix = (x: number, y: number, cs: [number, number][], s: number): number => {
      const ls = cs.map(([cx, cy]) => -((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s) - Math.log(2 * Math.PI * s * s));
      const top = Math.max(...ls);
      return top + Math.log(ls.reduce((acc, l) => acc + Math.exp(l - top), 0) / cs.length);
    };
    const c8 = Array.from({ length: 8 }, (_, k): [number, number] => [(4 * Math.cos((k * Math.PI) / 4)) / 1.414, (4 * Math.sin((k * Math.PI) / 4)) / 1.414]);
    const c25: [number, number][] = [];
    for (let i = -2; i <= 2; i++) for (let j = -2; j <= 2; j++) c25.push([(2 * i) / 2.828, (2 * j) / 2.828]);
    const t8 = createTarget('8gaussians');
    const t25 = createTarget('25gaussians');
    for (const [x, y] of [[0, 0], [2.8, 0.1], [-1.9, 2.1], [0.7, 0.72], [0.01, -0.69]] as const) {
      expect(t8.logDensity(x, y)).toBeCloseTo(logMix(x, y, c8, 0.5 / 1.414), 9);
      expect(t25.logDensity(x, y)).toBeCloseTo(logMix(x, y, c25, 0.05 / 2.828), 6);
      const ev = targetEval(t25.packed, Float64Array.of(x, y));
      expect(ev.logp[0]).toBe(t25.logDensity(x, y));
    }
    expect(t25.packed.kind).toBe(9);
    expect(t25.packed.count).toBe(25);
    expect(t8.packed.kind).toBe(0);
  });
});

describe('image clouds', () => {
  it('grayFromRGBA: Rec. 709 luma composited over the background by alpha', () => {
    const rgba = Uint8ClampedArray.of(255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255, 255, 255, 255, 0);
    const g = grayFromRGBA(rgba, 2, 2);
    expect(Array.from(g)).toEqual([1, 0, Math.fround(0.2126), 0]);
    expect(grayFromRGBA(rgba, 2, 2, 1)[3]).toBe(1);
    expect(() => grayFromRGBA(rgba, 3, 2)).toThrow('RGBA data has 16 bytes, expected 4 x 3 x 2 = 24');
    expect(() => grayFromRGBA(rgba, 0, 2)).toThrow('image size must be positive integers');
  });

  it('bright = mass, invert = dark; aspect kept, y up, jitter inside the pixel', () => {
    // 2 x 1 image: left black, right white; long side spans [-4, 4], pixel size 4, y in [-2, 2].
    const img = Uint8Array.of(0, 255);
    const a = pts(cloudFromIntensity(img, 2, 1, 2000, rngOf(1)));
    expect(a.every(([x, y]) => x >= 0 && x < 4 && y > -2 && y <= 2)).toBe(true);
    const b = pts(cloudFromIntensity(img, 2, 1, 2000, rngOf(1), undefined, { invert: true }));
    expect(b.every(([x, y]) => x >= -4 && x < 0 && y > -2 && y <= 2)).toBe(true);
    // 1 x 2 image (one column, two rows): the top row bright -> y > 0.
    const c = pts(cloudFromIntensity(Float32Array.of(1, 0), 1, 2, 500, rngOf(2)));
    expect(c.every(([x, y]) => y > 0 && x >= -2 && x < 2)).toBe(true);
    // Uniform jitter in the single bright pixel [0, 4) x (-2, 2]: mean (2, 0), variance 16/12.
    const n = a.length;
    const mx = a.reduce((s, [x]) => s + x, 0) / n, my = a.reduce((s, [, y]) => s + y, 0) / n;
    const se = Math.sqrt(16 / 12 / n);
    expect(Math.abs(mx - 2) / se).toBeLessThan(Z);
    expect(Math.abs(my) / se).toBeLessThan(Z);
    const vx = a.reduce((s, [x]) => s + (x - mx) ** 2, 0) / n;
    expect(Math.abs(vx / (16 / 12) - 1)).toBeLessThan(Z * Math.sqrt(0.8 / n));
  });

  it('pixels are chosen in proportion to their intensity; same seed, same cloud', () => {
    const w = 4, h = 3;
    const gray = Uint8Array.from({ length: w * h }, (_, p) => (p * 37) % 256);
    const m = 60_000;
    const view: [number, number, number, number] = [0, 4, 0, 3];
    const x = cloudFromIntensity(gray, w, h, m, rngOf(3), view);
    expect(cloudFromIntensity(gray, w, h, m, rngOf(3), view)).toEqual(x);
    const total = gray.reduce((s, v) => s + v, 0);
    const counts = new Array<number>(w * h).fill(0);
    for (const [px, py] of pts(x)) {
      const col = Math.floor(px), row = Math.floor(3 - py);
      counts[row * w + col] = (counts[row * w + col] ?? 0) + 1;
    }
    gray.forEach((g, p) => {
      if (g === 0) expect(counts[p]).toBe(0);
      else expect(Math.abs(countZ(counts[p] ?? 0, m, g / total)), `pixel ${p}`).toBeLessThan(Z);
    });
  });

  it('clear errors: no mass, wrong sizes, bad values', () => {
    const rng = rngOf(1);
    expect(() => cloudFromIntensity(new Uint8Array(6), 3, 2, 10, rng)).toThrow('the image has no mass');
    expect(() => cloudFromIntensity(new Float32Array(6).fill(1), 3, 2, 10, rng, undefined, { invert: true })).toThrow('the image has no mass');
    expect(() => cloudFromIntensity(new Uint8Array(5), 3, 2, 10, rng)).toThrow('image data has 5 values, expected 3 x 2 = 6');
    expect(() => cloudFromIntensity(new Uint8Array(6), 3.5, 2, 10, rng)).toThrow('image size must be positive integers');
    expect(() => cloudFromIntensity(new Uint8Array(6).fill(1), 3, 2, 0, rng)).toThrow('positive integer');
    expect(() => cloudFromIntensity(Float32Array.of(1, -1), 2, 1, 10, rng)).toThrow('expected a finite value >= 0');
    expect(() => cloudFromIntensity(Float32Array.of(1, 1), 2, 1, 10, rng, [1, 0, 0, 1])).toThrow('view must be');
  });
});

describe('toy targets: the outlier mass (UOTM outlier demo)', () => {
  it('uses the generators\' outlier cluster and the 0..0.1 range', () => {
    expect(TOY_OUTLIER_CENTRE).toEqual(OUTLIER_CENTRE);
    expect(TOY_OUTLIER_STD).toBe(OUTLIER_STD);
    for (const def of toyTargets) {
      const spec = def.params.find((q) => q.name === 'outliers');
      expect(spec, def.id).toMatchObject({ kind: 'number', default: 0, min: 0, max: MAX_OUTLIER_MASS, label: 'Outlier mass' });
      expect(() => createTarget(def.id, { outliers: 0.2 }), def.id).toThrow(/outliers/);
    }
  });

  for (const def of toyTargets) {
    it(`${def.id}: outliers = 0 is the clean target bit for bit; 0.01 draws exactly withOutliers' points`, () => {
      const clean = createTarget(def.id);
      const zero = createTarget(def.id, { outliers: 0 });
      const dirty = createTarget(def.id, { outliers: 0.01 });
      if (!clean.sample || !zero.sample || !dirty.sample) throw new Error(`${def.id} has no sampler`);
      expect(zero.sample(rngOf(5), 500)).toEqual(clean.sample(rngOf(5), 500));
      expect(zero.view).toEqual(clean.view);
      expect(zero.packed).toEqual(clean.packed);
      const n = 20_000;
      const x = dirty.sample(rngOf(5), n);
      expect(x).toEqual(withOutliers(clean.sample, 0.01)(rngOf(5), n));
      // the fraction near (5, 5) (within 4 std: the clean targets have no mass there) is Binomial(n, 0.01)
      const near = pts(x).filter(([a, b]) => Math.hypot(a - 5, b - 5) < 4 * OUTLIER_STD).length;
      expect(Math.abs(countZ(near, n, 0.01 * (1 - Math.exp(-8))))).toBeLessThan(Z);
      // the view grows to show the cluster
      const [x0, x1, y0, y1] = dirty.view;
      expect(x0 <= 4 && x1 >= 6 && y0 <= 4 && y1 >= 6).toBe(true);
    });
  }

  it('8gaussians / 25gaussians: the cluster joins the normalised density with weight p (exact value at its centre)', () => {
    const p = 0.05;
    const peak = p / (2 * Math.PI * OUTLIER_STD * OUTLIER_STD);
    for (const id of ['8gaussians', '25gaussians']) {
      const t = createTarget(id, { outliers: p });
      // the nearest clean cluster is > 9 of its std away: its density at (5, 5) is below 1e-17
      expect(Math.exp(t.logDensity(5, 5)) / peak - 1, id).toBeCloseTo(0, 9);
      // and the clean clusters keep 1 - p of the mass: at a clean centre the density scales by 1 - p
      const c = createTarget(id);
      const [mx, my] = id === '8gaussians' ? [4 / EIGHT_DIVISOR, 0] : [0, 0];
      expect(Math.exp(t.logDensity(mx, my) - c.logDensity(mx, my)), id).toBeCloseTo(1 - p, 9);
    }
  });
});
