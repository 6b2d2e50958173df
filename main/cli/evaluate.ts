import { readFile } from 'node:fs/promises';
import { atomicWrite } from '../common/atomic-fs';
import { join, resolve } from 'node:path';
import { initBackend, parseBackend } from '../engine/backends';
import { loadDataset } from '../engine/data/datasets';
import { evaluate } from '../engine/evaluate';
import type { Scores } from '../engine/metrics';
import { loadModel } from '../engine/model-io';
import { runnerFor } from '../engine/tile-runner';
import { num, required, type Args } from '../cli';

const f = (x: number) => x.toFixed(4);
const row = (name: string, s: Scores) =>
  `${name.padEnd(16)} ${f(s.auc)}  ${f(s.f1)}  ${f(s.accuracy)}  ${f(s.sensitivity)}  ${f(s.specificity)}`;

export async function runEvaluate(args: Args): Promise<void> {
  const v = args.values;
  const dir = resolve(required(v.model, 'model'));
  const data = resolve(required(v.data, 'data'));
  const backend = await initBackend(parseBackend(v.backend));
  const loaded = await loadModel(dir);
  const split = (v.split ?? 'test') as 'training' | 'test';
  const samples = await loadDataset(data, split, { requireLabels: true, limit: v.limit ? num(v.limit, 0, 'limit') : undefined });
  const { runner, close } = await runnerFor(loaded, backend.name, v.workers ? num(v.workers, 1, 'workers') : undefined);
  const ev = await evaluate(loaded, samples, {
    runner,
    threshold: v.threshold ? num(v.threshold, 0.5, 'threshold') : undefined,
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
    meta.metrics = { ...meta.metrics, [`${split}@0.5`]: pick(ev.pooled.at05), [`${split}@${ev.chosenThreshold}`]: pick(ev.pooled.atChosen) };
    await atomicWrite(metaPath, JSON.stringify(meta, null, 2) + '\n');
  }
}
