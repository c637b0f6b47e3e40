/** Twin of shaders/philoxWords.wgsl: Philox words and Box-Muller normals for counters (i, c1, c2, 0). */
import { PHILOX_KEY_HI, philox4x32, philoxNormal2 } from './philox';

export function philoxWords(n: number, c1: number, c2: number, seed: number): { words: Uint32Array; normals: Float64Array } {
  const words = new Uint32Array(4 * n);
  const normals = new Float64Array(2 * n);
  const w = new Uint32Array(4);
  for (let i = 0; i < n; i++) {
    philox4x32(i, c1, c2, 0, seed, PHILOX_KEY_HI, w);
    words.set(w, 4 * i);
    const [a, b] = philoxNormal2(w[0] ?? 0, w[1] ?? 0);
    normals[2 * i] = a;
    normals[2 * i + 1] = b;
  }
  return { words, normals };
}
