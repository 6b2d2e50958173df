import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateEdits } from '../../main/engine/simulated-edits';
import type { Sample } from '../../main/engine/data/datasets';

const W = 40;
const H = 20;

/** A reference label with three vessels; the "prediction" misses two of them (one long, one short) and adds a false one. */
function scene(): { sample: Sample; prob: Float32Array } {
  const label = new Uint8Array(W * H);
  const prob = new Float32Array(W * H);
  const set = (m: Uint8Array | Float32Array, x0: number, x1: number, y: number, v: number) => {
    for (let x = x0; x < x1; x++) m[y * W + x] = v;
  };
  set(label, 0, 40, 2, 1); // found
  set(prob, 0, 40, 2, 0.9);
  set(label, 0, 40, 8, 1); // missed, 40 px
  set(label, 5, 10, 14, 1); // missed, 5 px
  set(prob, 20, 32, 17, 0.8); // false, 12 px
  const fov = new Uint8Array(W * H).fill(1);
  return {
    sample: {
      name: 's',
      image: { width: W, height: H, data: new Uint8Array(W * H * 3) },
      label: { width: W, height: H, data: label },
      fov: { width: W, height: H, data: fov },
      fovDerived: false,
    },
    prob,
  };
}

test('simulated strokes fix the largest errors first, each cut to its reach, and leave the rest as predicted', () => {
  const { sample, prob } = scene();
  const e = simulateEdits(sample, prob, 0.5, { strokes: 2, reach: 20, margin: 0 });
  assert.equal(e.strokes, 2);
  // The missed 40 px vessel is two pieces of 20 (reach 20): the two largest pieces; the false 12 px one and the 5 px miss wait.
  for (let x = 0; x < 40; x++) assert.deepEqual([e.label.data[8 * W + x], e.decided.data[8 * W + x]], [1, 1], `missed vessel x ${x}`);
  for (let x = 20; x < 32; x++)
    assert.deepEqual([e.label.data[17 * W + x], e.decided.data[17 * W + x]], [1, 0], 'the false vessel stays, undecided');
  assert.equal(e.pixels, 40);
  // Three strokes reach the false vessel (12 px) before the short miss (5 px); the margin decides around it.
  const more = simulateEdits(sample, prob, 0.5, { strokes: 3, reach: 20, margin: 1 });
  for (let x = 20; x < 32; x++) assert.deepEqual([more.label.data[17 * W + x], more.decided.data[17 * W + x]], [0, 1], 'erased');
  assert.equal(more.decided.data[16 * W + 25], 1, 'the brush margin decides the background beside it');
  assert.equal(more.label.data[14 * W + 6], 0, 'the short miss is not stroked');
  // Untouched rows are the prediction.
  for (let x = 0; x < 40; x++) assert.deepEqual([more.label.data[2 * W + x], more.decided.data[2 * W + x]], [1, 0]);
});
