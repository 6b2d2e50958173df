// Convolution gradients on one backend, compared with the cpu backend's in the kernel tests.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../../main/engine/backends';

export type Grads = { dx: Float32Array; dw: Float32Array };
export type ConvFn = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor;

export interface ConvCase {
  name: string;
  f: ConvFn;
  x: number[];
  w: number[];
}

function randn(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** d/dx and d/dw of sum(f * sin f), a loss whose upstream gradient differs at every pixel. */
export async function gradsOn(backend: BackendName, c: ConvCase): Promise<Grads> {
  await initBackend(backend);
  const x = randn(c.x, 1) as tf.Tensor4D;
  const w = randn(c.w, 2) as tf.Tensor4D;
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
    const y = c.f(a as tf.Tensor4D, b as tf.Tensor4D);
    return tf.sum(tf.mul(y, tf.sin(y)));
  });
  const [dx, dw] = g([x, w]);
  const out = { dx: (await dx.data()) as Float32Array, dw: (await dw.data()) as Float32Array };
  tf.dispose([x, w, dx, dw]);
  return out;
}

export function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

const transposed2x2: ConvFn = (x, w) => tf.conv2dTranspose(x, w, [x.shape[0], x.shape[1] * 2, x.shape[2] * 2, w.shape[2]], 2, 'same');

/** The U-Net's convolution shapes in miniature: 3x3 same/valid, 1x1 head, strided, 2x2/2 transposed. */
export const CONV_CASES: ConvCase[] = [
  { name: '3x3 same stride 1', f: (x, w) => tf.conv2d(x, w, 1, 'same'), x: [2, 12, 10, 3], w: [3, 3, 3, 5] },
  { name: '3x3 valid stride 1', f: (x, w) => tf.conv2d(x, w, 1, 'valid'), x: [2, 9, 11, 4], w: [3, 3, 4, 2] },
  { name: '1x1 stride 1', f: (x, w) => tf.conv2d(x, w, 1, 'same'), x: [3, 8, 8, 6], w: [1, 1, 6, 1] },
  { name: '3x3 same stride 2', f: (x, w) => tf.conv2d(x, w, 2, 'same'), x: [2, 11, 12, 3], w: [3, 3, 3, 4] },
  { name: '2x2 stride 2 transposed', f: transposed2x2, x: [2, 5, 6, 8], w: [2, 2, 4, 8] },
];
