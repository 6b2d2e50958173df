import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, type BackendName } from '../../main/engine/backends';
import { Dropout, dropoutMask } from '../../main/engine/dropout';
import { buildUNet, inferenceModel } from '../../main/engine/model';
import { loadModel, newModelMeta, saveModel } from '../../main/engine/model-io';
import { webgpuReady } from '../helpers/webgpu';

const RATE = 0.1;
const SCALE = 1 / (1 - RATE);

/** Keep fraction within 5 sigma of 1 - rate over n draws. */
function assertKeepFraction(kept: number, n: number, what: string): void {
  const sigma = Math.sqrt((RATE * (1 - RATE)) / n);
  assert.ok(Math.abs(kept / n - (1 - RATE)) < 5 * sigma, `${what}: kept ${kept} of ${n}`);
}

async function checkMasks(backend: BackendName): Promise<void> {
  await initBackend(backend);
  const shape = [4, 64, 64, 8];
  const a = (await dropoutMask(shape, RATE).data()) as Float32Array;
  const b = (await dropoutMask(shape, RATE).data()) as Float32Array;
  assert.ok(a.every((v) => v === 0 || Math.abs(v - SCALE) < 1e-6), 'values are 0 or 1/(1-rate)');
  assertKeepFraction(a.filter((v) => v > 0).length, a.length, 'whole mask');
  // Every region of the tensor, not only the whole: a hash of the index must not leave stripes.
  const block = 16384;
  for (let i = 0; i < a.length; i += block) assertKeepFraction(a.subarray(i, i + block).filter((v) => v > 0).length, block, `block at ${i}`);
  const differ = a.filter((v, i) => v !== b[i]).length;
  const expected = 2 * RATE * (1 - RATE) * a.length;
  assert.ok(Math.abs(differ - expected) < 0.1 * expected, `consecutive masks differ in ${differ} places, expected ~${expected}`);
}

test('dropout masks on cpu: right values and rate, a new mask every call', () => checkMasks('cpu'));
test('dropout masks on wasm: right values and rate, a new mask every call', () => checkMasks('wasm'));
test('dropout masks on webgpu (made on the device): right values and rate, a new mask every call', async (t: TestContext) => {
  if (!(await webgpuReady(t))) return;
  await checkMasks('webgpu');
});

test('the Dropout layer drops in training only, and its gradient is its mask', async () => {
  await initBackend('cpu');
  const layer = new Dropout({ rate: RATE });
  const x = tf.ones([2, 32, 32, 4]);
  assert.deepEqual(await (layer.apply(x) as tf.Tensor).data(), await x.data());
  const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(layer.apply(t, { training: true }) as tf.Tensor))(x);
  const g = (await grad.data()) as Float32Array;
  assert.ok(g.some((v) => v === 0) && g.some((v) => v > 1));
  const sum = g.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs((await value.data())[0] - sum) < 1e-2, 'forward output and gradient use the same mask');
});

test('models save Dropout under its Keras name and load back with it', async () => {
  const backend = await initBackend('cpu');
  const dir = await mkdtemp(join(tmpdir(), 'vs-dropout-'));
  try {
    const config = { base: 4, depth: 2, dropout: 0.2 };
    const model = buildUNet(config, 1);
    const json = model.toJSON(null, false) as { config: { layers: { class_name: string; config: { rate?: number } }[] } };
    const drops = json.config.layers.filter((l) => l.class_name === 'Dropout');
    assert.equal(drops.length, 2 * (2 * config.depth + 1));
    assert.ok(drops.every((l) => l.config.rate === 0.2));
    await saveModel(join(dir, 'm'), model, newModelMeta({ name: 't', model, config, backend }));
    const loaded = await loadModel(join(dir, 'm'));
    const layer = loaded.model.getLayer('down0_drop1');
    assert.ok(layer instanceof Dropout, 'loaded with the device-mask Dropout');
    assert.ok(!(layer instanceof (Object.getPrototypeOf(tfl.layers.dropout({ rate: 0.1 })).constructor as typeof tfl.layers.Layer)));
    model.dispose();
    loaded.model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('prediction runs the same layers without Dropout: same output, shared weights, no copies', async () => {
  await initBackend('cpu');
  const model = buildUNet({ base: 4, depth: 2, dropout: 0.1 }, 3);
  const net = inferenceModel(model);
  assert.notEqual(net, model);
  assert.equal(inferenceModel(model), net, 'built once per model');
  assert.equal(net.layers.filter((l) => l instanceof Dropout).length, 0);
  const x = tf.randomNormal([1, 16, 16, 3], 0, 1, 'float32', 9);
  const identities = async (m: typeof model) => {
    const p = await tf.profile(() => (m.predict(x) as tf.Tensor).dispose());
    return p.kernels.filter((k) => k.name === 'Identity').length;
  };
  assert.equal((await identities(model)) - (await identities(net)), 10, 'one copy fewer per Dropout (10)');
  assert.deepEqual(await (net.predict(x) as tf.Tensor).data(), await (model.predict(x) as tf.Tensor).data());
  // Weights are the model's own: a change (as after retraining in place) shows in both.
  const bias = model.getLayer('logits').getWeights()[1];
  model.getLayer('logits').setWeights([model.getLayer('logits').getWeights()[0], tf.add(bias, 1)]);
  assert.deepEqual(await (net.predict(x) as tf.Tensor).data(), await (model.predict(x) as tf.Tensor).data());
  model.dispose();
});
