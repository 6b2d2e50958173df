import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, applyPatch, capturePatch, isNoop, type Masks } from '../../renderer/editor/history';
import { paintSegment } from '../../renderer/editor/rasterize';

const W = 20;
const H = 10;

/** A label mask and its decided mask; tests compare the label, which the decided mask follows. */
class Doc implements Masks {
  label = new Uint8Array(W * H);
  decided = new Uint8Array(W * H);
  slice(): Uint8Array {
    return this.label.slice();
  }
}

/** Simulates an editor: paint a stroke (its pixels decided), record it. */
function stroke(m: Doc, h: History, x0: number, y0: number, x1: number, y1: number, v = 1) {
  const before = { label: m.label.slice(), decided: m.decided.slice() };
  const rect = paintSegment(m.label, W, H, x0, y0, x1, y1, 3, v)!;
  paintSegment(m.decided, W, H, x0, y0, x1, y1, 3, 1);
  h.push(capturePatch(before, m, W, rect));
}

function undo(m: Doc, h: History): boolean {
  const p = h.undo();
  if (!p) return false;
  applyPatch(m, W, p, 'before');
  return true;
}
function redo(m: Doc, h: History): boolean {
  const p = h.redo();
  if (!p) return false;
  applyPatch(m, W, p, 'after');
  return true;
}

test('patch captures exactly the rectangle of both masks and round-trips', () => {
  const before = { label: new Uint8Array(W * H), decided: new Uint8Array(W * H) };
  const after = { label: before.label.slice(), decided: before.decided.slice() };
  after.label[3 * W + 5] = 1;
  after.label[4 * W + 7] = 1;
  after.decided[3 * W + 6] = 1;
  const p = capturePatch(before, after, W, { x: 5, y: 3, w: 3, h: 2 });
  assert.deepEqual([...p.after], [1, 0, 0, 0, 0, 1]);
  assert.deepEqual([...p.before], [0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...p.decidedAfter], [0, 1, 0, 0, 0, 0]);
  assert.equal(isNoop(p), false);
  const m = { label: after.label.slice(), decided: after.decided.slice() };
  applyPatch(m, W, p, 'before');
  assert.deepEqual(m, before);
  applyPatch(m, W, p, 'after');
  assert.deepEqual(m, after);
  assert.equal(isNoop(capturePatch(after, after, W, { x: 0, y: 0, w: W, h: H })), true);
  // Deciding a pixel without changing its label (painting over a predicted vessel) is an action too.
  const confirmed = { label: after.label, decided: after.decided.slice() };
  confirmed.decided[3 * W + 5] = 1;
  assert.equal(isNoop(capturePatch(after, confirmed, W, { x: 5, y: 3, w: 1, h: 1 })), false);
});

test('undo and redo restore each state in order', () => {
  const m = new Doc();
  const h = new History();
  const s0 = m.slice();
  stroke(m, h, 2, 2, 10, 2);
  const s1 = m.slice();
  stroke(m, h, 5, 1, 5, 9);
  const s2 = m.slice();
  stroke(m, h, 3, 5, 15, 5, 0);
  const s3 = m.slice();
  assert.notDeepEqual(s1, s0);
  assert.notDeepEqual(s2, s1);
  assert.notDeepEqual(s3, s2);
  assert.ok(undo(m, h));
  assert.deepEqual(m.label, s2);
  assert.ok(undo(m, h));
  assert.deepEqual(m.label, s1);
  assert.ok(redo(m, h));
  assert.deepEqual(m.label, s2);
  assert.ok(redo(m, h));
  assert.deepEqual(m.label, s3);
  assert.equal(redo(m, h), false);
  assert.ok(undo(m, h) && undo(m, h) && undo(m, h));
  assert.deepEqual(m.label, s0);
  assert.equal(undo(m, h), false);
});

test('a new action after undo discards the redo branch', () => {
  const m = new Doc();
  const h = new History();
  stroke(m, h, 2, 2, 10, 2);
  const s1 = m.slice();
  stroke(m, h, 5, 1, 5, 9);
  undo(m, h);
  assert.equal(h.canRedo, true);
  stroke(m, h, 12, 1, 12, 9);
  const s3 = m.slice();
  assert.equal(h.canRedo, false);
  assert.equal(redo(m, h), false);
  undo(m, h);
  assert.deepEqual(m.label, s1);
  redo(m, h);
  assert.deepEqual(m.label, s3);
  assert.equal(h.undoDepth, 2);
});

test('memory bound drops the oldest entries, keeps the newest, and counts redo bytes', () => {
  const m = new Doc();
  const h = new History(200);
  // Each vertical stroke centred on a pixel column covers 3 columns x 10 rows => 4 * 30 bytes (label and decided, before and after).
  for (let k = 0; k < 10; k++) stroke(m, h, 1.5 + k, 1, 1.5 + k, 8);
  assert.equal(h.bytes, 120);
  assert.equal(h.undoDepth, 1);
  const h2 = new History(400);
  for (let k = 0; k < 10; k++) stroke(new Doc(), h2, 1.5 + k, 1, 1.5 + k, 8);
  assert.equal(h2.bytes, 3 * 120);
  assert.equal(h2.undoDepth, 3);
  let n = 0;
  while (undo(m, h2)) n++;
  assert.equal(n, 3);
  assert.equal(h2.bytes, 3 * 120); // now all on the redo stack
  stroke(m, h2, 15.5, 1, 15.5, 8); // discards the redo branch
  assert.equal(h2.bytes, 120);
  const big = new History(10);
  stroke(new Doc(), big, 1, 1, 18, 8);
  assert.equal(big.undoDepth, 1, 'a single entry larger than the bound is still kept');
});

test('trim drops the redo branch, then the oldest entries', () => {
  const m = new Doc();
  const h = new History();
  for (let k = 0; k < 5; k++) stroke(m, h, 1.5 + 3 * k, 1, 1.5 + 3 * k, 8); // 120 bytes each
  undo(m, h);
  assert.equal(h.bytes, 600);
  h.trim(2000);
  assert.equal(h.canRedo, true, 'under the bound: untouched');
  h.trim(260);
  assert.equal(h.canRedo, false);
  assert.equal(h.undoDepth, 2);
  assert.equal(h.bytes, 240);
  const s = m.slice();
  undo(m, h);
  undo(m, h);
  assert.equal(undo(m, h), false);
  assert.notDeepEqual(m.label, s);
});
