/**
 * `npm run train:generators`: trains every shipped generator, one at a time (the machines have 2
 * shared cores), and writes public/models/<id>.onnx, the model card public/models/<id>.json and
 * public/models/index.json (rewritten after each model, so a partial run is usable).
 *   ids: <method>-<target> for the 8 sample targets x wflow, uotm, sjko, plus the outlier demo of
 *   the UOTM paper on 8gaussians with 1% of the mass on a far cluster: otm-8gaussians-outliers
 *   (balanced, penalty none) and uotm-8gaussians-outliers (KL).
 * Options: --only ID[,ID...]  --out DIR [public/models]  --no-sinkhorn  --list
 * Every model is deterministic (fixed seed, src/generators/train.ts); the steps per method are below.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { trainModel, type ModelCard } from '../src/generators/card';
import { shippedJobs } from '../src/generators/shipped';

async function readCards(dir: string): Promise<ModelCard[]> {
  try {
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { models?: ModelCard[] };
    return index.models ?? [];
  } catch {
    return [];
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { only: { type: 'string' }, out: { type: 'string' }, 'no-sinkhorn': { type: 'boolean' }, list: { type: 'boolean' } } });
  const dir = values.out ?? 'public/models';
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
    const order = shippedJobs().map((j) => j.id);
    const models = [...cards.values()].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    await writeFile(join(dir, 'index.json'), JSON.stringify({ cardVersion: r.card.cardVersion, models }, null, 2) + '\n');
    process.stdout.write(JSON.stringify({ id: job.id, wallMs: card.wallMs, totalMs: Math.round(performance.now() - t0), metrics: card.metrics, floor: card.floor }) + '\n');
  }
  return 0;
}
