import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, applyPatch, capturePatch, isNoop } from '../../renderer/editor/history';
import { paintSegment } from '../../renderer/editor/rasterize';

const W = 20;
const H = 10;

/** Simulates an editor: paint a stroke, record it, return the patch. */
function stroke(mask: Uint8Array, h: History, x0: number, y0: number, x1: number, y1: number, v = 1) {
  const before = mask.slice();
  const rect = paintSegment(mask, W, H, x0, y0, x1, y1, 3, v)!;
  h.push(capturePatch(before, mask, W, rect));
}

function undo(mask: Uint8Array, h: History): boolean {
  const p = h.undo();
  if (!p) return false;
  applyPatch(mask, W, p, 'before');
  return true;
}
function redo(mask: Uint8Array, h: History): boolean {
  const p = h.redo();
  if (!p) return false;
  applyPatch(mask, W, p, 'after');
  return true;
}

test('patch captures exactly the rectangle and round-trips', () => {
  const before = new Uint8Array(W * H);
  const after = before.slice();
  after[3 * W + 5] = 1;
  after[4 * W + 7] = 1;
  const p = capturePatch(before, after, W, { x: 5, y: 3, w: 3, h: 2 });
  assert.deepEqual([...p.after], [1, 0, 0, 0, 0, 1]);
  assert.deepEqual([...p.before], [0, 0, 0, 0, 0, 0]);
  assert.equal(isNoop(p), false);
  const m = after.slice();
  applyPatch(m, W, p, 'before');
  assert.deepEqual(m, before);
  applyPatch(m, W, p, 'after');
  assert.deepEqual(m, after);
  assert.equal(isNoop(capturePatch(after, after, W, { x: 0, y: 0, w: W, h: H })), true);
});

test('undo and redo restore each state in order', () => {
  const m = new Uint8Array(W * H);
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
  assert.deepEqual(m, s2);
  assert.ok(undo(m, h));
  assert.deepEqual(m, s1);
  assert.ok(redo(m, h));
  assert.deepEqual(m, s2);
  assert.ok(redo(m, h));
  assert.deepEqual(m, s3);
  assert.equal(redo(m, h), false);
  assert.ok(undo(m, h) && undo(m, h) && undo(m, h));
  assert.deepEqual(m, s0);
  assert.equal(undo(m, h), false);
});

test('a new action after undo discards the redo branch', () => {
  const m = new Uint8Array(W * H);
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
  assert.deepEqual(m, s1);
  redo(m, h);
  assert.deepEqual(m, s3);
  assert.equal(h.undoDepth, 2);
});

test('memory bound drops the oldest entries, keeps the newest, and counts redo bytes', () => {
  const m = new Uint8Array(W * H);
  const h = new History(200);
  // Each vertical stroke centred on a pixel column covers 3 columns x 10 rows => 2 * 30 bytes.
  for (let k = 0; k < 10; k++) stroke(m, h, 1.5 + k, 1, 1.5 + k, 8);
  assert.equal(h.bytes, 3 * 60);
  assert.equal(h.undoDepth, 3);
  let n = 0;
  while (undo(m, h)) n++;
  assert.equal(n, 3);
  assert.equal(h.bytes, 3 * 60); // now all on the redo stack
  stroke(m, h, 15.5, 1, 15.5, 8); // discards the redo branch
  assert.equal(h.bytes, 60);
  const big = new History(10);
  stroke(new Uint8Array(W * H), big, 1, 1, 18, 8);
  assert.equal(big.undoDepth, 1, 'a single entry larger than the bound is still kept');
});

test('trim drops the redo branch, then the oldest entries', () => {
  const m = new Uint8Array(W * H);
  const h = new History();
  for (let k = 0; k < 5; k++) stroke(m, h, 1.5 + 3 * k, 1, 1.5 + 3 * k, 8); // 60 bytes each
  undo(m, h);
  assert.equal(h.bytes, 300);
  h.trim(1000);
  assert.equal(h.canRedo, true, 'under the bound: untouched');
  h.trim(130);
  assert.equal(h.canRedo, false);
  assert.equal(h.undoDepth, 2);
  assert.equal(h.bytes, 120);
  const s = m.slice();
  undo(m, h);
  undo(m, h);
  assert.equal(undo(m, h), false);
  assert.notDeepEqual(m, s);
});
