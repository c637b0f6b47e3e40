/**
 * The sample targets' `outliers` parameter (src/targets/toy.ts, the UOTM outlier demo) round-trips
 * through the URL hash with the real registry specs: the Generator control picks the outlier
 * models from it, so a shared link must keep it. Out-of-range values are refused by field.
 */
import { describe, expect, it } from 'vitest';
import { toyTargets } from '../targets/toy';
import { specLookup } from '../ui/specs';
import { decodeHash, DEFAULT_CONFIG, encodeHash } from './urlState';

describe('URL hash: the outlier mass of the sample targets', () => {
  for (const def of toyTargets) {
    it(`${def.id}: t.outliers=0.01 round-trips`, () => {
      const config = { ...DEFAULT_CONFIG, method: 'sinkhorn-flow', params: {}, target: { id: def.id, params: { outliers: 0.01 } } };
      const hash = encodeHash(config, specLookup);
      expect(hash).toContain('t.outliers=0.01');
      const back = decodeHash(`#${hash}`, specLookup);
      expect(back.errors).toEqual([]);
      expect(back.config.target).toEqual({ id: def.id, params: { outliers: 0.01 } });
    });
  }

  it('a value above 0.1 is refused, naming the parameter, and the target keeps its default', () => {
    const r = decodeHash('#method=sinkhorn-flow&target=moons&t.outliers=0.5', specLookup);
    expect(r.errors.join('\n')).toMatch(/outliers/);
    expect(r.config.target.id).toBe('moons');
    expect(r.config.target.params.outliers).toBeUndefined();
  });
});
