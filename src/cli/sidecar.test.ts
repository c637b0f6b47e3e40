/**
 * `wgf run --out traj.npy` writes traj.steps.json beside it (issue 22 item 9): the step of each frame
 * (0, K, 2K, ...; fewer when interrupted) and the same meta as the .json output. Other formats write
 * no sidecar (their steps are in the file).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../io/npy';
import { decodeNpySidecar } from '../io/npySidecar';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'wgf-sidecar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function wgf(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

describe('wgf run --out FILE.npy: the steps sidecar', () => {
  it('says the step of each frame and carries the .json meta', async () => {
    const file = join(dir, 'traj.npy');
    const r = await wgf('run', '--backend', 'cpu', '--method', 'langevin', '--target', 'gaussian', '--n', '16', '--steps', '7', '--every', '3', '--seed', '2', '--out', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const npy = decodeNpy(readFileSync(file));
    const side = decodeNpySidecar(readFileSync(join(dir, 'traj.steps.json'), 'utf8'));
    expect(npy.shape).toEqual([3, 16, 2]);
    expect(side).toMatchObject({ npy: 'traj.npy', shape: [3, 16, 2], steps: [0, 3, 6] });
    expect(side.meta).toMatchObject({ method: 'langevin', target: 'gaussian', n: 16, steps: 7, every: 3, seed: 2, backend: 'cpu' });

    // the .json output of the same run: the same steps and meta
    const json = join(dir, 'traj.json');
    expect((await wgf('run', '--backend', 'cpu', '--method', 'langevin', '--target', 'gaussian', '--n', '16', '--steps', '7', '--every', '3', '--seed', '2', '--out', json)).code).toBe(0);
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { meta: Record<string, unknown>; steps: number[] };
    expect(side.steps).toEqual(parsed.steps);
    expect(Object.keys(side.meta)).toEqual(Object.keys(parsed.meta));
    expect(existsSync(join(dir, 'traj.json.steps.json'))).toBe(false);
  });
});
