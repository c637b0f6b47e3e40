/**
 * `npm run train:generators`: trains every shipped generator, one at a time (the machines have 2
 * shared cores), and writes public/models/<id>.onnx, the model card public/models/<id>.json and
 * public/models/index.json (rewritten after each model, so a partial run is usable).
 *   ids: <method>-<target> for the 8 sample targets x wflow, uotm, sjko, plus the outlier demo of
 *   the UOTM paper on 8gaussians with 1% of the mass on a far cluster: otm-8gaussians-outliers
 *   (balanced, penalty none) and uotm-8gaussians-outliers (KL).
 * Options: --only ID[,ID...]  --out DIR [public/models]  --no-sinkhorn  --list  --readme (only rewrite
 * DIR/README.md, the results table built from the cards)  --merge SRC[,SRC...] (no training: copy the
 * models and cards of other output dirs, e.g. of runs started in parallel with --only, into DIR and
 * rewrite DIR/index.json and DIR/README.md)
 * Every model is deterministic (fixed seed, src/generators/train.ts); the steps per method are below.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CARD_VERSION, trainModel, type ModelCard } from '../src/generators/card';
import { shippedJobs } from '../src/generators/shipped';

const fmt = (v: number | undefined): string => (v === undefined ? '-' : v.toPrecision(3));

/** DIR/README.md: what the cards say, as a table (every number read from a card, none typed). */
/**
 * The issue's quality bar for one card, from its numbers: W-Flow energy within 3x of the floor on every
 * target, and on 8gaussians / 25gaussians every mode receives samples (all three methods; the
 * outlier-demo pair is not held to it). undefined: no bar applies.
 */
export function meetsBar(c: ModelCard): boolean | undefined {
  if (c.outliers > 0) return undefined;
  const modesOk = c.metrics.modes === undefined || c.metrics.modes === 1;
  if (c.method === 'wflow') return c.metrics.energy <= 3 * c.floor.energy && modesOk;
  return c.metrics.modes === undefined ? undefined : modesOk;
}

export function resultsReadme(cards: readonly ModelCard[]): string {
  const held = cards.filter((c) => meetsBar(c) !== undefined);
  const met = held.filter((c) => meetsBar(c) === true);
  const rows = cards.map((c) => {
    const m = c.metrics;
    const ratio = m.energy / c.floor.energy;
    const bar = meetsBar(c);
    return `| ${c.id} | ${c.label} | ${c.steps} | ${(c.wallMs / 1000).toFixed(0)} s | ${fmt(m.energy)} | ${fmt(c.floor.energy)} | ${ratio.toFixed(1)}x | ${m.tv === undefined ? '-' : m.tv.toFixed(3)} | ${c.floor.tv === undefined ? '-' : c.floor.tv.toFixed(3)} | ${fmt(m.sinkhorn)} | ${m.modes === undefined ? '-' : `${Math.round(m.modes * (c.target === '25gaussians' ? 25 : 8))}/${c.target === '25gaussians' ? 25 : 8}`} | ${m.highQuality === undefined ? '-' : m.highQuality.toFixed(3)} | ${m.outlierFraction === undefined ? '-' : m.outlierFraction.toFixed(4)} | ${bar === undefined ? '-' : bar ? 'yes' : 'no'} |`;
  });
  return [
    '# Shipped one-step generators',
    '',
    'Written by `npm run train:generators` (scripts/train-generators.ts) from the model cards `<id>.json`;',
    'every number below is read from a card. Each model: ONNX IR 8, opset 13, input `z` float32 [B, 2],',
    'output `x` float32 [B, 2] (S-JKO also `x_1` .. `x_{K-1}`, the chain), trained on the CPU in',
    'float64 (src/generators/). Metrics: 4,096 generated samples (noise seed in the card) vs 4,096',
    'held-out exact target samples, iid draws (a random 4,096-subset of a 65,536-point draw: the toy',
    'samplers space rings and moons evenly, src/generators/targets.ts). `energy` = energy distance',
    '(V-statistic); `floor` = the mean energy distance of 4 independent exact 4,096-samples to the same',
    'held-out samples (what a perfect generator scores there); `tv` = total variation between the two',
    "samples' histograms on 24 x 24 cells of the held-out samples' box, `tv floor` its perfect-generator",
    'mean (the energy distance at 4,096 samples misses fine structure: a rings model that drew a disk',
    'scored 1.6x its energy floor and 0.46 in tv against 0.156; look at tv before trusting energy);',
    '`S_eps` = debiased',
    'Sinkhorn divergence at blur 0.05 (on the first points a side, see `evaluation.sinkhorn` in the card);',
    '`modes`: a mode of K receives samples when >= 1/(4K) of the samples (25 modes: 1%, 8 modes: 3.1%)',
    'lie within 3 std of its centre; `hq` = fraction of samples within 3 std of some mode (exact: 0.989);',
    '`outliers` = fraction of samples within 1.0 of the far cluster centre (5, 5) that 1% of the',
    'training mass sat on (outlier-demo models; measured against the clean target). `bar` = the',
    "issue's quality bar: W-Flow energy <= 3x the floor (and every mode), every mode of 8gaussians /",
    '25gaussians for UOTM and S-JKO. `train` = wall time on the shared, loaded 2-core machine (several',
    'trainings and other work at once).',
    '',
    `${met.length} of the ${held.length} models the bar applies to meet it${held.length > met.length ? `; not: ${held.filter((c) => meetsBar(c) === false).map((c) => c.id).join(', ')}` : ''}.`,
    '',
    '| id | method | steps | train | energy | floor | energy/floor | tv | tv floor | S_eps | modes | hq | outliers | bar |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

async function readCards(dir: string): Promise<ModelCard[]> {
  try {
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { models?: ModelCard[] };
    return index.models ?? [];
  } catch {
    return [];
  }
}

/** DIR/index.json (the cards in shippedJobs order) and DIR/README.md. */
async function writeIndex(dir: string, cards: Map<string, ModelCard & { file: string }>): Promise<void> {
  const order = shippedJobs().map((j) => j.id);
  const models = [...cards.values()].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ cardVersion: CARD_VERSION, models }, null, 2) + '\n');
  await writeFile(join(dir, 'README.md'), resultsReadme(models));
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { only: { type: 'string' }, out: { type: 'string' }, 'no-sinkhorn': { type: 'boolean' }, list: { type: 'boolean' }, readme: { type: 'boolean' }, merge: { type: 'string' } } });
  const dir = values.out ?? 'public/models';
  if (values.merge) {
    const cards = new Map<string, ModelCard & { file: string }>();
    for (const c of await readCards(dir)) cards.set(c.id, { ...c, file: `${c.id}.onnx` });
    for (const src of values.merge.split(',')) {
      for (const c of await readCards(src)) {
        await copyFile(join(src, `${c.id}.onnx`), join(dir, `${c.id}.onnx`));
        await copyFile(join(src, `${c.id}.json`), join(dir, `${c.id}.json`));
        cards.set(c.id, { ...c, file: `${c.id}.onnx` });
      }
    }
    await writeIndex(dir, cards);
    return 0;
  }
  if (values.readme) {
    await writeFile(join(dir, 'README.md'), resultsReadme(await readCards(dir)));
    return 0;
  }
  let jobs = shippedJobs();
  if (values.list) {
    for (const j of jobs) process.stdout.write(`${j.id}\n`);
    return 0;
  }
  if (values.only) {
    const want = new Set(values.only.split(','));
    jobs = jobs.filter((j) => want.has(j.id));
    if (jobs.length === 0) {
      process.stderr.write(`train-generators: no model matches --only ${values.only}\n`);
      return 2;
    }
  }
  await mkdir(dir, { recursive: true });
  const cards = new Map<string, ModelCard & { file: string }>();
  for (const c of await readCards(dir)) cards.set(c.id, { ...c, file: `${c.id}.onnx` });
  for (const job of jobs) {
    const t0 = performance.now();
    const r = await trainModel(job.spec, {}, { sinkhorn: values['no-sinkhorn'] !== true });
    if (r.card.id !== job.id) throw new Error(`model id ${r.card.id} != job id ${job.id}`);
    const card = { ...r.card, file: `${job.id}.onnx` };
    await writeFile(join(dir, card.file), r.bytes);
    await writeFile(join(dir, `${job.id}.json`), JSON.stringify(card, null, 2) + '\n');
    cards.set(job.id, card);
    await writeIndex(dir, cards);
    process.stdout.write(JSON.stringify({ id: job.id, wallMs: card.wallMs, totalMs: Math.round(performance.now() - t0), metrics: card.metrics, floor: card.floor }) + '\n');
  }
  return 0;
}
