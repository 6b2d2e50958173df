/**
 * Dropout whose random mask is made where the tensor lives.
 *
 * tfjs's dropout draws its mask in JavaScript (seedrandom, ~11 ns a number) and uploads it: a base-32
 * U-Net step draws ~16 M numbers, ~190 ms on dev-2c, which a GPU step can never hide. Here the mask is a
 * kernel on backends that have one (WebGPU: a counter-based hash, nothing uploaded) and a tight
 * xorshift loop elsewhere (~10x faster than tfjs's). Same semantics as tfjs's Dropout: keep with
 * probability 1 - rate, scale kept values by 1 / (1 - rate), identity outside training.
 *
 * The class registers under tfjs's name "Dropout", so saved models stay plain Keras/tfjs models and
 * every Dropout layer loaded in this process (the shipped model's too) uses it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DROPOUT_MASK, type DropoutMaskAttrs } from './backends/webgpu-dropout-kernel';

/** Per-call seeds: the mask must differ every step (tfjs's unseeded dropout uses Math.random too). */
let counter = (Math.random() * 2 ** 32) >>> 0;
function nextSeed(): number {
  counter = (counter + 0x9e3779b9) >>> 0;
  return counter;
}

/** 0 or 1 / (1 - rate) per element, kept with probability 1 - rate. */
export function dropoutMask(shape: number[], rate: number): tf.Tensor {
  const attrs: DropoutMaskAttrs = { shape, rate, seed: nextSeed() };
  if (getKernel(DROPOUT_MASK, tf.getBackend())) {
    return tf.engine().runKernel(DROPOUT_MASK, {}, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  const scale = 1 / (1 - rate);
  // Keep when a uniform 32-bit draw is at or above rate * 2^32.
  const threshold = Math.min(rate * 2 ** 32, 2 ** 32 - 1);
  let s = attrs.seed | 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    values[i] = s >>> 0 >= threshold ? scale : 0;
  }
  return tf.tensor(values, shape, 'float32');
}

interface DropoutArgs {
  rate: number;
  name?: string;
  noiseShape?: number[] | null;
  seed?: number | null;
}

export class Dropout extends tfl.layers.Layer {
  static className = 'Dropout';
  readonly rate: number;

  constructor(args: DropoutArgs) {
    super(args);
    if (args.noiseShape != null) throw new Error('Dropout with a noise shape is not supported');
    this.rate = Math.max(Math.min(args.rate, 1), 0);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training !== true || !(this.rate > 0 && this.rate < 1)) return x;
    return tf.tidy(() => tf.mul(x, dropoutMask(x.shape, this.rate)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { rate: this.rate, noiseShape: null, seed: null, ...super.getConfig() };
  }
}
tf.serialization.registerClass(Dropout);
