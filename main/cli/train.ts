import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { initBackend } from '../engine/backends';
import { loadDataset } from '../engine/data/datasets';
import { chooseThreshold } from '../engine/evaluate';
import { buildUNet, DEFAULT_UNET, multipleOf } from '../engine/model';
import { newModelMeta, saveModel } from '../engine/model-io';
import { SEED_RECIPE, train, type LossName, type Schedule, type TrainSettings } from '../engine/train';
import { toTrainingImage } from '../engine/training-data';
import type { Args } from './args';
import {
  backendOption,
  choiceOption,
  intOption,
  LIMITS as L,
  numberOption,
  outputModelFolder,
  requiredOption,
  UsageError,
} from './options';

export async function runTrain(args: Args): Promise<void> {
  const v = args.values;
  const data = resolve(requiredOption(v.data, 'data'));
  const out = outputModelFolder(v.out, 'out');
  const arch = {
    base: intOption(v.base, 'base', DEFAULT_UNET.base, 1, L.base),
    depth: intOption(v.depth, 'depth', DEFAULT_UNET.depth, 1, L.depth),
    dropout: numberOption(v.dropout, 'dropout', DEFAULT_UNET.dropout, { min: 0, max: 0.9 }),
  };
  const settings: TrainSettings = {
    ...SEED_RECIPE,
    steps: intOption(v.steps, 'steps', SEED_RECIPE.steps, 1, L.steps),
    batch: intOption(v.batch, 'batch', SEED_RECIPE.batch, 1, L.batch),
    crop: intOption(v.crop, 'crop', SEED_RECIPE.crop, 16, L.crop),
    learningRate: numberOption(v.lr, 'lr', SEED_RECIPE.learningRate, { min: 0, max: 1, above: true }),
    schedule: choiceOption<Schedule>(v.schedule, 'schedule', SEED_RECIPE.schedule, ['cosine', 'constant']),
    loss: choiceOption<LossName>(v.loss, 'loss', SEED_RECIPE.loss, ['bce', 'dice+bce']),
    seed: intOption(v.seed, 'seed', SEED_RECIPE.seed, 0, L.seed),
  };
  const m = multipleOf(arch);
  if (settings.crop % m !== 0)
    throw new UsageError(`--crop must be a multiple of ${m} (2 to the power of --depth ${arch.depth}), got "${settings.crop}"`);
  const checkpointEvery = intOption(v['checkpoint-every'], 'checkpoint-every', 250, 1, L.steps);
  const limit = v.limit === undefined ? undefined : intOption(v.limit, 'limit', 0, 1, L.images);
  const ckpt = `${out}.checkpoint`;
  if (v.resume && !existsSync(ckpt)) throw new UsageError(`--resume: no checkpoint at ${ckpt}`);
  const backend = await initBackend(backendOption(v.backend));
  console.log(`backend: ${backend.name} (${backend.device})${backend.notes.length ? `\n  not used: ${backend.notes.join('; ')}` : ''}`);
  const samples = await loadDataset(data, 'training', { requireLabels: true, limit });
  console.log(`data: ${samples.length} labelled images from ${data}`);
  const images = samples.map(toTrainingImage);
  const model = buildUNet(arch, settings.seed);
  console.log(`model: U-Net base ${arch.base}, depth ${arch.depth}, ${model.countParams().toLocaleString('en')} parameters`);
  let lastPrint = 0;
  const result = await train({
    model,
    images,
    settings,
    checkpoint: { dir: ckpt, every: checkpointEvery },
    resume: v.resume ? ckpt : undefined,
    onProgress: (p) => {
      if (p.step === p.steps || performance.now() - lastPrint > 5000) {
        lastPrint = performance.now();
        console.log(
          `step ${p.step}/${p.steps}  loss ${p.loss.toFixed(4)}  lr ${p.learningRate.toExponential(2)}  ${p.stepsPerSecond.toFixed(2)} steps/s  ETA ${Math.round(p.etaSeconds)} s`,
        );
      }
    },
    onCheckpoint: (step) => console.log(`checkpoint at step ${step}: ${ckpt}`),
  });
  console.log(`trained ${result.steps} steps in ${result.seconds.toFixed(0)} s, final loss ${result.finalLoss.toFixed(4)}`);
  const threshold = await chooseThreshold({ model, config: arch }, samples);
  console.log(`threshold chosen on the training images (max F1): ${threshold}`);
  const meta = newModelMeta({
    name: basename(out),
    model,
    config: arch,
    backend,
    threshold,
    recipe: { ...settings },
    data: { source: data, images: samples.map((s) => s.name) },
    trainingSeconds: Math.round(result.seconds),
    steps: result.steps,
  });
  await saveModel(out, model, meta);
  console.log(`saved ${join(out, 'model.json')}`);
}
