import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { initBackend, parseBackend } from '../engine/backends';
import { loadDataset } from '../engine/data/datasets';
import { chooseThreshold } from '../engine/evaluate';
import { buildUNet, DEFAULT_UNET } from '../engine/model';
import { newModelMeta, saveModel } from '../engine/model-io';
import { SEED_RECIPE, train, type LossName, type Schedule, type TrainSettings } from '../engine/train';
import { toTrainingImage } from '../engine/training-data';
import { num, required, type Args } from '../cli';

export async function runTrain(args: Args): Promise<void> {
  const v = args.values;
  const data = resolve(required(v.data, 'data'));
  const out = resolve(required(v.out, 'out'));
  const backend = await initBackend(parseBackend(v.backend));
  console.log(`backend: ${backend.name} (${backend.device})${backend.notes.length ? `\n  not used: ${backend.notes.join('; ')}` : ''}`);
  const settings: TrainSettings = {
    ...SEED_RECIPE,
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
  const arch = {
    base: num(v.base, DEFAULT_UNET.base, 'base'),
    depth: num(v.depth, DEFAULT_UNET.depth, 'depth'),
    dropout: num(v.dropout, DEFAULT_UNET.dropout, 'dropout'),
  };
  const samples = await loadDataset(data, 'training', { requireLabels: true, limit: v.limit ? num(v.limit, 0, 'limit') : undefined });
  console.log(`data: ${samples.length} labelled images from ${data}`);
  const images = samples.map(toTrainingImage);
  const model = buildUNet(arch, settings.seed);
  console.log(`model: U-Net base ${arch.base}, depth ${arch.depth}, ${model.countParams().toLocaleString('en')} parameters`);
  const ckpt = `${out}.checkpoint`;
  if (v.resume && !existsSync(ckpt)) throw new Error(`--resume: no checkpoint at ${ckpt}`);
  let lastPrint = 0;
  const result = await train({
    model,
    images,
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
