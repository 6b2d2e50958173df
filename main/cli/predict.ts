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
  const fovDiameter = v['fov-diameter'] === undefined ? null : num(v['fov-diameter'], 0, 'fov-diameter');
  const p = await predictImage(loaded, img, { runner, fovDiameter });
  const ms = performance.now() - t0;
  await close();
  await writeOut(out, await probabilityToPng(p));
  // Full-precision probabilities: little-endian float32, row-major, width x height.
  if (v.float) await writeOut(resolve(v.float), new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength));
  console.log(
    `${out}: ${img.width}x${img.height} vessel probability in ${ms.toFixed(0)} ms on ${backend.name} (${backend.device}, ${runner.slots} ${runner.slots > 1 ? 'worker threads' : 'thread'})`,
  );
  const s = p.scale;
  const how = {
    fov: 'measured from the field of view',
    user: 'as set with --fov-diameter',
    'image-width': 'assumed: the image width',
    calibre: 'estimated from the widest vessels',
  }[s.source];
  console.log(
    `scale: FOV diameter ${s.fovDiameter.toFixed(0)} px (${how}); ${s.factor === 1 ? 'predicted at native resolution' : `resampled x${s.factor.toFixed(3)} to the model's working scale and back`}`,
  );
  if (s.note) console.log(`note: ${s.note}`);
}
