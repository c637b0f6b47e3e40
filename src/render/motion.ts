/**
 * Velocity arrows and trails: the float64 twin of shaders/render/motion.wgsl (motionSegment,
 * motionVertex: same names as the WGSL functions motion_segment, motion_vs), the ring bookkeeping
 * both renderers share (MotionHistory), and the arrow magnification. Pure: no DOM, no GPU.
 *
 * The ring keeps copies of the first `stride` particles at the last `slots` drawn frames whose step
 * count changed. Arrows: x + gain * (x - x_prev) with gain = magnification / (steps between the two
 * newest slots), i.e. the mean displacement per step over the last batch, magnified. Trails: the
 * segments joining consecutive slots (the last k drawn positions).
 */

/** At most this many arrows (the first particles: the initial draw is i.i.d., so an unbiased subset). */
export const MAX_ARROWS = 4096;
/** At most this many particles carry a trail. */
export const MAX_TRAIL_PARTICLES = 1024;
/** Ring slots: the longest trail (positions). */
export const MAX_TRAIL = 32;
/** The RMS arrow is drawn about this long (CSS pixels), the magnification rounded to 1-2-5. */
export const ARROW_RMS_PX = 16;

export const ARROW_COLOUR: [number, number, number, number] = [1.0, 1.0, 1.0, 0.75];
export const TRAIL_COLOUR: [number, number, number, number] = [1.0, 0.78, 0.45, 0.55];

export type MotionMode = 'arrows' | 'trails';

/** The uniform of motion.wgsl, as plain numbers (MotionView). */
export interface MotionParams {
  rect: [number, number, number, number];
  /** Clip units per device pixel. */
  px: [number, number];
  halfWidth: number;
  headPx: number;
  gain: number;
  count: number;
  stride: number;
  slots: number;
  head: number;
  segments: number;
  images: number;
  periodic: boolean;
  mode: MotionMode;
}

export interface Segment {
  a: [number, number];
  b: [number, number];
  fade: number;
}

/** Minimum image on the torus: d - floor(d + 1/2) (the WGSL's motion_delta). */
export function motionDelta(d: number, periodic: boolean): number {
  return periodic ? d - Math.floor(d + 0.5) : d;
}

/** Point p of ring slot `slot` (interleaved [x, y] per point, `stride` points per slot). */
function point(ring: ArrayLike<number>, stride: number, slot: number, p: number): [number, number] {
  const o = 2 * (slot * stride + p);
  return [ring[o] ?? NaN, ring[o + 1] ?? NaN];
}

/** Twin of motion_segment: world endpoints of segment `seg` of particle `p`. */
export function motionSegment(ring: ArrayLike<number>, m: Pick<MotionParams, 'stride' | 'slots' | 'head' | 'segments' | 'gain' | 'periodic' | 'mode'>, p: number, seg: number): Segment {
  if (m.mode === 'arrows') {
    const x = point(ring, m.stride, m.head, p);
    const prev = point(ring, m.stride, (m.head + m.slots - 1) % m.slots, p);
    return {
      a: x,
      b: [x[0] + motionDelta(x[0] - prev[0], m.periodic) * m.gain, x[1] + motionDelta(x[1] - prev[1], m.periodic) * m.gain],
      fade: 1,
    };
  }
  const newer = (m.head + m.slots - seg) % m.slots;
  const older = (m.head + 2 * m.slots - seg - 1) % m.slots;
  const b = point(ring, m.stride, newer, p);
  const o = point(ring, m.stride, older, p);
  return { a: [b[0] - motionDelta(b[0] - o[0], m.periodic), b[1] - motionDelta(b[1] - o[1], m.periodic)], b, fade: 1 - seg / Math.max(m.segments, 1) };
}

/** Vertices per instance (shaft quad + arrowhead). */
export const MOTION_VERTICES = 9;

/** Twin of motion_vs: clip position of vertex v of instance i (undefined: parked, not drawn). */
export function motionVertex(ring: ArrayLike<number>, m: MotionParams, v: number, i: number): [number, number] | undefined {
  const per = m.count * m.segments;
  const img = Math.floor(i / per);
  const rest = i % per;
  const p = rest % m.count;
  const seg = Math.floor(rest / m.count);
  const half = Math.floor(m.images / 2);
  const shift = [(img % m.images) - half, Math.floor(img / m.images) - half];
  const s = motionSegment(ring, m, p, seg);
  const [x0, x1, y0, y1] = m.rect;
  const toPx = (q: [number, number]): [number, number] => [(((q[0] + (shift[0] ?? 0) - x0) / (x1 - x0)) * 2 - 1) / m.px[0], (((q[1] + (shift[1] ?? 0) - y0) / (y1 - y0)) * 2 - 1) / m.px[1]];
  const ap = toPx(s.a);
  const bp = toPx(s.b);
  const d = [bp[0] - ap[0], bp[1] - ap[1]];
  const len = Math.hypot(d[0] ?? NaN, d[1] ?? NaN);
  if (!(len > 1e-4 && len < 1e7 && Math.abs(ap[0]) < 1e7 && Math.abs(ap[1]) < 1e7)) return undefined;
  const dir = [(d[0] ?? 0) / len, (d[1] ?? 0) / len] as const;
  const nrm = [-dir[1], dir[0]] as const;
  const head = m.mode === 'arrows' ? Math.min(m.headPx, 0.5 * len) : 0;
  const end: [number, number] = [bp[0] - dir[0] * head, bp[1] - dir[1] * head];
  let q: [number, number];
  if (v < 6) {
    const t = [0, 1, 0, 0, 1, 1][v] ?? 0;
    const sgn = [-1, -1, 1, 1, -1, 1][v] ?? 0;
    q = [ap[0] + (end[0] - ap[0]) * t + nrm[0] * sgn * m.halfWidth, ap[1] + (end[1] - ap[1]) * t + nrm[1] * sgn * m.halfWidth];
  } else if (v === 6) q = bp;
  else if (v === 7) q = [end[0] + nrm[0] * 0.5 * head, end[1] + nrm[1] * 0.5 * head];
  else q = [end[0] - nrm[0] * 0.5 * head, end[1] - nrm[1] * 0.5 * head];
  return [q[0] * m.px[0], q[1] * m.px[1]];
}

/**
 * Which ring slot a frame writes, per source: a new source (run), fewer steps than before (a reset)
 * or another particle count start the ring over; a frame without new steps writes nothing.
 */
export class MotionHistory {
  private source: object | undefined;
  private n = -1;
  /** Step count held by each slot (NaN: empty). */
  private readonly steps: number[];
  head = -1;
  filled = 0;

  constructor(readonly slots = MAX_TRAIL) {
    this.steps = new Array<number>(slots).fill(NaN);
  }

  /** The slot to copy the current positions into, or undefined when nothing changed. */
  push(source: object, step: number, n: number): number | undefined {
    const last = this.head >= 0 ? this.steps[this.head] : undefined;
    if (source !== this.source || n !== this.n || (last !== undefined && step < last)) this.reset(source, n);
    else if (last === step) return undefined;
    this.head = (this.head + 1) % this.slots;
    this.steps[this.head] = step;
    this.filled = Math.min(this.filled + 1, this.slots);
    return this.head;
  }

  /** Steps between the two newest slots (0 when fewer than two). */
  get stepsBetween(): number {
    if (this.filled < 2) return 0;
    const a = this.steps[this.head] ?? NaN;
    const b = this.steps[(this.head + this.slots - 1) % this.slots] ?? NaN;
    return Number.isFinite(a - b) ? a - b : 0;
  }

  /** Segments a trail of k positions can draw now. */
  trailSegments(k: number): number {
    return Math.max(0, Math.min(k, this.filled) - 1);
  }

  reset(source: object | undefined = undefined, n = -1): void {
    this.source = source;
    this.n = n;
    this.steps.fill(NaN);
    this.head = -1;
    this.filled = 0;
  }
}

/** 1, 2, 5 x 10^k at or below v (v > 0). */
export function niceBelow(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const e = Math.floor(Math.log10(v));
  const b = 10 ** e;
  const f = v / b;
  return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * b;
}

/**
 * RMS of the displacement per step between the two newest slots (world units), over the first
 * `count` points, skipping non-finite ones; undefined when nothing moved or nothing is known.
 */
export function rmsStep(newer: ArrayLike<number>, older: ArrayLike<number>, count: number, steps: number, periodic: boolean): number | undefined {
  if (!(steps > 0)) return undefined;
  let s = 0;
  let k = 0;
  for (let p = 0; p < count; p++) {
    const dx = motionDelta((newer[2 * p] ?? NaN) - (older[2 * p] ?? NaN), periodic);
    const dy = motionDelta((newer[2 * p + 1] ?? NaN) - (older[2 * p + 1] ?? NaN), periodic);
    const d2 = dx * dx + dy * dy;
    if (Number.isFinite(d2)) {
      s += d2;
      k++;
    }
  }
  if (k === 0 || !(s > 0)) return undefined;
  return Math.sqrt(s / k) / steps;
}

/** The arrow magnification: the RMS per-step displacement drawn ~ARROW_RMS_PX CSS pixels, rounded down to 1-2-5. */
export function arrowMagnification(rmsPerStep: number | undefined, worldPerCssPx: number): number | undefined {
  if (rmsPerStep === undefined || !(rmsPerStep > 0)) return undefined;
  return niceBelow((ARROW_RMS_PX * worldPerCssPx) / rmsPerStep);
}
