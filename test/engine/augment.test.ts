import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractCrop, NO_AUGMENT, randomAffine, SEED_AUGMENT, type CropSource } from '../../main/engine/augment';
import { Rng } from '../../main/engine/rng';
import { sampleBatch } from '../../main/engine/sampler';
import { syntheticFundus } from '../helpers/synthetic';

/** A source whose image channels are the label itself, so any geometric drift shows up. */
function labelAsImage(): CropSource {
  const s = syntheticFundus(96, 96, 5, 10);
  const input = new Float32Array(96 * 96 * 3);
  for (let i = 0; i < s.label.data.length; i++) input.fill(s.label.data[i], i * 3, i * 3 + 3);
  return { width: 96, height: 96, input, label: s.label.data };
}

test('geometric augmentation moves image and label identically', () => {
  const src = labelAsImage();
  const rng = new Rng(11);
  const size = 32;
  for (let k = 0; k < 50; k++) {
    const m = randomAffine(SEED_AUGMENT, rng);
    const x = new Float32Array(size * size * 3);
    const y = new Float32Array(size * size);
    extractCrop(src, rng.uniform(30, 66), rng.uniform(30, 66), size, m, null, { x, xOff: 0, y, yOff: 0 });
    for (let i = 0; i < size * size; i++) {
      assert.equal(x[i * 3] >= 0.5 ? 1 : 0, y[i], `crop ${k} pixel ${i}`);
    }
  }
});

test('flip-only augmentation reproduces exact mirrored pixels', () => {
  const src = labelAsImage();
  const size = 16;
  const crop = (m: [number, number, number, number]) => {
    const x = new Float32Array(size * size * 3);
    const y = new Float32Array(size * size);
    extractCrop(src, 47.5, 47.5, size, m, null, { x, xOff: 0, y, yOff: 0 }); // pixel-aligned: covers 40..55
    return y;
  };
  const plain = crop([1, 0, 0, 1]);
  const flipped = crop([-1, 0, 0, 1]);
  for (let v = 0; v < size; v++) for (let u = 0; u < size; u++) assert.equal(flipped[v * size + u], plain[v * size + (size - 1 - u)]);
  const straight = labelAsImage().label;
  for (let v = 0; v < size; v++) for (let u = 0; u < size; u++) assert.equal(plain[v * size + u], straight[(40 + v) * 96 + 40 + u]);
});

test('photometric changes touch the image only', () => {
  const src = labelAsImage();
  const size = 16;
  const x0 = new Float32Array(size * size * 3);
  const y0 = new Float32Array(size * size);
  const x1 = new Float32Array(size * size * 3);
  const y1 = new Float32Array(size * size);
  extractCrop(src, 48, 48, size, [1, 0, 0, 1], null, { x: x0, xOff: 0, y: y0, yOff: 0 });
  extractCrop(src, 48, 48, size, [1, 0, 0, 1], { brightness: 0.3, contrast: 1.2, saturation: 0.8 }, { x: x1, xOff: 0, y: y1, yOff: 0 });
  assert.deepEqual(y1, y0);
  assert.notDeepEqual(x1, x0);
});

test('batches are reproducible from the seed and mix several images', () => {
  const a = syntheticFundus(80, 80, 1);
  const b = syntheticFundus(80, 80, 2);
  const imgs = [a, b].map((s, i) => ({ name: `s${i}`, width: 80, height: 80, input: new Float32Array(80 * 80 * 3).fill(i), label: s.label.data }));
  const o = { batch: 8, crop: 16, augment: NO_AUGMENT, focusFraction: 0 };
  const b1 = sampleBatch(imgs, o, new Rng(3));
  const b2 = sampleBatch(imgs, o, new Rng(3));
  assert.deepEqual(b1.x, b2.x);
  assert.deepEqual(b1.y, b2.y);
  const sources = new Set(Array.from({ length: 8 }, (_, k) => b1.x[k * 16 * 16 * 3 + 100]));
  assert.equal(sources.size, 2, 'crops come from both images');
});

test('focus pixels attract crops', () => {
  const label = new Uint8Array(200 * 200);
  label[150 * 200 + 150] = 1;
  const img = { name: 'f', width: 200, height: 200, input: new Float32Array(200 * 200 * 3), label, focus: Int32Array.from([150 * 200 + 150]) };
  const b = sampleBatch([img], { batch: 20, crop: 32, augment: NO_AUGMENT, focusFraction: 1 }, new Rng(9));
  let hits = 0;
  for (let k = 0; k < 20; k++) if (b.y.subarray(k * 1024, (k + 1) * 1024).some((v) => v === 1)) hits++;
  assert.equal(hits, 20, 'every focused crop contains the focus pixel');
});

test('loss weights follow the same geometry as the label', () => {
  const src = labelAsImage();
  const weighted = { ...src, weight: Float32Array.from(src.label) };
  const size = 16;
  for (const m of [[1, 0, 0, 1], [-1, 0, 0, 1], [1, 0, 0, -1], [0, 1, 1, 0]] as [number, number, number, number][]) {
    const t = { x: new Float32Array(size * size * 3), xOff: 0, y: new Float32Array(size * size), yOff: 0, w: new Float32Array(size * size) };
    extractCrop(weighted, 47.5, 47.5, size, m, null, t);
    assert.deepEqual(t.w, t.y);
    assert.ok(t.y.some((v) => v === 1) && t.y.some((v) => v === 0));
  }
  // Without a weight map every pixel inside the image weighs 1.
  const t = { x: new Float32Array(size * size * 3), xOff: 0, y: new Float32Array(size * size), yOff: 0, w: new Float32Array(size * size) };
  extractCrop(src, 47.5, 47.5, size, [1, 0, 0, 1], null, t);
  assert.ok(t.w.every((v) => v === 1));
});
