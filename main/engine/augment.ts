/**
 * Crop extraction with the seed's augmentations. Geometry (flips, rotation, shear, zoom, shift) is one
 * affine map applied to the image and the label together, so they cannot drift apart; photometric
 * changes (brightness, contrast, saturation) touch only the image.
 */
import type { Rng } from './rng';

export interface AugmentOptions {
  /** Random horizontal and vertical flips. */
  flip: boolean;
  /** Largest rotation, degrees. */
  rotation: number;
  /** Largest shear, degrees (Keras' shear_range). */
  shear: number;
  /** Largest relative zoom per axis: 0.1 samples scales in [0.9, 1.1] (anisotropic). */
  zoom: number;
  /** Largest isotropic scale change as a factor: 1.3 samples [1/1.3, 1.3] (log-uniform); 1: none. */
  scale: number;
  /** Largest additive brightness change, in standard deviations of the input. */
  brightness: number;
  /** Largest relative contrast change. */
  contrast: number;
  /** Largest relative saturation change. */
  saturation: number;
}

export const SEED_AUGMENT: AugmentOptions = {
  flip: true,
  rotation: 15,
  shear: 10,
  zoom: 0.1,
  scale: 1,
  brightness: 0.1,
  contrast: 0.1,
  saturation: 0.1,
};
export const NO_AUGMENT: AugmentOptions = {
  flip: false,
  rotation: 0,
  shear: 0,
  zoom: 0,
  scale: 1,
  brightness: 0,
  contrast: 0,
  saturation: 0,
};
/**
 * For models meant for any camera: any rotation (fundus photos have no preferred orientation once
 * left and right eyes are mixed), and vessel widths varying around the working scale as they do
 * between cameras' angles of view (30°-50°).
 */
export const CAMERA_AUGMENT: AugmentOptions = { ...SEED_AUGMENT, rotation: 180, scale: 1.35 };

/** 2x2 matrix mapping crop offsets (from the crop centre) to source offsets, row-major. */
export type Affine = [number, number, number, number];

export interface Photometric {
  brightness: number;
  contrast: number;
  saturation: number;
}

export function randomAffine(o: AugmentOptions, rng: Rng): Affine {
  const deg = Math.PI / 180;
  const t = rng.uniform(-o.rotation, o.rotation) * deg;
  const sh = Math.tan(rng.uniform(-o.shear, o.shear) * deg);
  const iso = o.scale > 1 ? Math.exp(rng.uniform(-Math.log(o.scale), Math.log(o.scale))) : 1;
  const zx = iso * (1 + rng.uniform(-o.zoom, o.zoom));
  const zy = iso * (1 + rng.uniform(-o.zoom, o.zoom));
  const fx = o.flip && rng.chance(0.5) ? -1 : 1;
  const fy = o.flip && rng.chance(0.5) ? -1 : 1;
  const c = Math.cos(t);
  const s = Math.sin(t);
  // R · Shear · diag(zx·fx, zy·fy)
  const a = zx * fx;
  const d = zy * fy;
  return [c * a, (c * sh - s) * d, s * a, (s * sh + c) * d];
}

export function randomPhotometric(o: AugmentOptions, rng: Rng): Photometric {
  return {
    brightness: rng.uniform(-o.brightness, o.brightness),
    contrast: 1 + rng.uniform(-o.contrast, o.contrast),
    saturation: 1 + rng.uniform(-o.saturation, o.saturation),
  };
}

/** How far (in source pixels) a crop of `size` can reach from its centre under `m`. */
export function reach(m: Affine, size: number): number {
  const h = size / 2;
  return Math.max(Math.abs(m[0]) * h + Math.abs(m[1]) * h, Math.abs(m[2]) * h + Math.abs(m[3]) * h);
}

export interface CropSource {
  width: number;
  height: number;
  /** [H, W, 3] model input. */
  input: Float32Array;
  /** [H, W] 0/1 vessel label. */
  label: Uint8Array;
  /** [H, W] per-pixel loss weight (optional). */
  weight?: Float32Array;
}

/** Where a crop's sampled values go: x (size²·3), y (size²) and, when the source has weights, w (size²). */
export interface CropTarget {
  x: Float32Array;
  xOff: number;
  y: Float32Array;
  yOff: number;
  w?: Float32Array | null;
}

/**
 * Writes a `size`² crop centred at (cx, cy) through `m` into `t`. Bilinear sampling; the label is
 * sampled the same way and thresholded at 0.5, loss weights by nearest neighbour (1 when the source
 * has none); outside the image all are 0.
 */
export function extractCrop(src: CropSource, cx: number, cy: number, size: number, m: Affine, p: Photometric | null, t: CropTarget): void {
  const { width: w, height: h, input, label, weight } = src;
  const { x, xOff, y, yOff } = t;
  const half = size / 2 - 0.5;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const du = u - half;
      const dv = v - half;
      const sx = cx + m[0] * du + m[1] * dv;
      const sy = cy + m[2] * du + m[3] * dv;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const ax = sx - x0;
      const ay = sy - y0;
      let r = 0;
      let g = 0;
      let b = 0;
      let l = 0;
      for (let k = 0; k < 4; k++) {
        const xx = x0 + (k & 1);
        const yy = y0 + (k >> 1);
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const wt = (k & 1 ? ax : 1 - ax) * (k >> 1 ? ay : 1 - ay);
        if (wt === 0) continue;
        const idx = yy * w + xx;
        r += wt * input[idx * 3];
        g += wt * input[idx * 3 + 1];
        b += wt * input[idx * 3 + 2];
        l += wt * label[idx];
      }
      const o = v * size + u;
      if (p) {
        const grey = (r + g + b) / 3;
        r = (grey + p.saturation * (r - grey)) * p.contrast + p.brightness;
        g = (grey + p.saturation * (g - grey)) * p.contrast + p.brightness;
        b = (grey + p.saturation * (b - grey)) * p.contrast + p.brightness;
      }
      x[xOff + o * 3] = r;
      x[xOff + o * 3 + 1] = g;
      x[xOff + o * 3 + 2] = b;
      y[yOff + o] = l >= 0.5 ? 1 : 0;
      if (t.w) {
        const nx = Math.round(sx);
        const ny = Math.round(sy);
        t.w[yOff + o] = nx < 0 || ny < 0 || nx >= w || ny >= h ? 0 : weight ? weight[ny * w + nx] : 1;
      }
    }
  }
}
