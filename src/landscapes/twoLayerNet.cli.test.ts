/**
 * The CLI on two-layer-net: `wgf run --target two-layer-net --method wsfn --n 64 --steps 60 --param
 * lambda=0.5` prints final.energy, final.gradNorm and final.minEig (CPU twin, seed 0; the GPU backend
 * gave the same F to 7 digits, 0.0022028, by hand); wgd at the landscape's default step (h = 2) lowers F.
 */
import { describe, expect, it } from 'vitest';
import { main, type RunSummary } from '../cli/main';
import { landscapeEnergy } from '../reference/landscapeGrad';
import { createLandscape, landscapes } from './presets';

async function wgf(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}
const summary = (out: string): RunSummary => JSON.parse(out.trim()) as RunSummary;

describe('wgf run --target two-layer-net', () => {
  // F at the default init (N(0, I) neurons, N = 64, seed 0): the CLI's start
  const F0 = landscapeEnergy(createLandscape('two-layer-net'), landscapes['two-layer-net'].init(64, 0), 64);

  it('wsfn --n 64 --steps 60 --param lambda=0.5: final.energy below F0 / 10, gradNorm, minEig (a Ritz value) in the result line', async () => {
    const r = await wgf('run', '--backend', 'cpu', '--target', 'two-layer-net', '--method', 'wsfn', '--n', '64', '--steps', '60', '--param', 'lambda=0.5');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = summary(r.out);
    expect(s).toMatchObject({ backend: 'cpu', method: 'wsfn', target: 'two-layer-net', n: 64, steps: 60 });
    // measured: F0 = 0.0661 -> 0.0022 (seed 0)
    expect(s.final.energy).toBeLessThan(F0 / 10);
    expect(s.final.energy).toBeGreaterThan(0);
    expect(s.final.gradNorm).toBeGreaterThan(0);
    // the net's Hessian is nearly singular along the trajectory (over-parametrised): |minEig| small
    const minEig = s.final.minEig;
    expect(typeof minEig).toBe('number');
    expect(Math.abs(Number(minEig))).toBeLessThan(0.2);
  });

  it('wgd at the default step (h = 2 on this landscape) lowers F over 100 steps', async () => {
    const r = await wgf('run', '--backend', 'cpu', '--target', 'two-layer-net', '--method', 'wgd', '--n', '64', '--steps', '100');
    expect(r.code, r.err).toBe(0);
    expect(summary(r.out).final.energy).toBeLessThan(F0 / 10);
  });
});
