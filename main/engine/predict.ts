/**
 * Full-resolution prediction by overlapping tiles. Tile origins sit on the U-Net's pooling grid and
 * each tile's outer `context` pixels (≥ the receptive-field radius) are discarded, so a tiled result
 * equals a whole-image pass away from the image border; neighbouring tiles are blended linearly
 * across a `blend` band. Memory is bounded by the tile size, whatever the image size.
 */
import { deriveFovMask } from './data/fov';
import { encodeGreyPng } from './data/image-io';
import { resample } from './geometry/resample';
import { vesselCalibre } from './geometry/calibre';
import { atWorkingScale, correctByCalibre, decideScale, type ScaleDecision } from './geometry/working-scale';
import type { LoadedModel } from './model-io';
import { multipleOf, type UNetConfig } from './model';
import { preprocess } from './preprocess';
import { modelRunner, type TileRunner } from './tile-runner';
import type { Mask, ProbabilityMap, RgbImage } from './types';

/** What prediction needs of a model (a model without meta works at native resolution, standardised). */
export type Predictor = Pick<LoadedModel, 'model' | 'config'> & {
  meta?: Partial<Pick<LoadedModel['meta'], 'scale' | 'preprocessing' | 'threshold'>>;
};

export interface TileOptions {
  /** Largest tile side (rounded down to the pooling grid). */
  tile: number;
  /** Pixels discarded at inner tile edges; default: the receptive-field radius. */
  context?: number;
  /** Width of the linear cross-fade between tiles. */
  blend: number;
}

export interface PredictOptions extends Partial<TileOptions> {
  fov?: Mask;
  /** The photograph's FOV diameter in pixels as set by the user (default: measured from the FOV mask). */
  fovDiameter?: number | null;
  /** Where tiles run (default: this thread, with the loaded model). */
  runner?: TileRunner;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

const DEFAULT_TILE = 1024;
const DEFAULT_BLEND = 32;

/** Receptive-field radius of the U-Net, in input pixels. */
export function receptiveRadius(c: Pick<UNetConfig, 'depth'>): number {
  // encoder: two 3x3 convs + 2x2 pool per level; bottleneck: two convs; decoder: two convs per level
  let r = 0;
  for (let l = 0; l < c.depth; l++) r += 2 * 2 ** l + 2 ** l + 2 * 2 ** l;
  return r + 2 * 2 ** c.depth;
}

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

export interface TilePlan {
  size: number;
  step: number;
  context: number;
  blend: number;
  origins: number[];
}

/** Tile origins along one axis of length `len`. */
export function planAxis(len: number, grid: number, o: TileOptions, config: Pick<UNetConfig, 'depth'>): TilePlan {
  const context = roundUp(o.context ?? receptiveRadius(config), grid);
  const blend = roundUp(o.blend, grid);
  const whole = roundUp(len, grid);
  let size = Math.floor(o.tile / grid) * grid;
  if (whole <= size) return { size: whole, step: whole, context, blend, origins: [0] };
  size = Math.max(size, 2 * context + blend + grid);
  const step = size - 2 * context - blend;
  const origins: number[] = [];
  // First tile starts at 0; the last one ends at or past the padded length.
  for (let o0 = 0; ; o0 += step) {
    origins.push(o0);
    if (o0 + size >= whole) break;
  }
  return { size, step, context, blend, origins };
}

/** The [h, w, 3] tile at (x0, y0), zero where it runs past the image. */
function cutTile(input: Float32Array, width: number, height: number, x0: number, y0: number, w: number, h: number): Float32Array {
  const tile = new Float32Array(h * w * 3);
  const rowLen = Math.min(w, width - x0);
  for (let v = 0; v < h && y0 + v < height; v++) {
    const src = ((y0 + v) * width + x0) * 3;
    tile.set(input.subarray(src, src + rowLen * 3), v * w * 3);
  }
  return tile;
}

/** Blend weight along one axis for a tile at index i of n. */
function axisWeights(plan: TilePlan, i: number): Float32Array {
  const w = new Float32Array(plan.size).fill(1);
  if (plan.origins.length === 1) return w;
  const { context: c, blend: b, size } = plan;
  for (let u = 0; u < size; u++) {
    if (i > 0) w[u] *= u < c ? 0 : u < c + b ? (u - c + 0.5) / b : 1;
    if (i < plan.origins.length - 1) {
      const v = size - 1 - u;
      w[u] *= v < c ? 0 : v < c + b ? (v - c + 0.5) / b : 1;
    }
  }
  return w;
}

/** Smallest tile side that covers `len` with `parts` tiles along one axis. */
function tileForParts(len: number, grid: number, o: TileOptions, config: Pick<UNetConfig, 'depth'>, parts: number): number {
  const overlap = 2 * roundUp(o.context ?? receptiveRadius(config), grid) + roundUp(o.blend, grid);
  return roundUp(Math.ceil((roundUp(len, grid) + (parts - 1) * overlap) / parts), grid);
}

/**
 * Runs the network over a standardised [H, W, 3] input; returns probabilities [H, W]. With a runner
 * of several slots, an image that would fit one tile is cut along its longer side so every slot works.
 */
export async function predictInput(
  runner: TileRunner,
  config: Pick<UNetConfig, 'depth'>,
  input: Float32Array,
  width: number,
  height: number,
  opts: Partial<TileOptions> & Pick<PredictOptions, 'onProgress' | 'signal'> = {},
): Promise<Float32Array> {
  const grid = multipleOf(config);
  const to: TileOptions = { tile: opts.tile ?? DEFAULT_TILE, blend: opts.blend ?? DEFAULT_BLEND, context: opts.context };
  let px = planAxis(width, grid, to, config);
  let py = planAxis(height, grid, to, config);
  if (runner.slots > 1 && px.origins.length * py.origins.length < runner.slots) {
    if (height >= width)
      py = planAxis(height, grid, { ...to, tile: Math.min(to.tile, tileForParts(height, grid, to, config, runner.slots)) }, config);
    else px = planAxis(width, grid, { ...to, tile: Math.min(to.tile, tileForParts(width, grid, to, config, runner.slots)) }, config);
  }
  const out = new Float32Array(width * height);
  if (px.origins.length === 1 && py.origins.length === 1) {
    // One tile holds the whole image: no blending, just drop the padding.
    opts.onProgress?.(0, 1);
    const p = await runner.run(cutTile(input, width, height, 0, 0, px.size, py.size), py.size, px.size);
    for (let v = 0; v < height; v++) out.set(p.subarray(v * px.size, v * px.size + width), v * width);
    opts.onProgress?.(1, 1);
    return out;
  }
  const norm = new Float32Array(width * height);
  const jobs: [number, number][] = [];
  for (let ty = 0; ty < py.origins.length; ty++) for (let tx = 0; tx < px.origins.length; tx++) jobs.push([ty, tx]);
  let done = 0;
  let next = 0;
  opts.onProgress?.(0, jobs.length);
  const work = async (): Promise<void> => {
    while (next < jobs.length) {
      if (opts.signal?.aborted) throw new Error('prediction cancelled');
      const [ty, tx] = jobs[next++];
      const x0 = px.origins[tx];
      const y0 = py.origins[ty];
      const p = await runner.run(cutTile(input, width, height, x0, y0, px.size, py.size), py.size, px.size);
      const wy = axisWeights(py, ty);
      const wx = axisWeights(px, tx);
      for (let v = 0; v < py.size && y0 + v < height; v++) {
        for (let u = 0; u < px.size && x0 + u < width; u++) {
          const wgt = wy[v] * wx[u];
          if (wgt === 0) continue;
          const o = (y0 + v) * width + x0 + u;
          out[o] += wgt * p[v * px.size + u];
          norm[o] += wgt;
        }
      }
      opts.onProgress?.(++done, jobs.length);
      // Let progress messages and cancellation through between tiles.
      await new Promise((r) => setImmediate(r));
    }
  };
  await Promise.all(Array.from({ length: Math.min(runner.slots, jobs.length) }, work));
  for (let i = 0; i < out.length; i++) out[i] = norm[i] > 0 ? out[i] / norm[i] : 0;
  return out;
}

/** A probability map at the photograph's resolution, with the scale it was predicted at. */
export interface Prediction extends ProbabilityMap {
  scale: ScaleDecision;
}

/** Smallest photograph side predicted: below it there is no vessel to see, only padding. */
export const MIN_PREDICT_SIDE = 16;

/**
 * Vessel probability for a photograph, at its full resolution; 0 outside the field of view. The
 * network runs at the model's working scale: the photograph is resampled (antialiased) so its FOV
 * has the model's diameter, and the probabilities are resampled back (bilinear, smooth).
 */
export async function predictImage(loaded: Predictor, img: RgbImage, opts: PredictOptions = {}): Promise<Prediction> {
  if (Math.min(img.width, img.height) < MIN_PREDICT_SIDE) {
    throw new Error(
      `image is ${img.width}x${img.height} px: too small to find vessels in (the smallest is ${MIN_PREDICT_SIDE}x${MIN_PREDICT_SIDE})`,
    );
  }
  const fov = opts.fov ?? deriveFovMask(img);
  let scale = decideScale(fov, loaded.meta?.scale, opts.fovDiameter);
  let pass = await predictAt(loaded, img, fov, scale, opts);
  // The widest vessels are a second scale cue: where the FOV was assumed or is far off, correct it
  // (twice at most: a first estimate made at a wrong scale falls short).
  const model = loaded.meta?.scale;
  for (let round = 0; model?.calibre && scale.source !== 'user' && round < 2; round++) {
    const t = loaded.meta?.threshold ?? 0.5;
    const vessels = new Uint8Array(pass.probs.length);
    for (let i = 0; i < vessels.length; i++) vessels[i] = pass.probs[i] >= t ? 1 : 0;
    const measured = vesselCalibre(vessels, pass.width, pass.height);
    const corrected = measured === null ? null : correctByCalibre(scale, measured, model);
    if (!corrected) break;
    scale = corrected;
    pass = await predictAt(loaded, img, fov, scale, opts);
  }
  const data = scale.factor === 1 ? pass.probs : resample(pass.probs, pass.width, pass.height, 1, img.width, img.height);
  // Outside the camera's aperture there is nothing to see: no vessel there, whatever the network says.
  for (let i = 0; i < data.length; i++) if (!fov.data[i]) data[i] = 0;
  return { width: img.width, height: img.height, data, scale };
}

/** Probabilities at the working scale of `scale`. */
async function predictAt(
  loaded: Predictor,
  img: RgbImage,
  fov: Mask,
  scale: ScaleDecision,
  opts: PredictOptions,
): Promise<{ probs: Float32Array; width: number; height: number }> {
  const work = atWorkingScale({ image: img, fov }, scale.factor);
  const input = preprocess(loaded.meta?.preprocessing ?? 'fov-standardize-v1', work.image, work.fov, scale.fovDiameter * scale.factor);
  const runner = opts.runner ?? modelRunner(loaded.model);
  const { width, height } = work.image;
  return { probs: await predictInput(runner, loaded.config, input, width, height, opts), width, height };
}

/** 8-bit grey PNG of a probability map (0..255). */
export function probabilityToPng(p: ProbabilityMap): Promise<Uint8Array> {
  const bytes = new Uint8Array(p.data.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, p.data[i])) * 255);
  return encodeGreyPng(bytes, p.width, p.height);
}
