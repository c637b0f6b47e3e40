/**
 * The proof of issue 18 item 5: a method, a target and a metric are each their own files plus one
 * registry line. This test performs the steps of docs/ADDING.md on a copy of the tree and nothing
 * else, then runs what it added through the engine (CPU and GPU backends), the CLI (`wgf list`,
 * `wgf run`) and a URL round trip (the page's one encoder and one link reader).
 *
 * How:
 *   1. copy src/, shaders/, bin/, package.json and the tsc, eslint and dependency-cruiser configs into a
 *      temporary folder (node_modules and public/ are linked, read only);
 *   2. add the toy files below (METHOD, TARGET, METRIC) and register each in its registry with one
 *      import and one entry (`register`); then check that the copy differs from the tree by exactly
 *      those new files and those registry lines (`treeDiff`): a step that needs an edit elsewhere is a
 *      defect of the house and fails here;
 *   3. run, in that copy, as child processes through the repo's runner (bin/run-ts.mjs, bin/wgf.mjs):
 *      a driver (written under proof/, outside src/: the test's harness, not a step) that runs the
 *      toy method on the toy target on both backends and round-trips a link; `wgf list --json`; and
 *      `wgf run --method toy-drift --target toy-ring ... --out f.npy`.
 *
 * The toys are real, small numerics with exact answers:
 *   toy-drift  tempered Langevin x <- x + h grad log pi(x) + sqrt(2 h T) xi (stationary law pi^(1/T)):
 *              its own WGSL stepper (shaders/toyDriftStep.wgsl, after the existing targetEval pass for
 *              the score) and its float64 twin (src/reference/toyDriftStep.ts), same Philox counters;
 *   toy-ring   log pi = -(|x| - r)^2 / w: a new density, its WGSL (a per-target `target_formula`,
 *              PackedTarget.shader) and its float64 twin (PackedTarget.evalPoint) in its own file;
 *   toyMeanNorm  |1/N sum_i x_i|: its own WGSL reduction (shaders/toyMeanSum.wgsl) in the metrics'
 *              shared pass, and its float64 twin (src/reference/toyMeanSum.ts);
 * and the particles must reach the ring: their mean radius is that of pi^(1/T), computed here by
 * quadrature, the GPU run follows the CPU twin particle by particle (same seed, same counters), and
 * the metric on either backend is the norm of the mean of the positions read back.
 *
 * PROOF_KEEP=1 keeps the copy (its path is printed), to try the steps by hand.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What the copy holds of the tree (copied) and what it only links to (read at run time, never edited). */
const COPIED = ['src', 'shaders', 'bin', 'package.json', 'tsconfig.json', 'eslint.config.js', '.dependency-cruiser.cjs'];
const LINKED = ['node_modules', 'public'];

// ---------------------------------------------------------------------------------------------------
// The toy method: tempered Langevin, its WGSL stepper, its kernel, its float64 twin, its MethodDef.

/** A Philox stream of its own (the kernels' streams are 1-6, src/reference/philox.ts Stream). */
const TOY_STREAM = 0x70790001;

const TOY_DRIFT_WGSL = `// toyDriftStep: one step of tempered Langevin dynamics in place (the toy method of
// src/cli/adding.proof.test.ts, the proof that a method is its own files plus one registry line).
//   x_i <- x_i + h s_i + sqrt(2 h T) xi_i,   xi_i ~ N(0, I),   s_i = grad log pi(x_i)
// s_i comes from the targetEval pass recorded before this one (scores[i].xy). The stationary law as
// h -> 0 is pi^(1/T): T = 1 is ULA, T = 0 gradient ascent on log pi.
// Random numbers: Philox4x32 counter (i, step, ${TOY_STREAM}, 0). Twin: src/reference/toyDriftStep.ts.
// Needs shaders/common/philox.wgsl.

struct ToyDriftParams {
  n: u32,
  seed: u32,
  _pad0: u32,
  _pad1: u32,
  h: f32,
  temperature: f32,
  _pad2: f32,
  _pad3: f32,
}

@group(0) @binding(0) var<uniform> params: ToyDriftParams;
@group(0) @binding(1) var<storage, read_write> pos: array<vec2f>;
@group(0) @binding(2) var<storage, read> scores: array<vec4f>;
@group(0) @binding(3) var<storage, read> clock: array<u32>;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  let r = philox4x32(vec4u(i, clock[0], ${TOY_STREAM}u, 0u), philox_key(params.seed));
  let xi = philox_normal2(r);
  pos[i] = pos[i] + params.h * scores[i].xy + sqrt(2.0 * params.h * params.temperature) * xi;
}
`;

const TOY_DRIFT_KERNEL = `/**
 * GPU kernel: one toy-drift step in place (shaders/toyDriftStep.wgsl). Twin: src/reference/toyDriftStep.ts.
 * A Kernel (src/kernels/kernel.ts) with its own source: its WGSL and the common Philox piece it uses
 * are named here, so src/gpu/ is not edited.
 */
import source from '../../shaders/toyDriftStep.wgsl?raw';
import { Kernel } from './kernel';

export class ToyDriftStep extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'toyDriftStep', source, uses: ['philox'], bindings: ['uniform', 'storage', 'read-only-storage', 'read-only-storage'] });
  }

  configure(p: { n: number; h: number; seed: number; temperature: number }): void {
    this.setParams({ n: p.n, seed: p.seed >>> 0, h: p.h, temperature: p.temperature });
  }

  /** pos: array<vec2f> (updated in place); scores: array<vec4f> (score, logp, 0); clock: array<u32>. */
  bindIO(pos: GPUBuffer, scores: GPUBuffer, clock: GPUBuffer): GPUBindGroup {
    return this.bind([pos, scores, clock]);
  }

  encode(pass: GPUComputePassEncoder, io: GPUBindGroup, n: number): void {
    this.dispatch(pass, io, this.groups(n));
  }
}
`;

const TOY_DRIFT_TWIN = `/**
 * Float64 twin of shaders/toyDriftStep.wgsl (same Philox counters, same formula):
 *   x <- x + h s(x) + sqrt(2 h T) xi,  xi from Philox counter (i, step, ${TOY_STREAM}, 0).
 */
import type { PackedTarget } from '../core/packed';
import { targetScore } from './targetEval';
import { PHILOX_KEY_HI, philox4x32, philoxNormal2 } from './philox';

export interface ToyDriftStepParams {
  n: number;
  h: number;
  seed: number;
  temperature: number;
  /** The step counter (clock) for the Philox counter. */
  step: number;
}

/** Updates x (interleaved, length 2n) in place. */
export function toyDriftStep(x: Float64Array, target: PackedTarget, p: ToyDriftStepParams): void {
  const words = new Uint32Array(4);
  const c = Math.sqrt(2 * p.h * p.temperature);
  for (let i = 0; i < p.n; i++) {
    const x0 = x[2 * i] ?? 0;
    const x1 = x[2 * i + 1] ?? 0;
    philox4x32(i, p.step, ${TOY_STREAM}, 0, p.seed, PHILOX_KEY_HI, words);
    const [z0, z1] = philoxNormal2(words[0] ?? 0, words[1] ?? 0);
    const [s0, s1] = targetScore(target, x0, x1);
    x[2 * i] = x0 + p.h * s0 + c * z0;
    x[2 * i + 1] = x1 + p.h * s1 + c * z1;
  }
}
`;

const TOY_DRIFT_METHOD = `/** Toy drift: tempered Langevin (the proof-of-adding toy of src/cli/adding.proof.test.ts). */
import { TargetEval } from '../kernels/targetEval';
import { ToyDriftStep } from '../kernels/toyDriftStep';
import { toyDriftStep } from '../reference/toyDriftStep';
import { readParams } from '../core/params';
import type { MethodDef } from './types';

export const toyDrift: MethodDef = {
  id: 'toy-drift',
  label: 'Toy drift (tempered Langevin)',
  description: 'x <- x + h grad log pi(x) + sqrt(2hT) xi: Langevin at temperature T, stationary law pi^(1/T).',
  about: {
    tex: String.raw\`x_i \\leftarrow x_i + h\\,\\nabla \\log \\pi(x_i) + \\sqrt{2hT}\\,\\xi_i, \\qquad \\xi_i \\sim \\mathcal{N}(0, I)\`,
    text: 'Langevin dynamics with its noise scaled by a temperature T: the particles sample π^(1/T), a sharpened π for T < 1 (T = 1 is ULA, T = 0 climbs log π without noise).',
    params: { temperature: 'Temperature T: the noise is √(2hT) ξ; the particles sample π^(1/T).' },
  },
  params: [
    { name: 'temperature', label: 'Temperature T', kind: 'number', default: 0.5, min: 0, max: 1, step: 0.01, description: 'T: noise sqrt(2hT); the stationary law is pi^(1/T)' },
  ],
  createGpu(ctx, run) {
    const evalK = new TargetEval(ctx.device, run.n, ctx.targetShader);
    const kernel = new ToyDriftStep(ctx.device);
    const temperature = readParams(toyDrift.params, run.params).num('temperature');
    let h = run.stepSize;
    const configure = (): void => kernel.configure({ n: run.n, h, seed: run.seed, temperature });
    configure();
    const evalIO = [evalK.bindIO(ctx.pos[0], ctx.scores), evalK.bindIO(ctx.pos[1], ctx.scores)] as const;
    const io = [kernel.bindIO(ctx.pos[0], ctx.scores, ctx.clock), kernel.bindIO(ctx.pos[1], ctx.scores, ctx.clock)] as const;
    return {
      encode(pass, cur, target) {
        evalK.encode(pass, evalIO[cur], target, run.n);
        kernel.encode(pass, io[cur], run.n);
        return cur;
      },
      setStepSize(next) {
        h = next;
        configure();
      },
      destroy() {
        evalK.destroy();
        kernel.destroy();
      },
    };
  },
  createCpu(run) {
    const temperature = readParams(toyDrift.params, run.params).num('temperature');
    let h = run.stepSize;
    return {
      step(x, step, target) {
        toyDriftStep(x, target, { n: run.n, h, seed: run.seed, temperature, step });
        return x;
      },
      setStepSize(next) {
        h = next;
      },
    };
  },
};
`;

// ---------------------------------------------------------------------------------------------------
// The toy target: a ring, a new density with its WGSL and its float64 twin in its own file.

const TOY_RING_TARGET = `/**
 * Toy ring: log pi = -(|x| - r)^2 / w (the proof-of-adding toy of src/cli/adding.proof.test.ts). A new
 * density, all in this file: its WGSL (\`fn target_formula\`, spliced into every module that reads the
 * target: PackedTarget.shader, kind 11 of shaders/common/targets.wgsl) and its float64 twin (evalPoint,
 * which src/reference/targetEval.ts calls first). r and 1/w ride in the target uniform's slot 0.
 */
import { readParams } from '../core/params';
import { emptyPacked, TargetKind } from './pack';
import type { PackedTarget, TargetDef } from './types';

/** (score, logp) at x, with r = tgt.data[0].x and k = 1/w = tgt.data[0].y. */
const WGSL = \`fn target_formula(x: vec2f) -> vec3f {
  let rho = max(length(x), 1e-20);
  let d = rho - tgt.data[0].x;
  let k = tgt.data[0].y;
  return vec3f((-2.0 * k * d / rho) * x, -k * d * d);
}
\`;

/** The twin: [score_x, score_y, logp] at (x, y). */
function ring(r: number, k: number, x: number, y: number): [number, number, number] {
  const rho = Math.max(Math.hypot(x, y), 1e-20);
  const d = rho - r;
  const g = (-2 * k * d) / rho;
  return [g * x, g * y, -k * d * d];
}

export const toyRing: TargetDef = {
  id: 'toy-ring',
  label: 'Toy ring',
  description: 'log p = -(|x| - r)^2 / w + const: a ring of radius r and width w. No exact sampler.',
  about: {
    tex: String.raw\`\\log \\pi(x) = -\\frac{(\\lVert x \\rVert - r)^2}{w} + \\text{const}\`,
    text: 'A ring of radius r: the score points to the circle and vanishes along it.',
    params: { radius: 'Radius r of the ring.', width: 'Width w: the radial variance is w / 2.' },
  },
  params: [
    { name: 'radius', label: 'Radius r', kind: 'number', default: 1.5, min: 0.5, max: 4, step: 0.05, description: 'radius r of the ring' },
    { name: 'width', label: 'Width w', kind: 'number', default: 0.05, min: 0.005, max: 1, step: 0.005, log: true, description: 'width w: log p = -(|x| - r)^2 / w' },
  ],
  create(params) {
    const p = readParams(toyRing.params, params);
    const r = p.num('radius');
    const k = 1 / p.num('width');
    const packed: PackedTarget & { evalPoint(x: number, y: number): [number, number, number] } = {
      ...emptyPacked(TargetKind.formula),
      shader: { key: 'toy-ring', code: WGSL },
      evalPoint: (x, y) => ring(r, k, x, y),
    };
    packed.data[0] = r;
    packed.data[1] = k;
    const e = r + 4 / Math.sqrt(k);
    return {
      id: 'toy-ring',
      params,
      packed,
      view: [-e, e, -e, e],
      logDensity: (x, y) => ring(r, k, x, y)[2],
      score: (x, y) => {
        const [sx, sy] = ring(r, k, x, y);
        return [sx, sy];
      },
    };
  },
};
`;

// ---------------------------------------------------------------------------------------------------
// The toy metric: |mean of the particles|, a GPU reduction (its own WGSL and kernel) and its float64 twin.

const TOY_MEAN_WGSL = `// toyMeanSum: the sum of the first n points, by one workgroup (the toy metric of
// src/cli/adding.proof.test.ts, |mean of the particles|). Each invocation sums a strided share of the
// points, then a tree reduction in workgroup memory; sum[0] = sum_i points[i]. Twin: src/reference/toyMeanSum.ts.

struct ToyMeanParams {
  n: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: ToyMeanParams;
@group(0) @binding(1) var<storage, read> points: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> sum: array<vec2f>;

const WG: u32 = 256u;
var<workgroup> part: array<vec2f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = vec2f(0.0);
  for (var i = lid; i < params.n; i += WG) {
    s += points[i];
  }
  part[lid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k = k / 2u) {
    if (lid < k) {
      part[lid] += part[lid + k];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    sum[0] = part[0];
  }
}
`;

const TOY_MEAN_KERNEL = `/**
 * GPU kernel: the sum of the first n points, one workgroup (shaders/toyMeanSum.wgsl). Twin:
 * src/reference/toyMeanSum.ts. A Kernel (src/kernels/kernel.ts) with its own source, as the toy
 * method's kernel is: src/gpu/ is not edited.
 */
import source from '../../shaders/toyMeanSum.wgsl?raw';
import { Kernel } from './kernel';

export class ToyMeanSum extends Kernel {
  constructor(device: GPUDevice) {
    super(device, { name: 'toyMeanSum', source, uses: [], bindings: ['uniform', 'read-only-storage', 'storage'] });
  }

  configure(n: number): void {
    this.setParams({ n });
  }

  /** points: array<vec2f>; sum: array<vec2f> (sum[0] is written). */
  bindIO(points: GPUBuffer, sum: GPUBuffer): GPUBindGroup {
    return this.bind([points, sum]);
  }

  encode(pass: GPUComputePassEncoder, io: GPUBindGroup): void {
    this.dispatch(pass, io, 1);
  }
}
`;

const TOY_MEAN_TWIN = `/** Float64 twin of shaders/toyMeanSum.wgsl: the sum of the first n points (interleaved x, y). */
export function toyMeanSum(points: Float64Array, n: number): [number, number] {
  let sx = 0, sy = 0;
  for (let i = 0; i < n; i++) {
    sx += points[2 * i] ?? 0;
    sy += points[2 * i + 1] ?? 0;
  }
  return [sx, sy];
}
`;

const TOY_MEAN_METRIC = `/**
 * The toy metric (src/cli/adding.proof.test.ts): |1/N sum_i x_i|, the norm of the particles' mean
 * over all points, plane runs. GPU: toyMeanSum (one workgroup) in the shared pass, the two sums read
 * back and finished in float64; CPU: the twin.
 */
import { ToyMeanSum } from '../kernels/toyMeanSum';
import { toyMeanSum } from '../reference/toyMeanSum';
import type { CpuMetric, GpuMetric, GpuMetricHost, MetricDef } from './types';

function gpuToyMeanNorm(host: GpuMetricHost): GpuMetric {
  const kernel = host.res.track(new ToyMeanSum(host.device));
  const sum = host.res.buffer('toyMeanSum', 16, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
  /** One bind group per measured buffer (a simulation's ping-pong pair), made on first use. */
  const io = new Map<GPUBuffer, GPUBindGroup>();
  return {
    measure: (b) => {
      let bg = io.get(b.points);
      if (!bg) io.set(b.points, (bg = kernel.bindIO(b.points, sum)));
      kernel.configure(b.n);
      kernel.encode(b.pass, bg);
      return b.readBack(sum, 8, (bytes, off) => {
        const s = new Float32Array(bytes, off, 2);
        return { value: Math.hypot(s[0] ?? NaN, s[1] ?? NaN) / b.n };
      });
    },
  };
}

function cpuToyMeanNorm(): CpuMetric {
  return {
    measure: (b) => {
      const [sx, sy] = toyMeanSum(b.points, b.n);
      return Promise.resolve({ value: Math.hypot(sx, sy) / b.n });
    },
  };
}

export const toyMeanNormMetric = {
  id: 'toyMeanNorm',
  label: '|mean|',
  plot: {
    title: 'Norm of the particle mean',
    yTitle: '|mean|',
    what: 'The norm of the mean of all particles, |1/N sum x_i| (the toy metric)',
    yScale: 'linear',
  },
  appliesTo: (f) => f.domain === 'plane' && !f.landscape,
  needsSamples: false,
  gpu: gpuToyMeanNorm,
  cpu: cpuToyMeanNorm,
  status: (read, fmt) => ({ text: \`|mean| \${fmt(read('toyMeanNorm'))}\`, title: 'The norm of the mean of all particles (the toy metric)' }),
} as const satisfies MetricDef;
`;

// ---------------------------------------------------------------------------------------------------
// The steps, as data: new files, and one registration (an import and an entry) per registry.

interface Registration {
  /** The registry file. */
  file: string;
  /** Where the registry's array opens (its first match), e.g. `export const methods: MethodDef[] = [`. */
  opening: RegExp;
  importLine: string;
  entry: string;
}

interface Addition {
  what: string;
  files: Record<string, string>;
  register: Registration;
}

const METHOD: Addition = {
  what: 'method toy-drift',
  files: {
    'shaders/toyDriftStep.wgsl': TOY_DRIFT_WGSL,
    'src/kernels/toyDriftStep.ts': TOY_DRIFT_KERNEL,
    'src/reference/toyDriftStep.ts': TOY_DRIFT_TWIN,
    'src/methods/toyDrift.ts': TOY_DRIFT_METHOD,
  },
  register: { file: 'src/methods/registry.ts', opening: /export const \w+: MethodDef\[\] = \[/, importLine: "import { toyDrift } from './toyDrift';", entry: 'toyDrift' },
};

const TARGET: Addition = {
  what: 'target toy-ring',
  files: { 'src/targets/toyRing.ts': TOY_RING_TARGET },
  register: { file: 'src/targets/registry.ts', opening: /export const \w+: TargetDef\[\] = \[/, importLine: "import { toyRing } from './toyRing';", entry: 'toyRing' },
};

const METRIC: Addition = {
  what: 'metric toyMeanNorm',
  files: {
    'shaders/toyMeanSum.wgsl': TOY_MEAN_WGSL,
    'src/kernels/toyMeanSum.ts': TOY_MEAN_KERNEL,
    'src/reference/toyMeanSum.ts': TOY_MEAN_TWIN,
    'src/metrics/toyMeanNorm.ts': TOY_MEAN_METRIC,
  },
  register: { file: 'src/metrics/registry.ts', opening: /const defs = \[/, importLine: "import { toyMeanNormMetric } from './toyMeanNorm';", entry: 'toyMeanNormMetric' },
};

const ADDITIONS = [METHOD, TARGET, METRIC];

/**
 * The registry step: `importLine` after the file's last import, `entry` as the last element of the
 * array that `opening` opens. Throws, naming the file, when the registry is not in that shape.
 */
function register(text: string, r: Registration): string {
  const lines = text.split('\n');
  let lastImport = -1;
  lines.forEach((l, i) => {
    if (/^import\s.*from\s+'[^']+';\s*$/.test(l)) lastImport = i;
  });
  if (lastImport < 0) throw new Error(`${r.file}: no import line to add '${r.importLine}' after`);
  lines.splice(lastImport + 1, 0, r.importLine);
  const withImport = lines.join('\n');
  const decl = r.opening.exec(withImport);
  if (!decl) throw new Error(`${r.file}: no array ${String(r.opening)} to add '${r.entry}' to`);
  // the matching ']' of the array
  let depth = 0;
  let close = -1;
  for (let i = decl.index + decl[0].length - 1; i < withImport.length; i++) {
    const ch = withImport[i];
    if (ch === '[' || ch === '(' || ch === '{') depth++;
    else if (ch === ']' || ch === ')' || ch === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    }
  }
  if (close < 0) throw new Error(`${r.file}: the array ${String(r.opening)} does not close`);
  const before = withImport.slice(0, close);
  const multiLine = /\n\s*$/.test(before);
  const insert = multiLine ? `  ${r.entry},\n` : `${/\[\s*$/.test(before) ? '' : ', '}${r.entry}`;
  return `${before.replace(/,?(\s*)$/, multiLine ? ',$1' : '$1')}${insert}${withImport.slice(close)}`;
}

/** Every file under `dir` (relative paths), following no links. */
function walk(dir: string, base = dir, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, base, out);
    else out.push(relative(base, p));
  }
  return out;
}

/**
 * The tree's files (over COPIED) as read once, when the copy is made: the copy is written from it and
 * compared with it, so an edit to the working tree while the test runs is neither copied nor reported.
 */
const original = new Map<string, Buffer>();

function snapshot(): void {
  for (const top of COPIED) {
    const p = join(ROOT, top);
    const files = statSync(p).isDirectory() ? walk(p).map((f) => join(top, f)) : [top];
    for (const f of files) original.set(f, readFileSync(join(ROOT, f)));
  }
}

/** Files only in the copy, and files of the snapshot whose bytes the copy changed (or dropped). */
function treeDiff(copy: string): { added: string[]; changed: string[] } {
  const added: string[] = [];
  const changed: string[] = [];
  const ours = new Set<string>();
  for (const top of COPIED) {
    const p = join(copy, top);
    for (const f of statSync(p).isDirectory() ? walk(p).map((g) => join(top, g)) : [top]) ours.add(f);
  }
  for (const f of ours) {
    const before = original.get(f);
    if (!before) added.push(f);
    else if (!before.equals(readFileSync(join(copy, f)))) changed.push(f);
  }
  for (const f of original.keys()) if (!ours.has(f)) changed.push(f);
  return { added: added.sort(), changed: changed.sort() };
}

/** The lines of `after` that are not in `before` (as a multiset), and the number of lines it lost. */
function lineDelta(before: string, after: string): { added: string[]; removed: number } {
  const count = new Map<string, number>();
  for (const l of before.split('\n')) count.set(l, (count.get(l) ?? 0) + 1);
  const added: string[] = [];
  for (const l of after.split('\n')) {
    const c = count.get(l) ?? 0;
    if (c > 0) count.set(l, c - 1);
    else added.push(l);
  }
  return { added, removed: [...count.values()].reduce((s, c) => s + c, 0) };
}

// ---------------------------------------------------------------------------------------------------
// The harness: a driver run in the copy (not a step: it lives under proof/, outside src/).

const RING = { radius: 1.5, width: 0.05 };
const TEMPERATURE = 0.5;
const N = 256;
const STEPS = 60;
const SEED = 11;

const DRIVER = `/** The proof's driver (src/cli/adding.proof.test.ts): the engine on both backends, and a URL round trip. */
import { createBackend } from '../src/engine/backend';
import { manualEngine } from '../src/engine/manualEngine';
import { defaultStepSize } from '../src/engine/defaults';
import type { RunConfig } from '../src/engine/types';
import { encodeHash, DEFAULT_CONFIG } from '../src/state/urlState';
import { readLink } from '../src/state/link';
import { specLookup } from '../src/ui/specs';

export async function main(): Promise<number> {
  const stepSize = defaultStepSize('toy-drift', 'toy-ring');
  const config: RunConfig = {
    method: 'toy-drift', params: { temperature: ${TEMPERATURE} }, target: { id: 'toy-ring', params: ${JSON.stringify(RING)} },
    n: ${N}, stepSize, seed: ${SEED}, init: { kind: 'gaussian', mean: [0, 0], std: 1 },
  };
  const runs: Record<string, unknown> = {};
  for (const kind of ['cpu', 'gpu'] as const) {
    const t0 = performance.now();
    const backend = await createBackend(kind);
    const sim = backend.createSimulation(config);
    const before = Array.from(await sim.positions());
    sim.step(${STEPS});
    await sim.finish();
    const after = Array.from(await sim.positions());
    const stats = await sim.stats();
    const metrics = await sim.metrics();
    runs[kind] = { adapter: backend.info.description, before, after, stats, metrics, ms: performance.now() - t0 };
    sim.destroy();
  }
  // the Engine (the page's driver, frames run by hand, CPU backend): the toy metric's series in its history, what the plots draw
  const { engine, frame } = await manualEngine(config);
  const series = (): unknown[] => ((engine.getSnapshot().history as unknown as Record<string, unknown[] | undefined>).toyMeanNorm ?? []);
  const t1 = performance.now();
  while (series().filter((v) => typeof v === 'number').length < 2 && performance.now() - t1 < 20_000) await frame();
  const history = { step: engine.getSnapshot().history.step, toyMeanNorm: series(), ms: performance.now() - t1 };
  engine.dispose();
  const linked: RunConfig = { ...DEFAULT_CONFIG, method: 'toy-drift', params: { temperature: 0.25 }, target: { id: 'toy-ring', params: { radius: 2, width: 0.1 } }, n: 512, stepSize: 0.003, seed: 5 };
  const hash = encodeHash(linked, specLookup);
  const link = readLink(\`#\${hash}\`, specLookup);
  process.stdout.write(\`\${JSON.stringify({ stepSize, runs, history, url: { linked, hash, config: link.config, errors: link.errors, notes: link.notes } })}\\n\`);
  return 0;
}
`;

interface EngineRun {
  adapter: string;
  before: number[];
  after: number[];
  stats: { mean: number[]; nonFinite: number; step: number };
  metrics: Record<string, unknown>;
  ms: number;
}

interface DriverOut {
  stepSize: number;
  /** The Engine's metric history (the plots' data) of a run of the toy method on the toy target. */
  history: { step: number[]; toyMeanNorm: unknown[]; ms: number };
  runs: { cpu: EngineRun; gpu: EngineRun };
  url: { linked: unknown; hash: string; config: unknown; errors: string[]; notes: string[] };
}

/** The mean and standard deviation of |x| under pi^(1/T) for the ring: radial density rho exp(-(rho - r)^2 / (w T)), by quadrature. */
function ringRadius(r: number, w: number, t: number): { mean: number; sd: number } {
  const s = Math.sqrt((w * t) / 2);
  const lo = Math.max(0, r - 12 * s), hi = r + 12 * s, k = 20_000, d = (hi - lo) / k;
  let z = 0, m1 = 0, m2 = 0;
  for (let i = 0; i <= k; i++) {
    const rho = lo + i * d;
    const f = rho * Math.exp(-((rho - r) ** 2) / (w * t)) * (i === 0 || i === k ? 0.5 : 1);
    z += f;
    m1 += f * rho;
    m2 += f * rho * rho;
  }
  const mean = m1 / z;
  return { mean, sd: Math.sqrt(m2 / z - mean * mean) };
}

function radii(xy: readonly number[]): { mean: number; sd: number } {
  const n = xy.length / 2;
  let m1 = 0, m2 = 0;
  for (let i = 0; i < n; i++) {
    const rho = Math.hypot(xy[2 * i] ?? NaN, xy[2 * i + 1] ?? NaN);
    m1 += rho;
    m2 += rho * rho;
  }
  const mean = m1 / n;
  return { mean, sd: Math.sqrt(m2 / n - mean * mean) };
}

/**
 * The limit of the two slow tests (the driver; the background checks). The whole file takes 15-29 s of
 * CPU (measured); on a 2-core machine loaded 8-fold by other work the driver took up to 77 s.
 */
const SLOW = 240_000;

let copy = '';
const timings: Record<string, number> = {};
const checks: Record<string, Promise<{ code: number | null; out: string }>> = {};

/** A child process in the copy, its output collected; resolves when it exits. */
function background(name: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, args, { cwd: copy });
    let text = '';
    p.stdout.on('data', (d: Buffer) => void (text += d.toString()));
    p.stderr.on('data', (d: Buffer) => void (text += d.toString()));
    p.on('close', (code) => {
      timings[name] = Math.round(performance.now() - t0);
      resolve({ code, out: text });
    });
  });
}

/** Run `node args` in the copy (asynchronously: the background checks' output is read meanwhile). */
async function node(args: string[], timeout = SLOW - 10_000): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  const t0 = performance.now();
  const r = await new Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }>((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd: copy, timeout });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  timings[args.slice(0, 3).join(' ')] = Math.round(performance.now() - t0);
  return r;
}

beforeAll(() => {
  const t0 = performance.now();
  copy = mkdtempSync(join(tmpdir(), 'wgf-adding-'));
  snapshot();
  for (const [f, bytes] of original) {
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    writeFileSync(join(copy, f), bytes);
  }
  for (const p of LINKED) symlinkSync(join(ROOT, p), join(copy, p));
  for (const a of ADDITIONS) {
    for (const [file, text] of Object.entries(a.files)) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      writeFileSync(join(copy, file), text);
    }
    const f = join(copy, a.register.file);
    writeFileSync(f, register(readFileSync(f, 'utf8'), a.register));
  }
  mkdirSync(join(copy, 'proof'));
  writeFileSync(join(copy, 'proof/drive.ts'), DRIVER);
  // the added files and their registries checked as the repo checks its own (tsc strict, eslint, the
  // layer rules), in the background beside the runs
  const added = ADDITIONS.flatMap((a) => Object.keys(a.files).filter((f) => f.endsWith('.ts')));
  const checked = [...added, ...ADDITIONS.map((a) => a.register.file)];
  writeFileSync(join(copy, 'proof/tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', include: checked.map((f) => `../${f}`) }));
  checks.tsc = background('tsc', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'proof/tsconfig.json']);
  checks.eslint = background('eslint', ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', ...checked]);
  checks.depcruise = background('depcruise', ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', '--config', '.dependency-cruiser.cjs', ...added]);
  timings.copy = Math.round(performance.now() - t0);
});

afterAll(() => {
  // PROOF_KEEP=1 keeps the copy, to try the steps by hand
  if (copy && !process.env.PROOF_KEEP) rmSync(copy, { recursive: true, force: true });
  else if (copy) console.log(`adding.proof: the copy is kept at ${copy}`);
  console.log(`adding.proof timings (ms): ${JSON.stringify(timings)}`);
});

describe('adding a method, a target and a metric is their own files plus one registry line each (docs/ADDING.md)', () => {
  it('the steps leave every other file of the tree as it is', () => {
    const { added, changed } = treeDiff(copy);
    expect(added).toEqual(ADDITIONS.flatMap((a) => Object.keys(a.files)).sort());
    // a step that needed an edit outside its own files and its registry would show here
    expect(changed).toEqual(ADDITIONS.map((a) => a.register.file).sort());
    for (const a of ADDITIONS) {
      const d = lineDelta(original.get(a.register.file)?.toString('utf8') ?? '', readFileSync(join(copy, a.register.file), 'utf8'));
      // the import, and the array's line (one line more where the array is one entry per line)
      expect(d.added[0], a.what).toBe(a.register.importLine);
      expect(d.added.slice(1).every((l) => l.includes(a.register.entry)), `${a.what}: ${d.added.join(' | ')}`).toBe(true);
      expect(d.added.length - d.removed, a.what).toBeLessThanOrEqual(2);
      expect(d.added.length - d.removed, a.what).toBeGreaterThanOrEqual(1);
    }
  });

  let out: DriverOut;
  it('the engine runs toy-drift on toy-ring on the CPU and the GPU backend, and the particles reach the ring', async () => {
    const p = await node(['bin/run-ts.mjs', 'proof/drive.ts']);
    expect(p.status, `signal: ${String(p.signal)}, stderr: ${p.stderr}`).toBe(0);
    out = JSON.parse(p.stdout.trim().split('\n').pop() ?? '') as DriverOut;
    // the default step size came from the registry data alone (DEFAULT_STEP_RULE and the ring's curvature)
    expect(out.stepSize).toBeGreaterThan(0);
    expect(out.stepSize).toBeLessThan(RING.width);
    const exact = ringRadius(RING.radius, RING.width, TEMPERATURE);
    for (const kind of ['cpu', 'gpu'] as const) {
      const r = out.runs[kind];
      expect(r.stats.step).toBe(STEPS);
      expect(r.stats.nonFinite).toBe(0);
      const start = radii(r.before), end = radii(r.after);
      console.log(`${kind} (${r.adapter}): h = ${out.stepSize.toPrecision(3)}, mean |x| ${start.mean.toFixed(4)} -> ${end.mean.toFixed(4)} (exact ${exact.mean.toFixed(4)}), sd ${end.sd.toFixed(4)} (exact ${exact.sd.toFixed(4)}), ${Math.round(r.ms)} ms`);
      // N(0, I) starts at mean |x| = sqrt(pi / 2) = 1.2533, far from the ring
      expect(Math.abs(start.mean - exact.mean)).toBeGreaterThan(0.15);
      // 256 particles: the standard error of the mean radius is sd / 16 = 0.007
      expect(Math.abs(end.mean - exact.mean)).toBeLessThan(0.03);
      expect(end.sd).toBeGreaterThan(0.7 * exact.sd);
      expect(end.sd).toBeLessThan(1.4 * exact.sd);
    }
    expect(out.runs.gpu.adapter).not.toBe(out.runs.cpu.adapter);
  }, SLOW);

  it('the toy metric is measured on both backends: |mean of the particles|, as computed here from the positions', () => {
    for (const kind of ['cpu', 'gpu'] as const) {
      const r = out.runs[kind];
      const value = r.metrics.toyMeanNorm;
      expect(typeof value, `${kind}: metrics ${JSON.stringify(r.metrics)}`).toBe('number');
      let sx = 0, sy = 0;
      for (let i = 0; i < N; i++) {
        sx += r.after[2 * i] ?? NaN;
        sy += r.after[2 * i + 1] ?? NaN;
      }
      const exact = Math.hypot(sx, sy) / N;
      console.log(`${kind}: toyMeanNorm ${String(value)} (from the positions: ${exact})`);
      // CPU: float64 on the float32 positions read back (1e-7 relative); GPU: a float32 sum of 256 points
      expect(Math.abs((value as number) - exact)).toBeLessThan(1e-5 * (1 + exact));
    }
  });

  it('the Engine (the page\'s driver) keeps the toy metric\'s series in its history, the data of its plot pane', () => {
    const values = out.history.toyMeanNorm.filter((v): v is number => typeof v === 'number');
    console.log(`Engine history: toyMeanNorm ${values.map((v) => v.toFixed(4)).join(', ')} at steps ${out.history.step.join(', ')} (${Math.round(out.history.ms)} ms)`);
    expect(values.length, JSON.stringify(out.history)).toBeGreaterThanOrEqual(2);
    expect(out.history.toyMeanNorm).toHaveLength(out.history.step.length);
    for (const v of values) expect(Number.isFinite(v) && v >= 0).toBe(true);
  });

  it('the GPU stepper follows its float64 twin particle by particle (same seed, same Philox counters)', () => {
    const a = out.runs.cpu.after, b = out.runs.gpu.after;
    expect(b).toHaveLength(a.length);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
    console.log(`toy-drift GPU vs twin after ${STEPS} steps: max |dx| = ${worst.toExponential(2)}`);
    // f32 vs float64: the normals (Box-Muller) and the score differ by rounding; 60 contracting steps keep it small (7.8e-7 measured)
    expect(worst).toBeLessThan(1e-4);
  });

  it('a link round-trips the toy method, the toy target and their parameters through the one encoder and the one reader', () => {
    expect(out.url.hash).toMatch(/(^|&)method=toy-drift(&|$)/);
    expect(out.url.hash).toMatch(/(^|&)m\.temperature=0\.25(&|$)/);
    expect(out.url.hash).toMatch(/(^|&)target=toy-ring(&|$)/);
    expect(out.url.hash).toMatch(/(^|&)t\.radius=2(&|$)/);
    expect(out.url.errors).toEqual([]);
    expect(out.url.notes).toEqual([]);
    expect(out.url.config).toEqual(out.url.linked);
  });

  it('the added files pass the repo\'s own checks: tsc --noEmit (strict), eslint --max-warnings 0, the layer rules', async () => {
    const tsc = await checks.tsc;
    expect(tsc?.out).toBe('');
    expect(tsc?.code).toBe(0);
    const eslint = await checks.eslint;
    expect(eslint?.out).toBe('');
    expect(eslint?.code).toBe(0);
    const deps = await checks.depcruise;
    expect(deps?.code, deps?.out).toBe(0);
    expect(deps?.out).toMatch(/no dependency violations found/);
  }, SLOW);

  it('wgf list shows the toy method and the toy target with their parameters', async () => {
    const p = await node(['bin/wgf.mjs', 'list', '--json']);
    expect(p.status, `signal: ${String(p.signal)}, stderr: ${p.stderr}`).toBe(0);
    const list = JSON.parse(p.stdout) as { methods: { id: string; params: { name: string }[] }[]; targets: { id: string; params: { name: string }[] }[] };
    expect(list.methods.find((m) => m.id === 'toy-drift')?.params.map((q) => q.name)).toEqual(['temperature']);
    expect(list.targets.find((t) => t.id === 'toy-ring')?.params.map((q) => q.name)).toEqual(['radius', 'width']);
  });

  it('wgf lists and reports the toy metric', async () => {
    const l = await node(['bin/wgf.mjs', 'list', '--json']);
    expect(l.status, `signal: ${String(l.signal)}, stderr: ${l.stderr}`).toBe(0);
    const list = JSON.parse(l.stdout) as { metrics: { id: string; label: string; appliesTo: string }[] };
    expect(list.metrics.map((m) => m.id)).toContain('toyMeanNorm');
    expect(list.metrics.find((m) => m.id === 'toyMeanNorm')).toMatchObject({ label: '|mean|', appliesTo: 'plane, not a landscape' });
    const p = await node(['bin/wgf.mjs', 'run', '--method', 'toy-drift', '--target', 'toy-ring', '--n', '128', '--steps', '40', '--seed', '3']);
    expect(p.status, `signal: ${String(p.signal)}, stderr: ${p.stderr}`).toBe(0);
    const s = JSON.parse(p.stdout.trim().split('\n').pop() ?? '') as { backend: string; metrics: Record<string, number | null> };
    console.log(`wgf run toy-drift on toy-ring (${s.backend}): metrics ${JSON.stringify(s.metrics)}`);
    expect(s.backend).toBe('gpu');
    const v = s.metrics.toyMeanNorm;
    expect(typeof v === 'number' && Number.isFinite(v), JSON.stringify(s.metrics)).toBe(true);
    // 128 points on a ring of radius 1.5 around the origin: the norm of their mean is small, well under the radius
    expect(v ?? NaN).toBeGreaterThanOrEqual(0);
    expect(v ?? NaN).toBeLessThan(0.5);
  });

  it('wgf run --method toy-drift --target toy-ring (GPU backend) exits 0, writes the .npy and prints one JSON line', async () => {
    const file = join(copy, 'proof', 'f.npy');
    const p = await node(['bin/wgf.mjs', 'run', '--method', 'toy-drift', '--target', 'toy-ring', '--param', 'radius=2', '--param', 'temperature=0.25', '--n', '128', '--steps', '40', '--every', '20', '--seed', '3', '--out', file]);
    expect(p.status, `signal: ${String(p.signal)}, stderr: ${p.stderr}`).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const s = JSON.parse(lines[0] ?? '') as { backend: string; method: string; target: string; frames: number; final: { nonFinite: number; mean: number[] } };
    expect(s).toMatchObject({ backend: 'gpu', method: 'toy-drift', target: 'toy-ring', frames: 3, final: { nonFinite: 0 } });
    // .npy: float32 [3, 128, 2]; the last frame sits on the ring of radius 2
    const npy = readFileSync(file);
    const headerLen = npy.readUInt16LE(8);
    const header = npy.subarray(10, 10 + headerLen).toString('latin1');
    expect(header).toContain("'shape': (3, 128, 2)");
    const data = new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + headerLen, npy.byteOffset + npy.byteLength));
    expect(data).toHaveLength(3 * 128 * 2);
    const last = radii(Array.from(data.subarray(2 * 128 * 2)));
    const exact = ringRadius(2, RING.width, 0.25);
    expect(Math.abs(last.mean - exact.mean)).toBeLessThan(0.03);
  });
});
