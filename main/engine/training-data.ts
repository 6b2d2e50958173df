/** Turns loaded samples into the standardised arrays the sampler crops from. */
import type { Sample } from './data/datasets';
import { standardize } from './preprocess';
import type { TrainingImage } from './sampler';

export function toTrainingImage(s: Sample): TrainingImage {
  if (!s.label) throw new Error(`${s.name} has no label`);
  return { name: s.name, width: s.image.width, height: s.image.height, input: standardize(s.image, s.fov), label: s.label.data };
}
