/**
 * Makes the reference draws of the d-D targets (issue 19): for each job of
 * src/nd/referenceDraws.ts REFERENCE_JOBS, a seeded float64 HMC run (src/nd/hmc.ts: dense metric
 * from two warm-up stages, 4 chains), thinned to 1,000 draws per chain, written to
 * public/data/nd-reference/<name>.npy (float32 [4000, d], chain-major) and <name>.json
 * (settings, acceptance, step size, split R-hat and ESS per coordinate, mean and sd, blr's
 * held-out predictive accuracy and log-likelihood, eight-schools' tau median and mean).
 *
 *   node bin/run-ts.mjs scripts/nd-reference.ts [name ...]     (default: all jobs)
 *
 * Fails (exit 1) when any R-hat exceeds 1.01 or any ESS is below 1,000.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeNpy } from '../src/io/npy';
import { runHmc } from '../src/nd/hmc';
import { REFERENCE_JOBS, type ReferenceInfo } from '../src/nd/referenceDraws';
import { createNdTarget } from '../src/nd/targets';
import { blrPredictive, type BlrTarget } from '../src/nd/targetsBlr';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../public/data/nd-reference');
const round = (v: number, digits = 6): number => Number(v.toPrecision(digits));

export function main(argv: string[]): number {
  const jobs = argv.length ? REFERENCE_JOBS.filter((j) => argv.includes(j.name)) : REFERENCE_JOBS;
  if (jobs.length === 0) {
    console.error(`nd-reference: no job named ${argv.join(', ')} (have ${REFERENCE_JOBS.map((j) => j.name).join(', ')})`);
    return 2;
  }
  mkdirSync(OUT, { recursive: true });
  let ok = true;
  for (const job of jobs) {
    const t = createNdTarget(job.target, job.params);
    const r = runHmc(t, job.hmc);
    const all = new Float64Array(r.chains.length * r.kept * t.d);
    r.chains.forEach((c, i) => all.set(c, i * r.kept * t.d));
    const info: ReferenceInfo = {
      name: job.name, target: job.target, params: job.params, d: t.d, names: t.names,
      sampler: 'HMC, dense metric (src/nd/hmc.ts), float64',
      hmc: job.hmc, chains: r.chains.length, perChain: r.kept,
      stepSize: round(r.eps), acceptance: round(r.acceptance, 4), gradEvals: r.gradEvals, seconds: round(r.seconds, 3),
      mean: Array.from(r.mean, (v) => round(v)), sd: Array.from(r.sd, (v) => round(v)),
      rhat: Array.from(r.rhat, (v) => round(v, 5)), ess: Array.from(r.ess, (v) => Math.round(v)),
    };
    if (job.target === 'blr') {
      const p = blrPredictive(t as BlrTarget, all, r.chains.length * r.kept);
      info.predictive = { on: p.on, rows: p.rows, accuracy: round(p.accuracy, 6), logLik: round(p.logLik) };
    }
    if (job.target === 'eight-schools') {
      const tau = Array.from({ length: all.length / t.d }, (_, i) => Math.exp(all[i * t.d + 1] ?? 0)).sort((a, b) => a - b);
      const mid = tau.length / 2;
      info.tau = { median: round(((tau[mid - 1] ?? 0) + (tau[mid] ?? 0)) / 2), mean: round(tau.reduce((a, b) => a + b, 0) / tau.length) };
    }
    writeFileSync(resolve(OUT, `${job.name}.npy`), encodeNpy(Float32Array.from(all), [all.length / t.d, t.d]));
    writeFileSync(resolve(OUT, `${job.name}.json`), `${JSON.stringify(info, null, 1)}\n`);
    const maxR = Math.max(...info.rhat), minEss = Math.min(...info.ess);
    const good = maxR <= 1.01 && minEss >= 1000;
    ok &&= good;
    console.log(`${job.name}: d=${t.d} accept ${info.acceptance} eps ${info.stepSize} max R-hat ${maxR} min ESS ${minEss} (${r.seconds.toFixed(1)} s)${info.predictive ? ` held-out accuracy ${info.predictive.accuracy} log-lik ${info.predictive.logLik}` : ''}${info.tau ? ` tau median ${info.tau.median} mean ${info.tau.mean}` : ''}${good ? '' : '  <- FAILS the R-hat/ESS bar'}`);
  }
  return ok ? 0 : 1;
}
