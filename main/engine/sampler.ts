/**
 * Training batches: random crops from several images per batch, each with its own augmentation.
 * A fraction of crops can be centred on "focus" pixels (e.g. where a user corrected the model).
 */
import { extractCrop, randomAffine, randomPhotometric, reach, type AugmentOptions, type CropSource } from './augment';
import type { Rng } from './rng';

export interface TrainingImage extends CropSource {
  name: string;
  /** Pixel indices that crops should favour (optional). */
  focus?: Int32Array;
  /** This image's share of crops centred on focus pixels, instead of the batch's (e.g. 1 where only they carry loss). */
  focusFraction?: number;
}

export interface BatchOptions {
  batch: number;
  crop: number;
  augment: AugmentOptions;
  /** Share of crops centred on focus pixels, for images that have them. */
  focusFraction: number;
}

export interface Batch {
  x: Float32Array;
  y: Float32Array;
  /** Per-pixel loss weights when any image has them, else null. */
  w: Float32Array | null;
}

export function sampleBatch(images: TrainingImage[], o: BatchOptions, rng: Rng): Batch {
  if (images.length === 0) throw new Error('no labelled images to train on');
  const { batch, crop } = o;
  const px = crop * crop;
  const x = new Float32Array(batch * px * 3);
  const y = new Float32Array(batch * px);
  const weighted = images.some((im) => im.weight);
  const w = weighted ? new Float32Array(batch * px) : null;
  for (let b = 0; b < batch; b++) {
    const src = images[rng.int(images.length)];
    const m = randomAffine(o.augment, rng);
    let cx: number;
    let cy: number;
    if (src.focus && src.focus.length > 0 && rng.chance(src.focusFraction ?? o.focusFraction)) {
      const p = src.focus[rng.int(src.focus.length)];
      cx = (p % src.width) + rng.uniform(-crop / 4, crop / 4);
      cy = Math.floor(p / src.width) + rng.uniform(-crop / 4, crop / 4);
    } else {
      // Keep the transformed crop inside the image where it fits; small images are simply padded.
      const r = Math.min(reach(m, crop), src.width / 2, src.height / 2);
      cx = rng.uniform(r, src.width - r);
      cy = rng.uniform(r, src.height - r);
    }
    // Pixel-aligned centres: without rotation or zoom the crop is then an exact copy, not a blur.
    cx = Math.floor(cx) + (crop % 2 === 0 ? 0.5 : 0);
    cy = Math.floor(cy) + (crop % 2 === 0 ? 0.5 : 0);
    const photo = o.augment.brightness || o.augment.contrast || o.augment.saturation ? randomPhotometric(o.augment, rng) : null;
    extractCrop(src, cx, cy, crop, m, photo, { x, xOff: b * px * 3, y, yOff: b * px, w });
  }
  return { x, y, w };
}
