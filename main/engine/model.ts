/**
 * The seed's U-Net: 4 poolings, widths base..16·base, two 3x3 conv + ReLU + dropout per level,
 * 2x2 transposed-conv up-sampling, concatenated skips, 1x1 conv + sigmoid.
 * Input is [N, H, W, 3] with H and W multiples of 16 (predict pads to that).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { Dropout } from './dropout';

export interface UNetConfig {
  /** Channels of the first level; the seed used 32. */
  base: number;
  /** Number of poolings; the seed used 4. */
  depth: number;
  dropout: number;
}

export const DEFAULT_UNET: UNetConfig = { base: 32, depth: 4, dropout: 0.1 };

/** Name of the layer holding the logits, before the final sigmoid. */
export const LOGITS_LAYER = 'logits';

export function multipleOf(config: Pick<UNetConfig, 'depth'>): number {
  return 2 ** config.depth;
}

/** Initial weights (Keras' defaults); seeded per layer when a seed is given, so a run can be repeated. */
function initializer(seeds: { next: number } | null, kind: 'heNormal' | 'glorotUniform' = 'heNormal') {
  return tfl.initializers[kind](seeds ? { seed: seeds.next++ } : {});
}

function convBlock(x: tfl.SymbolicTensor, filters: number, dropout: number, name: string, seeds: { next: number } | null): tfl.SymbolicTensor {
  let y = x;
  for (let i = 1; i <= 2; i++) {
    y = tfl.layers
      .conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: initializer(seeds), name: `${name}_conv${i}` })
      .apply(y) as tfl.SymbolicTensor;
    if (dropout > 0) y = new Dropout({ rate: dropout, name: `${name}_drop${i}` }).apply(y) as tfl.SymbolicTensor;
  }
  return y;
}

export function buildUNet(config: UNetConfig = DEFAULT_UNET, seed?: number): tfl.LayersModel {
  const { base, depth, dropout } = config;
  const seeds = seed === undefined ? null : { next: seed };
  if (!Number.isInteger(base) || base < 1) throw new Error(`U-Net base width must be a positive integer, got ${base}`);
  if (!Number.isInteger(depth) || depth < 1 || depth > 6) throw new Error(`U-Net depth must be 1..6, got ${depth}`);
  const input = tfl.input({ shape: [null, null, 3], name: 'image' });
  const skips: tfl.SymbolicTensor[] = [];
  let x: tfl.SymbolicTensor = input;
  for (let level = 0; level < depth; level++) {
    x = convBlock(x, base * 2 ** level, dropout, `down${level}`, seeds);
    skips.push(x);
    x = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `pool${level}` }).apply(x) as tfl.SymbolicTensor;
  }
  x = convBlock(x, base * 2 ** depth, dropout, 'bottom', seeds);
  for (let level = depth - 1; level >= 0; level--) {
    const filters = base * 2 ** level;
    const up = tfl.layers
      .conv2dTranspose({ filters, kernelSize: 2, strides: 2, padding: 'same', kernelInitializer: initializer(seeds, 'glorotUniform'), name: `up${level}` })
      .apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.concatenate({ axis: -1, name: `skip${level}` }).apply([up, skips[level]]) as tfl.SymbolicTensor;
    x = convBlock(x, filters, dropout, `up${level}`, seeds);
  }
  const logits = tfl.layers.conv2d({ filters: 1, kernelSize: 1, kernelInitializer: initializer(seeds, 'glorotUniform'), name: LOGITS_LAYER }).apply(x) as tfl.SymbolicTensor;
  const prob = tfl.layers.activation({ activation: 'sigmoid', name: 'vessel_probability' }).apply(logits) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: prob, name: 'vessel_unet' });
}

/** A model sharing `model`'s weights that outputs logits (numerically stable loss). */
export function logitsModel(model: tfl.LayersModel): tfl.LayersModel {
  const layer = model.getLayer(LOGITS_LAYER);
  if (!layer) throw new Error(`model has no "${LOGITS_LAYER}" layer: not a Vessel Studio U-Net`);
  return tfl.model({ inputs: model.inputs, outputs: layer.output as tfl.SymbolicTensor });
}

const inference = new WeakMap<tfl.LayersModel, tfl.LayersModel>();

/**
 * The same network, same layers and weights, without its Dropout layers: tfjs-layers copies every
 * tensor a layer passes through unchanged, so at inference each Dropout costs a full activation copy
 * (25 ms of a 1 s base-16 prediction on wasm). Weights are shared, so it never goes stale.
 * Follows each layer's first use (inboundNodes[0]): right for built and loaded models, whose layers
 * belong to this one graph.
 */
export function inferenceModel(model: tfl.LayersModel): tfl.LayersModel {
  if (!model.layers.some((l) => l instanceof Dropout)) return model;
  let net = inference.get(model);
  if (net) return net;
  const out = new Map<tfl.layers.Layer, tfl.SymbolicTensor>();
  model.inputLayers.forEach((l, i) => out.set(l, model.inputs[i]));
  for (const layer of model.layers) {
    if (out.has(layer)) continue;
    const inputs = layer.inboundNodes[0].inboundLayers.map((l) => out.get(l)!);
    const y = layer instanceof Dropout ? inputs[0] : (layer.apply(inputs.length === 1 ? inputs[0] : inputs) as tfl.SymbolicTensor);
    out.set(layer, y);
  }
  net = tfl.model({ inputs: model.inputs, outputs: model.outputLayers.map((l) => out.get(l)!), name: `${model.name}_inference` });
  inference.set(model, net);
  return net;
}

/** Reads the U-Net shape back from a loaded model (width of the first conv, number of poolings). */
export function inferUNetConfig(model: tfl.LayersModel): UNetConfig {
  const first = model.layers.find((l) => l.name === 'down0_conv1');
  const depth = model.layers.filter((l) => /^pool\d+$/.test(l.name)).length;
  if (!first || depth === 0) throw new Error('model is not a Vessel Studio U-Net (no down0_conv1 / pool layers)');
  const base = (first.getConfig().filters as number) ?? 0;
  const drop = model.layers.find((l) => l.name === 'down0_drop1');
  return { base, depth, dropout: drop ? (drop.getConfig().rate as number) : 0 };
}
