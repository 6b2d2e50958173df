/**
 * Whole-photograph prediction time, as the app and `predict` pay it (FOV mask, scale, resampling,
 * network, back to full resolution), at three sizes: DRIVE (565x584), LES-AV (1620x1444) and a
 * 3504x2336 frame (an LES-AV photograph enlarged into it: this project holds no such camera). Each
 * size runs twice in one run — at the model's working scale and at native resolution (how every
 * photo was predicted before scale normalisation) — so the ratio is fair under any machine load.
 */
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { initBackend } from '../engine/backends';
import { readImage } from '../engine/data/image-io';
import { loadModel } from '../engine/model-io';
import { predictImage } from '../engine/predict';
import { runnerFor } from '../engine/tile-runner';
import type { RgbImage } from '../engine/types';
import type { Args } from './args';
import { backendOption, dataFolder, intOption, LIMITS as L, requiredOption, UsageError } from './options';

async function photographs(data: string): Promise<{ name: string; image: RgbImage }[]> {
  const drive = await readImage(join(data, 'DRIVE', 'test', 'images', '01_test.tif'));
  const lesav = await readImage(join(data, 'LES-AV', 'images', '12.png'));
  const big = await sharp(join(data, 'LES-AV', 'images', '12.png'))
    .resize(2620, 2336)
    .extend({ left: 442, right: 442, background: '#000' })
    .jpeg({ quality: 92 })
    .toBuffer();
  return [
    { name: 'DRIVE 565x584', image: drive },
    { name: 'LES-AV 1620x1444', image: lesav },
    { name: '3504x2336', image: await readImage(new Uint8Array(big)) },
  ];
}

export async function runBenchPredict(args: Args): Promise<void> {
  const v = args.values;
  const modelDir = resolve(requiredOption(v.model, 'model'));
  const data = v.data === undefined ? resolve('../shared/data') : dataFolder(v.data);
  const workers = v.workers === undefined ? undefined : intOption(v.workers, 'workers', 1, 1, L.workers);
  const reps = intOption(v.steps, 'steps', 3, 1, 100);
  const backend = await initBackend(backendOption(v.backend));
  const loaded = await loadModel(modelDir);
  if (!loaded.meta.scale) throw new UsageError(`${loaded.dir} has no working scale: nothing to compare with native resolution`);
  const { runner, close } = await runnerFor(loaded, backend.name, workers);
  const native = { ...loaded, meta: { ...loaded.meta, scale: null } };
  console.log(
    `model ${loaded.dir} (working FOV ${loaded.meta.scale.fovDiameter} px) · ${backend.name} (${backend.device}), ${runner.slots} thread(s), best of ${reps}`,
  );
  console.log('| photograph | working scale: ms | native: ms | working / native | resampling | RSS growth, MiB |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const photos = await photographs(data);
  // Warm-up (worker start, kernel set-up) outside the timings.
  await predictImage(loaded, photos[0].image, { runner });
  for (const { name, image } of photos) {
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const time = async (m: typeof loaded | typeof native) => {
      let best = Infinity;
      let factor = 1;
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        const p = await predictImage(m, image, { runner, onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) });
        best = Math.min(best, performance.now() - t0);
        factor = p.scale.factor;
        peak = Math.max(peak, process.memoryUsage().rss);
      }
      return { best, factor };
    };
    const a = await time(loaded);
    const b = await time(native);
    console.log(
      `| ${name} | ${a.best.toFixed(0)} | ${b.best.toFixed(0)} | ${(a.best / b.best).toFixed(2)} | x${a.factor.toFixed(3)} | ${((peak - rss0) / 2 ** 20).toFixed(0)} |`,
    );
  }
  await close();
}
