import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { initBackend } from '../engine/backends';
import { readImage } from '../engine/data/image-io';
import { loadModel } from '../engine/model-io';
import { predictImage, probabilityToPng } from '../engine/predict';
import type { Args } from './args';
import { backendOption, intOption, LIMITS as L, numberOption, outputFile, requiredOption, UsageError } from './options';
import { runnerFor } from '../engine/tile-runner';

export async function runPredict(args: Args): Promise<void> {
  const v = args.values;
  const image = args.positionals[0];
  if (!image) throw new UsageError('name the image to predict: predict --model <dir> <image> --out <png>');
  const out = outputFile(v.out, 'out');
  const float = v.float === undefined ? null : outputFile(v.float, 'float');
  const modelDir = resolve(requiredOption(v.model, 'model'));
  const workers = v.workers === undefined ? undefined : intOption(v.workers, 'workers', 1, 1, L.workers);
  const fovDiameter = v['fov-diameter'] === undefined ? null : numberOption(v['fov-diameter'], 'fov-diameter', 0, { min: 16, max: 20000 });
  const backend = await initBackend(backendOption(v.backend));
  const loaded = await loadModel(modelDir);
  const img = await readImage(resolve(image));
  const { runner, close } = await runnerFor(loaded, backend.name, workers);
  const t0 = performance.now();
  const p = await predictImage(loaded, img, { runner, fovDiameter });
  const ms = performance.now() - t0;
  await close();
  await writeFile(out, await probabilityToPng(p));
  // Full-precision probabilities: little-endian float32, row-major, width x height.
  if (float) await writeFile(float, new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength));
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
