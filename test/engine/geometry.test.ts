import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { measureFov } from '../../main/engine/geometry/fov-circle';
import { resample, resampleBytes, resampleMask } from '../../main/engine/geometry/resample';
import { distanceTransform, vesselCalibre } from '../../main/engine/geometry/calibre';
import { correctByCalibre } from '../../main/engine/geometry/working-scale';
import { readImage, readMask } from '../../main/engine/data/image-io';
import type { Mask } from '../../main/engine/types';
import { DRIVE } from '../helpers/paths';

/** A disc of diameter d centred at (cx, cy), optionally cut by horizontal lines at rows top/bottom. */
function disc(w: number, h: number, cx: number, cy: number, d: number, cut?: { top: number; bottom: number }): Mask {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const inside = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= d / 2;
      const kept = !cut || (y >= cut.top && y < cut.bottom);
      data[y * w + x] = inside && kept ? 1 : 0;
    }
  return { width: w, height: h, data };
}

function found(m: Mask) {
  const r = measureFov(m);
  assert.ok(r.found, r.found ? '' : r.reason);
  return r.circle;
}

test('FOV circle: a whole disc gives its diameter and centre', () => {
  const c = found(disc(500, 460, 240, 235, 400));
  assert.ok(Math.abs(c.diameter - 400) < 1.5, `diameter ${c.diameter}`);
  assert.ok(Math.abs(c.cx - 240) < 1 && Math.abs(c.cy - 235) < 1, `centre ${c.cx},${c.cy}`);
});

test('FOV circle: cut by the image border at top and bottom (wide-field framing)', () => {
  // Diameter 700 in a 760x500 image: the top and bottom of the aperture are outside the photo.
  const c = found(disc(760, 500, 380, 250, 700));
  assert.ok(Math.abs(c.diameter - 700) < 2, `diameter ${c.diameter}`);
});

test('FOV circle: flat cuts inside the image (STARE-like) do not shrink the circle', () => {
  const c = found(disc(700, 605, 350, 300, 650, { top: 20, bottom: 580 }));
  assert.ok(Math.abs(c.diameter - 650) < 2, `diameter ${c.diameter}`);
});

test('FOV circle: DRIVE masks measure about 535 px', async () => {
  const img = await readImage(join(DRIVE, 'test/images/01_test.tif'));
  const m = await readMask(join(DRIVE, 'test/mask/01_test_mask.gif'), img);
  const c = found(m);
  assert.ok(c.diameter > 525 && c.diameter < 545, `diameter ${c.diameter}`);
});

test('FOV circle: no circular edge is reported with a reason, never a made-up size', () => {
  const full: Mask = { width: 300, height: 200, data: new Uint8Array(300 * 200).fill(1) };
  const r1 = measureFov(full);
  assert.equal(r1.found, false);
  assert.match(r1.found ? '' : r1.reason, /no edge of a circular field of view/);
  const empty: Mask = { width: 300, height: 200, data: new Uint8Array(300 * 200) };
  assert.equal(measureFov(empty).found, false);
  // A rectangle: straight edges only.
  const rect: Mask = { width: 300, height: 200, data: new Uint8Array(300 * 200) };
  for (let y = 40; y < 160; y++) for (let x = 50; x < 250; x++) rect.data[y * 300 + x] = 1;
  assert.equal(measureFov(rect).found, false);
  const tiny: Mask = { width: 1, height: 1, data: new Uint8Array([1]) };
  assert.equal(measureFov(tiny).found, false);
});

test('resample: constant stays constant, size as asked, mean kept', () => {
  const src = new Uint8Array(37 * 23 * 3).fill(90);
  const out = resampleBytes(src, 37, 23, 3, 11, 50);
  assert.equal(out.length, 11 * 50 * 3);
  assert.ok(out.every((v) => v === 90));
  const ramp = Float32Array.from({ length: 64 * 64 }, (_, i) => i % 64);
  const small = resample(ramp, 64, 64, 1, 16, 16);
  const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(Math.abs(mean(small) - mean(ramp)) < 0.5, `${mean(small)} vs ${mean(ramp)}`);
});

test('resample: downsampling is antialiased (a 1-px checkerboard becomes flat grey, not an alias)', () => {
  const w = 64;
  const src = Float32Array.from({ length: w * w }, (_, i) => ((i % w) + Math.floor(i / w)) % 2);
  for (const f of [0.5, 0.37, 0.25]) {
    const n = Math.round(w * f);
    const out = resample(src, w, w, 1, n, n);
    const interior = Array.from(out).filter((_, i) => i % n > 0 && i % n < n - 1 && i > n && i < n * (n - 1));
    for (const v of interior) assert.ok(Math.abs(v - 0.5) < 0.1, `factor ${f}: ${v}`);
  }
});

test('resample: upsampling is bilinear and smooth (no blocks)', () => {
  const src = Float32Array.from([0, 1, 0, 1]); // 2x2: columns 0 and 1
  const out = resample(src, 2, 2, 1, 8, 2);
  const row = Array.from(out.subarray(0, 8));
  for (let i = 1; i < 8; i++) assert.ok(row[i] >= row[i - 1] - 1e-6, `monotone: ${row}`);
  assert.ok(new Set(row.map((v) => v.toFixed(3))).size >= 5, `several levels: ${row}`);
});

test('resample: a mask keeps its area within a pixel row', () => {
  const m = disc(400, 400, 200, 200, 300);
  const small = resampleMask(m.data, 400, 400, 140, 140);
  const area = small.reduce((s, v) => s + v, 0);
  const expected = Math.PI * (150 * 0.35) ** 2;
  assert.ok(Math.abs(area - expected) / expected < 0.02, `${area} vs ${expected}`);
});

test('resample: refuses a zero or fractional target size', () => {
  assert.throws(() => resample(new Float32Array(4), 2, 2, 1, 0, 2), /cannot resample/);
  assert.throws(() => resample(new Float32Array(4), 2, 2, 1, 1.5, 2), /cannot resample/);
});

test('distance transform: exact Euclidean distances to the background', () => {
  const w = 9;
  const m = new Uint8Array(w * w).fill(1);
  m[4 * w + 4] = 0;
  const d2 = distanceTransform(m, w, w);
  assert.equal(d2[4 * w + 4], 0);
  assert.equal(d2[4 * w + 7], 9);
  assert.equal(d2[7 * w + 7], 18);
  assert.equal(d2[0], 32);
});

test('vessel calibre: the widest tubes decide it, in pixels', () => {
  const w = 300;
  const m = new Uint8Array(w * w);
  // Many thin (3 px) vessels and a few wide (11 px) ones.
  const band = (y0: number, width: number) => {
    for (let y = y0; y < y0 + width; y++) for (let x = 20; x < 280; x++) m[y * w + x] = 1;
  };
  for (let k = 0; k < 12; k++) band(10 + k * 12, 3);
  band(170, 11);
  band(200, 11);
  band(230, 11);
  const c = vesselCalibre(m, w, w);
  assert.ok(c !== null && Math.abs(c - 11) <= 1.5, `calibre ${c}`);
  assert.equal(vesselCalibre(new Uint8Array(w * w), w, w), null, 'an empty map has no calibre');
});

test('calibre corrects an assumed scale, a far-off measured one, never a set one', () => {
  const model = { fovDiameter: 540, calibre: 6 };
  const assumed = { fovDiameter: 260, source: 'image-width' as const, note: 'no edge', factor: 540 / 260 };
  const fixed = correctByCalibre(assumed, 12, model);
  assert.ok(fixed, 'vessels twice too wide at the assumed scale');
  assert.equal(fixed.source, 'calibre');
  assert.ok(Math.abs(fixed.factor - 540 / 260 / 2) < 1e-9);
  assert.ok(Math.abs(fixed.fovDiameter - 520) < 1e-6);
  assert.match(fixed.note ?? '', /estimated from the widest vessels/);
  assert.equal(correctByCalibre(assumed, 6.5, model), null, 'close enough');
  const measured = { fovDiameter: 540, source: 'fov' as const, note: null, factor: 1 };
  assert.equal(correctByCalibre(measured, 8, model), null, 'within what cameras and eyes differ by');
  assert.ok(correctByCalibre(measured, 11, model), 'far off');
  assert.equal(correctByCalibre({ ...measured, source: 'user' }, 12, model), null);
  assert.equal(correctByCalibre(assumed, 12, { fovDiameter: 540 }), null, 'models without a reference calibre');
});
