import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { crc32, encodeMaskPng } from '../../renderer/io/png';

/** Minimal PNG reader for the files we write: returns IHDR fields and unfiltered pixel rows. */
function readPng(png: Uint8Array) {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let ihdr: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  const types: string[] = [];
  while (at < png.length) {
    const len = dv.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    const crc = dv.getUint32(at + 8 + len);
    assert.equal((crc32(png.subarray(at + 4, at + 8 + len)) ^ 0xffffffff) >>> 0, crc, `${type} CRC`);
    types.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  assert.ok(ihdr);
  const hv = new DataView(ihdr.buffer, ihdr.byteOffset, 13);
  const width = hv.getUint32(0);
  const height = hv.getUint32(4);
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width + 1)], 0, 'filter type none');
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, bitDepth: ihdr[8], colourType: ihdr[9], interlace: ihdr[12], pixels, types };
}

test('crc32 matches the standard check value', () => {
  assert.equal((crc32(new TextEncoder().encode('123456789')) ^ 0xffffffff) >>> 0, 0xcbf43926);
});

test('a 0/1 mask encodes as an 8-bit greyscale PNG with exactly 0 and 255', async () => {
  const w = 7;
  const h = 5;
  const mask = new Uint8Array(w * h);
  mask[0] = 1;
  mask[w + 3] = 1;
  mask[w * h - 1] = 1;
  const png = await encodeMaskPng(mask, w, h);
  const r = readPng(png);
  assert.deepEqual(r.types, ['IHDR', 'IDAT', 'IEND']);
  assert.equal(r.width, w);
  assert.equal(r.height, h);
  assert.equal(r.bitDepth, 8);
  assert.equal(r.colourType, 0);
  assert.equal(r.interlace, 0);
  for (let i = 0; i < w * h; i++) assert.equal(r.pixels[i], mask[i] ? 255 : 0, `pixel ${i}`);
});

test('a large mask round-trips and compresses', async () => {
  const w = 3504;
  const h = 2336;
  const mask = new Uint8Array(w * h);
  for (let y = 1000; y < 1010; y++) mask.fill(1, y * w + 100, y * w + 3000);
  const png = await encodeMaskPng(mask, w, h);
  assert.ok(png.length < 200_000, `size ${png.length}`);
  const r = readPng(png);
  assert.equal(r.pixels[1005 * w + 100], 255);
  assert.equal(r.pixels[1005 * w + 99], 0);
  assert.equal(r.pixels[1010 * w + 100], 0);
  let n = 0;
  for (const v of r.pixels) if (v) n++;
  assert.equal(n, 10 * 2900);
});

test('rejects a buffer of the wrong size', async () => {
  await assert.rejects(encodeMaskPng(new Uint8Array(5), 2, 2));
});
