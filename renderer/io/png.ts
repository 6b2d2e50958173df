/**
 * PNG encoding for label masks, in pure TypeScript (CompressionStream provides zlib), so the saved label is
 * exactly an 8-bit single-channel grey PNG with values 0 and 255 — no canvas, no colour management, no
 * antialiasing. Works in browsers, Electron's renderer and Node >= 18 (unit-tested there).
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return c;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0);
  return out;
}

async function zlibDeflate(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const cs = new CompressionStream('deflate');
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(cs);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Encode an 8-bit greyscale image. `pixel(i)` maps the source byte to the grey value (default identity).
 * Rows use PNG filter 0 (none); masks compress well without filtering.
 */
export async function encodeGreyPng(
  data: Uint8Array,
  width: number,
  height: number,
  scale255 = false,
): Promise<Uint8Array<ArrayBuffer>> {
  if (data.length !== width * height) throw new Error(`encodeGreyPng: ${data.length} bytes for ${width}x${height}`);
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (width + 1);
    raw[o] = 0;
    const row = data.subarray(y * width, (y + 1) * width);
    if (scale255) for (let x = 0; x < width; x++) raw[o + 1 + x] = row[x] ? 255 : 0;
    else raw.set(row, o + 1);
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const idat = await zlibDeflate(raw);
  const sig = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const parts = [sig, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A 0/1 label mask → PNG with 0 / 255. */
export function encodeMaskPng(mask: Uint8Array, width: number, height: number): Promise<Uint8Array<ArrayBuffer>> {
  return encodeGreyPng(mask, width, height, true);
}
