import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CAMERA_AUGMENT, SEED_AUGMENT } from '../engine/augment';
import { initBackend } from '../engine/backends';
import { loadDatasets } from '../engine/data/datasets';
import { chooseThreshold, referenceCalibre } from '../engine/evaluate';
import { buildUNet, DEFAULT_UNET, multipleOf } from '../engine/model';
import { newModelMeta, saveModel } from '../engine/model-io';
import { CAMERA_PHOTOMETRIC, NO_PHOTOMETRIC } from '../engine/photometric';
import { PREPROCESSINGS, type Preprocessing } from '../engine/preprocess';
import { SEED_RECIPE, train, type LossName, type Schedule, type TrainSettings } from '../engine/train';
import { AugmentedPool, toWorkingSample, type InputRecipe } from '../engine/training-data';
import type { Args } from './args';
import { backendOption, choiceOption, dataFolders, intOption, LIMITS as L, numberOption, outputModelFolder, UsageError } from './options';

/** The working scale of new models: the FOV diameter (px) training images are brought to. */
export const DEFAULT_WORKING_FOV = 540;

export async function runTrain(args: Args): Promise<void> {
  const v = args.values;
  const roots = dataFolders(v.data);
  const out = outputModelFolder(v.out, 'out');
  const arch = {
    base: intOption(v.base, 'base', DEFAULT_UNET.base, 1, L.base),
    depth: intOption(v.depth, 'depth', DEFAULT_UNET.depth, 1, L.depth),
    dropout: numberOption(v.dropout, 'dropout', DEFAULT_UNET.dropout, { min: 0, max: 0.9 }),
  };
  const camera = choiceOption(v.augment, 'augment', 'camera', ['camera', 'seed'] as const) === 'camera';
  const photometric =
    choiceOption(v.photometric, 'photometric', camera ? 'camera' : 'none', ['camera', 'none'] as const) === 'camera'
      ? CAMERA_PHOTOMETRIC
      : NO_PHOTOMETRIC;
  const settings: TrainSettings = {
    ...SEED_RECIPE,
    augment: camera ? CAMERA_AUGMENT : SEED_AUGMENT,
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
  const input: InputRecipe = {
    preprocessing: choiceOption<Preprocessing>(v.preprocess, 'preprocess', 'fov-local-v1', PREPROCESSINGS),
    scale: v.scale === 'native' ? null : { fovDiameter: intOption(v.scale, 'scale', DEFAULT_WORKING_FOV, 64, 20000) },
  };
  const checkpointEvery = intOption(v['checkpoint-every'], 'checkpoint-every', 250, 1, L.steps);
  const limit = v.limit === undefined ? undefined : intOption(v.limit, 'limit', 0, 1, L.images);
  const ckpt = `${out}.checkpoint`;
  if (v.resume && !existsSync(ckpt)) throw new UsageError(`--resume: no checkpoint at ${ckpt}`);
  const backend = await initBackend(backendOption(v.backend));
  console.log(`backend: ${backend.name} (${backend.device})${backend.notes.length ? `\n  not used: ${backend.notes.join('; ')}` : ''}`);
  const samples = await loadDatasets(roots, 'training', { requireLabels: true, limit });
  console.log(`data: ${samples.length} labelled images from ${roots.join(', ')}`);
  const working = samples.map((s) => toWorkingSample(s, input));
  const factors = working.map((w) => w.factor);
  console.log(
    `working scale: ${input.scale ? `FOV diameter ${input.scale.fovDiameter} px` : 'native'} (resampling ${Math.min(...factors).toFixed(2)}-${Math.max(...factors).toFixed(2)}); input ${input.preprocessing}; camera simulation ${photometric === NO_PHOTOMETRIC ? 'off' : 'on'}`,
  );
  const pool = new AugmentedPool(working, input, photometric, settings.seed);
  const model = buildUNet(arch, settings.seed);
  console.log(`model: U-Net base ${arch.base}, depth ${arch.depth}, ${model.countParams().toLocaleString('en')} parameters`);
  let lastPrint = 0;
  const result = await train({
    model,
    images: pool.images,
    pool,
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
  const threshold = await chooseThreshold({ model, config: arch, meta: input }, samples);
  console.log(`threshold chosen on the training images (max F1): ${threshold}`);
  if (input.scale) {
    const calibre = await referenceCalibre({ model, config: arch, meta: input }, working, threshold);
    if (calibre !== null) input.scale = { ...input.scale, calibre: Math.round(calibre * 100) / 100 };
    console.log(`widest vessels at the working scale (reference calibre): ${calibre?.toFixed(2) ?? 'not measurable'} px`);
  }
  const meta = newModelMeta({
    name: basename(out),
    model,
    config: arch,
    backend,
    threshold,
    ...input,
    recipe: { ...settings, photometric },
    data: { source: roots.join(', '), images: samples.map((s) => s.name) },
    trainingSeconds: Math.round(result.seconds),
    steps: result.steps,
  });
  await saveModel(out, model, meta);
  console.log(`saved ${join(out, 'model.json')}`);
}
