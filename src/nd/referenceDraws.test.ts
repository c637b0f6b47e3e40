/**
 * Re-checks the shipped reference draws (public/data/nd-reference, made by scripts/nd-reference.ts):
 * shape and coordinate names, diagnostics recomputed from the file (split R-hat <= 1.01, ESS >=
 * 1,000), eight-schools against the exact quadrature of src/nd/eightSchoolsExact.ts, and a short
 * independent HMC run (another seed, metric from the shipped draws) whose means agree with the
 * shipped ones within Monte Carlo error.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ess, meanSd, splitRhat } from './diagnostics';
import { eightSchoolsExact } from './eightSchoolsExact';
import { cholesky, covariance, runHmc } from './hmc';
import { parseReference, referenceChains, REFERENCE_JOBS, type ReferenceDraws } from './referenceDraws';
import { createNdTarget } from './targets';
import { blrPredictive, type BlrTarget } from './targetsBlr';

function load(name: string): ReferenceDraws {
  const dir = new URL('../../public/data/nd-reference/', import.meta.url);
  return parseReference(readFileSync(new URL(`${name}.json`, dir), 'utf8'), new Uint8Array(readFileSync(new URL(`${name}.npy`, dir))));
}

/** 4 standard errors: the chance a correct answer fails one check is ~6e-5. */
const Z = 4;

for (const job of REFERENCE_JOBS) {
  describe(`reference ${job.name}`, () => {
    const ref = load(job.name);
    const t = createNdTarget(job.target, job.params);
    const { d } = ref.info;
    const n = ref.info.chains * ref.info.perChain;

    it('matches its target (d, coordinate names) and its settings', () => {
      expect(d).toBe(t.d);
      expect(ref.info.names).toEqual(t.names);
      expect(ref.info.hmc).toEqual(job.hmc);
      expect(n).toBe(4000);
    });

    it('diagnostics recomputed from the file: split R-hat <= 1.01, ESS >= 1,000, mean/sd as stated', () => {
      const chains = referenceChains(ref);
      const { mean, sd } = meanSd(ref.draws, n, d);
      for (let k = 0; k < d; k++) {
        const r = splitRhat(chains, ref.info.perChain, d, k);
        const e = ess(chains, ref.info.perChain, d, k);
        expect(r, `R-hat ${t.names[k]}`).toBeLessThanOrEqual(1.01);
        expect(e, `ESS ${t.names[k]}`).toBeGreaterThanOrEqual(1000);
        // the file is float32: its mean and sd differ from the float64 ones in the JSON by ~1e-7 relative
        expect(Math.abs((mean[k] ?? 0) - (ref.info.mean[k] ?? 0))).toBeLessThan(1e-5 * (1 + Math.abs(ref.info.mean[k] ?? 0)));
        expect(Math.abs((sd[k] ?? 0) - (ref.info.sd[k] ?? 0))).toBeLessThan(1e-5 * (1 + (ref.info.sd[k] ?? 0)));
      }
    });

    it('a short independent HMC run (seed 7, metric from the shipped draws) agrees within Monte Carlo error', () => {
      const cov = covariance(ref.draws, n, d);
      const r = runHmc(t, { seed: 7, chains: 4, warmup: 0, draws: job.target === 'blr' && d > 10 ? 150 : 400, thin: 1, leapfrog: job.hmc.leapfrog, metric: { m: cov.m, L: cholesky(cov.S, d), eps: ref.info.stepSize } });
      expect(r.acceptance).toBeGreaterThan(0.6);
      for (let k = 0; k < d; k++) {
        const sd = ref.info.sd[k] ?? 1;
        const se = Math.sqrt(sd ** 2 / Math.max(r.ess[k] ?? 1, 1) + sd ** 2 / (ref.info.ess[k] ?? 1));
        const diff = Math.abs((r.mean[k] ?? 0) - (ref.info.mean[k] ?? 0));
        expect(diff, `${t.names[k]}: |${(r.mean[k] ?? 0).toFixed(3)} - ${(ref.info.mean[k] ?? 0).toFixed(3)}| vs ${Z} SE ${se.toFixed(3)}`).toBeLessThan(Z * se);
      }
    });

    if (job.target === 'blr') {
      it('posterior-predictive accuracy and log-likelihood recomputed from the draws', () => {
        const p = blrPredictive(t as BlrTarget, ref.draws, n);
        expect(p.on).toBe('test');
        expect(p.accuracy).toBeCloseTo(ref.info.predictive?.accuracy ?? NaN, 5);
        expect(Math.abs(p.logLik - (ref.info.predictive?.logLik ?? NaN))).toBeLessThan(1e-4);
        // a useful classifier, not chance: log 0.5 = -0.69
        expect(p.accuracy).toBeGreaterThan(0.9);
        expect(p.logLik).toBeGreaterThan(-0.2);
      });
    }

    if (job.target === 'eight-schools') {
      it('mu and log_tau agree with the exact quadrature (and the published mu ~ 4.4, sd ~ 3.3)', () => {
        const ex = eightSchoolsExact();
        expect(ex.muMean).toBeCloseTo(4.4, 1);
        expect(ex.muSd).toBeCloseTo(3.3, 1);
        const [emu = 1, elt = 1] = ref.info.ess;
        const { mean, sd } = meanSd(ref.draws, n, d);
        expect(Math.abs((mean[0] ?? 0) - ex.muMean)).toBeLessThan((Z * ex.muSd) / Math.sqrt(emu));
        expect(Math.abs((sd[0] ?? 0) - ex.muSd)).toBeLessThan((Z * ex.muSd) / Math.sqrt(2 * emu));
        expect(Math.abs((mean[1] ?? 0) - ex.logTauMean)).toBeLessThan((Z * ex.logTauSd) / Math.sqrt(elt));
        expect(Math.abs((sd[1] ?? 0) - ex.logTauSd)).toBeLessThan((Z * ex.logTauSd) / Math.sqrt(2 * elt));
        // tau's median: the fraction of draws below the exact median is 1/2 within binomial error
        let below = 0;
        for (let i = 0; i < n; i++) if (Math.exp(ref.draws[i * d + 1] ?? 0) <= ex.tauMedian) below++;
        expect(Math.abs(below / n - 0.5)).toBeLessThan(Z * Math.sqrt(0.25 / elt));
      });
    }
  });
}

describe('parseReference: bad files are named errors', () => {
  it('wrong shape', () => {
    const dir = new URL('../../public/data/nd-reference/', import.meta.url);
    const npy = new Uint8Array(readFileSync(new URL('blr-iris.npy', dir)));
    const json = readFileSync(new URL('eight-schools.json', dir), 'utf8');
    expect(() => parseReference(json, npy)).toThrow(/reference eight-schools: draws have shape \[4000, 5\], expected \[4000, 10\]/);
  });
});
