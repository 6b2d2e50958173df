/** The compute process's measure job: read the photograph, its field of view and vessel map; measure; render. */
import { analyzeImage } from '../analysis/analyze-image';
import { vesselsFromBytes } from '../analysis/threshold';
import { deriveFovMask } from '../engine/data/fov';
import { encodeMaskPng, readImage, readMask } from '../engine/data/image-io';
import { renderOverlay } from '../export/overlay';
import type { MeasureResult, MeasureTask } from './protocol';

export async function measure(task: MeasureTask, progress: (done: number, total: number, message: string) => void): Promise<MeasureResult> {
  progress(0, 2, 'Reading the image');
  const img = await readImage(task.photoPath);
  const fov = task.fovPath ? await readMask(task.fovPath, img) : deriveFovMask(img);
  let vessels;
  if (task.threshold === null) vessels = await readMask(task.vesselsPath, img);
  else {
    // A stored prediction: an 8-bit grey PNG of probability × 255 (decoded as RGB, all channels equal).
    const grey = await readImage(task.vesselsPath);
    const bytes = new Uint8Array(grey.width * grey.height);
    for (let i = 0; i < bytes.length; i++) bytes[i] = grey.data[i * 3];
    vessels = vesselsFromBytes(bytes, grey.width, grey.height, task.threshold);
  }
  if (vessels.width !== img.width || vessels.height !== img.height)
    throw new Error(`the vessel map is ${vessels.width}x${vessels.height}, the photograph ${img.width}x${img.height}`);
  progress(1, 2, 'Measuring');
  const measurements = analyzeImage(img, vessels, fov, task.settings);
  if (!task.render) return { measurements, maskPng: null, overlayPng: null };
  for (let i = 0; i < vessels.data.length; i++) vessels.data[i] &= fov.data[i];
  return { measurements, maskPng: await encodeMaskPng(vessels), overlayPng: await renderOverlay(img, vessels, measurements) };
}
