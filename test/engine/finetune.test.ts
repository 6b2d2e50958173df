import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../main/engine/backends';
import { NO_AUGMENT } from '../../main/engine/augment';
import { correctedPixels, finetune } from '../../main/engine/finetune';
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
  const images = [1, 2].map((i) => sample(i)).map((s) => ({ name: s.name, width: 80, height: 80, input: standardize(s.image, s.fov), label: s.label!.data }));
  // Deliberately short: the parent has room to improve.
  await train({ model, images, settings: { ...SEED_RECIPE, steps: 15, batch: 4, crop: 32, learningRate: 3e-3, warmup: 2, logEvery: 5, augment: NO_AUGMENT } });
  return {
    dir: 'mem',
    model,
    config,
    dispose: () => model.dispose(),
    meta: newModelMeta({ name: 'parent', model, config, backend: { name: 'wasm', device: 'test' }, data: { source: 'synthetic', images: [] }, steps: 15 }),
  };
}

test('corrected pixels are where the label and the thresholded prediction disagree inside the FOV', () => {
  const prob = Float32Array.from([0.9, 0.2, 0.7, 0.1, 0.9]);
  const label = Uint8Array.from([1, 1, 0, 0, 0]);
  const fov = Uint8Array.from([1, 1, 1, 1, 0]);
  assert.deepEqual(Array.from(correctedPixels(prob, label, fov, 0.5)), [1, 2]);
});

test('finetuning improves the held-out image, keeps the parent intact, and records its lineage', async () => {
  const parent = await parentModel();
  const parentWeights = parent.model.getWeights().map((w) => w.dataSync().slice());
  const samples = [11, 12, 13].map((i) => sample(i));
  const validations: number[] = [];
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
    onValidation: (_, f1) => validations.push(f1),
  });
  assert.equal(r.validationImage, 's13');
  assert.ok(r.before && r.after);
  assert.ok(r.after!.f1 > r.before!.f1, `validation F1 ${r.before!.f1} -> ${r.after!.f1}`);
  assert.equal(validations.length, 5, 'scored at step 0 and every 10 steps');
  assert.equal(validations[r.train.keptStep / 10], Math.max(...validations), 'the best validation weights are kept');
  assert.ok(r.meta.threshold > 0 && r.meta.threshold < 1);
  assert.equal(r.meta.parent, 'v1');
  assert.deepEqual(r.meta.data.images, ['s11', 's12', 's13']);
  assert.ok((r.meta.recipe.correctedPixels as number) > 0);
  const now = parent.model.getWeights().map((w) => w.dataSync());
  now.forEach((w, i) => assert.deepEqual(w, parentWeights[i], `parent weight ${i} changed`));
  r.model.dispose();
  parent.dispose();
});

test('a cancelled retrain throws and leaves no tensors behind', async () => {
  const parent = await parentModel();
  const before = tf.memory().numTensors;
  const ac = new AbortController();
  await assert.rejects(
    finetune({ parent, parentId: 'v1', name: 'x', samples: [sample(21)], settings: { steps: 500, batch: 2, crop: 32, logEvery: 1 }, signal: ac.signal, onProgress: (p) => p.step === 2 && ac.abort() }),
    /cancelled/,
  );
  assert.equal(tf.memory().numTensors, before);
  parent.dispose();
});
