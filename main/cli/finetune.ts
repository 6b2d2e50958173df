import { basename, resolve } from 'node:path';
import { initBackend, parseBackend } from '../engine/backends';
import { loadDataset } from '../engine/data/datasets';
import { finetune, FINETUNE_RECIPE } from '../engine/finetune';
import { loadModel, saveModel } from '../engine/model-io';
import { dataRoot, num, required, type Args } from '../cli';

export async function runFinetune(args: Args): Promise<void> {
  const v = args.values;
  const backend = await initBackend(parseBackend(v.backend));
  const parentDir = resolve(required(v.model, 'model'));
  const out = resolve(required(v.out, 'out'));
  const parent = await loadModel(parentDir);
  const samples = await loadDataset(dataRoot(v.data), (v.split as 'training' | 'test') ?? 'training', { requireLabels: true });
  const reference = v.reference ? await loadDataset(resolve(v.reference), 'training', { requireLabels: true }) : undefined;
  console.log(
    `backend ${backend.name} (${backend.device}); ${samples.length} corrected images${reference ? `, ${reference.length} reference images` : ''}`,
  );
  let last = 0;
  const r = await finetune({
    parent,
    parentId: basename(parentDir),
    samples,
    reference,
    name: basename(out),
    settings: {
      steps: num(v.steps, FINETUNE_RECIPE.steps, 'steps'),
      learningRate: num(v.lr, FINETUNE_RECIPE.learningRate, 'lr'),
      batch: num(v.batch, FINETUNE_RECIPE.batch, 'batch'),
      seed: num(v.seed, FINETUNE_RECIPE.seed, 'seed'),
    },
    correctionWeight: num(v['correction-weight'], 0, 'correction-weight'),
    onProgress: (p) => {
      if (p.step === p.steps || performance.now() - last > 5000) {
        last = performance.now();
        console.log(
          `step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} ${p.stepsPerSecond.toFixed(2)} steps/s ETA ${Math.round(p.etaSeconds)} s`,
        );
      }
    },
    onValidation: (step, f1) => console.log(`validation F1 at step ${step}: ${f1.toFixed(4)}`),
  });
  await saveModel(out, r.model, r.meta);
  if (r.before && r.after)
    console.log(
      `validation (${r.validationImage}) F1 ${r.before.f1.toFixed(4)} -> ${r.after.f1.toFixed(4)}, AUC ${r.before.auc.toFixed(4)} -> ${r.after.auc.toFixed(4)}`,
    );
  console.log(
    `kept step ${r.train.keptStep} of ${r.train.steps}${r.train.stoppedEarly ? ' (stopped early)' : ''}; ${r.meta.trainingSeconds} s; saved ${out}`,
  );
  r.model.dispose();
  parent.dispose();
}
