import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { loadModel } from '../../main/engine/model-io';
import { listModels, modelFilesProblem, newVersionId, originalTrainingSet, removeStaleModelTemps } from '../../main/workspace/models';
import { trainingSet } from '../../main/workspace/training-set';
import { Workspace } from '../../main/workspace/workspace';
import { fundusPng, maskPng, tempDir } from '../helpers/files';
import { saveTinyModel } from '../helpers/tiny-model';

/** A saved tiny model whose meta says it was trained on `images` of a data set (or is a fine-tuned child). */
async function model(dir: string, patch: Record<string, unknown>): Promise<void> {
  await saveTinyModel(dir);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ ...meta, ...patch }));
}

test('versions are listed oldest first with their lineage; damaged files are reported, not hidden', async (t) => {
  const dir = tempDir(t);
  const models = join(dir, 'ws', 'models');
  await model(join(dir, 'default'), { data: { source: 'DRIVE training', images: ['21_training', '22_training'] } });
  await model(join(models, 'v3'), {
    name: 'Version 3',
    parent: 'v2',
    createdAt: '2030-01-02T00:00:00Z',
    data: { source: 'workspace', images: ['eye'] },
  });
  await model(join(models, 'v2'), {
    name: 'Version 2',
    parent: 'default',
    createdAt: '2030-01-01T00:00:00Z',
    data: { source: 'workspace', images: ['eye'] },
    threshold: 0.4,
    metrics: {
      'validation-before': { auc: 0.5, f1: 0.2, threshold: 0.35 },
      'validation-after': { auc: 0.6, f1: 0.3, threshold: 0.4 },
      'validation-image': 'eye',
      'validation-region': 'eye',
      'validation-pixels': 1234,
      'validation-decided': 0.25,
    },
    recipe: { keptStep: 25, stoppedEarly: true },
  });
  mkdirSync(join(models, 'notes')); // no meta.json: not a model
  let all = await listModels(join(dir, 'default'), models);
  assert.deepEqual(
    all.map((m) => [m.summary.id, m.summary.parent, m.version.builtin]),
    [
      ['default', null, true],
      ['v2', 'default', false],
      ['v3', 'v2', false],
    ],
  );
  const v2 = all[1].version;
  assert.deepEqual([v2.threshold, v2.keptStep, v2.stoppedEarly, v2.intact], [0.4, 25, true, true]);
  assert.deepEqual(v2.validation, {
    images: ['eye'],
    region: 'eye',
    quarter: null,
    pixels: 1234,
    decidedShare: 0.25,
    before: { auc: 0.5, f1: 0.2, threshold: 0.35 },
    after: { auc: 0.6, f1: 0.3, threshold: 0.4 },
    improved: true,
  });
  assert.equal(all[2].version.validation, null, 'no held-out record: null, not zeros');

  // The original training set comes from the first data-set model up the chain, whichever version is selected.
  assert.deepEqual([...originalTrainingSet(all, 'v3')], ['21_training', '22_training']);
  assert.deepEqual([...originalTrainingSet(all, null)], []);

  truncateSync(join(models, 'v3', 'weights.bin'), 10);
  assert.match((await modelFilesProblem(join(models, 'v3')))!, /^weights are 10 bytes, the model needs \d+$/);
  all = await listModels(join(dir, 'default'), models);
  assert.deepEqual(
    all.map((m) => m.version.intact),
    [true, true, false],
  );
  assert.equal(await modelFilesProblem(join(models, 'v2')), null);
});

test('a new version id is above every folder, temporary ones included', async (t) => {
  const dir = tempDir(t);
  assert.deepEqual(await newVersionId(join(dir, 'none')), { id: 'v2', n: 2 });
  for (const d of ['v2', 'v7-old-copy', '.v9.tmp-123-456', 'other']) mkdirSync(join(dir, d));
  assert.deepEqual(await newVersionId(dir), { id: 'v10', n: 10 });
});

test('version ids are parsed strictly: a folder v9999999999999999999999 never makes the next id v1e+22', async (t) => {
  const dir = tempDir(t);
  for (const d of ['v3', 'v9999999999999999999999', 'v007', 'v1e3', 'v-5', 'v4.5']) mkdirSync(join(dir, d));
  assert.deepEqual(await newVersionId(dir), { id: 'v4', n: 4 });
  mkdirSync(join(dir, `v${Number.MAX_SAFE_INTEGER}`));
  await assert.rejects(newVersionId(dir), /no version number is left above the folders in /);
});

test('weights replaced by random bytes of the same size: listed as damaged by their checksum, and refused by loadModel', async (t) => {
  const dir = tempDir(t);
  const models = join(dir, 'models');
  await model(join(models, 'v2'), { name: 'Version 2' });
  const weights = join(models, 'v2', 'weights.bin');
  assert.equal((await listModels(join(dir, 'none'), models))[0].version.intact, true);
  writeFileSync(weights, randomBytes(statSync(weights).size));
  const [v2] = await listModels(join(dir, 'none'), models);
  assert.deepEqual([v2.summary.id, v2.summary.name, v2.version.intact], ['v2', 'Version 2', false]);
  assert.equal(v2.version.problem, 'weights do not match the checksum saved in meta.json (damaged or replaced file)');
  await assert.rejects(loadModel(join(models, 'v2')), /v2: weights do not match the checksum saved in meta\.json/);
});

test('a damaged meta.json: the version is listed as damaged with the reason, under its folder name', async (t) => {
  const dir = tempDir(t);
  const models = join(dir, 'models');
  for (const v of ['v2', 'v3', 'v4']) await model(join(models, v), { name: `Version ${v}`, createdAt: '2030-01-01T00:00:00Z' });
  writeFileSync(join(models, 'v2', 'meta.json'), '{"format": "vessel-studio-mo');
  writeFileSync(
    join(models, 'v3', 'meta.json'),
    JSON.stringify({ ...JSON.parse(readFileSync(join(models, 'v4', 'meta.json'), 'utf8')), steps: 'many' }),
  );
  rmSync(join(models, 'v4', 'meta.json'));
  mkdirSync(join(models, 'notes')); // none of a model's files: not a model
  const all = await listModels(join(dir, 'none'), models);
  const byId = Object.fromEntries(all.map((m) => [m.summary.id, m.version]));
  assert.deepEqual(Object.keys(byId).sort(), ['v2', 'v3', 'v4']);
  assert.deepEqual([byId.v2.name, byId.v2.intact, byId.v2.problem], ['v2', false, 'meta.json is not valid JSON (corrupt file?)']);
  assert.deepEqual(
    [byId.v3.intact, byId.v3.problem],
    [false, 'meta.json is not a Vessel Studio model description (steps: Invalid input: expected number, received string)'],
  );
  assert.deepEqual([byId.v4.intact, byId.v4.problem], [false, 'meta.json is missing']);
});

test("save leftovers of a dead writer are removed; a live writer's and a lone -old copy are kept", async (t) => {
  const dir = tempDir(t);
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  const names = [`.v4.tmp-${dead}-1`, `.v2.tmp-${dead}-1-old`, `.v5.tmp-${dead}-1-old`, `.v6.tmp-${process.ppid}-1`, 'v2'];
  for (const n of names) mkdirSync(join(dir, n));
  assert.deepEqual((await removeStaleModelTemps(dir)).sort(), [`.v2.tmp-${dead}-1-old`, `.v4.tmp-${dead}-1`]);
  assert.deepEqual(readdirSync(dir).sort(), [`.v5.tmp-${dead}-1-old`, `.v6.tmp-${process.ppid}-1`, 'v2']);
});

test('labelled images split into corrections and reference images; the user can mark either way', async (t) => {
  const ws = await Workspace.open(tempDir(t));
  const files = [];
  for (const n of ['21_training.tif', 'eye.png', 'other.png', 'unlabelled.png'])
    files.push({ name: n, bytes: await fundusPng(40, 30, files.length + 1) });
  await ws.importFiles(files);
  for (const id of ['21_training', 'eye', 'other']) await ws.saveLabel(id, await maskPng(40, 30, (x) => x === 5), null, true, 0);
  const original = new Set(['21_training']);
  const ids = (s: { name: string }[]) => s.map((x) => x.name);
  let set = trainingSet(ws, original);
  assert.deepEqual([ids(set.samples), ids(set.reference)], [['eye', 'other'], ['21_training']]);
  assert.deepEqual(
    ws.images(original).map((i) => i.reference),
    [true, false, false, false],
  );
  assert.equal(set.samples[0].labelPath, ws.path('labels', 'eye'));
  assert.equal(set.samples[0].reviewed, true);
  // An excluded image takes no part.
  await ws.setExcluded('other', true);
  assert.deepEqual(ids(trainingSet(ws, original).samples), ['eye']);
  await ws.setExcluded('other', false);

  await ws.setReference('other', true);
  await ws.setReference('21_training', false);
  set = trainingSet(ws, original);
  assert.deepEqual([ids(set.samples), ids(set.reference)], [['21_training', 'eye'], ['other']]);
  await ws.setReference('eye', true);
  await ws.setReference('21_training', true);
  assert.throws(() => trainingSet(ws, original), /Nothing to retrain on: the 3 labelled image\(s\) are all reference images/);
  // The marks survive reopening.
  assert.deepEqual(
    (await Workspace.open(ws.dir)).images().map((i) => i.reference),
    [true, true, true, false],
  );
});
