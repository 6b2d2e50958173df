/**
 * Model input: each colour channel standardised with the mean and spread of the pixels inside the
 * field of view, and 0 outside it. Makes the model indifferent to camera exposure and gain, which
 * vary far more between clinics than vessel appearance does.
 */
import type { Mask, RgbImage } from './types';

export const PREPROCESSING = 'fov-standardize-v1';

/** Returns a Float32Array [H, W, 3]. */
export function standardize(img: RgbImage, fov: Mask): Float32Array {
  const n = img.width * img.height;
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!fov.data[i]) continue;
    count++;
    for (let c = 0; c < 3; c++) {
      const v = img.data[i * 3 + c];
      sum[c] += v;
      sq[c] += v * v;
    }
  }
  if (count === 0) throw new Error('the field-of-view mask is empty');
  const mean = sum.map((s) => s / count);
  const inv = sq.map((s, c) => 1 / Math.max(Math.sqrt(s / count - mean[c] ** 2), 1));
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    if (!fov.data[i]) continue;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = (img.data[i * 3 + c] - mean[c]) * inv[c];
  }
  return out;
}
