/**
 * Model input from a photograph and its field-of-view mask, [H, W, 3] floats, 0 outside the FOV.
 * Each model records the method it was trained with (meta.json `preprocessing`), and prediction uses
 * the same one.
 *  - `fov-standardize-v1`: each colour channel standardised with the mean and spread of the FOV.
 *    Makes the model indifferent to exposure and gain, not to uneven illumination.
 *  - `fov-local-v1`: each channel as contrast against its local background (a wide Gaussian average
 *    inside the FOV): (x − background) / background, then scaled by that contrast's spread over the
 *    FOV. Illumination multiplies both the vessel and its background, so the ratio removes vignetting
 *    and uneven lighting, and the colour cast of each camera. (Dividing by a local *spread* was tried:
 *    it blows up noise and JPEG blocks in flat regions.)
 */
import type { Mask, RgbImage } from './types';

export const PREPROCESSINGS = ['fov-standardize-v1', 'fov-local-v1'] as const;
export type Preprocessing = (typeof PREPROCESSINGS)[number];

export function isPreprocessing(v: unknown): v is Preprocessing {
  return (PREPROCESSINGS as readonly unknown[]).includes(v);
}

/** Local background scale as a share of the FOV diameter (the input is at the model's working scale). */
const LOCAL_SIGMA_SHARE = 1 / 24;

export function preprocess(method: Preprocessing, img: RgbImage, fov: Mask, fovDiameter: number): Float32Array {
  return method === 'fov-local-v1' ? localNormalize(img, fov, Math.max(2, fovDiameter * LOCAL_SIGMA_SHARE)) : standardize(img, fov);
}

function fovCount(fov: Mask): number {
  let count = 0;
  for (let i = 0; i < fov.data.length; i++) if (fov.data[i]) count++;
  if (count === 0) throw new Error('the field-of-view mask is empty');
  return count;
}

/** Returns a Float32Array [H, W, 3]. */
export function standardize(img: RgbImage, fov: Mask): Float32Array {
  const n = img.width * img.height;
  const count = fovCount(fov);
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    if (!fov.data[i]) continue;
    for (let c = 0; c < 3; c++) {
      const v = img.data[i * 3 + c];
      sum[c] += v;
      sq[c] += v * v;
    }
  }
  const mean = sum.map((s) => s / count);
  const inv = sq.map((s, c) => 1 / Math.max(Math.sqrt(s / count - mean[c] ** 2), 1));
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    if (!fov.data[i]) continue;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = (img.data[i * 3 + c] - mean[c]) * inv[c];
  }
  return out;
}

/**
 * In-place box blur of radius r along rows then columns of an interleaved [h, w, c] array (edges
 * clamped). Running sums add the sample entering the window and drop the one leaving it; indices past
 * an end repeat the end sample. Columns run all together, row by row, so memory is read in order.
 */
function boxBlur(a: Float32Array, w: number, h: number, c: number, r: number, tmp: Float32Array): void {
  const norm = 1 / (2 * r + 1);
  const acc = new Float64Array(w * c);
  for (let y = 0; y < h; y++) {
    const start = y * w * c;
    const at = (k: number, ch: number) => a[start + (k < 0 ? 0 : k >= w ? w - 1 : k) * c + ch];
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      for (let k = -r; k <= r; k++) sum += at(k, ch);
      let i = 0;
      for (; i < w && i < r; i++) {
        tmp[start + i * c + ch] = sum * norm;
        sum += at(i + r + 1, ch) - at(i - r, ch);
      }
      for (; i < w - r - 1; i++) {
        tmp[start + i * c + ch] = sum * norm;
        sum += a[start + (i + r + 1) * c + ch] - a[start + (i - r) * c + ch];
      }
      for (; i < w; i++) {
        tmp[start + i * c + ch] = sum * norm;
        sum += at(i + r + 1, ch) - at(i - r, ch);
      }
    }
  }
  const rowLen = w * c;
  const row = (k: number) => (k < 0 ? 0 : k >= h ? h - 1 : k) * rowLen;
  acc.fill(0);
  for (let k = -r; k <= r; k++) {
    const o = row(k);
    for (let x = 0; x < rowLen; x++) acc[x] += tmp[o + x];
  }
  for (let y = 0; y < h; y++) {
    const o = y * rowLen;
    const enter = row(y + r + 1);
    const leave = row(y - r);
    for (let x = 0; x < rowLen; x++) {
      a[o + x] = acc[x] * norm;
      acc[x] += tmp[enter + x] - tmp[leave + x];
    }
  }
}

/** Gaussian-like blur (three box passes) of standard deviation ≈ sigma, of an interleaved [h, w, c] array. */
function gaussBlur(a: Float32Array, w: number, h: number, c: number, sigma: number): void {
  // Three boxes of radius r have variance 3·((2r+1)² − 1)/12 = r(r+1).
  const r = Math.max(1, Math.round((Math.sqrt(1 + 4 * sigma * sigma) - 1) / 2));
  const tmp = new Float32Array(a.length);
  for (let k = 0; k < 3; k++) boxBlur(a, w, h, c, r, tmp);
}

/**
 * Per channel: (x − bg) / bg, scaled to unit spread over the FOV. The background bg is a blur
 * restricted to the FOV (normalised convolution: blur(x·fov) / blur(fov)), so the dark border never
 * leaks in; it is floored at a quarter of its FOV mean so dark rims do not amplify noise.
 */
export function localNormalize(img: RgbImage, fov: Mask, sigma: number): Float32Array {
  const { width: w, height: h } = img;
  const n = w * h;
  const count = fovCount(fov);
  const weight = new Float32Array(n);
  for (let i = 0; i < n; i++) weight[i] = fov.data[i] ? 1 : 0;
  gaussBlur(weight, w, h, 1, sigma);
  const out = new Float32Array(n * 3);
  const background = new Float32Array(n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) background[i] = fov.data[i] ? img.data[i * 3 + c] : 0;
    gaussBlur(background, w, h, 1, sigma);
    let meanBg = 0;
    for (let i = 0; i < n; i++) {
      if (!fov.data[i]) continue;
      background[i] /= Math.max(weight[i], 1e-6);
      meanBg += background[i];
    }
    const floor = Math.max(1, (0.25 * meanBg) / count);
    let sq = 0;
    for (let i = 0; i < n; i++) {
      if (!fov.data[i]) continue;
      const d = (img.data[i * 3 + c] - background[i]) / Math.max(background[i], floor);
      out[i * 3 + c] = d;
      sq += d * d;
    }
    const inv = 1 / Math.max(Math.sqrt(sq / count), 1e-3);
    for (let i = 0; i < n; i++) out[i * 3 + c] *= inv;
  }
  return out;
}
