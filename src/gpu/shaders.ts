/**
 * The one WGSL registry: every kernel's source is its own .wgsl file (loaded with ?raw), prefixed by
 * the shaders/common pieces it declares, joined by plain concatenation. No WGSL from templates.
 */
import trig from '../../shaders/common/trig.wgsl?raw';
import philox from '../../shaders/common/philox.wgsl?raw';
import targets from '../../shaders/common/targets.wgsl?raw';
import fourier from '../../shaders/common/fourier.wgsl?raw';
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
import distRows from '../../shaders/distRows.wgsl?raw';
import clockTick from '../../shaders/clockTick.wgsl?raw';
import philoxWords from '../../shaders/philoxWords.wgsl?raw';
import gwgStep from '../../shaders/gwgStep.wgsl?raw';
import gwgAdapt from '../../shaders/gwgAdapt.wgsl?raw';
import mmdFlowStep from '../../shaders/mmdFlowStep.wgsl?raw';
import mmdRows from '../../shaders/mmdRows.wgsl?raw';
import sinkhornSoftmin from '../../shaders/sinkhornSoftmin.wgsl?raw';
import sinkhornBarycenter from '../../shaders/sinkhornBarycenter.wgsl?raw';
import sinkhornReduce from '../../shaders/sinkhornReduce.wgsl?raw';

const common = { trig, philox, targets, fourier } as const;
export type CommonName = keyof typeof common;
/** What each common piece calls in another (prepended before it, once). */
const commonDeps: Record<CommonName, CommonName[]> = { trig: [], philox: ['trig'], targets: ['trig'], fourier: ['trig'] };

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
  distRows: { source: distRows, uses: [] },
  clockTick: { source: clockTick, uses: [] },
  philoxWords: { source: philoxWords, uses: ['philox'] },
  gwgStep: { source: gwgStep, uses: [] },
  gwgAdapt: { source: gwgAdapt, uses: [] },
  mmdFlowStep: { source: mmdFlowStep, uses: [] },
  mmdRows: { source: mmdRows, uses: [] },
  sinkhornSoftmin: { source: sinkhornSoftmin, uses: [] },
  sinkhornBarycenter: { source: sinkhornBarycenter, uses: [] },
  sinkhornReduce: { source: sinkhornReduce, uses: [] },
} satisfies Record<string, { source: string; uses: CommonName[] }>;

export type KernelName = keyof typeof kernels;

export function shaderCode(name: KernelName): string {
  const k = kernels[name];
  return `${commonPrelude(k.uses)}\n${k.source}`;
}

const moduleCache = new WeakMap<GPUDevice, Map<KernelName, GPUShaderModule>>();

/** Shader modules are compiled once per device. */
export function shaderModule(device: GPUDevice, name: KernelName): GPUShaderModule {
  let m = moduleCache.get(device);
  if (!m) moduleCache.set(device, (m = new Map()));
  let mod = m.get(name);
  if (!mod) {
    mod = device.createShaderModule({ label: `${name}.wgsl`, code: shaderCode(name) });
    m.set(name, mod);
  }
  return mod;
}
