/**
 * The .npy trajectory's steps sidecar (issue 22 item 9): written beside the .npy, read back here and
 * by numpy + json in python3 (required, as in io.test.ts: scripts/test.sh installs python3-numpy;
 * without it this test fails, it does not skip), and bad sidecars refused with named messages.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drainChunks, joinBytes } from './chunks';
import { decodeNpy } from './npy';
import { decodeNpySidecar, encodeNpySidecar, npySidecarName } from './npySidecar';
import { trajectoryChunks } from './trajectory';

/** A late recording's trajectory: the step-0 frame, then frames at 30, 35, 40 (n particles). */
function lateTrajectory(n: number): { frames: Float32Array; steps: number[] } {
  const steps = [0, 30, 35, 40];
  const frames = new Float32Array(steps.length * n * 2);
  for (let f = 0; f < steps.length; f++) for (let i = 0; i < 2 * n; i++) frames[f * 2 * n + i] = Math.fround((steps[f] ?? 0) + i / 8);
  return { frames, steps };
}

const meta = { config: { method: 'svgd', target: { id: 'banana', params: {} }, n: 3 }, backend: { kind: 'cpu' }, n: 3, frames: 4, recordEvery: 5 };

describe('npy steps sidecar', () => {
  it('names the sidecar after the .npy', () => {
    expect(npySidecarName('wgf-svgd-banana-n4096-12frames.npy')).toBe('wgf-svgd-banana-n4096-12frames.steps.json');
    expect(npySidecarName('/tmp/out/traj.NPY')).toBe('/tmp/out/traj.steps.json');
    expect(npySidecarName('traj')).toBe('traj.steps.json');
  });

  it('reads back: one step per frame of the .npy, the meta and the file name', async () => {
    const n = 3;
    const { frames, steps } = lateTrajectory(n);
    const npy = decodeNpy(joinBytes(await drainChunks(trajectoryChunks('npy', frames, steps, n, meta))));
    const side = decodeNpySidecar(encodeNpySidecar('/some/dir/traj.npy', meta, steps, n));
    expect(side).toEqual({ npy: 'traj.npy', shape: [4, 3, 2], meta, steps: [0, 30, 35, 40] });
    expect(npy.shape).toEqual(side.shape);
    // frame f of the .npy is the state after steps[f] steps
    expect(npy.data[side.steps.indexOf(35) * n * 2]).toBe(35);
  });

  it('refuses bad sidecars and bad steps with named messages', () => {
    expect(() => decodeNpySidecar('{')).toThrow(/steps sidecar: not JSON/);
    expect(() => decodeNpySidecar('[1]')).toThrow(/expected an object/);
    expect(() => decodeNpySidecar('{"npy":"a.npy","shape":[2,3,2],"steps":[0]}')).toThrow(/1 steps for 2 frames/);
    expect(() => decodeNpySidecar('{"npy":"a.npy","shape":[1,3],"steps":[0]}')).toThrow(/"shape" must be \[frames, n, 2\]/);
    expect(() => decodeNpySidecar('{"npy":"a.npy","shape":[1,3,2],"steps":[-1]}')).toThrow(/steps\[0\] must be a non-negative integer, got -1/);
    expect(() => decodeNpySidecar('{"shape":[1,3,2],"steps":[0]}')).toThrow(/"npy" must be/);
    expect(() => encodeNpySidecar('a.npy', {}, [0, 1.5], 3)).toThrow(/steps\[1\] must be a non-negative integer, got 1.5/);
    expect(() => encodeNpySidecar('a.npy', {}, [0], -1)).toThrow(/particle count/);
  });

  it('numpy + json read the pair: frames = len(steps), frame k is the state after steps[k]', async () => {
    const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    expect(
      probe.status,
      `python3 with numpy is required for this test (Debian: apt-get install python3-numpy; scripts/test.sh installs it): ${probe.error?.message ?? probe.stderr.trim()}`,
    ).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'wgf-sidecar-'));
    try {
      const n = 3;
      const { frames, steps } = lateTrajectory(n);
      const npy = join(dir, 'traj.npy');
      writeFileSync(npy, joinBytes(await drainChunks(trajectoryChunks('npy', frames, steps, n, meta))));
      writeFileSync(npySidecarName(npy), encodeNpySidecar(npy, meta, steps, n));
      const script = [
        'import numpy as np, sys, json, os',
        'x = np.load(sys.argv[1])',
        "side = json.load(open(sys.argv[1][:-len('.npy')] + '.steps.json'))",
        "assert side['npy'] == os.path.basename(sys.argv[1])",
        "print(json.dumps({'shape': list(x.shape), 'steps': side['steps'], 'method': side['meta']['config']['method'], 'at35': [float(v) for v in x[side['steps'].index(35)][0]]}))",
      ].join('\n');
      const out = JSON.parse(execFileSync('python3', ['-c', script, npy], { encoding: 'utf8' })) as { shape: number[]; steps: number[]; method: string; at35: number[] };
      expect(out).toEqual({ shape: [4, 3, 2], steps: [0, 30, 35, 40], method: 'svgd', at35: [35, 35.125] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
