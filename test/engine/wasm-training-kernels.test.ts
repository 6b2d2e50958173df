import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../main/engine/backends';
import { CONV_CASES, gradsOn, relErr } from '../helpers/conv-grads';

for (const c of CONV_CASES) {
  test(`wasm conv gradients match cpu: ${c.name}`, async () => {
    const ref = await gradsOn('cpu', c);
    const got = await gradsOn('wasm', c);
    assert.equal(got.dx.length, ref.dx.length);
    assert.equal(got.dw.length, ref.dw.length);
    assert.ok(relErr(got.dx, ref.dx) < 1e-5, `dx rel err ${relErr(got.dx, ref.dx)}`);
    assert.ok(relErr(got.dw, ref.dw) < 1e-5, `dw rel err ${relErr(got.dw, ref.dw)}`);
  });
}

test('wasm kernels leak no tensors', async () => {
  await initBackend('wasm');
  const x = tf.randomNormal([2, 16, 16, 4], 0, 1, 'float32', 3);
  const w = tf.randomNormal([3, 3, 4, 4], 0, 1, 'float32', 4);
  const before = tf.memory().numTensors;
  const bytesBefore = tf.memory().numBytes;
  for (let i = 0; i < 3; i++) {
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([x, w]);
    tf.dispose([dx, dw]);
  }
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.memory().numBytes, bytesBefore);
  tf.dispose([x, w]);
});
