/**
 * Every shipped model (public/models/index.json) loads in Node with onnxruntime-web and its samples
 * meet the metrics written in its model card, RE-MEASURED here (not copied): onnxruntime's samples
 * from the card's noise seed against freshly drawn held-out target samples (the card's seed).
 * Tolerances: onnxruntime evaluates in float32, the card was measured with the TS forward pass of
 * the same float32 weights (equal within 1e-5 per coordinate, generators.test.ts), which moves the
 * energy distance by ~1e-6 at most: rtol 1e-3 + atol 1e-5. Mode counts may flip for a sample
 * within 1e-5 of a 3-std circle: the mode fraction must be equal, the high-quality fraction within
 * 2 samples in 4,096; the outlier fraction likewise.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EVAL_HELDOUT_SEED, EVAL_NOISE_SEED, type ModelCard } from './card';
import { energyDistance, heldOutSamples, METRIC_SAMPLES, modeStats, targetModes } from './metrics';
import { nodeOrt } from './nodeOrt';
import { OnnxGenerator } from './runtime';
import { shippedJobs } from './shipped';
import { outlierFraction, targetSampler } from './targets';

const DIR = 'public/models';

async function index(): Promise<(ModelCard & { file: string })[]> {
  return (JSON.parse(await readFile(`${DIR}/index.json`, 'utf8')) as { models: (ModelCard & { file: string })[] }).models;
}

describe('shipped generator models', () => {
  it('index.json lists known ids, each with its .onnx and its .json card (the same card)', async () => {
    const models = await index();
    const known = new Set(shippedJobs().map((j) => j.id));
    expect(models.length).toBeGreaterThan(0);
    for (const m of models) {
      expect(known.has(m.id), m.id).toBe(true);
      const card = JSON.parse(await readFile(`${DIR}/${m.id}.json`, 'utf8')) as ModelCard;
      expect(card).toEqual(m);
      expect(m.evaluation).toMatchObject({ samples: METRIC_SAMPLES, noiseSeed: EVAL_NOISE_SEED, heldOutSeed: EVAL_HELDOUT_SEED });
    }
  });

  it('every model loads (onnxruntime-web, wasm) and re-measures its card metrics', async () => {
    const ort = await nodeOrt();
    const models = await index();
    const heldOut = new Map<string, Float64Array>();
    const n = METRIC_SAMPLES;
    for (const card of models) {
      const bytes = new Uint8Array(await readFile(`${DIR}/${card.file}`));
      const gen = await OnnxGenerator.load(ort, bytes);
      try {
        expect(gen.info.outputs, card.id).toEqual(card.architecture.outputs);
        const x = await gen.sample(n, card.evaluation.noiseSeed);
        let y = heldOut.get(card.target);
        if (!y) {
          y = heldOutSamples(targetSampler(card.target), card.evaluation.heldOutSeed);
          heldOut.set(card.target, y);
        }
        const ed = energyDistance(x, y);
        expect(Math.abs(ed - card.metrics.energy), `${card.id}: energy ${ed} vs card ${card.metrics.energy}`).toBeLessThanOrEqual(1e-5 + 1e-3 * card.metrics.energy);
        const modes = targetModes(card.target);
        if (modes) {
          const s = modeStats(x, modes);
          expect(s.modes, `${card.id}: modes`).toBe(card.metrics.modes);
          expect(Math.abs(s.highQuality - (card.metrics.highQuality ?? NaN)), `${card.id}: highQuality`).toBeLessThanOrEqual(2 / n);
        }
        if (card.outliers > 0) {
          expect(Math.abs(outlierFraction(x) - (card.metrics.outlierFraction ?? NaN)), `${card.id}: outlierFraction`).toBeLessThanOrEqual(2 / n);
        }
      } finally {
        gen.release();
      }
    }
  });
});
