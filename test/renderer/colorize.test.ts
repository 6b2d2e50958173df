import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thresholdByte } from '../../renderer/editor/Editor';
import {
  AGREEMENT,
  FALSE_NEGATIVE,
  FALSE_POSITIVE,
  LABEL_COLOUR,
  colorizeDiff,
  colorizeLabel,
  colorizePrediction,
  fovOutline,
  rgba,
} from '../../renderer/render/colorize';

test('threshold byte: vessel when p/255 >= threshold', () => {
  assert.equal(thresholdByte(0), 0);
  assert.equal(thresholdByte(1), 255);
  assert.equal(thresholdByte(0.5), 128);
  assert.equal(thresholdByte(128 / 255), 128);
});

test('prediction overlay: probability alpha above threshold, binary opaque', () => {
  const prob = new Uint8Array([0, 100, 200, 255]);
  const out = new Uint32Array(4);
  colorizePrediction(out, prob, 4, 1, 128 / 255, 'probability');
  assert.equal(out[0], 0);
  assert.equal(out[1], 0);
  assert.equal(out[2] >>> 24, 200);
  assert.equal(out[3] >>> 24, 255);
  colorizePrediction(out, prob, 4, 1, 100 / 255, 'binary');
  assert.deepEqual(
    [...out].map((v) => v >>> 24),
    [0, 255, 255, 255],
  );
});

test('the prediction gives way where a person decided; only the given rectangle is recoloured', () => {
  const prob = new Uint8Array([255, 255, 255, 255]);
  const hidden = new Uint8Array([0, 1, 0, 1]);
  const out = new Uint32Array(4).fill(7);
  colorizePrediction(out, prob, 2, 2, 0.5, 'binary', hidden, { x: 0, y: 0, w: 2, h: 1 });
  assert.deepEqual(
    [...out].map((v) => v >>> 24),
    [255, 0, 0, 0],
    'row 0 drawn (pixel 1 hidden), row 1 untouched',
  );
  assert.deepEqual([...out.subarray(2)], [7, 7]);
});

test('uncertainty overlay: opaque at the threshold, fading to nothing UNCERTAIN_BAND away', () => {
  // Threshold 0.4: bytes 102 (0.4), 140 (~0.55, at the band's edge), 0 and 255 (far).
  const prob = new Uint8Array([102, 140, 0, 255, 121]);
  const out = new Uint32Array(5);
  colorizePrediction(out, prob, 5, 1, 0.4, 'uncertainty');
  const alpha = [...out].map((v) => v >>> 24);
  assert.ok(alpha[0] >= 250, `at the threshold: ${alpha[0]}`);
  assert.ok(alpha[1] <= 5, `at the band's edge: ${alpha[1]}`);
  assert.deepEqual(alpha.slice(2, 4), [0, 0]);
  assert.ok(alpha[4] > 50 && alpha[4] < 250, `half way: ${alpha[4]}`);
});

test('diff colours FP red, FN blue, agreement faint, only inside the dirty rect', () => {
  const w = 4;
  const label = new Uint8Array([0, 1, 1, 0, 1, 1, 1, 1]);
  const prob = new Uint8Array([255, 255, 0, 0, 255, 255, 255, 255]);
  const out = new Uint32Array(8).fill(7);
  colorizeDiff(out, label, prob, w, 2, 128, { x: 0, y: 0, w: 4, h: 1 });
  assert.deepEqual([...out.subarray(0, 4)], [FALSE_POSITIVE, AGREEMENT, FALSE_NEGATIVE, 0]);
  assert.deepEqual([...out.subarray(4)], [7, 7, 7, 7], 'outside the rect untouched');
  colorizeLabel(out, label, null, w, 2, { x: 1, y: 1, w: 2, h: 1 });
  assert.deepEqual([...out.subarray(4)], [7, LABEL_COLOUR, LABEL_COLOUR, 7]);
  // With a decided mask, only the vessel a person decided is drawn.
  const decided = new Uint8Array([0, 0, 0, 0, 0, 1, 0, 0]);
  colorizeLabel(out, label, decided, w, 2, { x: 1, y: 1, w: 2, h: 1 });
  assert.deepEqual([...out.subarray(4)], [7, LABEL_COLOUR, 0, 7]);
  assert.equal(rgba(1, 2, 3, 4), 0x04030201);
});

test('diff with a field of view: nothing outside it is a false positive; label pixels there still show', () => {
  const label = new Uint8Array([0, 1, 0, 1]);
  const prob = new Uint8Array([255, 255, 0, 0]);
  const fov = new Uint8Array([1, 1, 0, 0]);
  const out = new Uint32Array(4);
  colorizeDiff(out, label, prob, 4, 1, 0, null, fov);
  assert.deepEqual([...out], [FALSE_POSITIVE, AGREEMENT, 0, FALSE_NEGATIVE]);
  colorizeDiff(out, label, prob, 4, 1, 0, null);
  assert.deepEqual([...out], [FALSE_POSITIVE, AGREEMENT, FALSE_POSITIVE, AGREEMENT], 'without a FOV, threshold 0 predicts everything');
});

test('FOV outline traces the left and right extent of each row', () => {
  const w = 6;
  const h = 3;
  // . # # # . .
  // # # # # # .
  // . . # . . .
  const fov = new Uint8Array([0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0]);
  const pts = fovOutline(fov, w, h, 1);
  assert.deepEqual(pts, [1, 0.5, 0, 1.5, 2, 2.5, 3, 2.5, 5, 1.5, 4, 0.5]);
});
