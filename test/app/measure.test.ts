/**
 * Measurements through the app's service (real workspace, forked compute process, the bundled model on
 * wasm, DRIVE photographs): the numbers the panel gets are the row `analyze` writes for the same image
 * (a labelled one and a predicted one), settings per workspace and per image, and the export's files.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { createDispatcher } from '../../main/app/dispatch';
import { parseCsv } from '../../main/cohort/csv';
import { runCohort } from '../../main/cohort/run-cohort';
import type { CallName, Request, Response } from '../../preload/contract';
import { tempDir } from '../helpers/files';
import { DRIVE } from '../helpers/paths';
import { testService } from '../helpers/service';

const MODEL = join(__dirname, '..', '..', 'resources', 'models', 'default');
const file = (rel: string) => ({
  name: rel.split('/').pop()!,
  path: `DRIVE/${rel}`,
  bytes: new Uint8Array(readFileSync(join(DRIVE, rel))),
});

/** The row `analyze` writes for one input, cell by cell. */
function cells(csv: string): Record<string, string> {
  const [header, row] = parseCsv(csv);
  return Object.fromEntries(header.map((h, i) => [h, row[i]]));
}

const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

test('measure: the panel gets the CLI row for a labelled and a predicted image; settings; export', { timeout: 300_000 }, async (t) => {
  const { service, dir } = await testService(t, { defaultModelDir: MODEL, backend: 'wasm' });
  const handle = createDispatcher(service.handlers);
  const call = async <C extends CallName>(name: C, request: Request<C>): Promise<Response<C>> => {
    const r = await handle(name, request);
    if (!r.ok) throw new Error(r.error);
    return r.value as Response<C>;
  };
  // 01 with its first-observer label and FOV mask (DRIVE layout), 02 bare.
  const imported = await call('images:import', {
    files: [
      file('test/images/01_test.tif'),
      file('test/1st_manual/01_manual1.gif'),
      file('test/mask/01_test_mask.gif'),
      file('test/images/02_test.tif'),
    ],
  });
  assert.deepEqual(imported.rejected, []);
  await assert.rejects(call('measure:run', { id: '02_test' }), /no vessel map yet/);
  await call('analysis:setDefaults', { angleOfViewDeg: 45, scaleFrom: 'camera' });

  // Labelled: the same as analyze on a manifest row with that label and mask.
  const labelled = await call('measure:run', { id: '01_test' });
  assert.equal(labelled.source, 'label');
  assert.equal(labelled.scale?.source, 'camera');
  assert.equal(labelled.discSource, 'found');
  const scratch = tempDir(t);
  writeFileSync(
    join(scratch, 'one.csv'),
    `image,label,fov\n${join(DRIVE, 'test/images/01_test.tif')},${join(DRIVE, 'test/1st_manual/01_manual1.gif')},${join(DRIVE, 'test/mask/01_test_mask.gif')}\n`,
  );
  await runCohort({
    input: join(scratch, 'one.csv'),
    out: join(scratch, 'one'),
    modelDir: MODEL,
    shard: null,
    angleOfViewDeg: 45,
    scaleFrom: 'camera',
    log: quiet,
  });
  const cliLabelled = cells(readFileSync(join(scratch, 'one', 'measurements.csv'), 'utf8'));
  assert.deepEqual({ ...labelled.csv, image: '' }, { ...cliLabelled, image: '' }, 'every column but the image name');
  assert.ok(labelled.segments.length > 100 && labelled.segments.every((s) => s.points.length >= 4));
  assert.equal(labelled.csv.fov_segments, String(labelled.regions.fov.segments));

  // Predicted: the compute process's prediction, stored as bytes, measured at the model's threshold,
  // gives what analyze gives from its own prediction of the same photograph.
  await call('predict:run', { id: '02_test' });
  const predicted = await call('measure:run', { id: '02_test' });
  assert.equal(predicted.source, 'prediction');
  assert.equal(predicted.threshold, JSON.parse(readFileSync(join(MODEL, 'meta.json'), 'utf8')).threshold);
  const input = join(scratch, 'two');
  mkdirSync(input);
  copyFileSync(join(DRIVE, 'test/images/02_test.tif'), join(input, '02_test.tif'));
  await runCohort({
    input,
    out: join(scratch, 'two-out'),
    modelDir: MODEL,
    shard: null,
    angleOfViewDeg: 45,
    scaleFrom: 'camera',
    log: quiet,
  });
  const cliPredicted = cells(readFileSync(join(scratch, 'two-out', 'measurements.csv'), 'utf8'));
  assert.deepEqual(predicted.csv, cliPredicted, 'the same row, image name included');

  // Per-image settings: a disc placed by hand, its own angle; cleared again.
  const disc = { cx: 100, cy: 280, diameter: 80 };
  await call('analysis:setImage', { id: '01_test', disc, angleOfViewDeg: 50 });
  const moved = await call('measure:run', { id: '01_test' });
  assert.deepEqual([moved.disc, moved.discSource, moved.imageSettings.angleOfViewDeg], [disc, 'given', 50]);
  assert.equal(moved.csv.disc_source, 'given');
  assert.ok(Math.abs(moved.scale!.umPerPx - (50 * 288) / moved.fovDiameterPx!) < 1e-9);
  await call('analysis:setImage', { id: '01_test', disc: null, angleOfViewDeg: null });
  assert.equal((await call('measure:run', { id: '01_test' })).discSource, 'found');
  assert.equal((await call('workspace:get', {})).analysis.angleOfViewDeg, 45);

  // Export of all: mask, overlay and JSON per image, one CSV with the same rows.
  const ex = await call('measure:export', { scope: 'all' });
  assert.ok(ex);
  assert.equal(ex.images, 2);
  assert.deepEqual(readdirSync(join(ex.dir, 'masks')).sort(), ['01_test.png', '02_test.png']);
  const overlay = await sharp(join(ex.dir, 'overlays', '01_test.png')).metadata();
  assert.deepEqual([overlay.width, overlay.height, overlay.channels], [565, 584, 3]);
  const mask = await sharp(join(ex.dir, 'masks', '02_test.png'))
    .raw()
    .toBuffer({ resolveWithObject: true });
  assert.deepEqual([mask.info.width, mask.info.height], [565, 584]);
  const json = JSON.parse(readFileSync(join(ex.dir, 'json', '01_test.json'), 'utf8'));
  assert.equal(json.source, 'label');
  assert.ok(json.measurements.segments[0].points.length >= 4, 'the JSON export keeps the centrelines');
  const table = readFileSync(join(ex.dir, 'measurements.csv'), 'utf8').trimEnd().split('\n');
  assert.equal(table.length, 3);
  assert.equal(
    table[2],
    readFileSync(join(scratch, 'two-out', 'measurements.csv'), 'utf8')
      .trimEnd()
      .split('\n')[1],
    'the exported row is the CLI row',
  );
  assert.ok(dir.length > 0);
});
