/**
 * The CLI on energy landscapes (issue 10): `wgf run --target double-well --method wsfn --n 64
 * --steps 60 --param lambda=0.5 --out x.npy` and its result line's final.energy / gradNorm / minEig
 * (the method's readouts). Exact answers from the saddle (CPU backend, N = 64, seed 0): wsfn reaches
 * F < 1e-6, w-newton stays at F = 1/4 with the smallest eigenvalue -1. On the GPU backend jko runs
 * its float64 twin on the host, and the result line says so.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../io/npy';
import { main, type RunSummary } from './main';

const dir = mkdtempSync(join(tmpdir(), 'wgf-landscape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function wgf(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

const summary = (out: string): RunSummary => JSON.parse(out.trim()) as RunSummary;

describe('wgf run on energy landscapes', () => {
  it('a run that explodes below the NaN threshold exits 3 naming why (issue 21 item 3: attract-repel, wgd, h = 0.2)', async () => {
    const r = await wgf('run', '--backend', 'cpu', '--target', 'attract-repel', '--method', 'wgd', '--n', '1024', '--steps', '10', '--step-size', '0.2');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/diverged/);
    const s = summary(r.out);
    expect(s.final.nonFinite).toBe(0);
    expect(s.diverged).toMatch(/box|energy|gradient/);
    // the same pair at its own default step size (0.02) runs and F falls
    const ok = await wgf('run', '--backend', 'cpu', '--target', 'attract-repel', '--method', 'wgd', '--n', '256', '--steps', '40');
    expect(ok.code).toBe(0);
    expect(summary(ok.out).diverged).toBeUndefined();
  });

  it('wsfn from the saddle reaches F < 1e-6; the result line has final.energy, gradNorm, minEig; the .npy has the frames', async () => {
    const file = join(dir, 'x.npy');
    const r = await wgf('run', '--backend', 'cpu', '--target', 'double-well', '--method', 'wsfn', '--n', '64', '--steps', '60', '--every', '10', '--param', 'lambda=0.5', '--out', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = summary(r.out);
    expect(s).toMatchObject({ backend: 'cpu', method: 'wsfn', target: 'double-well', n: 64, steps: 60, frames: 7 });
    expect(s.stepper).toBeUndefined();
    expect(s.final.energy).toBeLessThan(1e-6);
    expect(s.final.gradNorm).toBeGreaterThanOrEqual(0);
    expect(s.final.minEig).toBeGreaterThan(0.9);
    expect(decodeNpy(readFileSync(file)).shape).toEqual([7, 64, 2]);
    // the default init of the double well: next to the saddle, x1 ~ 0.01 N(0,1)
    const x0 = decodeNpy(readFileSync(file)).data.subarray(0, 128);
    expect(Math.max(...Array.from({ length: 64 }, (_, i) => Math.abs(x0[2 * i] ?? NaN)))).toBeLessThan(0.05);
  });

  it('w-newton is attracted to the saddle: final.energy = 0.25, final.minEig = -1', async () => {
    const r = await wgf('run', '--backend', 'cpu', '--target', 'double-well', '--method', 'w-newton', '--n', '64', '--steps', '30');
    expect(r.code).toBe(0);
    const s = summary(r.out);
    expect(Math.abs((s.final.energy as number) - 0.25)).toBeLessThan(1e-9);
    expect(Math.abs((s.final.minEig as number) + 1)).toBeLessThan(1e-6);
  });

  it('refuses a density method on a landscape and a landscape method on a density (exit 2, one line)', async () => {
    const a = await wgf('run', '--backend', 'cpu', '--target', 'double-well', '--method', 'svgd', '--n', '16', '--steps', '1');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/energy landscape/);
    const b = await wgf('run', '--backend', 'cpu', '--target', 'banana', '--method', 'wsfn', '--n', '16', '--steps', '1');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/landscape target/);
  });

  it('wgf list names the landscape targets and methods', async () => {
    const r = await wgf('list');
    expect(r.code).toBe(0);
    for (const id of ['double-well', 'attract-repel', 'quadratic', 'wgd', 'wgd-perturbed', 'w-newton', 'wsfn', 'jko']) expect(r.out).toContain(id);
  });

  it('GPU backend: wgd runs in WGSL; jko runs its twin on the host and the result line says so', async () => {
    const w = await wgf('run', '--backend', 'gpu', '--target', 'double-well', '--method', 'wgd', '--n', '64', '--steps', '5');
    expect(w.code, w.err).toBe(0);
    expect(summary(w.out).stepper).toBeUndefined();
    expect(summary(w.out).final.energy).toBeLessThan(0.9);
    const j = await wgf('run', '--backend', 'gpu', '--target', 'double-well', '--method', 'jko', '--n', '32', '--steps', '3', '--param', 'c=2');
    expect(j.code, j.err).toBe(0);
    const s = summary(j.out);
    expect(s.stepper).toBe('cpu (float64 twin on the host)');
    expect(s.final.innerResidual).toBeLessThan(1e-6);
  });
});
