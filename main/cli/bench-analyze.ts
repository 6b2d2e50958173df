/**
 * `bench-analyze`: cohort throughput as a user gets it — the real `analyze` command (a child process,
 * model loading included) over a folder of DRIVE-sized photographs (DRIVE's 40, repeated) and over one
 * of 3504x2336 photographs (DRIVE's, enlarged 4x to the frame's height and centred on black, as such
 * cameras frame the fundus), timed from start to exit. Prints images per hour.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { dataRoot, num, type Args } from '../cli';

async function driveImages(data: string): Promise<string[]> {
  const out: string[] = [];
  for (const split of ['test', 'training']) {
    const dir = join(data, split, 'images');
    for (const f of (await readdir(dir)).sort()) out.push(join(dir, f));
  }
  return out;
}

/** Seconds for `analyze` over `input` (extra arguments passed on). */
function timeAnalyze(input: string, out: string, extra: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(__dirname, 'cli.js'), 'analyze', '--input', input, '--out', out, '--angle', '45', ...extra], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`analyze exited with ${r.status ?? r.signal}`);
  return (performance.now() - t0) / 1000;
}

export async function runBenchAnalyze(args: Args): Promise<void> {
  const v = args.values;
  const data = v.data ? dataRoot(v.data) : resolve(__dirname, '..', '..', '..', 'shared', 'data', 'DRIVE');
  const count = num(v.count, 200, 'count');
  const large = num(v.large, 10, 'large');
  const extra = v.workers ? ['--workers', v.workers] : [];
  const photos = await driveImages(data);
  const dir = await mkdtemp(join(tmpdir(), 'vessel-bench-analyze-'));
  const results: { what: string; images: number; seconds: number; perHour: number }[] = [];
  try {
    if (count > 0) {
      const input = join(dir, 'drive');
      await mkdir(input);
      for (let k = 0; k < count; k++) await copyFile(photos[k % photos.length], join(input, `${String(k).padStart(4, '0')}.tif`));
      const s = timeAnalyze(input, join(dir, 'drive-out'), extra);
      results.push({ what: 'DRIVE-sized (565x584 TIFF)', images: count, seconds: s, perHour: (3600 * count) / s });
    }
    if (large > 0) {
      const input = join(dir, 'large');
      await mkdir(input);
      for (let k = 0; k < large; k++) {
        const jpeg = await sharp(photos[k % photos.length])
          .resize({ height: 2336, kernel: 'lanczos3' })
          .resize(3504, 2336, { fit: 'contain', background: '#000' })
          .jpeg({ quality: 95 })
          .toBuffer();
        await writeFile(join(input, `${String(k).padStart(4, '0')}.jpg`), jpeg);
      }
      const s = timeAnalyze(input, join(dir, 'large-out'), extra);
      results.push({ what: '3504x2336 (JPEG)', images: large, seconds: s, perHour: (3600 * large) / s });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const r of results)
    console.log(
      `${r.what}: ${r.images} images in ${r.seconds.toFixed(1)} s = ${r.perHour.toFixed(0)} images/hour (model loading included)`,
    );
  if (v.json) console.log(JSON.stringify(results, null, 2));
}
