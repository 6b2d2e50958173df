import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../main/engine/backends';
import { NO_AUGMENT } from '../../main/engine/augment';
import { buildUNet } from '../../main/engine/model';
import { predictImage } from '../../main/engine/predict';
import { ScoreCollector } from '../../main/engine/metrics';
import { standardize } from '../../main/engine/preprocess';
import { SEED_RECIPE, train, learningRateAt, type TrainSettings } from '../../main/engine/train';
import type { TrainingImage } from '../../main/engine/sampler';
import { syntheticFundus } from '../helpers/synthetic';

function synthImages(n: number, size: number): TrainingImage[] {
  return Array.from({ length: n }, (_, i) => {
    const s = syntheticFundus(size, size, 100 + i);
    return { name: `syn${i}`, width: size, height: size, input: standardize(s.image, s.fov), label: s.label.data };
  });
}

const small: TrainSettings = { ...SEED_RECIPE, steps: 60, batch: 4, crop: 32, learningRate: 3e-3, warmup: 5, logEvery: 5, augment: { ...NO_AUGMENT, flip: true } };

test('a small U-Net learns synthetic vessels in seconds (loss falls, AUC > 0.9)', async () => {
  await initBackend('wasm');
  const config = { base: 4, depth: 2, dropout: 0 };
  const model = buildUNet(config, 42);
  const images = synthImages(3, 96);
  const losses: number[] = [];
  const before = tf.memory().numTensors;
  const r = await train({ model, images, settings: small, onProgress: (p) => losses.push(p.loss) });
  assert.equal(r.steps, 60);
  assert.equal(tf.memory().numTensors, before, 'training leaks no tensors');
  const first = losses.slice(0, 2).reduce((a, b) => a + b) / 2;
  const last = losses.slice(-2).reduce((a, b) => a + b) / 2;
  assert.ok(last < first * 0.7, `loss ${first} -> ${last}`);
  const test = syntheticFundus(96, 96, 999);
  const p = await predictImage({ model, config }, test.image, { fov: test.fov });
  const c = new ScoreCollector();
  c.add(p.data, test.label.data, test.fov.data);
  assert.ok(c.scores().auc > 0.9, `AUC ${c.scores().auc}`);
  model.dispose();
});

test('resuming from a checkpoint continues the same run exactly', async () => {
  await initBackend('wasm');
  const config = { base: 2, depth: 2, dropout: 0 };
  const images = synthImages(2, 64);
  const settings = { ...small, steps: 12, logEvery: 1 };
  tf.setBackend('wasm');
  const straightModel = buildUNet(config);
  const initial = straightModel.getWeights().map((w) => w.clone());
  // Writing checkpoints must not disturb the run itself.
  await train({ model: straightModel, images, settings, checkpoint: { dir: join(mkdtempSync(join(tmpdir(), 'vs-ckpt-')), 'c'), every: 4 } });

  const dir = join(mkdtempSync(join(tmpdir(), 'vs-ckpt-')), 'ckpt');
  const first = buildUNet(config);
  first.setWeights(initial);
  const ac = new AbortController();
  const r1 = await train({
    model: first,
    images,
    settings,
    checkpoint: { dir, every: 6 },
    onCheckpoint: () => ac.abort(),
    signal: ac.signal,
  });
  assert.equal(r1.cancelled, true);
  assert.equal(r1.steps, 6);
  const other = buildUNet(config);
  await assert.rejects(train({ model: other, images, settings: { ...settings, learningRate: 1e-2 }, resume: dir }), /other settings \(learningRate\)/);
  other.dispose();
  const resumed = buildUNet(config);
  const r2 = await train({ model: resumed, images, settings, resume: dir });
  assert.equal(r2.steps, 12);
  const a = straightModel.getWeights();
  const b = resumed.getWeights();
  for (let i = 0; i < a.length; i++) {
    const diff = tf.max(tf.abs(tf.sub(a[i], b[i]))).dataSync()[0];
    assert.ok(diff < 1e-6, `weight ${i} differs by ${diff}`);
  }
  tf.dispose(initial);
  [straightModel, first, resumed].forEach((m) => m.dispose());
});

test('cancellation stops within a step and reports it', async () => {
  await initBackend('wasm');
  const model = buildUNet({ base: 2, depth: 2, dropout: 0 });
  const ac = new AbortController();
  const r = await train({ model, images: synthImages(1, 64), settings: { ...small, steps: 1000, logEvery: 1 }, signal: ac.signal, onProgress: (p) => p.step === 3 && ac.abort() });
  assert.equal(r.cancelled, true);
  assert.equal(r.steps, 3);
  model.dispose();
});

test('cosine schedule warms up, peaks and decays to the floor', () => {
  const s = { ...SEED_RECIPE, steps: 1000, warmup: 10, learningRate: 1e-3, finalLearningRateFraction: 0.01 };
  assert.ok(learningRateAt(s, 0) < 2e-4);
  assert.ok(Math.abs(learningRateAt(s, 10) - 1e-3) < 1e-5);
  assert.ok(Math.abs(learningRateAt(s, 1000) - 1e-5) < 1e-9);
  assert.ok(learningRateAt(s, 500) < learningRateAt(s, 200));
});

test('a seeded model starts from the same weights every time', () => {
  const config = { base: 2, depth: 2, dropout: 0 };
  const a = buildUNet(config, 7).getWeights();
  const b = buildUNet(config, 7).getWeights();
  const c = buildUNet(config, 8).getWeights();
  a.forEach((w, i) => assert.deepEqual(w.dataSync(), b[i].dataSync()));
  assert.notDeepEqual(a[0].dataSync(), c[0].dataSync());
});

test('pixel weights steer the loss: zero-weight pixels teach nothing', async () => {
  await initBackend('wasm');
  const config = { base: 2, depth: 2, dropout: 0 };
  const model = buildUNet(config, 3);
  const before = model.getWeights().map((w) => w.dataSync().slice());
  const images = synthImages(1, 64).map((im) => ({ ...im, weight: new Float32Array(64 * 64) }));
  await train({ model, images, settings: { ...small, steps: 3 } });
  model.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), before[i], `weight ${i} moved`));
  // The same run with unit weights does move them.
  const weighted = synthImages(1, 64).map((im) => ({ ...im, weight: new Float32Array(64 * 64).fill(1) }));
  await train({ model, images: weighted, settings: { ...small, steps: 3 } });
  assert.notDeepEqual(model.getWeights()[0].dataSync(), before[0]);
  model.dispose();
});

test('Dice+BCE loss trains as well', async () => {
  await initBackend('wasm');
  const model = buildUNet({ base: 4, depth: 2, dropout: 0 }, 5);
  const losses: number[] = [];
  await train({ model, images: synthImages(2, 96), settings: { ...small, steps: 40, loss: 'dice+bce' }, onProgress: (p) => losses.push(p.loss) });
  assert.ok(losses[losses.length - 1] < losses[0] * 0.8, `loss ${losses[0]} -> ${losses[losses.length - 1]}`);
  model.dispose();
});

test('validation keeps the latest weights within tolerance of the best, and stops after patience', async () => {
  await initBackend('wasm');
  const model = buildUNet({ base: 2, depth: 2, dropout: 0 }, 9);
  // Scores at steps 0, 2, 4, ...: best 0.70 at step 4; step 6 (0.698) is within 0.005 of it and later,
  // so it is kept; steps 8 and 10 fall short: with patience 2 the run stops at step 10.
  const scores = [0.6, 0.65, 0.7, 0.698, 0.69, 0.68, 0.9];
  const snapshots = new Map<number, Float32Array>();
  let calls = 0;
  const r = await train({
    model,
    images: synthImages(1, 64),
    settings: { ...small, steps: 40, logEvery: 1 },
    validation: {
      every: 2,
      patience: 2,
      tolerance: 0.005,
      score: async () => {
        snapshots.set(calls * 2, model.getWeights()[0].dataSync().slice() as Float32Array);
        return scores[calls++];
      },
    },
  });
  assert.deepEqual(r.validationHistory.map(([step]) => step), [0, 2, 4, 6, 8, 10]);
  assert.equal(r.stoppedEarly, true);
  assert.equal(r.steps, 10);
  assert.equal(r.keptStep, 6);
  assert.deepEqual(model.getWeights()[0].dataSync(), snapshots.get(6));
  model.dispose();
});
