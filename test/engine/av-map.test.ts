/** Artery/vein labels: RITE's colour code both ways, the data sets' A/V folders, resampling by class. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { avFromRgb, avMask, avToRgb, avVessels, resampleAv } from '../../main/engine/av-map';
import { readAvLabel } from '../../main/engine/data/av-label';
import { listDataset, loadDataset } from '../../main/engine/data/datasets';
import { AV, type AvMap } from '../../main/engine/types';
import { DRIVE, LESAV, STARE } from '../helpers/paths';

const count = (av: AvMap, cls: number) => av.data.reduce((n, v) => n + (v === cls ? 1 : 0), 0);

test('colour code: red artery, blue vein, green crossing, white uncertain, black background; other mixes uncertain', () => {
  // black, red, blue, green, white, yellow, magenta, cyan, and a dark red that still reads as red
  const rgb = [0, 0, 0, 255, 0, 0, 0, 0, 255, 0, 255, 0, 255, 255, 255, 255, 255, 0, 255, 0, 255, 0, 255, 255, 200, 30, 20];
  const av = avFromRgb({ width: 9, height: 1, data: Uint8Array.from(rgb) });
  assert.deepEqual(Array.from(av.data), [AV.background, AV.artery, AV.vein, AV.crossing, AV.uncertain, 4, 4, 4, AV.artery]);
  const back = avToRgb({ width: 5, height: 1, data: Uint8Array.from([0, 1, 2, 3, 4]) });
  assert.deepEqual(Array.from(back.data), rgb.slice(0, 15));
  assert.deepEqual(Array.from(avVessels(av).data), [0, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(avMask(av, [AV.artery, AV.crossing]).data), [0, 1, 0, 1, 0, 0, 0, 0, 1]);
});

test("RITE's label of DRIVE 01_test reads with its pixel counts per class", async () => {
  const av = await readAvLabel(join(DRIVE, 'test/av/01_test.png'));
  assert.deepEqual([av.width, av.height], [565, 584]);
  assert.deepEqual(
    [AV.artery, AV.vein, AV.crossing, AV.uncertain].map((c) => count(av, c)),
    [13142, 14446, 883, 397],
  );
});

test('data sets: DRIVE and LES-AV pair their A/V labels; asking for them where there are none is an error', async () => {
  assert.ok(listDataset(DRIVE, 'training').every((f) => f.av?.endsWith(`av/${f.name}.png`)));
  assert.ok(listDataset(LESAV).every((f) => f.av?.endsWith(`arteries-and-veins/${f.name}.png`)));
  const [s] = await loadDataset(DRIVE, 'test', { requireAv: true, limit: 1 });
  assert.equal(count(s.av!, AV.artery), 13142);
  const [plain] = await loadDataset(DRIVE, 'test', { limit: 1 });
  assert.equal(plain.av, undefined, 'A/V labels are read only when asked for');
  await assert.rejects(loadDataset(STARE, undefined, { requireAv: true }), /no artery\/vein label for im0001/);
});

test('resampling keeps each class where it covers most, and a vessel where it covers half', () => {
  // 8x4: columns 0-3 artery, 4-5 vein, 6 crossing, row 3 background.
  const data = new Uint8Array(32);
  for (let y = 0; y < 3; y++) for (let x = 0; x < 7; x++) data[y * 8 + x] = x < 4 ? AV.artery : x < 6 ? AV.vein : AV.crossing;
  const half = resampleAv({ width: 8, height: 4, data }, 0.5);
  assert.deepEqual([half.width, half.height], [4, 2]);
  assert.deepEqual(Array.from(half.data.subarray(0, 4)), [AV.artery, AV.artery, AV.vein, AV.crossing]);
  const twice = resampleAv(half, 2);
  assert.deepEqual([twice.width, twice.height], [8, 4]);
  assert.equal(twice.data[0], AV.artery);
  assert.equal(twice.data[5], AV.vein);
  assert.equal(resampleAv(half, 1), half);
});
