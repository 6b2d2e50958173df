import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../main/engine/backends';

type Grads = { dx: Float32Array; dw: Float32Array };

function randn(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

async function gradsOn(
  backend: 'cpu' | 'wasm',
  f: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor,
  xShape: number[],
  wShape: number[],
): Promise<Grads> {
  await initBackend(backend);
  const x = randn(xShape, 1) as tf.Tensor4D;
  const w = randn(wShape, 2) as tf.Tensor4D;
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D), tf.sin(f(a as tf.Tensor4D, b as tf.Tensor4D)))));
  const [dx, dw] = g([x, w]);
  const out = { dx: (await dx.data()) as Float32Array, dw: (await dw.data()) as Float32Array };
  tf.dispose([x, w, dx, dw]);
  return out;
}

function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

const cases: { name: string; f: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor; x: number[]; w: number[] }[] = [
  { name: '3x3 same stride 1', f: (x, w) => tf.conv2d(x, w, 1, 'same'), x: [2, 12, 10, 3], w: [3, 3, 3, 5] },
  { name: '3x3 valid stride 1', f: (x, w) => tf.conv2d(x, w, 1, 'valid'), x: [2, 9, 11, 4], w: [3, 3, 4, 2] },
  { name: '1x1 stride 1', f: (x, w) => tf.conv2d(x, w, 1, 'same'), x: [3, 8, 8, 6], w: [1, 1, 6, 1] },
  { name: '3x3 same stride 2', f: (x, w) => tf.conv2d(x, w, 2, 'same'), x: [2, 11, 12, 3], w: [3, 3, 3, 4] },
  {
    name: '2x2 stride 2 transposed',
    f: (x, w) => tf.conv2dTranspose(x, w, [x.shape[0], x.shape[1] * 2, x.shape[2] * 2, w.shape[2]], 2, 'same'),
    x: [2, 5, 6, 8],
    w: [2, 2, 4, 8],
  },
];

for (const c of cases) {
  test(`wasm conv gradients match cpu: ${c.name}`, async () => {
    const ref = await gradsOn('cpu', c.f, c.x, c.w);
    const got = await gradsOn('wasm', c.f, c.x, c.w);
    assert.equal(got.dx.length, ref.dx.length);
    assert.equal(got.dw.length, ref.dw.length);
    assert.ok(relErr(got.dx, ref.dx) < 1e-5, `dx rel err ${relErr(got.dx, ref.dx)}`);
    assert.ok(relErr(got.dw, ref.dw) < 1e-5, `dw rel err ${relErr(got.dw, ref.dw)}`);
  });
}

test('wasm kernels leak no tensors', async () => {
  await initBackend('wasm');
  const x = randn([2, 16, 16, 4], 3);
  const w = randn([3, 3, 4, 4], 4);
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
