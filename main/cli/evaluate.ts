import { readFile } from 'node:fs/promises';
import { atomicWrite } from '../common/atomic-fs';
import { join, resolve } from 'node:path';
import { initBackend } from '../engine/backends';
import { loadDataset } from '../engine/data/datasets';
import { evaluate } from '../engine/evaluate';
import type { Scores } from '../engine/metrics';
import { loadModel } from '../engine/model-io';
import { runnerFor } from '../engine/tile-runner';
import type { Args } from './args';
import { backendOption, choiceOption, intOption, LIMITS as L, numberOption, requiredOption } from './options';

const f = (x: number) => x.toFixed(4);
const row = (name: string, s: Scores) =>
  `${name.padEnd(16)} ${f(s.auc)}  ${f(s.f1)}  ${f(s.accuracy)}  ${f(s.sensitivity)}  ${f(s.specificity)}`;

export async function runEvaluate(args: Args): Promise<void> {
  const v = args.values;
  const dir = resolve(requiredOption(v.model, 'model'));
  const data = resolve(requiredOption(v.data, 'data'));
  const split = choiceOption(v.split, 'split', 'test', ['training', 'test'] as const);
  const limit = v.limit === undefined ? undefined : intOption(v.limit, 'limit', 0, 1, L.images);
  const workers = v.workers === undefined ? undefined : intOption(v.workers, 'workers', 1, 1, L.workers);
  const threshold = v.threshold === undefined ? undefined : numberOption(v.threshold, 'threshold', 0.5, { min: 0, max: 1 });
  const backend = await initBackend(backendOption(v.backend));
  const loaded = await loadModel(dir);
  const samples = await loadDataset(data, split, { requireLabels: true, limit });
  const { runner, close } = await runnerFor(loaded, backend.name, workers);
  const ev = await evaluate(loaded, samples, {
    runner,
    threshold,
    onImage: (name, i, n) => process.stderr.write(`\r${i}/${n} ${name}   `),
  });
  await close();
  process.stderr.write('\n');
  const report = {
    model: dir,
    data,
    split,
    backend,
    msPerImage: Math.round(ev.msPerImage),
    workers: runner.slots,
    threshold: ev.chosenThreshold,
    pooled: ev.pooled,
    perImage: ev.perImage,
  };
  if (v.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`model ${dir} · ${samples.length} ${split} images · FOV only · backend ${backend.name} (${backend.device})`);
    console.log(`${'image'.padEnd(16)} AUC     F1      Acc     Se      Sp      (threshold 0.5)`);
    for (const p of ev.perImage) console.log(row(p.name, p.at05));
    console.log(row('pooled @0.5', ev.pooled.at05));
    console.log(row(`pooled @${ev.chosenThreshold}`, ev.pooled.atChosen));
    console.log(`${Math.round(ev.msPerImage)} ms per image (${runner.slots} ${runner.slots > 1 ? 'worker threads' : 'thread'})`);
  }
  if (v['write-meta']) {
    const metaPath = join(dir, 'meta.json');
    const meta = JSON.parse(await readFile(metaPath, 'utf8'));
    const pick = (s: Scores) => ({ auc: s.auc, f1: s.f1, accuracy: s.accuracy, sensitivity: s.sensitivity, specificity: s.specificity });
    meta.metrics = {
      ...meta.metrics,
      [`${split}@0.5`]: pick(ev.pooled.at05),
      [`${split}@${ev.chosenThreshold}`]: pick(ev.pooled.atChosen),
    };
    await atomicWrite(metaPath, JSON.stringify(meta, null, 2) + '\n');
  }
}
