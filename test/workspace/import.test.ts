import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { planImport } from '../../main/workspace/import-plan';
import { Workspace } from '../../main/workspace/workspace';
import { badInput, decodeRaw, fingerprint, fundusPng, maskPng, tempDir } from '../helpers/files';

test('imports a photograph as RGB PNG, leaves the given bytes untouched, and restores it on reopen', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  const tiff = await fundusPng(120, 100, 1, 'tiff');
  const copy = new Uint8Array(tiff);
  const r = await ws.importFiles([{ name: 'eye one.tif', bytes: tiff }]);
  assert.deepEqual(r.rejected, []);
  assert.equal(r.imported.length, 1);
  const img = r.imported[0];
  assert.equal(img.id, 'eye_one');
  assert.deepEqual([img.width, img.height, img.status, img.hasLabel, img.hasFov], [120, 100, 'new', false, false]);
  assert.deepEqual(tiff, copy);
  const photo = await ws.photo(img.id);
  const raw = await decodeRaw(photo.png);
  assert.deepEqual([raw.width, raw.height, raw.channels, raw.depth], [120, 100, 3, 'uchar']);

  const again = await Workspace.open(dir);
  assert.deepEqual(again.images(), ws.images());
});

test('the bad-input corpus: each broken file is rejected with its reason, valid odd formats are converted', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  const names = [
    'empty.png',
    'text-named.png',
    'truncated.tif',
    'garbled.tif',
    'huge-20000x20000.png',
    'rgb16.png',
    'grey16.png',
    'grey.png',
    'rgba.png',
  ];
  const r = await ws.importFiles(names.map(badInput));
  const reasons = Object.fromEntries(r.rejected.map((x) => [x.name, x.reason]));
  assert.deepEqual(Object.keys(reasons).sort(), ['empty.png', 'garbled.tif', 'huge-20000x20000.png', 'text-named.png', 'truncated.tif']);
  assert.match(reasons['empty.png'], /empty/);
  assert.match(reasons['text-named.png'], /not a readable image/);
  assert.match(reasons['truncated.tif'], /not a readable image|corrupt/);
  assert.match(reasons['garbled.tif'], /corrupt/);
  assert.match(reasons['huge-20000x20000.png'], /20000x20000.*largest accepted/);
  assert.deepEqual(r.imported.map((i) => i.id).sort(), ['grey', 'grey16', 'rgb16', 'rgba']);
  // Every accepted one is served as 8-bit RGB; 16-bit grey lands on the same values as 8-bit grey.
  const grey = await decodeRaw((await ws.photo('grey')).png);
  const grey16 = await decodeRaw((await ws.photo('grey16')).png);
  for (const id of ['grey', 'grey16', 'rgb16', 'rgba']) {
    const p = await decodeRaw((await ws.photo(id)).png);
    assert.deepEqual([p.width, p.height, p.channels, p.depth], [64, 48, 3, 'uchar'], id);
  }
  let maxDiff = 0;
  for (let i = 0; i < grey.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(grey.data[i] - grey16.data[i]));
  assert.ok(maxDiff <= 1, `grey16 differs from grey by ${maxDiff}`);
  const rgb16 = await decodeRaw((await ws.photo('rgb16')).png);
  assert.deepEqual([rgb16.data[(10 * 64 + 20) * 3], rgb16.data[(10 * 64 + 20) * 3 + 1]], [80, 50]);
});

test('a rejected import changes nothing in the workspace', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  await ws.importFiles([{ name: 'keep.png', bytes: await fundusPng(80, 60) }]);
  const before = fingerprint(dir);
  const r = await ws.importFiles(['empty.png', 'text-named.png', 'truncated.tif', 'garbled.tif', 'huge-20000x20000.png'].map(badInput));
  assert.equal(r.imported.length, 0);
  assert.equal(r.rejected.length, 5);
  assert.deepEqual(fingerprint(dir), before);
  assert.deepEqual(
    ws.images().map((i) => i.id),
    ['keep'],
  );
});

test('the same photograph imported twice is reported, not duplicated; names that collide get new ids', async (t) => {
  const ws = await Workspace.open(tempDir(t));
  const a = await fundusPng(50, 40, 1);
  const b = await fundusPng(50, 40, 2);
  await ws.importFiles([{ name: 'x.png', bytes: a }]);
  const r = await ws.importFiles([
    { name: 'x.png', bytes: a },
    { name: 'x.png', bytes: b },
  ]);
  assert.deepEqual(r.rejected, [{ name: 'x.png', reason: 'already in the workspace as "x"' }]);
  assert.deepEqual(
    r.imported.map((i) => i.id),
    ['x-2'],
  );
});

test('a folder in DRIVE layout brings labels and FOV masks to the right photographs', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  const W = 90;
  const H = 70;
  const label21 = (x: number, y: number) => y === 30 || x === 40;
  const files = [
    { path: 'DRIVE/training/images/21_training.tif', bytes: await fundusPng(W, H, 21, 'tiff') },
    { path: 'DRIVE/training/images/22_training.tif', bytes: await fundusPng(W, H, 22, 'tiff') },
    { path: 'DRIVE/training/1st_manual/21_manual1.gif', bytes: await maskPng(W, H, label21, 'gif') },
    { path: 'DRIVE/training/1st_manual/22_manual1.gif', bytes: await maskPng(W + 1, H, () => true, 'gif') },
    { path: 'DRIVE/training/mask/21_training_mask.gif', bytes: await maskPng(W, H, (x) => x > 5, 'gif') },
    { path: 'DRIVE/training/mask/22_training_mask.gif', bytes: await maskPng(W, H, (x) => x > 6, 'gif') },
    { path: 'DRIVE/test/2nd_manual/01_manual2.gif', bytes: await maskPng(W, H, () => true, 'gif') },
    { path: 'DRIVE/test/1st_manual/99_manual1.gif', bytes: await maskPng(W, H, () => true, 'gif') },
    { path: 'DRIVE/.DS_Store', bytes: new Uint8Array([1, 2, 3]) },
    { path: 'DRIVE/training/images/._21_training.tif', bytes: new Uint8Array([0, 5, 22, 7]) },
    { path: 'DRIVE/Thumbs.db', bytes: new Uint8Array([9]) },
  ].map((f) => ({ ...f, name: f.path.split('/').pop()! }));
  const r = await ws.importFiles(files);
  assert.deepEqual(
    r.imported.map((i) => [i.id, i.hasLabel, i.hasFov, i.status]),
    [
      ['21_training', true, true, 'reviewed'],
      ['22_training', false, true, 'new'],
    ],
  );
  const reasons = Object.fromEntries(r.rejected.map((x) => [x.name, x.reason]));
  // Every file not imported has a reason, hidden and system files included.
  assert.deepEqual(Object.keys(reasons).sort(), [
    '.DS_Store',
    '._21_training.tif',
    '01_manual2.gif',
    '22_manual1.gif',
    '99_manual1.gif',
    'Thumbs.db',
  ]);
  assert.equal(reasons['.DS_Store'], 'hidden file (its name starts with "."): not a photograph to import');
  assert.equal(reasons['._21_training.tif'], 'hidden file (its name starts with "."): not a photograph to import');
  assert.equal(reasons['Thumbs.db'], 'system file of the operating system, not a photograph');
  assert.match(reasons['22_manual1.gif'], /label for 22_training\.tif: size 91x70 does not match/);
  assert.match(reasons['99_manual1.gif'], /no matching photograph/);

  const { label, revision } = await ws.label('21_training');
  assert.ok(label);
  assert.equal(revision, 1, 'an imported label is the first revision');
  const px = await decodeRaw(label.png);
  assert.deepEqual([px.channels, px.depth], [1, 'uchar']);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) assert.equal(px.data[y * W + x], label21(x, y) ? 255 : 0);
  const fov = await ws.fov('22_training');
  assert.equal(fov?.source, 'imported');
  assert.equal((await decodeRaw(fov!.png)).data[6], 0);
  assert.equal((await decodeRaw(fov!.png)).data[7], 255);
  assert.ok(existsSync(join(dir, 'labels', '21_training.png')));
  assert.ok(!existsSync(join(dir, 'labels', '22_training.png')));
  assert.equal(JSON.parse(readFileSync(join(dir, 'workspace.json'), 'utf8')).images.length, 2);
});

test('a folder import lists its photographs by path, numbers as numbers, whatever order the browser gave', () => {
  const files = ['set/images/img10.png', 'set/images/img2.png', 'other/images/b.png', 'set/images/img1.png'].map((path) => ({
    path,
    name: path.split('/').pop()!,
    bytes: new Uint8Array(0),
  }));
  assert.deepEqual(
    planImport(files).images.map((p) => p.file.path),
    ['other/images/b.png', 'set/images/img1.png', 'set/images/img2.png', 'set/images/img10.png'],
  );
});

test('a photograph whose name starts with "." is rejected with a reason, not silently skipped', async (t) => {
  const ws = await Workspace.open(tempDir(t));
  const r = await ws.importFiles([{ name: '.eye.png', bytes: await fundusPng(40, 30) }]);
  assert.deepEqual(r, {
    imported: [],
    rejected: [{ name: '.eye.png', reason: 'hidden file (its name starts with "."): not a photograph to import' }],
  });
});
