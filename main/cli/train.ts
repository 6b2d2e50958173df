import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { initBackend, parseBackend } from '../engine/backends';
import { loadDatasets } from '../engine/data/datasets';
import { chooseThreshold, referenceCalibre } from '../engine/evaluate';
import { CAMERA_AUGMENT, SEED_AUGMENT } from '../engine/augment';
import { buildUNet, DEFAULT_UNET } from '../engine/model';
import { newModelMeta, saveModel } from '../engine/model-io';
import { CAMERA_PHOTOMETRIC, NO_PHOTOMETRIC } from '../engine/photometric';
import { isPreprocessing, PREPROCESSINGS } from '../engine/preprocess';
import { SEED_RECIPE, train, type LossName, type Schedule, type TrainSettings } from '../engine/train';
import { AugmentedPool, toWorkingSample, type InputRecipe } from '../engine/training-data';
import { dataRoots, num, required, type Args } from '../cli';

/** The working scale of new models: the FOV diameter (px) training images are brought to. */
export const DEFAULT_WORKING_FOV = 540;

export async function runTrain(args: Args): Promise<void> {
  const v = args.values;
  const roots = dataRoots(v.data);
  const out = resolve(required(v.out, 'out'));
  const backend = await initBackend(parseBackend(v.backend));
  console.log(`backend: ${backend.name} (${backend.device})${backend.notes.length ? `\n  not used: ${backend.notes.join('; ')}` : ''}`);
  const camera = (v.augment ?? 'camera') === 'camera';
  if (!['camera', 'seed'].includes(v.augment ?? 'camera')) throw new Error('--augment must be camera or seed');
  const photometric = (v.photometric ?? (camera ? 'camera' : 'none')) === 'camera' ? CAMERA_PHOTOMETRIC : NO_PHOTOMETRIC;
  if (!['camera', 'none'].includes(v.photometric ?? 'camera')) throw new Error('--photometric must be camera or none');
  const settings: TrainSettings = {
    ...SEED_RECIPE,
    augment: camera ? CAMERA_AUGMENT : SEED_AUGMENT,
    steps: num(v.steps, SEED_RECIPE.steps, 'steps'),
    batch: num(v.batch, SEED_RECIPE.batch, 'batch'),
    crop: num(v.crop, SEED_RECIPE.crop, 'crop'),
    learningRate: num(v.lr, SEED_RECIPE.learningRate, 'lr'),
    schedule: (v.schedule ?? SEED_RECIPE.schedule) as Schedule,
    loss: (v.loss ?? SEED_RECIPE.loss) as LossName,
    seed: num(v.seed, SEED_RECIPE.seed, 'seed'),
  };
  if (!['cosine', 'constant'].includes(settings.schedule)) throw new Error(`--schedule must be cosine or constant`);
  if (!['bce', 'dice+bce'].includes(settings.loss)) throw new Error(`--loss must be bce or dice+bce`);
  if (settings.crop % 16 !== 0) throw new Error(`--crop must be a multiple of 16`);
  const preprocessing = v.preprocess ?? 'fov-local-v1';
  if (!isPreprocessing(preprocessing)) throw new Error(`--preprocess must be one of ${PREPROCESSINGS.join(', ')}`);
  const input: InputRecipe = {
    preprocessing,
    scale: v.scale === 'native' ? null : { fovDiameter: num(v.scale, DEFAULT_WORKING_FOV, 'scale') },
  };
  const arch = {
    base: num(v.base, DEFAULT_UNET.base, 'base'),
    depth: num(v.depth, DEFAULT_UNET.depth, 'depth'),
    dropout: num(v.dropout, DEFAULT_UNET.dropout, 'dropout'),
  };
  const samples = await loadDatasets(roots, 'training', { requireLabels: true, limit: v.limit ? num(v.limit, 0, 'limit') : undefined });
  console.log(`data: ${samples.length} labelled images from ${roots.join(', ')}`);
  const working = samples.map((s) => toWorkingSample(s, input));
  console.log(
    `working scale: ${input.scale ? `FOV diameter ${input.scale.fovDiameter} px` : 'native'} (resampling ${Math.min(...working.map((w) => w.factor)).toFixed(2)}-${Math.max(...working.map((w) => w.factor)).toFixed(2)}); input ${preprocessing}; photometric augmentation ${photometric === NO_PHOTOMETRIC ? 'off' : 'on'}`,
  );
  const pool = new AugmentedPool(working, input, photometric, settings.seed);
  const model = buildUNet(arch, settings.seed);
  console.log(`model: U-Net base ${arch.base}, depth ${arch.depth}, ${model.countParams().toLocaleString('en')} parameters`);
  const ckpt = `${out}.checkpoint`;
  if (v.resume && !existsSync(ckpt)) throw new Error(`--resume: no checkpoint at ${ckpt}`);
  let lastPrint = 0;
  const result = await train({
    model,
    images: pool.images,
    pool,
    settings,
    checkpoint: { dir: ckpt, every: num(v['checkpoint-every'], 250, 'checkpoint-every') },
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
