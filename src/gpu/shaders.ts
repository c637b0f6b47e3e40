/**
 * The one WGSL registry: every kernel's source is its own .wgsl file (loaded with ?raw), prefixed by
 * the shaders/common pieces it declares, joined by plain concatenation. No WGSL from templates.
 * Two namespaces: compute kernels (shaders/*.wgsl, `shaderCode` / `shaderModule`) and render
 * shaders with vertex + fragment entry points (shaders/render/*.wgsl, `renderShaderCode` /
 * `renderShaderModule`); both are compiled once per device.
 *
 * Targets made per target (the formula target, kind 11 of shaders/common/targets.wgsl): a module
 * that reads the target ends with `fn target_formula`, the stub of
 * shaders/common/targetFormulaStub.wgsl by default, or a `TargetShader`'s code (made from the
 * formula's IR by src/formula/, never from the user's text) when one is given; such modules are
 * cached per (kernel, TargetShader.key), so a parameter change (a uniform write) recompiles
 * nothing and a formula with the same structure reuses its module.
 */
import trig from '../../shaders/common/trig.wgsl?raw';
import philox from '../../shaders/common/philox.wgsl?raw';
import targets from '../../shaders/common/targets.wgsl?raw';
import fourier from '../../shaders/common/fourier.wgsl?raw';
import schedule from '../../shaders/common/schedule.wgsl?raw';
import landscapes from '../../shaders/common/landscapes.wgsl?raw';
import ramp from '../../shaders/common/ramp.wgsl?raw';
import targetFormulaStub from '../../shaders/common/targetFormulaStub.wgsl?raw';
import landscapeFormulaStub from '../../shaders/common/landscapeFormulaStub.wgsl?raw';
import type { TargetShader } from '../core/packed';
import landscapeGrad from '../../shaders/landscapeGrad.wgsl?raw';
import landscapeHvp from '../../shaders/landscapeHvp.wgsl?raw';
import lanczosVec from '../../shaders/lanczosVec.wgsl?raw';
import targetEval from '../../shaders/targetEval.wgsl?raw';
import langevinStep from '../../shaders/langevinStep.wgsl?raw';
import svgdStep from '../../shaders/svgdStep.wgsl?raw';
import torusDft from '../../shaders/torusDft.wgsl?raw';
import torusSynth from '../../shaders/torusSynth.wgsl?raw';
import pmDeposit from '../../shaders/pmDeposit.wgsl?raw';
import fft from '../../shaders/fft.wgsl?raw';
import pmMultiply from '../../shaders/pmMultiply.wgsl?raw';
import pmInterp from '../../shaders/pmInterp.wgsl?raw';
import medianBandwidth from '../../shaders/medianBandwidth.wgsl?raw';
import particleStats from '../../shaders/particleStats.wgsl?raw';
import ksdRows from '../../shaders/ksdRows.wgsl?raw';
import clockTick from '../../shaders/clockTick.wgsl?raw';
import philoxWords from '../../shaders/philoxWords.wgsl?raw';
import gwgStep from '../../shaders/gwgStep.wgsl?raw';
import gwgAdapt from '../../shaders/gwgAdapt.wgsl?raw';
import mmdFlowStep from '../../shaders/mmdFlowStep.wgsl?raw';
import mmdRows from '../../shaders/mmdRows.wgsl?raw';
import sinkhornSoftmin from '../../shaders/sinkhornSoftmin.wgsl?raw';
import sinkhornBarycenter from '../../shaders/sinkhornBarycenter.wgsl?raw';
import sinkhornReduce from '../../shaders/sinkhornReduce.wgsl?raw';
import renderDensity from '../../shaders/render/density.wgsl?raw';
import renderParticles from '../../shaders/render/particles.wgsl?raw';
import renderBlit from '../../shaders/render/blit.wgsl?raw';
import renderMotion from '../../shaders/render/motion.wgsl?raw';
import renderLandscape from '../../shaders/render/landscape.wgsl?raw';

const common = { trig, philox, targets, fourier, schedule, landscapes, ramp } as const;
export type CommonName = keyof typeof common;
/** What each common piece calls in another (prepended before it, once). */
const commonDeps: Record<CommonName, CommonName[]> = { trig: [], philox: ['trig'], targets: ['trig'], fourier: ['trig'], schedule: [], landscapes: [], ramp: [] };

/** The common pieces `uses` needs, dependencies first, each once, joined. */
export function commonPrelude(uses: readonly CommonName[]): string {
  const order: CommonName[] = [];
  const visit = (u: CommonName): void => {
    if (order.includes(u)) return;
    for (const d of commonDeps[u]) visit(d);
    order.push(u);
  };
  uses.forEach(visit);
  return order.map((u) => common[u]).join('\n');
}

const kernels = {
  targetEval: { source: targetEval, uses: ['targets'] },
  langevinStep: { source: langevinStep, uses: ['philox', 'targets'] },
  svgdStep: { source: svgdStep, uses: [] },
  torusDft: { source: torusDft, uses: ['fourier'] },
  torusSynth: { source: torusSynth, uses: ['fourier'] },
  pmDeposit: { source: pmDeposit, uses: [] },
  fft: { source: fft, uses: ['fourier'] },
  pmMultiply: { source: pmMultiply, uses: ['fourier'] },
  pmInterp: { source: pmInterp, uses: ['fourier'] },
  medianBandwidth: { source: medianBandwidth, uses: [] },
  particleStats: { source: particleStats, uses: [] },
  ksdRows: { source: ksdRows, uses: [] },
  clockTick: { source: clockTick, uses: [] },
  philoxWords: { source: philoxWords, uses: ['philox'] },
  gwgStep: { source: gwgStep, uses: [] },
  gwgAdapt: { source: gwgAdapt, uses: [] },
  mmdFlowStep: { source: mmdFlowStep, uses: [] },
  mmdRows: { source: mmdRows, uses: [] },
  sinkhornSoftmin: { source: sinkhornSoftmin, uses: ['schedule'] },
  sinkhornBarycenter: { source: sinkhornBarycenter, uses: ['schedule'] },
  sinkhornReduce: { source: sinkhornReduce, uses: ['schedule'] },
  landscapeGrad: { source: landscapeGrad, uses: ['landscapes'] },
  landscapeHvp: { source: landscapeHvp, uses: ['landscapes'] },
  lanczosVec: { source: lanczosVec, uses: [] },
} satisfies Record<string, { source: string; uses: CommonName[] }>;

export type KernelName = keyof typeof kernels;

/**
 * A kernel's WGSL given by the kernel's own file (its `?raw` import and the common pieces it uses)
 * instead of a row of the table above: a new kernel needs no edit here. Its module is cached like a
 * table kernel's (per device, name and TargetShader.key); the name must be new and name one source.
 */
export interface KernelSource {
  readonly name: string;
  readonly source: string;
  readonly uses: readonly CommonName[];
}

/** A table kernel's name, or a kernel's own source. */
export type KernelRef = KernelName | KernelSource;

/** The source each own-source kernel name was first given with (a second, different source under one name is refused). */
const ownSources = new Map<string, string>();

function resolveKernel(ref: KernelRef): KernelSource {
  if (typeof ref === 'string') {
    const k = kernels[ref] as { source: string; uses: readonly CommonName[] } | undefined;
    if (!k) throw new Error(`no kernel '${String(ref)}' in src/gpu/shaders.ts (a kernel of its own passes { name, source, uses })`);
    return { name: ref, source: k.source, uses: k.uses };
  }
  if (Object.hasOwn(kernels, ref.name)) throw new Error(`${ref.name}: a kernel with its own source cannot take the name of a kernel of src/gpu/shaders.ts`);
  const seen = ownSources.get(ref.name);
  if (seen === undefined) ownSources.set(ref.name, ref.source);
  else if (seen !== ref.source) throw new Error(`${ref.name}: another kernel was already built under this name with a different source`);
  return ref;
}

/** The name of a table kernel or of an own-source kernel. */
export const kernelRefName = (ref: KernelRef): string => (typeof ref === 'string' ? ref : ref.name);

/** Render shaders (vertex + fragment); the density evaluates the same target_logp as the kernels. */
const renderShaders = {
  density: { source: renderDensity, uses: ['targets', 'ramp'] },
  particles: { source: renderParticles, uses: [] },
  blit: { source: renderBlit, uses: [] },
  motion: { source: renderMotion, uses: [] },
  landscape: { source: renderLandscape, uses: ['landscapes', 'ramp'] },
} satisfies Record<string, { source: string; uses: CommonName[] }>;

export type RenderShaderName = keyof typeof renderShaders;

export const kernelNames = Object.keys(kernels) as KernelName[];
export const renderShaderNames = Object.keys(renderShaders) as RenderShaderName[];

/** Whether a module with these common pieces splices `target`'s code (a density's into 'targets', a landscape's into 'landscapes'). */
function takes(uses: readonly CommonName[], target: TargetShader): boolean {
  return uses.includes(target.landscape ? 'landscapes' : 'targets');
}

/** The pieces after the common prelude of a module that reads the target or a landscape: the formula functions (or their stubs). */
function targetTail(uses: readonly CommonName[], target: TargetShader | undefined): string {
  const t = target && takes(uses, target) ? target : undefined;
  let tail = '';
  if (uses.includes('targets')) tail += `${t && !t.landscape ? t.code : targetFormulaStub}\n`;
  if (uses.includes('landscapes')) tail += `${t?.landscape ? t.code : landscapeFormulaStub}\n`;
  return tail;
}

/** The key suffix of a module built for `target` ('' for the stubs). */
function targetKey(uses: readonly CommonName[], target: TargetShader | undefined): string {
  return target && takes(uses, target) ? `:target=${target.key}` : '';
}

/** Whether kernel `name` reads what `target` defines (the target for a density's code, a landscape for a landscape's). */
export function kernelReadsTarget(name: KernelRef, target: TargetShader): boolean {
  return takes(resolveKernel(name).uses, target);
}

/** A kernel's WGSL; with `target`, the module of that per-target WGSL (see the header). */
export function shaderCode(name: KernelRef, target?: TargetShader): string {
  const k = resolveKernel(name);
  return `${commonPrelude(k.uses)}\n${targetTail(k.uses, target)}${k.source}`;
}

export function renderShaderCode(name: RenderShaderName, target?: TargetShader): string {
  const r = renderShaders[name];
  return `${commonPrelude(r.uses)}\n${targetTail(r.uses, target)}${r.source}`;
}

const moduleCache = new WeakMap<GPUDevice, Map<string, GPUShaderModule>>();

function cachedModule(device: GPUDevice, key: string, label: string, code: () => string): GPUShaderModule {
  let m = moduleCache.get(device);
  if (!m) moduleCache.set(device, (m = new Map()));
  let mod = m.get(key);
  if (!mod) {
    mod = device.createShaderModule({ label, code: code() });
    m.set(key, mod);
  }
  return mod;
}

/** Compute shader modules are compiled once per device (and per TargetShader.key for kernels that read the target). */
export function shaderModule(device: GPUDevice, name: KernelRef, target?: TargetShader): GPUShaderModule {
  const k = resolveKernel(name);
  const t = targetKey(k.uses, target);
  return cachedModule(device, `kernel:${k.name}${t}`, `${k.name}.wgsl${t}`, () => shaderCode(name, target));
}

/** Render shader modules (shaders/render/<name>.wgsl), compiled once per device (and per TargetShader.key). */
export function renderShaderModule(device: GPUDevice, name: RenderShaderName, target?: TargetShader): GPUShaderModule {
  const t = targetKey(renderShaders[name].uses, target);
  return cachedModule(device, `render:${name}${t}`, `render/${name}.wgsl${t}`, () => renderShaderCode(name, target));
}
