/**
 * `bench-analyze`: cohort throughput as a user gets it — the real `analyze` command (a child process,
 * model loading included) over a folder of DRIVE-sized photographs (DRIVE's 40, repeated) and over one
 * of 3504x2336 photographs (DRIVE's, enlarged 4x to the frame's height and centred on black, as such
 * cameras frame the fundus), timed from start to exit. Prints images per hour.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { Args } from './args';
import { dataFolder, intOption, LIMITS as L } from './options';

async function driveImages(data: string): Promise<string[]> {
  const out: string[] = [];
  for (const split of ['test', 'training']) {
    const dir = join(data, split, 'images');
    for (const f of (await readdir(dir)).sort()) out.push(join(dir, f));
  }
  return out;
}

interface Timing {
  seconds: number;
  /** CPU seconds the run used (all its threads), as analyze reports them. */
  cpu: number;
  /** 1-minute load average before and after: other work on the machine slows the wall clock. */
  load: [number, number];
}

/** Wall and CPU time of `analyze` over `input` (extra arguments passed on). */
function timeAnalyze(input: string, out: string, extra: string[]): Timing {
  const load0 = loadavg()[0];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(__dirname, 'cli.js'), 'analyze', '--input', input, '--out', out, '--angle', '45', ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`analyze exited with ${r.status ?? r.signal}`);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(r.stdout);
  const cpu = Number(/([\d.]+) s of CPU/.exec(r.stdout)?.[1] ?? NaN);
  return { seconds, cpu, load: [load0, loadavg()[0]] };
}

export async function runBenchAnalyze(args: Args): Promise<void> {
  const v = args.values;
  const data = v.data ? dataFolder(v.data) : resolve(__dirname, '..', '..', '..', 'shared', 'data', 'DRIVE');
  const count = intOption(v.count, 'count', 200, 1, L.images);
  const large = intOption(v.large, 'large', 10, 0, L.images);
  const extra = v.workers ? ['--workers', v.workers] : [];
  const photos = await driveImages(data);
  const dir = await mkdtemp(join(tmpdir(), 'vessel-bench-analyze-'));
  const results: ({ what: string; images: number; perHour: number; cpuPerImage: number } & Timing)[] = [];
  const add = (what: string, images: number, t: Timing) =>
    results.push({ what, images, ...t, perHour: (3600 * images) / t.seconds, cpuPerImage: t.cpu / images });
  try {
    if (count > 0) {
      const input = join(dir, 'drive');
      await mkdir(input);
      for (let k = 0; k < count; k++) await copyFile(photos[k % photos.length], join(input, `${String(k).padStart(4, '0')}.tif`));
      add('DRIVE-sized (565x584 TIFF)', count, timeAnalyze(input, join(dir, 'drive-out'), extra));
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
      add('3504x2336 (JPEG)', large, timeAnalyze(input, join(dir, 'large-out'), extra));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const r of results) {
    console.log(
      `${r.what}: ${r.images} images in ${r.seconds.toFixed(1)} s = ${r.perHour.toFixed(0)} images/hour (model loading included); ` +
        `${r.cpuPerImage.toFixed(2)} CPU-s per image; load average ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)} on ${cpus().length} cores`,
    );
  }
  if (v.json) console.log(JSON.stringify(results, null, 2));
}
