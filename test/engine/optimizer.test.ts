import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../../main/engine/backends';
import { buildUNet, logitsModel } from '../../main/engine/model';
import { TrainingAdam } from '../../main/engine/optimizer';
import { relErr } from '../helpers/conv-grads';
import { webgpuReady } from '../helpers/webgpu';

interface Run {
  weights: Float32Array[];
  moments: { name: string; values: Float32Array }[];
  iterations: number;
  optimizerKernels: number;
  fused: boolean;
}

/** Three Adam steps on a small U-Net; `stock` uses tfjs's own AdamOptimizer. */
async function threeSteps(backend: BackendName, stock: boolean): Promise<Run> {
  await initBackend(backend);
  const net = logitsModel(buildUNet({ base: 4, depth: 2, dropout: 0 }, 7));
  const x = tf.randomNormal([2, 16, 16, 3], 0, 1, 'float32', 5);
  const y = tf.cast(tf.greater(tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 6), 0.8), 'float32');
  const opt = stock ? tf.train.adam(0.01, 0.9, 0.999, 1e-7) : new TrainingAdam(0.01);
  const loss = () => tf.losses.sigmoidCrossEntropy(y, net.apply(x) as tf.Tensor) as tf.Scalar;
  let optimizerKernels = 0;
  for (let i = 0; i < 3; i++) {
    const { grads, value } = tf.variableGrads(loss);
    const p = await tf.profile(() => opt.applyGradients(grads as Parameters<typeof opt.applyGradients>[0]));
    optimizerKernels = p.kernels.length;
    tf.dispose([value, ...Object.values(grads)]);
  }
  const weights = await Promise.all(net.trainableWeights.map(async (w) => (await w.read().data()) as Float32Array));
  const [iter, ...slots] = await opt.getWeights();
  const moments = await Promise.all(slots.map(async (s) => ({ name: s.name, values: (await s.tensor.data()) as Float32Array })));
  const iterations = (await iter.tensor.data())[0];
  const fused = opt instanceof TrainingAdam && opt.fused;
  tf.dispose([x, y]);
  opt.dispose();
  net.dispose();
  return { weights, moments, iterations, optimizerKernels, fused };
}

test('on the CPU backends the trainer uses tfjs Adam unchanged', async () => {
  const ours = await threeSteps('cpu', false);
  const stock = await threeSteps('cpu', true);
  assert.equal(ours.fused, false);
  ours.weights.forEach((w, i) => assert.deepEqual(w, stock.weights[i]));
});

test('fused Adam on webgpu follows tfjs Adam, in under a quarter of the kernels', async (t) => {
  if (!(await webgpuReady(t))) return;
  // Same backend, so the same gradients: only the optimizer's rounding differs, mostly in 1 - 0.999^t
  // (float32 products in tfjs). Biases start at 0, so their relative error is the update's.
  const ref = await threeSteps('webgpu', true);
  const got = await threeSteps('webgpu', false);
  assert.equal(got.fused, true);
  assert.equal(got.weights.length, ref.weights.length);
  got.weights.forEach((w, i) => assert.ok(relErr(w, ref.weights[i]) < 3e-5, `weight ${i}: rel err ${relErr(w, ref.weights[i])}`));
  // The same optimizer state as tfjs's, so checkpoints keep their format.
  assert.equal(got.iterations, 3);
  const slotNames = (r: Run) => r.moments.map((m) => m.name.replace(/_\d+(?=\/)/g, '')); // kernel_3/m -> kernel/m
  assert.deepEqual(slotNames(got), slotNames(ref));
  got.moments.forEach((m, i) => assert.ok(relErr(m.values, ref.moments[i].values) < 3e-5, `${m.name}: rel err ${relErr(m.values, ref.moments[i].values)}`));
  const vars = got.weights.length;
  assert.ok(got.optimizerKernels <= 3 * vars + 2, `${got.optimizerKernels} kernels for ${vars} variables`);
  assert.ok(ref.optimizerKernels >= 4 * got.optimizerKernels, `tfjs Adam ran ${ref.optimizerKernels} kernels, ours ${got.optimizerKernels}`);
});
