/** Shared test helpers: temp folders, small synthetic photographs and labels, directory fingerprints. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export function tempDir(t: { after(fn: () => void): void }, prefix = 'vessel-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fundus-like RGB photograph: a bright disc on black with a few dark "vessels"; `seed` varies it. */
export async function fundusPng(width: number, height: number, seed = 1, format: 'png' | 'tiff' | 'jpeg' = 'png'): Promise<Uint8Array> {
  const px = Buffer.alloc(width * height * 3);
  const cx = width / 2;
  const cy = height / 2;
  const r = Math.min(width, height) * 0.45;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
      const vessel = Math.abs(Math.sin((x + seed * 7) / 9) * 12 - (y % 24) + 12) < 1.5;
      px[i] = vessel ? 90 : 200;
      px[i + 1] = vessel ? 30 : 90 + ((x * seed) % 20);
      px[i + 2] = 40;
    }
  }
  const img = sharp(px, { raw: { width, height, channels: 3 } });
  const buf = await (format === 'png' ? img.png() : format === 'tiff' ? img.tiff() : img.jpeg()).toBuffer();
  return new Uint8Array(buf);
}

/** A 0/255 grey PNG; `pattern(x, y)` says where vessel is. */
export async function maskPng(width: number, height: number, pattern: (x: number, y: number) => boolean, format: 'png' | 'gif' = 'png'): Promise<Uint8Array> {
  const px = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) px[y * width + x] = pattern(x, y) ? 255 : 0;
  const img = sharp(px, { raw: { width, height, channels: 1 } }).toColourspace('b-w');
  return new Uint8Array(await (format === 'png' ? img.png() : img.gif()).toBuffer());
}

/** Pixels as stored: `channels` is the file's own channel count (sharp would widen grey to RGB on raw output). */
export async function decodeRaw(png: Uint8Array): Promise<{ data: Buffer; width: number; height: number; channels: number; depth: string }> {
  const meta = await sharp(png).metadata();
  const img = meta.channels === 1 ? sharp(png).extractChannel(0) : sharp(png);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: meta.channels ?? info.channels, depth: meta.depth ?? '' };
}

/** Path → SHA-256 of every file under `dir`, to assert "nothing changed". */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(p).isDirectory()) {
        out[`${r}/`] = 'dir';
        walk(p, r);
      } else out[r] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

export const BAD_INPUT_DIR = join(__dirname, '..', 'fixtures', 'bad-input');

export function badInput(name: string): { name: string; bytes: Uint8Array } {
  return { name, bytes: new Uint8Array(readFileSync(join(BAD_INPUT_DIR, name))) };
}
