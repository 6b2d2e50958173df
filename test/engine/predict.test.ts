import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../main/engine/backends';
import { buildUNet } from '../../main/engine/model';
import { planAxis, predictImage, predictInput, probabilityToPng, receptiveRadius } from '../../main/engine/predict';
import { readMask } from '../../main/engine/data/image-io';
import { syntheticFundus } from '../helpers/synthetic';
import { modelRunner } from '../../main/engine/tile-runner';

test('tiled prediction equals the whole-image pass away from the image border', async () => {
  await initBackend('wasm');
  const config = { base: 4, depth: 3, dropout: 0 };
  const model = buildUNet(config);
  const [w, h] = [200, 184];
  const input = new Float32Array(w * h * 3).map((_, i) => Math.sin(i * 0.013) + Math.cos(i * 0.0007));
  const whole = await predictInput(modelRunner(model), config, input, w, h, { tile: 4096 });
  const tiles: number[] = [];
  const tiled = await predictInput(modelRunner(model), config, input, w, h, { tile: 112, blend: 16, onProgress: (d, t) => tiles.push(t) });
  assert.ok(tiles[0] >= 4, `expected several tiles, got ${tiles[0]}`);
  const margin = receptiveRadius(config);
  let worst = 0;
  for (let y = margin; y < h - margin; y++) for (let x = margin; x < w - margin; x++) worst = Math.max(worst, Math.abs(whole[y * w + x] - tiled[y * w + x]));
  assert.ok(worst < 1e-4, `max difference ${worst}`);
  model.dispose();
});

test('tile plans cover the axis and keep origins on the pooling grid', () => {
  for (const len of [100, 565, 584, 2336, 3504]) {
    const p = planAxis(len, 16, { tile: 512, blend: 32 }, { depth: 4 });
    assert.ok(p.origins.every((o) => o % 16 === 0));
    assert.ok(p.origins[p.origins.length - 1] + p.size >= len);
  }
});

test('a 3504x2336 photograph predicts in bounded memory without leaking tensors', async () => {
  await initBackend('wasm');
  const config = { base: 2, depth: 4, dropout: 0 };
  const model = buildUNet(config);
  const s = syntheticFundus(3504, 2336, 1, 4);
  const before = tf.memory().numTensors;
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const p = await predictImage({ model, config }, s.image, { fov: s.fov, tile: 768, onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) });
  assert.equal(p.data.length, 3504 * 2336);
  assert.ok(p.data.every((v) => v >= 0 && v <= 1));
  assert.ok(p.data.every((v, i) => s.fov.data[i] || v === 0), 'nothing is predicted outside the field of view');
  assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
  assert.ok(peak - rss0 < 1.5 * 2 ** 30, `grew by ${((peak - rss0) / 2 ** 20).toFixed(0)} MiB`);
  const png = await probabilityToPng(p);
  const back = await readMask(png);
  assert.deepEqual([back.width, back.height], [3504, 2336]);
  model.dispose();
});
