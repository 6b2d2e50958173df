import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromLevels, readDecidedLabel, toLevels, encodeDecidedLabel, decidedShare } from '../../main/engine/data/label-levels';
import { readMask } from '../../main/engine/data/image-io';

test('label and decided mask round-trip through one grey file; a plain label is decided everywhere', async () => {
  const label = Uint8Array.from([1, 1, 0, 0, 1, 0]);
  const decided = Uint8Array.from([1, 0, 1, 0, 1, 1]);
  assert.deepEqual([...toLevels(label, decided)], [255, 192, 0, 64, 255, 0]);
  const back = fromLevels({ width: 3, height: 2, data: toLevels(label, decided) });
  assert.deepEqual([...back.label.data], [...label]);
  assert.deepEqual([...back.decided!.data], [...decided]);
  const png = await encodeDecidedLabel({ width: 3, height: 2, data: label }, { width: 3, height: 2, data: decided });
  const read = await readDecidedLabel(png);
  assert.deepEqual([...read.label.data], [...label]);
  assert.deepEqual([...read.decided!.data], [...decided]);
  // Tools that threshold at 128 read the label as it is.
  assert.deepEqual(
    [...toLevels(label, decided)].map((v) => (v >= 128 ? 1 : 0)),
    [...label],
  );
  // A data set's label (0/255, or another grey like DRIVE's observer GIFs) has no undecided pixels.
  assert.equal(fromLevels({ width: 3, height: 1, data: Uint8Array.from([0, 255, 255]) }).decided, null);
  const grey = fromLevels({ width: 3, height: 1, data: Uint8Array.from([4, 64, 255]) });
  assert.equal(grey.decided, null, 'not exactly the four levels: a plain label');
  assert.deepEqual([...grey.label.data], [0, 0, 1], 'read as readMask reads it (>= 128)');
  assert.deepEqual([...(await readMask(png)).data], [...label], 'readMask reads a label with decisions as the label');
});

test('decided share counts decided pixels inside the field of view', () => {
  const fov = { width: 4, height: 1, data: Uint8Array.from([0, 1, 1, 1]) };
  assert.equal(decidedShare(null, fov), 1);
  assert.equal(decidedShare({ width: 4, height: 1, data: Uint8Array.from([1, 1, 0, 0]) }, fov), 1 / 3);
});
