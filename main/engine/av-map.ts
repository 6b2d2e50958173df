/**
 * Artery/vein maps as classes per pixel, converted from and to RITE's colour code (also LES-AV's):
 * red artery, blue vein, green crossing, white uncertain, black background. Each channel is read as on
 * (>= 128) or off, so a label saved with slightly different shades still reads; the combinations the
 * code does not use (yellow, magenta, cyan) count as uncertain, which training and scoring leave out.
 */
import { resample } from './geometry/resample';
import { scaledSize } from './geometry/working-scale';
import { AV, type AvClass, type AvMap, type Mask, type RgbImage } from './types';

/** RITE's colour of each class, by class number. */
export const AV_RGB: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [255, 0, 0],
  [0, 0, 255],
  [0, 255, 0],
  [255, 255, 255],
];

/** Class of each on/off combination of red, green, blue (index r·4 + g·2 + b). */
const BY_BITS: readonly AvClass[] = [
  AV.background, // black
  AV.vein, // blue
  AV.crossing, // green
  AV.uncertain, // cyan
  AV.artery, // red
  AV.uncertain, // magenta
  AV.uncertain, // yellow
  AV.uncertain, // white
];

export function avFromRgb(img: RgbImage): AvMap {
  const n = img.width * img.height;
  const data = new Uint8Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) data[i] = BY_BITS[(d[i * 3] >= 128 ? 4 : 0) + (d[i * 3 + 1] >= 128 ? 2 : 0) + (d[i * 3 + 2] >= 128 ? 1 : 0)];
  return { width: img.width, height: img.height, data };
}

export function avToRgb(av: AvMap): RgbImage {
  const data = new Uint8Array(av.data.length * 3);
  for (let i = 0; i < av.data.length; i++) {
    const c = AV_RGB[av.data[i]] ?? AV_RGB[AV.uncertain];
    data[i * 3] = c[0];
    data[i * 3 + 1] = c[1];
    data[i * 3 + 2] = c[2];
  }
  return { width: av.width, height: av.height, data };
}

/** Pixels of any of `classes`. */
export function avMask(av: AvMap, classes: readonly AvClass[]): Mask {
  const on = new Uint8Array(5);
  for (const c of classes) on[c] = 1;
  const data = new Uint8Array(av.data.length);
  for (let i = 0; i < data.length; i++) data[i] = on[av.data[i]];
  return { width: av.width, height: av.height, data };
}

/** Every labelled vessel pixel, whatever its class. */
export function avVessels(av: AvMap): Mask {
  return avMask(av, [AV.artery, AV.vein, AV.crossing, AV.uncertain]);
}

/**
 * The label resampled by `factor` (as images are brought to a model's working scale): each output
 * pixel is vessel when at least half of what it covers was, and takes the class covering most of it.
 */
export function resampleAv(av: AvMap, factor: number): AvMap {
  if (factor === 1) return av;
  const { width: w, height: h } = av;
  const size = scaledSize(w, h, factor);
  // One channel per vessel class (artery, vein, crossing, uncertain): the share of each.
  const shares = new Uint8Array(w * h * 4);
  for (let i = 0; i < av.data.length; i++) if (av.data[i]) shares[i * 4 + av.data[i] - 1] = 1;
  const f = resample(shares, w, h, 4, size.width, size.height);
  const data = new Uint8Array(size.width * size.height);
  for (let i = 0; i < data.length; i++) {
    let total = 0;
    let best = 0;
    for (let c = 0; c < 4; c++) {
      const v = f[i * 4 + c];
      total += v;
      if (v > f[i * 4 + best]) best = c;
    }
    data[i] = total >= 0.5 ? best + 1 : AV.background;
  }
  return { ...size, data };
}
