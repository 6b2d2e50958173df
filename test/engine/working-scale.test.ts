import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../main/engine/backends';
import { atWorkingScale, decideScale } from '../../main/engine/geometry/working-scale';
import { resampleBytes, resampleMask } from '../../main/engine/geometry/resample';
import { buildUNet } from '../../main/engine/model';
import { predictImage } from '../../main/engine/predict';
import type { Mask } from '../../main/engine/types';
import { syntheticFundus } from '../helpers/synthetic';

function disc(w: number, h: number, d: number): Mask {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = Math.hypot(x + 0.5 - w / 2, y + 0.5 - h / 2) <= d / 2 ? 1 : 0;
  return { width: w, height: h, data };
}

test('scale: a measured FOV is brought to the model working diameter', () => {
  const d = decideScale(disc(1200, 1100, 1000), { fovDiameter: 500 });
  assert.equal(d.source, 'fov');
  assert.equal(d.note, null);
  assert.ok(Math.abs(d.fovDiameter - 1000) < 2, `${d.fovDiameter}`);
  assert.ok(Math.abs(d.factor - 0.5) < 0.002, `${d.factor}`);
});

test('scale: models without a working scale and near-equal sizes predict at native resolution', () => {
  assert.equal(decideScale(disc(600, 600, 540), null).factor, 1);
  assert.equal(decideScale(disc(600, 600, 540), { fovDiameter: 555 }).factor, 1, 'a 3% change is not worth resampling');
});

test('scale: no FOV edge falls back to the image width, and says so', () => {
  const full: Mask = { width: 800, height: 600, data: new Uint8Array(800 * 600).fill(1) };
  const d = decideScale(full, { fovDiameter: 400 });
  assert.equal(d.source, 'image-width');
  assert.equal(d.fovDiameter, 800);
  assert.equal(d.factor, 0.5);
  assert.match(d.note ?? '', /no edge of a circular field of view.*image width \(800 px\)/);
  const strip: Mask = { width: 4000, height: 40, data: new Uint8Array(4000 * 40).fill(1) };
  assert.match(decideScale(strip, { fovDiameter: 540 }).note ?? '', /the image is 100:1, far from a fundus photograph's shape/);
});

test('scale: a user-set diameter wins; nonsense is refused; extremes are bounded and reported', () => {
  const d = decideScale(disc(1200, 1100, 1000), { fovDiameter: 500 }, 2000);
  assert.equal(d.source, 'user');
  assert.equal(d.factor, 0.25);
  assert.throws(() => decideScale(disc(100, 100, 80), { fovDiameter: 500 }, -3), /positive number/);
  assert.throws(() => decideScale(disc(100, 100, 80), { fovDiameter: 500 }, Number.NaN), /positive number/);
  const tiny = decideScale(disc(100, 100, 80), { fovDiameter: 540 }, 20);
  assert.equal(tiny.factor, 4);
  assert.match(tiny.note ?? '', /limited to 4\.000/);
});

test('scale: image, FOV and label are resampled together', () => {
  const s = syntheticFundus(400, 360, 3);
  const w = atWorkingScale({ image: s.image, fov: s.fov, label: s.label }, 0.5);
  assert.deepEqual([w.image.width, w.image.height, w.fov.width, w.label!.height], [200, 180, 200, 180]);
  const share = (m: Mask) => m.data.reduce((a, b) => a + b, 0) / m.data.length;
  assert.ok(Math.abs(share(w.fov) - share(s.fov)) < 0.01);
  assert.ok(Math.abs(share(w.label!) - share(s.label)) < 0.02, `label share ${share(w.label!)} vs ${share(s.label)}`);
});

test('prediction at a working scale: full-resolution output equal to predicting the resampled photo and resampling back', async () => {
  await initBackend('wasm');
  const config = { base: 2, depth: 3, dropout: 0 };
  const model = buildUNet(config, 3);
  const s = syntheticFundus(480, 440, 4);
  const scaled = await predictImage(
    { model, config, meta: { scale: { fovDiameter: 206 }, preprocessing: 'fov-standardize-v1' } },
    s.image,
    { fov: s.fov },
  );
  assert.deepEqual([scaled.width, scaled.height], [480, 440]);
  assert.ok(Math.abs(scaled.scale.factor - 206 / scaled.scale.fovDiameter) < 1e-9);
  assert.ok(scaled.scale.factor < 0.55 && scaled.scale.factor > 0.45, `factor ${scaled.scale.factor}`);
  assert.ok(
    scaled.data.every((v, i) => s.fov.data[i] || v === 0),
    'nothing outside the FOV',
  );
  // The same by hand: predict the resampled photograph at native scale.
  const [w, h] = [Math.round(480 * scaled.scale.factor), Math.round(440 * scaled.scale.factor)];
  const small = { width: w, height: h, data: resampleBytes(s.image.data, 480, 440, 3, w, h) };
  const smallFov = { width: w, height: h, data: resampleMask(s.fov.data, 480, 440, w, h) };
  const direct = await predictImage({ model, config }, small, { fov: smallFov });
  // Probabilities back at full resolution are smooth: neighbours differ little (no blocks).
  let jump = 0;
  for (let y = 100; y < 340; y++)
    for (let x = 100; x < 379; x++) jump = Math.max(jump, Math.abs(scaled.data[y * 480 + x + 1] - scaled.data[y * 480 + x]));
  let jumpSmall = 0;
  for (let y = 50; y < h - 50; y++)
    for (let x = 50; x < w - 51; x++) jumpSmall = Math.max(jumpSmall, Math.abs(direct.data[y * w + x + 1] - direct.data[y * w + x]));
  assert.ok(jump <= jumpSmall * 0.75, `full-resolution steps ${jump} vs working-scale steps ${jumpSmall}`);
  // Centre pixels agree with the working-scale prediction they came from.
  const cx = Math.round(w / 2);
  const cy = Math.round(h / 2);
  const back = scaled.data[Math.round((cy + 0.5) / scaled.scale.factor - 0.5) * 480 + Math.round((cx + 0.5) / scaled.scale.factor - 0.5)];
  assert.ok(Math.abs(back - direct.data[cy * w + cx]) < 0.05, `${back} vs ${direct.data[cy * w + cx]}`);
  model.dispose();
});

test('prediction refuses an image too small to hold vessels, with its size', async () => {
  await initBackend('wasm');
  const config = { base: 2, depth: 3, dropout: 0 };
  const model = buildUNet(config);
  await assert.rejects(predictImage({ model, config }, { width: 1, height: 1, data: new Uint8Array(3) }), /image is 1x1 px: too small/);
  await assert.rejects(
    predictImage({ model, config }, { width: 4000, height: 8, data: new Uint8Array(4000 * 8 * 3) }),
    /4000x8 px: too small/,
  );
  model.dispose();
});
