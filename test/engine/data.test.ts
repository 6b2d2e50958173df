import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readImage, readMask, encodeGreyPng, encodeRgbPng } from '../../main/engine/data/image-io';
import { deriveFovMask, maskIoU } from '../../main/engine/data/fov';
import { listDataset, loadDataset, loadDatasets, sampleKey } from '../../main/engine/data/datasets';
import { DRIVE, LESAV, STARE } from '../helpers/paths';

const tmp = () => mkdtempSync(join(tmpdir(), 'vs-data-'));

test('reads a DRIVE TIFF photograph, GIF label and FOV mask', async () => {
  const img = await readImage(join(DRIVE, 'training/images/21_training.tif'));
  assert.equal(img.width, 565);
  assert.equal(img.height, 584);
  assert.equal(img.data.length, 565 * 584 * 3);
  const label = await readMask(join(DRIVE, 'training/1st_manual/21_manual1.gif'), img);
  const share = label.data.reduce((a, b) => a + b, 0) / label.data.length;
  assert.ok(share > 0.05 && share < 0.2, `vessel share ${share}`);
  assert.ok(label.data.every((v) => v === 0 || v === 1));
});

test('PPM (P6 and P3) decode to the same pixels as PNG', async () => {
  const w = 5;
  const h = 3;
  const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37) % 256);
  const p6 = Buffer.concat([Buffer.from(`P6\n# comment\n${w} ${h}\n255\n`), Buffer.from(rgb)]);
  const p3 = Buffer.from(`P3 ${w} ${h} 255\n${Array.from(rgb).join(' ')}\n`);
  const png = await encodeRgbPng({ width: w, height: h, data: rgb });
  for (const bytes of [p6, p3, png]) {
    const img = await readImage(new Uint8Array(bytes));
    assert.deepEqual([img.width, img.height], [w, h]);
    assert.deepEqual(Array.from(img.data), Array.from(rgb));
  }
});

test('16-bit, grey and RGBA images become 8-bit RGB', async () => {
  const w = 4;
  const h = 2;
  const grey16 = await sharp(Buffer.from(new Uint16Array(w * h).fill(65535).buffer), {
    raw: { width: w, height: h, channels: 1, premultiplied: false },
  })
    .toColourspace('grey16')
    .png()
    .toBuffer();
  const rgba = await sharp({ create: { width: w, height: h, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } } })
    .png()
    .toBuffer();
  const grey = await encodeGreyPng(new Uint8Array(w * h).fill(77), w, h);
  const a = await readImage(new Uint8Array(grey16));
  assert.equal(a.data.length, w * h * 3);
  assert.ok(
    a.data.every((v) => v === 255),
    '16-bit white stays white',
  );
  const b = await readImage(new Uint8Array(rgba));
  assert.deepEqual(Array.from(b.data.subarray(0, 3)), [10, 20, 30]);
  const c = await readImage(grey);
  assert.ok(c.data.every((v) => v === 77));
});

test('bad files give clear messages', async () => {
  await assert.rejects(readImage(new Uint8Array(0)), /empty/);
  await assert.rejects(readImage(new TextEncoder().encode('this is not a picture')), /not a readable image/);
  await assert.rejects(readImage('/nonexistent/file.png'), /cannot read file/);
  const png = await encodeRgbPng({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(9) });
  await assert.rejects(readImage(png.subarray(0, png.length - 40)), /corrupt|not a readable/);
  await assert.rejects(readImage(new TextEncoder().encode('P6\n10 10\n255\nabc')), /truncated/);
  const big = await sharp({ create: { width: 20000, height: 20000, channels: 3, background: '#000' }, limitInputPixels: false })
    .png()
    .toBuffer();
  await assert.rejects(readImage(new Uint8Array(big)), /20000x20000 \(400 MP\); the largest accepted is 50 MP/);
  // A PPM header is checked before its pixels are allocated.
  await assert.rejects(
    readImage(new TextEncoder().encode('P6\n20000 20000\n255\n')),
    /^Error: image: image is 20000x20000 \(400 MP\); the largest accepted is 50 MP$/,
  );
});

test('derived FOV masks match the DRIVE masks (IoU >= 0.95 on every image)', async () => {
  for (const split of ['training', 'test'] as const) {
    for (const s of listDataset(DRIVE, split)) {
      const img = await readImage(s.image);
      const given = await readMask(s.fov!, img);
      const iou = maskIoU(deriveFovMask(img), given);
      assert.ok(iou >= 0.95, `${s.name}: IoU ${iou}`);
    }
  }
});

test('DRIVE layout: 20 training and 20 test images paired by number', () => {
  const tr = listDataset(DRIVE, 'training');
  const te = listDataset(DRIVE, 'test');
  assert.equal(tr.length, 20);
  assert.equal(te.length, 20);
  assert.match(tr[0].label!, /21_manual1\.gif$/);
  assert.match(tr[0].fov!, /21_training_mask\.gif$/);
  assert.match(te[19].label!, /20_manual1\.gif$/);
});

test('generic images/+labels/ folder: stems pair, missing masks are derived', async () => {
  const root = tmp();
  mkdirSync(join(root, 'images'));
  mkdirSync(join(root, 'labels'));
  copyFileSync(join(DRIVE, 'test/images/01_test.tif'), join(root, 'images/eye_a.tif'));
  copyFileSync(join(DRIVE, 'test/1st_manual/01_manual1.gif'), join(root, 'labels/eye_a.gif'));
  const samples = await loadDataset(root, undefined, { requireLabels: true });
  assert.equal(samples.length, 1);
  assert.equal(samples[0].fovDerived, true);
  assert.ok(samples[0].label);
  // A label without a photograph is an error that names the file.
  writeFileSync(join(root, 'labels/orphan.png'), await encodeGreyPng(new Uint8Array(4), 2, 2));
  assert.throws(() => listDataset(root), /without a photograph.*orphan\.png/);
});

test('a label of the wrong size is refused with both sizes named', async () => {
  const root = tmp();
  mkdirSync(join(root, 'images'));
  mkdirSync(join(root, 'labels'));
  copyFileSync(join(DRIVE, 'test/images/01_test.tif'), join(root, 'images/a.tif'));
  writeFileSync(join(root, 'labels/a.png'), await encodeGreyPng(new Uint8Array(100), 10, 10));
  await assert.rejects(loadDataset(root), /10x10 does not match the image's 565x584/);
});

test('unlabelled images are refused when labels are required', async () => {
  const root = tmp();
  mkdirSync(join(root, 'images'));
  copyFileSync(join(DRIVE, 'test/images/01_test.tif'), join(root, 'images/a.tif'));
  await assert.rejects(loadDataset(root, undefined, { requireLabels: true }), /no label for a/);
});

test('pairing keys drop role suffixes, never the whole name', () => {
  assert.equal(sampleKey('21_training_mask.gif'), '21');
  assert.equal(sampleKey('21_manual1.gif'), '21');
  assert.equal(sampleKey('im0001.ah.ppm'), 'im0001');
  assert.equal(sampleKey('12_mask.gif'), '12');
  assert.equal(sampleKey('eye_a.png'), 'eye_a');
  assert.equal(sampleKey('mask.png'), 'mask');
});

test('STARE layout: 20 PPM photographs paired with the first observer (labels-ah), FOV derived', async () => {
  const files = listDataset(STARE);
  assert.equal(files.length, 20);
  assert.ok(files.every((f) => f.label && /labels-ah\/im\d{4}\.ah\.ppm$/.test(f.label) && f.fov === null));
  const [s] = await loadDataset(STARE, undefined, { limit: 1, requireLabels: true });
  assert.deepEqual([s.image.width, s.image.height], [700, 605]);
  assert.equal(s.fovDerived, true);
});

test('LES-AV layout: 22 photographs with vessel labels and FOV masks', () => {
  const files = listDataset(LESAV);
  assert.equal(files.length, 22);
  assert.ok(files.every((f) => f.label?.includes('vessel-segmentations') && f.fov?.endsWith(`${f.name}_mask.gif`)));
});

test('several cameras read as one list with unique names; DRIVE "all" is both splits', async () => {
  assert.equal(listDataset(DRIVE, 'all').length, 40);
  const both = await loadDatasets([DRIVE, STARE], 'training', { limit: 1 });
  assert.deepEqual(
    both.map((s) => s.name),
    ['DRIVE/21_training', 'STARE/im0001'],
  );
});
