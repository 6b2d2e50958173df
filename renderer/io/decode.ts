/** Browser-only PNG decoding through createImageBitmap + canvas. */

export interface DecodedPhoto {
  bitmap: ImageBitmap;
  width: number;
  height: number;
}

function blobOf(bytes: Uint8Array): Blob {
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' });
}

export async function decodePhoto(png: Uint8Array): Promise<DecodedPhoto> {
  const bitmap = await createImageBitmap(blobOf(png));
  return { bitmap, width: bitmap.width, height: bitmap.height };
}

function context(width: number, height: number): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D {
  if (typeof OffscreenCanvas !== 'undefined') {
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (ctx) return ctx;
  }
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas context');
  return ctx;
}

/**
 * Decode a PNG and return its first channel, one byte per pixel (grey PNGs decode to R=G=B). Colour-space
 * conversion is off so the bytes are the file's bytes. `threshold` maps to 0/1 (value >= threshold).
 */
export async function decodeChannel(png: Uint8Array, threshold?: number): Promise<{ data: Uint8Array; width: number; height: number }> {
  const bitmap = await createImageBitmap(blobOf(png), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const { width, height } = bitmap;
  const ctx = context(width, height);
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const out = new Uint8Array(width * height);
  if (threshold === undefined) for (let i = 0, j = 0; i < out.length; i++, j += 4) out[i] = rgba[j];
  else for (let i = 0, j = 0; i < out.length; i++, j += 4) out[i] = rgba[j] >= threshold ? 1 : 0;
  return { data: out, width, height };
}

/** A small thumbnail data URL of a photo PNG. */
export async function thumbnailUrl(png: Uint8Array, maxSide = 96): Promise<string> {
  const probe = await createImageBitmap(blobOf(png));
  const s = Math.min(1, maxSide / Math.max(probe.width, probe.height));
  const w = Math.max(1, Math.round(probe.width * s));
  const h = Math.max(1, Math.round(probe.height * s));
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = c.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(probe, 0, 0, w, h);
  probe.close();
  return c.toDataURL('image/jpeg', 0.8);
}
