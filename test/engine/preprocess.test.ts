import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localNormalize, preprocess, standardize } from '../../main/engine/preprocess';
import type { RgbImage } from '../../main/engine/types';
import { syntheticFundus } from '../helpers/synthetic';

/** The synthetic fundus under an illumination ramp: bright on the left, a third as bright on the right. */
function unevenlyLit(): {
  image: RgbImage;
  fov: ReturnType<typeof syntheticFundus>['fov'];
  label: ReturnType<typeof syntheticFundus>['label'];
} {
  const s = syntheticFundus(300, 300, 8, 14);
  const data = new Uint8Array(s.image.data.length);
  for (let y = 0; y < 300; y++)
    for (let x = 0; x < 300; x++)
      for (let c = 0; c < 3; c++) data[(y * 300 + x) * 3 + c] = Math.round(s.image.data[(y * 300 + x) * 3 + c] * (1 - (0.66 * x) / 300));
  return { ...s, image: { width: 300, height: 300, data } };
}

/** Mean of the red channel on vessel and on background pixels, in the left and right thirds. */
function contrasts(input: Float32Array, label: Uint8Array, fov: Uint8Array): { left: number; right: number } {
  const side = (lo: number, hi: number) => {
    let v = 0,
      nv = 0,
      b = 0,
      nb = 0;
    for (let y = 0; y < 300; y++)
      for (let x = lo; x < hi; x++) {
        const i = y * 300 + x;
        if (!fov[i]) continue;
        if (label[i]) {
          v += input[i * 3];
          nv++;
        } else {
          b += input[i * 3];
          nb++;
        }
      }
    return b / nb - v / nv;
  };
  return { left: side(20, 100), right: side(200, 280) };
}

test('local normalisation makes vessel contrast the same under uneven illumination; global standardisation does not', () => {
  const s = unevenlyLit();
  const g = contrasts(standardize(s.image, s.fov), s.label.data, s.fov.data);
  const l = contrasts(localNormalize(s.image, s.fov, 300 / 24), s.label.data, s.fov.data);
  assert.ok(g.left / g.right > 2, `global: left ${g.left} right ${g.right}`);
  assert.ok(Math.abs(l.left / l.right - 1) < 0.1, `local: left ${l.left} right ${l.right}`);
  // Background level: the global map keeps the ramp; the local one removes it.
  const bg = (input: Float32Array, lo: number, hi: number) => {
    let sum = 0,
      n = 0;
    for (let y = 100; y < 200; y++)
      for (let x = lo; x < hi; x++) {
        if (s.label.data[y * 300 + x] || !s.fov.data[y * 300 + x]) continue;
        sum += input[(y * 300 + x) * 3];
        n++;
      }
    return sum / n;
  };
  const local = localNormalize(s.image, s.fov, 300 / 24);
  const global = standardize(s.image, s.fov);
  assert.ok(Math.abs(bg(local, 30, 90) - bg(local, 210, 270)) < 0.25 * Math.abs(bg(global, 30, 90) - bg(global, 210, 270)));
});

test('preprocessing leaves the outside of the FOV at 0 and refuses an empty FOV', () => {
  const s = syntheticFundus(120, 120, 2);
  for (const m of ['fov-standardize-v1', 'fov-local-v1'] as const) {
    const x = preprocess(m, s.image, s.fov, 110);
    for (let i = 0; i < s.fov.data.length; i++) if (!s.fov.data[i]) assert.equal(x[i * 3] + x[i * 3 + 1] + x[i * 3 + 2], 0);
    assert.ok(x.every(Number.isFinite));
    assert.throws(() => preprocess(m, s.image, { ...s.fov, data: new Uint8Array(s.fov.data.length) }, 110), /field-of-view mask is empty/);
  }
});
