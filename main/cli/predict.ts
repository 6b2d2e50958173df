import { resolve } from 'node:path';
import { initBackend, parseBackend } from '../engine/backends';
import { readImage } from '../engine/data/image-io';
import { loadModel } from '../engine/model-io';
import { predictImage, probabilityToPng } from '../engine/predict';
import { num, required, writeOut, type Args } from '../cli';
import { runnerFor } from '../engine/tile-runner';

export async function runPredict(args: Args): Promise<void> {
  const v = args.values;
  const image = args.positionals[0];
  if (!image) throw new Error('name the image to predict: predict --model <dir> <image> --out <png>');
  const out = resolve(required(v.out, 'out'));
  const backend = await initBackend(parseBackend(v.backend));
  const loaded = await loadModel(resolve(required(v.model, 'model')));
  const img = await readImage(resolve(image));
  const { runner, close } = await runnerFor(loaded, backend.name, v.workers ? num(v.workers, 1, 'workers') : undefined);
  const t0 = performance.now();
  const p = await predictImage(loaded, img, { runner });
  const ms = performance.now() - t0;
  await close();
  await writeOut(out, await probabilityToPng(p));
  // Full-precision probabilities: little-endian float32, row-major, width x height.
  if (v.float) await writeOut(resolve(v.float), new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength));
  console.log(`${out}: ${img.width}x${img.height} vessel probability in ${ms.toFixed(0)} ms on ${backend.name} (${backend.device}, ${runner.slots} ${runner.slots > 1 ? 'worker threads' : 'thread'})`);
}
