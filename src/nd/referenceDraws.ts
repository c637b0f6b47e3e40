/**
 * The shipped reference draws of the d-D targets without exact moments (issue 19): made by
 * scripts/nd-reference.ts with the seeded float64 HMC of src/nd/hmc.ts, stored as
 * public/data/nd-reference/<name>.npy (float32 [draws, d], chain-major: chain c's draws are rows
 * c * perChain .. (c + 1) * perChain - 1) beside <name>.json (what was run and its diagnostics).
 * Re-checked by src/nd/referenceDraws.test.ts.
 */
import { decodeNpy } from '../io/npy';
import type { HmcOptions } from './hmc';

export interface ReferenceJob {
  /** File stem under public/data/nd-reference/. */
  name: string;
  target: string;
  params: Record<string, string>;
  hmc: Omit<HmcOptions, 'init' | 'metric'>;
}

/** The runs the script makes: 4 chains, 1,000 kept draws each (4,000 in all). */
export const REFERENCE_JOBS: ReferenceJob[] = [
  { name: 'eight-schools', target: 'eight-schools', params: {}, hmc: { seed: 19, chains: 4, warmup: 4000, draws: 10000, thin: 10, leapfrog: 10 } },
  { name: 'blr-breast-cancer', target: 'blr', params: { data: 'breast-cancer' }, hmc: { seed: 19, chains: 4, warmup: 2000, draws: 10000, thin: 10, leapfrog: 12 } },
  { name: 'blr-iris', target: 'blr', params: { data: 'iris' }, hmc: { seed: 19, chains: 4, warmup: 2000, draws: 4000, thin: 4, leapfrog: 10 } },
];

export interface ReferenceInfo {
  name: string;
  target: string;
  params: Record<string, string>;
  d: number;
  names: string[];
  sampler: string;
  hmc: ReferenceJob['hmc'];
  chains: number;
  perChain: number;
  stepSize: number;
  acceptance: number;
  gradEvals: number;
  seconds: number;
  /** Over the kept draws (float64, before rounding to float32). */
  mean: number[];
  sd: number[];
  rhat: number[];
  ess: number[];
  /** blr: posterior-predictive accuracy and mean log-likelihood on the held-out rows. */
  predictive?: { on: string; rows: number; accuracy: number; logLik: number };
  /** eight-schools: the median and mean of tau = exp(log_tau). */
  tau?: { median: number; mean: number };
}

export interface ReferenceDraws {
  info: ReferenceInfo;
  /** float64 copy of the float32 draws, (chains * perChain) x d. */
  draws: Float64Array;
}

/** Parse a reference (the .json text and the .npy bytes); throws naming what is inconsistent. */
export function parseReference(json: string, npy: Uint8Array): ReferenceDraws {
  const info = JSON.parse(json) as ReferenceInfo;
  const arr = decodeNpy(npy);
  const [rows, d] = arr.shape;
  if (arr.shape.length !== 2 || d !== info.d || rows !== info.chains * info.perChain) {
    throw new Error(`reference ${info.name}: draws have shape [${arr.shape.join(', ')}], expected [${info.chains * info.perChain}, ${info.d}]`);
  }
  return { info, draws: Float64Array.from(arr.data) };
}

/** Split chain-major draws into per-chain arrays (for R-hat / ESS). */
export function referenceChains(r: ReferenceDraws): Float64Array[] {
  const { chains, perChain, d } = r.info;
  return Array.from({ length: chains }, (_, c) => r.draws.slice(c * perChain * d, (c + 1) * perChain * d));
}
