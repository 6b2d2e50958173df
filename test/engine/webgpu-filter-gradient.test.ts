// The WebGPU filter-gradient kernel against the cpu backend (see helpers/webgpu.ts for where it runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { initBackend } from '../../main/engine/backends';
import { planFilterGrad, tiledFilterGradientActive } from '../../main/engine/backends/webgpu-filter-gradient';
import { buildUNet, logitsModel } from '../../main/engine/model';
import { CONV_CASES, gradsOn, relErr, type ConvCase } from '../helpers/conv-grads';
import { webgpuReady } from '../helpers/webgpu';

test('the filter gradient splits long reductions and leaves deep layers whole', () => {
  const info = (x: number[], w: number[]) => backend_util.computeConv2DInfo(x as never, w as never, 1, 1, 'same');
  const top = planFilterGrad(info([16, 64, 64, 32], [3, 3, 32, 32]));
  assert.equal(top.rows, 288);
  assert.ok(top.splits > 1 && top.slice % 16 === 0 && top.splits * top.slice >= 16 * 64 * 64, JSON.stringify(top));
  assert.ok((top.splits - 1) * top.slice < 16 * 64 * 64, 'no empty slice');
  const deep = planFilterGrad(info([16, 4, 4, 512], [3, 3, 512, 512]));
  assert.equal(deep.splits, 1);
});

const extra: ConvCase[] = [
  // Several output tiles in both directions and a reduction split across workgroups.
  { name: '3x3 same, 8->40 channels, split reduction', f: (x, w) => tf.conv2d(x, w, 1, 'same'), x: [4, 32, 32, 8], w: [3, 3, 8, 40] },
  // More rows than one tile, a reduction too short to split.
  { name: '3x3 same, 64->36 channels, one slice', f: (x, w) => tf.conv2d(x, w, 1, 'same'), x: [1, 4, 4, 64], w: [3, 3, 64, 36] },
];

for (const c of [...CONV_CASES, ...extra]) {
  test(`webgpu conv gradients match cpu: ${c.name}`, async (t) => {
    if (!(await webgpuReady(t))) return;
    const ref = await gradsOn('cpu', c);
    const got = await gradsOn('webgpu', c);
    assert.equal(got.dw.length, ref.dw.length);
    assert.ok(relErr(got.dw, ref.dw) < 1e-5, `dw rel err ${relErr(got.dw, ref.dw)}`);
    assert.ok(relErr(got.dx, ref.dx) < 1e-5, `dx rel err ${relErr(got.dx, ref.dx)}`);
  });
}

test('webgpu runs our filter gradient and frees its partial sums', async (t) => {
  if (!(await webgpuReady(t))) return;
  await initBackend('webgpu');
  assert.ok(tiledFilterGradientActive());
  const x = tf.randomNormal([4, 32, 32, 8], 0, 1, 'float32', 3);
  const w = tf.randomNormal([3, 3, 8, 16], 0, 1, 'float32', 4);
  const before = tf.memory();
  for (let i = 0; i < 3; i++) {
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([x, w]);
    await dw.data();
    tf.dispose([dx, dw]);
  }
  assert.equal(tf.memory().numTensors, before.numTensors);
  assert.equal(tf.memory().numBytes, before.numBytes);
  tf.dispose([x, w]);
});

test('a U-Net training step has the same gradients on webgpu as on cpu', async (t) => {
  if (!(await webgpuReady(t))) return;
  async function step(backend: 'cpu' | 'webgpu'): Promise<Float32Array[]> {
    await initBackend(backend);
    const net = logitsModel(buildUNet({ base: 4, depth: 2, dropout: 0 }, 7));
    const x = tf.randomNormal([2, 16, 16, 3], 0, 1, 'float32', 5);
    const y = tf.cast(tf.greater(tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 6), 0.8), 'float32');
    const { grads } = tf.variableGrads(() => tf.losses.sigmoidCrossEntropy(y, net.apply(x) as tf.Tensor) as tf.Scalar);
    const names = Object.keys(grads).sort();
    const out = await Promise.all(names.map(async (n) => (await grads[n].data()) as Float32Array));
    tf.dispose([x, y, ...Object.values(grads)]);
    net.dispose();
    return out;
  }
  const ref = await step('cpu');
  const got = await step('webgpu');
  assert.equal(got.length, ref.length);
  ref.forEach((r, i) => assert.ok(relErr(got[i], r) < 1e-4, `weight ${i}: rel err ${relErr(got[i], r)}`));
});
