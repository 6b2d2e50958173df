import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paintDisc, paintSegment } from '../../renderer/editor/rasterize';

function grid(mask: Uint8Array, w: number, rect: { x: number; y: number; w: number; h: number }): string[] {
  const rows: string[] = [];
  for (let j = rect.y; j < rect.y + rect.h; j++) {
    let s = '';
    for (let i = rect.x; i < rect.x + rect.w; i++) s += mask[j * w + i] ? '#' : '.';
    rows.push(s);
  }
  return rows;
}

/** Reference: every pixel centre within d/2 of the segment. */
function bruteForce(w: number, h: number, x0: number, y0: number, x1: number, y1: number, d: number): Uint8Array {
  const m = new Uint8Array(w * h);
  const r = d / 2;
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      const px = i + 0.5;
      const py = j + 0.5;
      const dx = x1 - x0;
      const dy = y1 - y0;
      const l2 = dx * dx + dy * dy;
      let t = l2 === 0 ? 0 : ((px - x0) * dx + (py - y0) * dy) / l2;
      t = Math.max(0, Math.min(1, t));
      const ex = x0 + t * dx - px;
      const ey = y0 + t * dy - py;
      if (ex * ex + ey * ey <= r * r) m[j * w + i] = 1;
    }
  return m;
}

function count(m: Uint8Array): number {
  let n = 0;
  for (const v of m) n += v;
  return n;
}

test('a 1 px brush paints exactly the pixel under the point', () => {
  const m = new Uint8Array(10 * 10);
  const r = paintDisc(m, 10, 10, 3.2, 4.7, 1, 1);
  assert.deepEqual(r, { x: 3, y: 4, w: 1, h: 1 });
  assert.equal(count(m), 1);
  assert.equal(m[4 * 10 + 3], 1);
});

test('disc of diameter 5 centred on a pixel is the 5x5 square minus its corners', () => {
  const m = new Uint8Array(12 * 12);
  const r = paintDisc(m, 12, 12, 5.5, 5.5, 5, 1);
  assert.deepEqual(r, { x: 3, y: 3, w: 5, h: 5 });
  assert.deepEqual(grid(m, 12, { x: 2, y: 2, w: 7, h: 7 }), [
    '.......',
    '..###..',
    '.#####.',
    '.#####.',
    '.#####.',
    '..###..',
    '.......',
  ]);
  assert.equal(count(m), 21);
});

test('a fast horizontal move is filled continuously between the two pointer events', () => {
  const m = new Uint8Array(64 * 8);
  const r = paintSegment(m, 64, 8, 2.5, 3.5, 50.5, 3.5, 1, 1);
  assert.deepEqual(r, { x: 2, y: 3, w: 49, h: 1 });
  assert.equal(count(m), 49);
  for (let i = 2; i <= 50; i++) assert.equal(m[3 * 64 + i], 1, `pixel ${i} painted`);
});

test('a fast diagonal move with a 1 px brush is an 8-connected line without gaps', () => {
  const m = new Uint8Array(32 * 32);
  const r = paintSegment(m, 32, 32, 0.5, 0.5, 20.5, 20.5, 1, 1);
  assert.deepEqual(r, { x: 0, y: 0, w: 21, h: 21 });
  assert.equal(count(m), 21);
  for (let i = 0; i <= 20; i++) assert.equal(m[i * 32 + i], 1);
});

test('steep arbitrary segments: every row between the end points has painted pixels (no gaps)', () => {
  const w = 40;
  const m = new Uint8Array(w * w);
  paintSegment(m, w, w, 3.1, 1.2, 9.7, 37.9, 2, 1);
  for (let j = 2; j <= 37; j++) {
    let any = false;
    for (let i = 0; i < w; i++) any ||= m[j * w + i] === 1;
    assert.ok(any, `row ${j} has paint`);
  }
});

test('matches the distance-to-segment definition on random segments and sizes', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let k = 0; k < 200; k++) {
    const w = 37;
    const h = 29;
    const x0 = rnd() * 45 - 4;
    const y0 = rnd() * 37 - 4;
    const x1 = rnd() * 45 - 4;
    const y1 = rnd() * 37 - 4;
    const d = 1 + Math.floor(rnd() * 12);
    const m = new Uint8Array(w * h);
    const r = paintSegment(m, w, h, x0, y0, x1, y1, d, 1);
    const ref = bruteForce(w, h, x0, y0, x1, y1, d);
    assert.deepEqual(m, ref, `segment ${k}: (${x0},${y0})-(${x1},${y1}) d=${d}`);
    // The dirty rect is the tight bounding box of the painted pixels.
    if (count(ref) === 0) assert.equal(r, null);
    else {
      let minX = w, minY = h, maxX = -1, maxY = -1;
      for (let j = 0; j < h; j++)
        for (let i = 0; i < w; i++)
          if (ref[j * w + i]) {
            minX = Math.min(minX, i); maxX = Math.max(maxX, i);
            minY = Math.min(minY, j); maxY = Math.max(maxY, j);
          }
      assert.deepEqual(r, { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 });
    }
  }
});

test('clips at the image border and never writes outside the mask', () => {
  const w = 8;
  const h = 6;
  const buf = new Uint8Array(w * h + 16);
  const m = buf.subarray(8, 8 + w * h);
  const r = paintSegment(m, w, h, -3, -3, 2.5, 2.5, 4, 1);
  assert.ok(r);
  assert.equal(r.x, 0);
  assert.equal(r.y, 0);
  for (let i = 0; i < 8; i++) assert.equal(buf[i], 0);
  for (let i = 8 + w * h; i < buf.length; i++) assert.equal(buf[i], 0);
  assert.equal(paintDisc(m, w, h, -10, -10, 3, 1), null);
  assert.equal(paintDisc(m, w, h, 20, 3, 3, 1), null);
});

test('value 0 erases only within the brush', () => {
  const w = 10;
  const m = new Uint8Array(w * w).fill(1);
  const r = paintDisc(m, w, w, 5, 5, 2, 0);
  assert.deepEqual(r, { x: 4, y: 4, w: 2, h: 2 });
  assert.equal(count(m), 100 - 4);
  assert.equal(m[4 * w + 4], 0);
  assert.equal(m[5 * w + 5], 0);
  assert.equal(m[3 * w + 4], 1);
});
