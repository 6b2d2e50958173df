import { basename, resolve } from 'node:path';
import { initBackend } from '../engine/backends';
import { loadDataset } from '../engine/data/datasets';
import { finetune, FINETUNE_RECIPE, UNDECIDED_WEIGHT } from '../engine/finetune';
import { loadModel, saveModel } from '../engine/model-io';
import type { Args } from './args';
import {
  backendOption,
  choiceOption,
  dataFolder,
  intOption,
  LIMITS as L,
  numberOption,
  outputModelFolder,
  requiredOption,
} from './options';

export async function runFinetune(args: Args): Promise<void> {
  const v = args.values;
  const parentDir = resolve(requiredOption(v.model, 'model'));
  const out = outputModelFolder(v.out, 'out');
  const data = dataFolder(v.data);
  const split = choiceOption(v.split, 'split', 'training', ['training', 'test'] as const);
  const settings = {
    steps: intOption(v.steps, 'steps', FINETUNE_RECIPE.steps, 1, L.steps),
    learningRate: numberOption(v.lr, 'lr', FINETUNE_RECIPE.learningRate, { min: 0, max: 1, above: true }),
    batch: intOption(v.batch, 'batch', FINETUNE_RECIPE.batch, 1, L.batch),
    seed: intOption(v.seed, 'seed', FINETUNE_RECIPE.seed, 0, L.seed),
  };
  const undecidedWeight = numberOption(v['undecided-weight'], 'undecided-weight', UNDECIDED_WEIGHT, { min: 0, max: 1 });
  const backend = await initBackend(backendOption(v.backend));
  const parent = await loadModel(parentDir);
  const samples = await loadDataset(data, split, { requireLabels: true });
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
    settings,
    undecidedWeight,
    onProgress: (p) => {
      if (p.step === p.steps || performance.now() - last > 5000) {
        last = performance.now();
        console.log(
          `step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} ${p.stepsPerSecond.toFixed(2)} steps/s ETA ${Math.round(p.etaSeconds)} s`,
        );
      }
    },
    onValidation: (step, s) => console.log(`held-out F1 at step ${step}: ${s.f1.toFixed(4)} (threshold ${s.threshold})`),
  });
  await saveModel(out, r.model, r.meta);
  const val = r.validation;
  if (val)
    console.log(
      `held out: ${val.region} (${(100 * val.decidedShare).toFixed(1)}% of its field of view decided): F1 ${val.before.f1.toFixed(4)} @${val.before.threshold} -> ${val.after.f1.toFixed(4)} @${val.after.threshold}, AUC ${val.before.auc.toFixed(4)} -> ${val.after.auc.toFixed(4)}${val.improved ? '' : ' (not better)'}`,
    );
  console.log(
    `kept step ${r.train.keptStep} of ${r.train.steps}${r.train.stoppedEarly ? ' (stopped early)' : ''}; ${r.meta.trainingSeconds} s; saved ${out}`,
  );
  r.model.dispose();
  parent.dispose();
}
