/**
 * A label is the prediction plus a person's edits: the first stroke starts from the prediction the user
 * sees (at the overlay threshold) and changes only the pixels under the brush, which become decided;
 * undoing every edit returns to the prediction; review is an undoable statement about the whole label.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paintSegment } from '../../renderer/editor/rasterize';
import { drag, makeEditor } from './harness';
import { Rng } from '../../main/engine/rng';

const W = 60;
const H = 40;

/** A prediction with vessels everywhere: random probabilities, many above and below any threshold. */
function randomPrediction(seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: W * H }, () => rng.int(256));
}

/** The pixels a stroke with this geometry covers (the editor's own rasteriser on an empty mask). */
function footprint(x0: number, y0: number, x1: number, y1: number, size: number): Uint8Array {
  const m = new Uint8Array(W * H);
  paintSegment(m, W, H, x0, y0, x1, y1, size, 1);
  return m;
}

for (const tool of ['brush', 'eraser'] as const) {
  test(`one ${tool} stroke on a fresh image changes exactly the pixels under it; every predicted vessel elsewhere stays vessel`, () => {
    const ed = makeEditor(W, H);
    const prob = randomPrediction(7);
    ed.setPrediction(prob);
    ed.setOverlay({ threshold: 0.35 });
    assert.equal(ed.state.review, 'none');
    ed.setTool(tool);
    ed.setBrushSize(6);
    // Screen = image * 10 (harness): a bent stroke (10.5, 8.5) → (30, 20) → (45.5, 30.5).
    drag(ed, [
      [105, 85],
      [300, 200],
      [455, 305],
    ]);
    const under = footprint(10.5, 8.5, 30, 20, 6);
    const rest = footprint(30, 20, 45.5, 30.5, 6);
    const t = Math.ceil(0.35 * 255 - 1e-9);
    let predictedVessels = 0;
    for (let i = 0; i < W * H; i++) {
      const stroked = under[i] || rest[i];
      const predicted = prob[i] >= t ? 1 : 0;
      predictedVessels += predicted && !stroked ? 1 : 0;
      if (stroked) {
        assert.equal(ed.label[i], tool === 'brush' ? 1 : 0, `pixel ${i} under the stroke`);
        assert.equal(ed.decided[i], 1, `pixel ${i} under the stroke is decided`);
      } else {
        assert.equal(ed.label[i], predicted, `pixel ${i} off the stroke keeps the prediction (p ${prob[i]})`);
        assert.equal(ed.decided[i], 0, `pixel ${i} off the stroke is not decided`);
      }
    }
    assert.ok(predictedVessels > 1000, `the check covered ${predictedVessels} predicted vessel pixels off the stroke`);
    assert.equal(ed.state.review, 'edited');
  });
}

test('before any edit the label follows the prediction and the threshold; after one it does not', () => {
  const ed = makeEditor(W, H);
  const prob = randomPrediction(3);
  ed.setPrediction(prob);
  ed.setOverlay({ threshold: 0.5 });
  const at = (t: number) => Array.from(prob, (v) => (v >= Math.ceil(t * 255 - 1e-9) ? 1 : 0));
  assert.deepEqual([...ed.label], at(0.5));
  ed.setOverlay({ threshold: 0.2 });
  assert.deepEqual([...ed.label], at(0.2), 'the snapshot the user sees');
  drag(ed, [[105, 105]]);
  const edited = ed.label.slice();
  ed.setOverlay({ threshold: 0.8 });
  assert.deepEqual(ed.label, edited, 'edited: the label no longer moves with the threshold');
  ed.setPrediction(randomPrediction(4));
  assert.deepEqual(ed.label, edited, 'nor with a new prediction');
});

test('undo back to no edits returns the image to its prediction', () => {
  const ed = makeEditor(W, H);
  const prob = randomPrediction(5);
  ed.setPrediction(prob);
  ed.setOverlay({ threshold: 0.35 });
  const predicted = ed.label.slice();
  drag(ed, [
    [105, 85],
    [455, 305],
  ]);
  ed.setTool('eraser');
  drag(ed, [
    [205, 105],
    [205, 305],
  ]);
  assert.equal(ed.state.review, 'edited');
  ed.undo();
  assert.equal(ed.state.review, 'edited');
  ed.undo();
  assert.equal(ed.state.review, 'none');
  assert.deepEqual(ed.label, predicted);
  assert.ok(ed.decided.every((v) => v === 0));
  ed.redo();
  assert.equal(ed.state.review, 'edited');
});

test('reviewed is an undoable statement about the whole label; it keeps the decided mask', () => {
  const ed = makeEditor(W, H);
  ed.setPrediction(randomPrediction(9));
  drag(ed, [[105, 85]]);
  const decided = ed.decided.slice();
  let saves = 0;
  ed.onLabelEdited(() => saves++);
  assert.ok(ed.setReviewed(true));
  assert.equal(ed.state.review, 'reviewed');
  assert.equal(saves, 1, 'saved like any edit');
  assert.deepEqual(ed.decided, decided);
  ed.undo();
  assert.equal(ed.state.review, 'edited');
  ed.redo();
  assert.equal(ed.state.review, 'reviewed');
  // Reviewing an image nobody painted says the prediction is right as it is.
  const fresh = makeEditor(W, H);
  fresh.setPrediction(randomPrediction(10));
  const predicted = fresh.label.slice();
  fresh.setReviewed(true);
  assert.equal(fresh.state.review, 'reviewed');
  assert.deepEqual(fresh.label, predicted);
  fresh.undo();
  assert.equal(fresh.state.review, 'none');
});

test('loading a saved label restores its decided pixels and review state', () => {
  const ed = makeEditor(4, 1);
  ed.loadImage({
    id: 'x',
    width: 4,
    height: 1,
    prediction: new Uint8Array([255, 255, 0, 0]),
    label: new Uint8Array([1, 0, 1, 0]),
    decided: new Uint8Array([0, 1, 1, 0]),
    reviewed: false,
    fov: null,
  });
  assert.equal(ed.state.review, 'edited');
  assert.deepEqual([...ed.label], [1, 0, 1, 0]);
  ed.loadImage({
    id: 'y',
    width: 4,
    height: 1,
    prediction: null,
    label: new Uint8Array([1, 0, 1, 0]),
    decided: new Uint8Array(4),
    reviewed: true,
    fov: null,
  });
  assert.equal(ed.state.review, 'reviewed');
});
