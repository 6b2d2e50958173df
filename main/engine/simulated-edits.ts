/**
 * A person's brush edits, simulated for bench:adapt: the label starts as the parent's prediction at
 * its threshold (as in the editor) and each stroke fixes one of its largest errors. A stroke is one
 * connected region where the prediction and the reference label disagree (FOV only), cut to a square
 * of side `reach` (a stroke of a hand's length, not a whole vessel tree), grown by `margin` pixels
 * (the brush is wider than the vessel); inside it the label becomes the reference label and counts as
 * decided. So painting is exact where it happens, and everything not stroked stays the prediction.
 */
import type { Sample } from './data/datasets';
import { regions } from './data/fov';
import { dilate } from './data/morphology';
import type { Mask } from './types';

export interface SimulatedEdits {
  label: Mask;
  decided: Mask;
  strokes: number;
  /** Pixels the strokes decided. */
  pixels: number;
}

export interface StrokeOptions {
  /** Most strokes per image. */
  strokes: number;
  /** Side of the square a stroke is cut to, in pixels. */
  reach: number;
  /** Pixels the brush reaches past the error it fixes. */
  margin: number;
}

export function simulateEdits(s: Sample, prob: Float32Array, threshold: number, o: StrokeOptions): SimulatedEdits {
  const { width: w, height: h } = s.image;
  const truth = s.label!.data;
  const fov = s.fov.data;
  const predicted = new Uint8Array(w * h);
  const wrong = new Uint8Array(w * h);
  for (let i = 0; i < wrong.length; i++) {
    predicted[i] = fov[i] && prob[i] >= threshold ? 1 : 0;
    wrong[i] = fov[i] && predicted[i] !== (truth[i] ? 1 : 0) ? 1 : 0;
  }
  // Pieces: (error region, reach x reach cell) pairs, largest first.
  const { label: region } = regions(wrong, w, h, 1);
  const cols = Math.ceil(w / o.reach);
  const pieceSize = new Map<number, number>();
  const pieceOf = (i: number) =>
    region[i] * cols * Math.ceil(h / o.reach) + Math.floor(Math.floor(i / w) / o.reach) * cols + Math.floor((i % w) / o.reach);
  for (let i = 0; i < wrong.length; i++) if (wrong[i]) pieceSize.set(pieceOf(i), (pieceSize.get(pieceOf(i)) ?? 0) + 1);
  const chosen = new Set(
    [...pieceSize.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, o.strokes)
      .map(([k]) => k),
  );
  const stroked = new Uint8Array(w * h);
  for (let i = 0; i < wrong.length; i++) if (wrong[i] && chosen.has(pieceOf(i))) stroked[i] = 1;
  const decided = dilate(stroked, w, h, o.margin);
  const label = new Uint8Array(w * h);
  let pixels = 0;
  for (let i = 0; i < label.length; i++) {
    if (!fov[i]) decided[i] = 0;
    if (decided[i]) pixels++;
    label[i] = decided[i] ? (truth[i] ? 1 : 0) : predicted[i];
  }
  return { label: { width: w, height: h, data: label }, decided: { width: w, height: h, data: decided }, strokes: chosen.size, pixels };
}
