/**
 * What differs between fundus cameras besides scale, simulated on a whole photograph (8-bit RGB,
 * before preprocessing, so the network sees exactly what prediction would give it): gamma, contrast,
 * brightness, white balance, uneven illumination, blur, sensor noise and JPEG compression.
 */
import sharp from 'sharp';
import type { Rng } from './rng';
import type { Mask, RgbImage } from './types';

export interface PhotometricOptions {
  /** Largest gamma change as a factor: 1.5 samples gamma in [1/1.5, 1.5] (log-uniform). */
  gamma: number;
  /** Largest contrast change as a factor (log-uniform), around the FOV mean. */
  contrast: number;
  /** Largest brightness change, as a share of the full range. */
  brightness: number;
  /** Largest per-channel gain change (white balance) as a factor (log-uniform). */
  colour: number;
  /** Largest illumination fall-off across the FOV: 0.4 darkens one side by up to 40%. */
  illumination: number;
  /** Largest Gaussian blur, in pixels (sigma); applied to half of the images. */
  blur: number;
  /** Largest noise standard deviation, in grey levels; applied to half of the images. */
  noise: number;
  /** Lowest JPEG quality (1-100); half of the images are compressed; 0: never. */
  jpegQuality: number;
}

export const NO_PHOTOMETRIC: PhotometricOptions = {
  gamma: 1,
  contrast: 1,
  brightness: 0,
  colour: 1,
  illumination: 0,
  blur: 0,
  noise: 0,
  jpegQuality: 0,
};

export const CAMERA_PHOTOMETRIC: PhotometricOptions = {
  gamma: 1.6,
  contrast: 1.5,
  brightness: 0.1,
  colour: 1.25,
  illumination: 0.5,
  blur: 1.2,
  noise: 6,
  jpegQuality: 35,
};

export function isIdentity(o: PhotometricOptions): boolean {
  return (
    o.gamma === 1 &&
    o.contrast === 1 &&
    o.brightness === 0 &&
    o.colour === 1 &&
    o.illumination === 0 &&
    o.blur === 0 &&
    o.noise === 0 &&
    o.jpegQuality === 0
  );
}

const logUniform = (rng: Rng, f: number) => Math.exp(rng.uniform(-Math.log(f), Math.log(f)));

/** A randomly changed copy of `img` (pixels outside the FOV keep their value). */
export async function randomPhotometric(img: RgbImage, fov: Mask, o: PhotometricOptions, rng: Rng): Promise<RgbImage> {
  const { width: w, height: h } = img;
  const n = w * h;
  const gamma = logUniform(rng, o.gamma);
  const contrast = logUniform(rng, o.contrast);
  const brightness = rng.uniform(-o.brightness, o.brightness) * 255;
  const gains = [0, 1, 2].map(() => logUniform(rng, o.colour));
  // Illumination: a linear ramp in a random direction, from 1 down to 1 − depth across the image.
  const depth = rng.uniform(0, o.illumination);
  const angle = rng.uniform(0, 2 * Math.PI);
  const blur = o.blur > 0 && rng.chance(0.5) ? rng.uniform(0.3, o.blur) : 0;
  const noise = o.noise > 0 && rng.chance(0.5) ? rng.uniform(0, o.noise) : 0;
  const jpeg = o.jpegQuality > 0 && rng.chance(0.5) ? Math.round(rng.uniform(o.jpegQuality, 95)) : 0;
  const noiseSeed = rng.int(2 ** 31);

  let mean = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!fov.data[i]) continue;
    mean += (img.data[i * 3] + img.data[i * 3 + 1] + img.data[i * 3 + 2]) / 3;
    count++;
  }
  mean = count ? mean / count : 128;
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = 255 * (v / 255) ** gamma;
  const meanG = 255 * (mean / 255) ** gamma;
  const cx = Math.cos(angle);
  const cy = Math.sin(angle);
  const span = Math.abs(cx) * w + Math.abs(cy) * h;
  const out = new Float32Array(n * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const t = ((x - w / 2) * cx + (y - h / 2) * cy) / span + 0.5;
      const light = 1 - depth * t;
      for (let c = 0; c < 3; c++) {
        const v = img.data[i * 3 + c];
        out[i * 3 + c] = fov.data[i] ? ((lut[v] - meanG) * contrast + meanG + brightness) * gains[c] * light : v;
      }
    }
  }
  if (blur > 0) gaussian3(out, w, h, blur);
  if (noise > 0) {
    // xorshift + Box-Muller: fast, and seeded from the run's RNG so a run repeats.
    let s = noiseSeed | 1;
    const u = () => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return ((s >>> 0) + 0.5) / 4294967296;
    };
    for (let i = 0; i < n; i++) {
      if (!fov.data[i]) continue;
      for (let c = 0; c < 3; c++) out[i * 3 + c] += noise * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    }
  }
  const bytes = new Uint8Array(n * 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.min(255, Math.max(0, Math.round(out[i])));
  if (!jpeg) return { width: w, height: h, data: bytes };
  const { data } = await sharp(bytes, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: jpeg, chromaSubsampling: '4:2:0' })
    .toBuffer()
    .then((b) => sharp(b).raw().toBuffer({ resolveWithObject: true }));
  return { width: w, height: h, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Separable Gaussian blur of an interleaved RGB float image (edges clamped). */
function gaussian3(a: Float32Array, w: number, h: number, sigma: number): void {
  const r = Math.ceil(3 * sigma);
  const k = Float32Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((s, v) => s + v, 0);
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  const tmp = new Float32Array(Math.max(w, h) * 3);
  const pass = (len: number, stride: number, start: number) => {
    for (let i = 0; i < len; i++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let d = -r; d <= r; d++) acc += k[d + r] * a[start + Math.min(len - 1, Math.max(0, i + d)) * stride + c];
        tmp[i * 3 + c] = acc;
      }
    }
    for (let i = 0; i < len; i++) for (let c = 0; c < 3; c++) a[start + i * stride + c] = tmp[i * 3 + c];
  };
  for (let y = 0; y < h; y++) pass(w, 3, y * w * 3);
  for (let x = 0; x < w; x++) pass(h, w * 3, x * 3);
}
