/**
 * Labelled samples made into what the sampler crops from: brought to the model's working scale
 * (image, label and FOV together), then preprocessed as the model's prediction will be. With
 * photometric augmentation, a pool re-draws one image's camera simulation before each step.
 */
import type { Sample } from './data/datasets';
import { atWorkingScale, decideScale, type ModelScale } from './geometry/working-scale';
import { isIdentity, randomPhotometric, type PhotometricOptions } from './photometric';
import { preprocess, type Preprocessing } from './preprocess';
import { Rng } from './rng';
import type { TrainingImage } from './sampler';
import type { Mask, RgbImage } from './types';

/** How a model turns photographs into input: recorded in its meta.json. */
export interface InputRecipe {
  preprocessing: Preprocessing;
  scale: ModelScale | null;
}

/** A labelled photograph at the working scale. */
export interface WorkingSample {
  name: string;
  image: RgbImage;
  fov: Mask;
  label: Mask;
  /** FOV diameter at the working scale, pixels. */
  fovDiameter: number;
  /** Resampling factor from the photograph to the working scale. */
  factor: number;
}

export function toWorkingSample(s: Sample, recipe: InputRecipe): WorkingSample {
  if (!s.label) throw new Error(`${s.name} has no label`);
  const scale = decideScale(s.fov, recipe.scale);
  const w = atWorkingScale({ image: s.image, fov: s.fov, label: s.label }, scale.factor);
  return { name: s.name, image: w.image, fov: w.fov, label: w.label!, fovDiameter: scale.fovDiameter * scale.factor, factor: scale.factor };
}

export function fromWorking(w: WorkingSample, image: RgbImage, recipe: InputRecipe): TrainingImage {
  return {
    name: w.name,
    width: image.width,
    height: image.height,
    input: preprocess(recipe.preprocessing, image, w.fov, w.fovDiameter),
    label: w.label.data,
  };
}

export function toTrainingImage(s: Sample, recipe: InputRecipe): TrainingImage {
  const w = toWorkingSample(s, recipe);
  return fromWorking(w, w.image, recipe);
}

/**
 * Training images whose camera simulation changes as training goes: before every `every`-th step s,
 * image (s / every) mod n is drawn again with a seed made from (seed, s). Which draw an image holds
 * depends only on the step, so a run resumed from a checkpoint sees the same images as the run it
 * continues. (A draw costs about a quarter of a base-8 step on the CPU, hence not every step.)
 */
export class AugmentedPool {
  readonly images: TrainingImage[];

  constructor(
    private readonly samples: WorkingSample[],
    private readonly recipe: InputRecipe,
    private readonly photometric: PhotometricOptions,
    private readonly seed: number,
    private readonly every = 3,
  ) {
    this.images = samples.map((w) => fromWorking(w, w.image, recipe));
  }

  get active(): boolean {
    return !isIdentity(this.photometric) && this.samples.length > 0;
  }

  private async draw(index: number, step: number): Promise<void> {
    const w = this.samples[index];
    const rng = new Rng((Math.imul(this.seed, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b)) >>> 0);
    const image = await randomPhotometric(w.image, w.fov, this.photometric, rng);
    this.images[index] = fromWorking(w, image, this.recipe);
  }

  /** Call before each step. */
  async beforeStep(step: number): Promise<void> {
    if (this.active && step % this.every === 0) await this.draw((step / this.every) % this.samples.length, step);
  }

  /** Rebuilds every image's current draw for a run resumed at `step`. */
  async resumeAt(step: number): Promise<void> {
    if (!this.active) return;
    const n = this.samples.length;
    // Draws happen at steps k·every, k = 0, 1, …, for image k mod n; the last one before `step`:
    const kLast = Math.ceil(step / this.every) - 1;
    for (let i = 0; i < n; i++) {
      const k = kLast - ((((kLast - i) % n) + n) % n);
      if (k >= 0) await this.draw(i, k * this.every);
    }
  }
}
