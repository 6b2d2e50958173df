/**
 * `analyze` as a user runs it (the built CLI, the bundled model, real DRIVE photographs): one run over
 * a folder with a corrupt file and a photograph without an optic disc; three shards in parallel whose
 * rows equal that run's byte for byte; a run killed with SIGKILL and rerun, which redoes nothing and
 * loses nothing; a manifest with labels, a row pointing nowhere and an empty label.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../main/cohort/csv';
import { encodeMaskPng, encodeRgbPng } from '../../main/engine/data/image-io';
import { tempDir } from '../helpers/files';
import { DRIVE } from '../helpers/paths';
import { syntheticFundus } from '../helpers/synthetic';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'main', 'cli.js');
const PHOTOS = ['01', '02', '03'];

/** Tiles on the main thread: several of these processes run at once here, on two cores. */
const ONE_THREAD = ['--workers', '1'];

function analyze(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'analyze', ...args, ...ONE_THREAD], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function analyzeAsync(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, 'analyze', ...args, ...ONE_THREAD], { cwd: ROOT });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** DRIVE photographs, a corrupt TIFF and a synthetic fundus without a disc, in a folder. */
async function cohort(dir: string): Promise<string> {
  const input = join(dir, 'input');
  mkdirSync(input);
  for (const id of PHOTOS) copyFileSync(join(DRIVE, 'test', 'images', `${id}_test.tif`), join(input, `${id}_test.tif`));
  copyFileSync(join(ROOT, 'test', 'fixtures', 'bad-input', 'truncated.tif'), join(input, 'broken.tif'));
  writeFileSync(join(input, 'no-disc.png'), await encodeRgbPng(syntheticFundus(400, 380, 3, 10).image));
  return input;
}

const rowsOf = (csv: string) => csv.trimEnd().split('\n').slice(1);
const field = (csv: string, image: string, column: string) => {
  const [header, ...rows] = parseCsv(csv);
  const row = rows.find((r) => r[0] === image);
  assert.ok(row, `no row for ${image}`);
  return row[header.indexOf(column)];
};

test('analyze: a folder with bad files, shards in parallel equal one run, kill -9 and resume', { timeout: 600_000 }, async (t) => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run "npm run build" first (npm test does)`);
  const dir = tempDir(t, 'vessel-analyze-');
  const input = await cohort(dir);
  const total = PHOTOS.length + 2;

  const one = analyze('--input', input, '--out', join(dir, 'one'), '--angle', '45');
  assert.equal(one.code, 0, one.err);
  assert.match(one.out, new RegExp(`${total} images \\(${total - 1} measured now, 0 already done, 1 failed; [\\d.]+ s of CPU\\)`));
  assert.match(one.err, /failed: broken\.tif: .*(corrupt|not a readable)/);
  assert.match(one.err, /ETA/, 'a progress line with an ETA');
  const csv = readFileSync(join(dir, 'one', 'measurements.csv'), 'utf8');
  assert.equal(rowsOf(csv).length, total, 'one row per image, the failed one included');
  assert.ok(!/NaN|Infinity|undefined/.test(csv), 'no NaN in the table');
  assert.equal(field(csv, 'broken.tif', 'status'), 'failed');
  for (const id of PHOTOS) {
    const image = `${id}_test.tif`;
    assert.equal(field(csv, image, 'status'), 'ok');
    assert.match(field(csv, image, 'model'), /^default@[0-9a-f]{12}$/);
    assert.equal(field(csv, image, 'scale_source'), 'camera');
    assert.equal(field(csv, image, 'disc_source'), 'found', `${image}: the disc is found`);
    const density = Number(field(csv, image, 'fov_vessel_density'));
    assert.ok(density > 0.08 && density < 0.2, `${image}: vessel density ${density}`);
    assert.ok(Number(field(csv, image, 'zone_c_vessel_density')) > 0, `${image}: zone C measured`);
    assert.ok(existsSync(join(dir, 'one', 'masks', `${id}_test.png`)));
  }
  // No disc: zones omitted and said so, whole-image measures kept.
  assert.equal(field(csv, 'no-disc.png', 'status'), 'ok');
  assert.equal(field(csv, 'no-disc.png', 'disc_source'), '');
  assert.equal(field(csv, 'no-disc.png', 'zone_b_vessel_density'), '');
  assert.match(field(csv, 'no-disc.png', 'notes'), /no optic disc visible.*zones B and C omitted/);
  assert.notEqual(field(csv, 'no-disc.png', 'fov_vessel_density'), '');

  // Three shards at once (as a scheduler would start them), into one folder; then the merge.
  const shards = await Promise.all(
    [0, 1, 2].map((k) => analyzeAsync('--input', input, '--out', join(dir, 'sharded'), '--angle', '45', '--shard', `${k}/3`)),
  );
  for (const s of shards) assert.equal(s.code, 0, s.err);
  const shardRows = [0, 1, 2].flatMap((k) => rowsOf(readFileSync(join(dir, 'sharded', `measurements-${k}-of-3.csv`), 'utf8')));
  assert.deepEqual([...shardRows].sort(), [...rowsOf(csv)].sort(), 'the shards together give the rows of one run, byte for byte');
  const merged = analyze('--merge', '--input', input, '--out', join(dir, 'sharded'));
  assert.equal(merged.code, 0, merged.err);
  assert.equal(readFileSync(join(dir, 'sharded', 'measurements.csv'), 'utf8'), csv, 'the merged table is the one-run table');

  // Killed with SIGKILL after its first rows, then rerun.
  const out = join(dir, 'killed');
  const run = spawn(process.execPath, [CLI, 'analyze', '--input', input, '--out', out, '--angle', '45', ...ONE_THREAD], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const rows = join(out, 'rows');
  const saved = await new Promise<Map<string, number>>((resolve, reject) => {
    const poll = setInterval(() => {
      const names = existsSync(rows) ? readdirSync(rows).filter((n) => n.endsWith('.csv')) : [];
      if (names.length >= 2) {
        run.kill('SIGKILL');
        clearInterval(poll);
        resolve(new Map(names.map((n) => [n, statSync(join(rows, n)).mtimeMs])));
      }
    }, 10);
    run.on('exit', () => {
      clearInterval(poll);
      reject(new Error('the run ended before it could be killed'));
    });
  });
  await new Promise((r) => run.once('exit', r));
  assert.ok(saved.size < total, `killed mid-run (${saved.size} of ${total} rows saved)`);
  assert.ok(!existsSync(join(out, 'measurements.csv')));
  const failedBefore = [...saved.keys()].filter((n) => n === 'broken.csv').length;
  const again = analyze('--input', input, '--out', out, '--angle', '45');
  assert.equal(again.code, 0, again.err);
  // Failed images are tried again; every "ok" row saved before the kill is kept as it was.
  const kept = saved.size - failedBefore;
  assert.match(again.out, new RegExp(`\\(${total - kept - 1} measured now, ${kept} already done, 1 failed;`));
  for (const [n, mtime] of saved) if (n !== 'broken.csv') assert.equal(statSync(join(rows, n)).mtimeMs, mtime, `${n} was not redone`);
  assert.equal(readFileSync(join(out, 'measurements.csv'), 'utf8'), csv, 'nothing lost: the same table as the uninterrupted run');
  assert.deepEqual(
    readdirSync(out).filter((n) => n.endsWith('.vessel-tmp')),
    [],
    'no temp files left',
  );
});

test('analyze: a manifest with labels, a row pointing nowhere, a bad angle and an empty label', { timeout: 120_000 }, async (t) => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run "npm run build" first (npm test does)`);
  const dir = tempDir(t, 'vessel-manifest-');
  const empty = join(dir, 'empty.png');
  writeFileSync(empty, await encodeMaskPng({ width: 565, height: 584, data: new Uint8Array(565 * 584) }));
  const img = (id: string) => join(DRIVE, 'test', 'images', `${id}_test.tif`);
  const manifest = [
    'image,label,fov,angle_of_view',
    `${img('06')},${join(DRIVE, 'test', '1st_manual', '06_manual1.gif')},${join(DRIVE, 'test', 'mask', '06_test_mask.gif')},45`,
    `missing/photo.tif,,,`,
    `${img('07')},${join(DRIVE, 'test', '1st_manual', '07_manual1.gif')},,forty-five`,
    `"${img('08')}",${empty},,45`,
  ].join('\n');
  writeFileSync(join(dir, 'cohort.csv'), manifest);
  const r = analyze('--input', join(dir, 'cohort.csv'), '--out', join(dir, 'out'));
  assert.equal(r.code, 0, r.err);
  const csv = readFileSync(join(dir, 'out', 'measurements.csv'), 'utf8');
  assert.equal(rowsOf(csv).length, 4);
  assert.ok(!/NaN|Infinity|undefined/.test(csv));
  assert.equal(field(csv, img('06'), 'source'), 'label');
  assert.equal(field(csv, img('06'), 'model'), '');
  assert.equal(field(csv, 'missing/photo.tif', 'status'), 'failed');
  assert.match(field(csv, 'missing/photo.tif', 'notes'), /cannot read file \(ENOENT\)/);
  assert.equal(field(csv, img('07'), 'status'), 'failed');
  assert.match(field(csv, img('07'), 'notes'), /angle_of_view "forty-five" is not a positive number/);
  // An empty label: zeros and empties with a reason.
  assert.equal(field(csv, img('08'), 'status'), 'ok');
  assert.equal(field(csv, img('08'), 'fov_vessel_density'), '0.00000');
  assert.equal(field(csv, img('08'), 'fov_segments'), '0');
  assert.equal(field(csv, img('08'), 'fov_fractal_dimension'), '');
  assert.match(field(csv, img('08'), 'notes'), /empty segmentation/);
  // The label's own measurement, with the DRIVE FOV mask and the camera scale.
  const expected = (45 * 288) / Number(field(csv, img('06'), 'fov_diameter_px'));
  assert.ok(Math.abs(Number(field(csv, img('06'), 'scale_um_per_px')) / expected - 1) < 1e-3);
});
