/** The order the image list shows (and ↑ ↓ follow): as imported, or most uncertain prediction first. */
import type { ImageSummary } from '../../preload/contract';
import type { ImageOrder } from './types';

export function orderedImages(images: ImageSummary[], order: ImageOrder): ImageSummary[] {
  if (order === 'imported') return images;
  // Not predicted yet: last (nothing known); ties keep the import order.
  return images
    .map((im, i) => ({ im, i }))
    .sort((a, b) => (b.im.uncertainty ?? -1) - (a.im.uncertainty ?? -1) || a.i - b.i)
    .map((x) => x.im);
}
