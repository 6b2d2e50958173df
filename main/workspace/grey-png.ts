/**
 * One-channel 8-bit PNG encoding. sharp treats raw 1-channel input as colour unless told otherwise and
 * would write a 3-channel PNG; labels and masks must be true 8-bit grey files.
 */
import sharp from 'sharp';
import type { Mask } from '../engine/types';

export async function encodeGrey8Png(data: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const buf = await sharp(data, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** A 0/1 (or 0/non-zero) mask as a 0/255 PNG. */
export function encodeMask255Png(mask: Mask): Promise<Uint8Array> {
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] ? 255 : 0;
  return encodeGrey8Png(out, mask.width, mask.height);
}
