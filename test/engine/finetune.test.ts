import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../main/engine/backends';
import { NO_AUGMENT } from '../../main/engine/augment';
import { correctedPixels, finetune, type HeldOutScores } from '../../main/engine/finetune';
import { improved, planHoldout } from '../../main/engine/held-out';
import { buildUNet } from '../../main/engine/model';
import { standardize } from '../../main/engine/preprocess';
import { SEED_RECIPE, train } from '../../main/engine/train';
import { newModelMeta, type LoadedModel } from '../../main/engine/model-io';
import type { Sample } from '../../main/engine/data/datasets';
import { syntheticFundus } from '../helpers/synthetic';

const config = { base: 4, depth: 2, dropout: 0 };

function sample(seed: number, size = 80): Sample {
  const s = syntheticFundus(size, size, seed);
  return { name: `s${seed}`, image: s.image, label: s.label, fov: s.fov, fovDerived: false };
}

async function parentModel(): Promise<LoadedModel> {
  await initBackend('wasm');
  const model = buildUNet(config);
  const images = [1, 2]
    .map((i) => sample(i))
    .map((s) => ({ name: s.name, width: 80, height: 80, input: standardize(s.image, s.fov), label: s.label!.data }));
  // Deliberately short: the parent has room to improve.
  await train({
    model,
    images,
    settings: { ...SEED_RECIPE, steps: 15, batch: 4, crop: 32, learningRate: 3e-3, warmup: 2, logEvery: 5, augment: NO_AUGMENT },
  });
  return {
    dir: 'mem',
    model,
    config,
    dispose: () => model.dispose(),
    meta: newModelMeta({
      name: 'parent',
      model,
      config,
      backend: { name: 'wasm', device: 'test' },
      data: { source: 'synthetic', images: [] },
      steps: 15,
    }),
  };
}

test('corrected pixels are where the label and the thresholded prediction disagree inside the FOV', () => {
  const prob = Float32Array.from([0.9, 0.2, 0.7, 0.1, 0.9]);
  const label = Uint8Array.from([1, 1, 0, 0, 0]);
  const fov = Uint8Array.from([1, 1, 1, 1, 0]);
  assert.deepEqual(Array.from(correctedPixels(prob, label, fov, 0.5)), [1, 2]);
});

test("finetuning on Reviewed images holds one out, scores it at each model's own threshold, and records it", async () => {
  const parent = await parentModel();
  const parentWeights = parent.model.getWeights().map((w) => w.dataSync().slice());
  const samples = [11, 12, 13].map((i) => sample(i));
  const validations: [number, HeldOutScores][] = [];
  const r = await finetune({
    parent,
    parentId: 'v1',
    name: 'v2',
    samples,
    reference: [sample(1)],
    settings: { steps: 40, batch: 4, crop: 32, learningRate: 2e-3, logEvery: 5, augment: NO_AUGMENT },
    validateEvery: 10,
    patience: 10,
    tolerance: 0,
    onValidation: (step, s) => validations.push([step, s]),
  });
  const v = r.validation!;
  assert.deepEqual(v.holdout, { kind: 'image', name: 's11' }, 'all reviewed: the first by name takes its turn');
  assert.deepEqual(v.images, ['s11']);
  assert.equal(v.decidedShare, 1);
  assert.equal(validations.length, 5, 'scored at step 0 and every 10 steps');
  assert.deepEqual(validations[0][1], v.before, 'step 0 is the parent as it is used');
  assert.equal(v.before.threshold, parent.meta.threshold, 'the parent at its own threshold');
  const kept = validations.find(([step]) => step === r.train.keptStep)![1];
  assert.deepEqual(kept, v.after, 'the kept step is what the version reports');
  assert.equal(r.meta.threshold, v.after.threshold, 'and the threshold it is used at');
  assert.equal(v.after.f1, Math.max(...validations.map(([, s]) => s.f1)), 'tolerance 0: the best weights are kept');
  assert.ok(v.after.f1 > v.before.f1, `held-out F1 ${v.before.f1} -> ${v.after.f1}`);
  assert.equal(v.improved, true);
  assert.equal(r.meta.parent, 'v1');
  assert.deepEqual(r.meta.data.images, ['s11', 's12', 's13']);
  assert.deepEqual(r.meta.metrics['validation-after'], { ...v.after });
  assert.equal(r.meta.metrics['validation-image'], 's11');
  const now = parent.model.getWeights().map((w) => w.dataSync());
  now.forEach((w, i) => assert.deepEqual(w, parentWeights[i], `parent weight ${i} changed`));
  r.model.dispose();
  parent.dispose();
});

test('with few images a quarter of each is held out: never trained on, and only its decided pixels scored', async () => {
  const parent = await parentModel();
  // A partly edited label: a band of decided pixels across the image (the rest is the parent's prediction).
  const s = sample(14);
  const decided = new Uint8Array(80 * 80);
  for (let y = 30; y < 50; y++) decided.fill(1, y * 80, y * 80 + 80);
  const edited: Sample = { ...s, decided: { width: 80, height: 80, data: decided } };
  const r = await finetune({
    parent,
    parentId: 'v1',
    name: 'v2',
    samples: [edited, sample(15)],
    rotation: 1,
    settings: { steps: 10, batch: 4, crop: 32, logEvery: 5, augment: NO_AUGMENT },
    validateEvery: 5,
  });
  const v = r.validation!;
  assert.deepEqual(v.holdout, { kind: 'quarter', quarter: 1 }, 'rotation 1: the top-right quarter');
  assert.equal(v.region, 'the top-right quarter of each image');
  // Scored: the held-out quarter of the reviewed image (inside its FOV), and of the edited one only its decided rows 30-39.
  const inQuarter = (m: Sample, d: Uint8Array | null) => {
    let n = 0;
    for (let y = 0; y < 40; y++) for (let x = 40; x < 80; x++) n += m.fov.data[y * 80 + x] && (!d || d[y * 80 + x]) ? 1 : 0;
    return n;
  };
  assert.equal(v.pixels, inQuarter(sample(15), null) + inQuarter(edited, decided));
  assert.ok(v.decidedShare < 1);
  r.model.dispose();
  parent.dispose();
});

test('the hold-out: a Reviewed image before edited ones, the most edited otherwise, turns by rotation; nothing when nothing can be scored', () => {
  const reviewed = [1, 2].map((i) => sample(30 + i));
  const partly = (i: number, rows: number): Sample => {
    const d = new Uint8Array(80 * 80);
    d.fill(1, 20 * 80, (20 + rows) * 80);
    return { ...sample(40 + i), decided: { width: 80, height: 80, data: d } };
  };
  assert.deepEqual(planHoldout([partly(1, 5), ...reviewed], 0), { kind: 'image', name: 's31' });
  assert.deepEqual(planHoldout([partly(1, 5), ...reviewed], 1), { kind: 'image', name: 's32' });
  assert.deepEqual(planHoldout([partly(1, 5), partly(2, 30), partly(3, 10)], 0), { kind: 'image', name: 's42' });
  assert.deepEqual(planHoldout([partly(1, 5), reviewed[0]], 2), { kind: 'quarter', quarter: 2 });
  const none = { ...sample(50), decided: { width: 80, height: 80, data: new Uint8Array(80 * 80) } };
  assert.equal(planHoldout([none], 0), null);
  assert.equal(improved({ f1: 0.5 }, { f1: 0.5 }), false, 'equal is not better');
  assert.equal(improved({ f1: 0.5 }, { f1: 0.51 }), true);
});

test('a cancelled retrain throws and leaves no tensors behind', async () => {
  const parent = await parentModel();
  const before = tf.memory().numTensors;
  const ac = new AbortController();
  await assert.rejects(
    finetune({
      parent,
      parentId: 'v1',
      name: 'x',
      samples: [sample(21)],
      settings: { steps: 500, batch: 2, crop: 32, logEvery: 1 },
      signal: ac.signal,
      onProgress: (p) => p.step === 2 && ac.abort(),
    }),
    /cancelled/,
  );
  assert.equal(tf.memory().numTensors, before);
  parent.dispose();
});
