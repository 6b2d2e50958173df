import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../main/engine/backends';

const cases: { name: string; shapes: number[][]; axis: number }[] = [
  { name: 'U-Net skip: channels, short rows', shapes: [[1, 9, 7, 16], [1, 9, 7, 16]], axis: 3 },
  { name: 'channels of different widths, three inputs', shapes: [[2, 5, 4, 3], [2, 5, 4, 70], [2, 5, 4, 1]], axis: -1 },
  { name: 'long rows (set path)', shapes: [[3, 4, 40], [3, 4, 40]], axis: 1 },
  { name: 'first axis', shapes: [[2, 3], [4, 3]], axis: 0 },
  { name: 'an empty input', shapes: [[2, 0, 3], [2, 5, 3]], axis: 1 },
];

for (const c of cases) {
  test(`wasm concat and split match cpu: ${c.name}`, async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await initBackend(backend);
      const xs = c.shapes.map((s, i) => tf.randomNormal(s, 0, 1, 'float32', i + 1));
      const y = tf.concat(xs, c.axis);
      const axis = c.axis < 0 ? y.rank + c.axis : c.axis;
      const parts = tf.split(y, c.shapes.map((s) => s[axis]), c.axis);
      const out = { shape: y.shape, values: await y.data(), parts: await Promise.all(parts.map((p) => p.data())) };
      tf.dispose([...xs, y, ...parts]);
      return out;
    };
    const ref = await run('cpu');
    const got = await run('wasm');
    assert.deepEqual(got.shape, ref.shape);
    assert.deepEqual(got.values, ref.values);
    assert.deepEqual(got.parts, ref.parts);
  });
}

test('wasm concat and split of int32 tensors still work (the original kernels)', async () => {
  await initBackend('wasm');
  const y = tf.concat([tf.tensor2d([[1, 2]], [1, 2], 'int32'), tf.tensor2d([[3]], [1, 1], 'int32')], 1);
  assert.deepEqual(Array.from(await y.data()), [1, 2, 3]);
  const [a, b] = tf.split(y, [2, 1], 1);
  assert.deepEqual([Array.from(await a.data()), Array.from(await b.data())], [[1, 2], [3]]);
});

test('wasm identity and same-type cast share memory; the source can go first', async () => {
  await initBackend('wasm');
  const before = tf.memory();
  const x = tf.tensor([1.5, -2, 3]);
  const y = x.clone();
  const z = tf.cast(x, 'float32');
  assert.equal(tf.memory().numDataBuffers - before.numDataBuffers, 1, 'one buffer for three tensors');
  x.dispose();
  assert.deepEqual(Array.from(await y.data()), [1.5, -2, 3]);
  y.dispose();
  assert.deepEqual(Array.from(await z.data()), [1.5, -2, 3]);
  z.dispose();
  assert.equal(tf.memory().numDataBuffers, before.numDataBuffers);
  assert.deepEqual(Array.from(await tf.cast(tf.tensor([1.7, -2.2]), 'int32').data()), [1, -2]);
});
