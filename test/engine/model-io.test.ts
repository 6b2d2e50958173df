import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../main/engine/backends';
import { buildUNet } from '../../main/engine/model';
import { loadModel, newModelMeta, saveModel } from '../../main/engine/model-io';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { UNetConfig } from '../../main/engine/model';

const meta = (name: string, model: tfl.LayersModel, config: UNetConfig) =>
  newModelMeta({ name, model, config, backend: { name: 'wasm', device: 'test' } });

async function savedModel(): Promise<{ dir: string; out: Float32Array }> {
  await initBackend('wasm');
  const config = { base: 4, depth: 2, dropout: 0 };
  const m = buildUNet(config);
  const dir = join(mkdtempSync(join(tmpdir(), 'vs-model-')), 'm');
  await saveModel(dir, m, meta('m', m, config));
  const x = tf.ones([1, 16, 16, 3]);
  const out = (m.predict(x) as tf.Tensor).dataSync() as Float32Array;
  x.dispose();
  m.dispose();
  return { dir, out };
}

test('save then load gives the same predictions and meta', async () => {
  const { dir, out } = await savedModel();
  // The checksum of weights.bin is written into meta.json at save.
  const written = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const bin = readFileSync(join(dir, 'weights.bin'));
  assert.deepEqual(written.weights, { sha256: createHash('sha256').update(bin).digest('hex'), bytes: bin.length });
  const loaded = await loadModel(dir);
  assert.deepEqual(loaded.config, { base: 4, depth: 2, dropout: 0 });
  assert.equal(loaded.meta.name, 'm');
  const x = tf.ones([1, 16, 16, 3]);
  const again = (loaded.model.predict(x) as tf.Tensor).dataSync();
  assert.deepEqual(Array.from(again), Array.from(out));
  x.dispose();
  loaded.dispose();
});

test('corrupt, truncated, missing or foreign model files give clear errors', async () => {
  const { dir } = await savedModel();
  await assert.rejects(loadModel(join(dir, 'nope')), /model folder not found/);

  const json = readFileSync(join(dir, 'model.json'), 'utf8');
  writeFileSync(join(dir, 'model.json'), json.slice(0, 100));
  await assert.rejects(loadModel(dir), /model\.json is not valid JSON/);
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ hello: 'world' }));
  await assert.rejects(loadModel(dir), /not a TensorFlow\.js layers model/);
  writeFileSync(join(dir, 'model.json'), json);

  truncateSync(join(dir, 'weights.bin'), 1000);
  await assert.rejects(loadModel(dir), /weights are 1000 bytes, the model needs \d+/);

  const m2 = await savedModel();
  writeFileSync(join(m2.dir, 'meta.json'), JSON.stringify({ format: 'something-else' }));
  await assert.rejects(loadModel(m2.dir), /not a Vessel Studio model description/);
  rmSync(join(m2.dir, 'meta.json'));
  await assert.rejects(loadModel(m2.dir), /meta\.json is missing/);
});

test('saving over an existing model replaces it whole', async () => {
  const { dir } = await savedModel();
  await initBackend('wasm');
  const config = { base: 8, depth: 2, dropout: 0 };
  const m = buildUNet(config);
  await saveModel(dir, m, meta('bigger', m, config));
  const loaded = await loadModel(dir);
  assert.equal(loaded.config.base, 8);
  assert.equal(loaded.meta.name, 'bigger');
  loaded.dispose();
  m.dispose();
});

test('a save that fails leaves no temporary folder behind', async () => {
  const { dir } = await savedModel();
  await initBackend('wasm');
  const config = { base: 4, depth: 2, dropout: 0 };
  const m = buildUNet(config);
  const parent = join(dir, '..');
  const before = readdirSync(parent).sort();
  // A recipe JSON cannot hold fails after the temporary folder is made and filled with model.json and weights.
  await assert.rejects(saveModel(join(parent, 'v9'), m, { ...meta('bad', m, config), recipe: { steps: 10n } }), /BigInt/);
  assert.deepEqual(readdirSync(parent).sort(), before);
  m.dispose();
});
