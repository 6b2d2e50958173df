/**
 * Measures the retrain loop on DRIVE: a parent trained on a few training images only, "corrections"
 * = the 1st-manual labels of the 3 test images it does worst on, one default finetune, then scores on
 * those 3 and on the 17 untouched test images, before and after.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend, parseBackend } from '../engine/backends';
import { loadDataset, type Sample } from '../engine/data/datasets';
import { evaluate } from '../engine/evaluate';
import { finetune } from '../engine/finetune';
import type { Scores } from '../engine/metrics';
import { buildUNet } from '../engine/model';
import { loadModel, newModelMeta, saveModel, type LoadedModel } from '../engine/model-io';
import { SEED_RECIPE, train } from '../engine/train';
import { toTrainingImage } from '../engine/training-data';
import { dataRoot, num, type Args } from '../cli';

async function trainParent(data: Sample[], base: number, steps: number, dir: string): Promise<LoadedModel> {
  const model = buildUNet({ base, depth: 4, dropout: 0.1 });
  const settings = { ...SEED_RECIPE, steps };
  const r = await train({
    model,
    images: data.map((s) => toTrainingImage(s, { preprocessing: 'fov-standardize-v1', scale: null })),
    settings,
    onProgress: (p) => p.step % 100 === 0 && console.log(`parent step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)}`),
  });
  const b = await initBackend();
  const config = { base, depth: 4, dropout: 0.1 };
  await saveModel(
    dir,
    model,
    newModelMeta({
      name: 'adapt-parent',
      model,
      config,
      backend: b,
      recipe: { ...settings },
      data: { source: 'DRIVE training', images: data.map((s) => s.name) },
      trainingSeconds: Math.round(r.seconds),
      steps: r.steps,
    }),
  );
  model.dispose();
  return loadModel(dir);
}

const pick = (s: Scores) => ({ auc: +s.auc.toFixed(4), f1: +s.f1.toFixed(4) });

export async function runBenchAdapt(args: Args): Promise<void> {
  const v = args.values;
  const backend = await initBackend(parseBackend(v.backend));
  const drive = dataRoot(v.data);
  const nTrain = num(v.limit, 4, 'limit');
  const allTraining = await loadDataset(drive, 'training', { requireLabels: true });
  const training = allTraining.slice(0, nTrain);
  const test = await loadDataset(drive, 'test', { requireLabels: true });
  const work = await mkdtemp(join(tmpdir(), 'vs-adapt-'));
  const parent = v.model
    ? await loadModel(resolve(v.model))
    : await trainParent(training, num(v.base, 16, 'base'), num(v.steps, 400, 'steps'), join(work, 'parent'));
  console.log(`parent: base ${parent.config.base}, trained on ${parent.meta.data.images.length} images`);
  const ev0 = await evaluate(parent, test, { threshold: 0.5 });
  const ranked = ev0.perImage.map((p, i) => ({ i, f1: p.at05.f1 })).sort((a, b) => a.f1 - b.f1);
  const worst = new Set(ranked.slice(0, 3).map((r) => r.i));
  const corrected = test.filter((_, i) => worst.has(i));
  const untouched = test.filter((_, i) => !worst.has(i));
  const t0 = performance.now();
  // Early stopping watches a training image the parent never saw, so neither scored group picks the weights.
  const holdout = allTraining[nTrain];
  const r = await finetune({
    parent,
    parentId: 'adapt-parent',
    name: 'adapt-child',
    samples: corrected,
    holdout,
    reference: training,
    onProgress: (p) => p.step % 50 === 0 && console.log(`finetune step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)}`),
    onValidation: (s, f1) => console.log(`validation F1 at step ${s}: ${f1.toFixed(4)}`),
  });
  const retrainSeconds = (performance.now() - t0) / 1000;
  const child = { model: r.model, config: parent.config, meta: r.meta };
  const groups = { untouched, corrected };
  const rows: Record<string, { before: ReturnType<typeof pick>; after: ReturnType<typeof pick> }> = {};
  // Each model at its own operating threshold (chosen on the images it was trained on).
  for (const [name, samples] of Object.entries(groups)) {
    const before = await evaluate(parent, samples);
    const after = await evaluate(child, samples);
    rows[name] = { before: pick(before.pooled.atChosen), after: pick(after.pooled.atChosen) };
  }
  const report = {
    backend: `${backend.name} (${backend.device})`,
    parent: { base: parent.config.base, trainingImages: parent.meta.data.images },
    corrected: corrected.map((s) => s.name),
    retrainSeconds: Math.round(retrainSeconds),
    keptStep: r.train.keptStep,
    steps: r.train.steps,
    thresholds: { parent: parent.meta.threshold, child: r.meta.threshold },
    validation: {
      image: r.validationImage,
      before: r.before && pick(r.before as unknown as Scores),
      after: r.after && pick(r.after as unknown as Scores),
    },
    groups: rows,
    checks: {
      untouchedF1DropAtMost0005: rows.untouched.after.f1 >= rows.untouched.before.f1 - 0.005,
      correctedF1Rises: rows.corrected.after.f1 > rows.corrected.before.f1,
      retrainUnder5Minutes: retrainSeconds <= 300,
    },
  };
  if (v.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(
      `\nretrain on ${report.corrected.join(', ')}: ${report.retrainSeconds} s on ${report.backend}, kept step ${r.train.keptStep}/${r.train.steps}`,
    );
    console.log(
      `thresholds: parent ${parent.meta.threshold}, retrained ${r.meta.threshold}; validation (${r.validationImage}) F1 ${r.before?.f1.toFixed(4)} -> ${r.after?.f1.toFixed(4)}`,
    );
    console.log('group                 AUC before  AUC after   F1 before   F1 after');
    for (const [name, g] of Object.entries(rows)) {
      console.log(
        `${`${name} (${groups[name as keyof typeof groups].length})`.padEnd(22)}${g.before.auc.toFixed(4).padEnd(12)}${g.after.auc.toFixed(4).padEnd(12)}${g.before.f1.toFixed(4).padEnd(12)}${g.after.f1.toFixed(4)}`,
      );
    }
    console.log(`checks: ${JSON.stringify(report.checks)}`);
  }
  r.model.dispose();
  parent.dispose();
}
