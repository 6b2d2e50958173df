/**
 * Reading photographs and masks into plain arrays, and writing 8-bit PNGs.
 * sharp decodes TIFF/JPEG/PNG/GIF/WebP (16-bit, grey and alpha images are converted to 8-bit RGB);
 * PPM/PGM go through our own parser. Every failure is an Error with a message a person can act on.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { Mask, RgbImage } from '../types';
import { assertSameSize } from '../types';
import { decodeNetpbm, isNetpbm } from './ppm';

/** Largest photograph accepted (a 3504x2336 fundus camera image is 8.2 MP). */
export const MAX_IMAGE_PIXELS = 50_000_000;

export type ImageInput = string | Uint8Array;

async function bytesOf(input: ImageInput): Promise<{ bytes: Uint8Array; name: string }> {
  if (typeof input !== 'string') return { bytes: input, name: 'image' };
  try {
    return { bytes: new Uint8Array(await readFile(input)), name: basename(input) };
  } catch (e) {
    throw new Error(`${basename(input)}: cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Why an image of this size is refused, or null. */
function sizeProblem(width: number, height: number): string | null {
  if (width * height <= MAX_IMAGE_PIXELS) return null;
  return `image is ${width}x${height} (${((width * height) / 1e6).toFixed(0)} MP); the largest accepted is ${MAX_IMAGE_PIXELS / 1e6} MP`;
}

function refuseLarge(width: number, height: number): void {
  const problem = sizeProblem(width, height);
  if (problem) throw new Error(problem);
}

async function decode(input: ImageInput, channels: 1 | 3): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { bytes, name } = await bytesOf(input);
  if (bytes.length === 0) throw new Error(`${name}: file is empty`);
  if (isNetpbm(bytes)) {
    let rgb: RgbImage;
    try {
      rgb = decodeNetpbm(bytes, refuseLarge);
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`);
    }
    if (channels === 3) return rgb;
    const grey = new Uint8Array(rgb.width * rgb.height);
    for (let i = 0; i < grey.length; i++) grey[i] = rgb.data[i * 3];
    return { width: rgb.width, height: rgb.height, data: grey };
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new Error(`${name}: not a readable image (${(e as Error).message.replace(/^Input (buffer|file) /, '')})`);
  }
  if (!meta.width || !meta.height) throw new Error(`${name}: image has no size`);
  const problem = sizeProblem(meta.width, meta.height);
  if (problem) throw new Error(`${name}: ${problem}`);
  try {
    let img = sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate();
    img = channels === 3 ? img.removeAlpha().toColourspace('srgb') : img.extractChannel(0);
    const { data, info } = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) throw new Error(`decoded ${info.channels} channels, expected ${channels}`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (e) {
    throw new Error(`${name}: corrupt or unsupported image (${(e as Error).message})`);
  }
}

/** A photograph as 8-bit RGB. */
export async function readImage(input: ImageInput): Promise<RgbImage> {
  return decode(input, 3);
}

/**
 * A vessel label or FOV mask: any 8-bit/1-bit image, pixel >= 128 means "in" (as labels are saved):
 * DRIVE's 2nd-observer GIFs draw their background as 4, not 0. Returns 0/1 bytes.
 * With `like`, the mask must have that size.
 */
export async function readMask(input: ImageInput, like?: { width: number; height: number }): Promise<Mask> {
  const grey = await readGrey(input, like);
  const data = new Uint8Array(grey.data.length);
  for (let i = 0; i < data.length; i++) data[i] = grey.data[i] >= 128 ? 1 : 0;
  return { width: grey.width, height: grey.height, data };
}

/** The first channel of an image, 8-bit; with `like`, the image must have that size. */
export async function readGrey(input: ImageInput, like?: { width: number; height: number }): Promise<Mask> {
  const grey = await decode(input, 1);
  if (like) assertSameSize(like, grey, typeof input === 'string' ? basename(input) : 'mask');
  return grey;
}

/** One-channel 8-bit PNG. */
export async function encodeGreyPng(data: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  // Without 'b-w', sharp writes one-channel raw input as an RGB PNG.
  const buf = await sharp(data, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 6 })
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** RGB 8-bit PNG. */
export async function encodeRgbPng(img: RgbImage): Promise<Uint8Array> {
  const buf = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** A 0/1 mask as a 0/255 PNG. */
export function encodeMaskPng(mask: Mask): Promise<Uint8Array> {
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] ? 255 : 0;
  return encodeGreyPng(out, mask.width, mask.height);
}
