/**
 * Pure pixel colouring for the overlay canvases (RGBA written through a Uint32Array view, little-endian:
 * 0xAABBGGRR). Each function can update a sub-rectangle so painting only touches the dirty rect.
 */
import { uncertaintyOf } from '../../preload/contract';
import { thresholdByte } from '../editor/Editor';
import type { Rect } from '../editor/geometry';
import type { OverlayMode } from '../editor/types';

export const rgba = (r: number, g: number, b: number, a: number) => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;

export const PREDICTION_RGB = [0, 229, 255] as const; // cyan
export const UNCERTAIN_RGB = [255, 80, 220] as const; // magenta
export const LABEL_COLOUR = rgba(255, 214, 10, 255); // yellow
export const FALSE_POSITIVE = rgba(255, 59, 48, 255); // red: predicted, not labelled
export const FALSE_NEGATIVE = rgba(40, 120, 255, 255); // blue: labelled, not predicted
export const AGREEMENT = rgba(255, 255, 255, 110); // white, faint: both

function forRect(width: number, height: number, rect: Rect | null, fn: (i: number) => void): void {
  const r = rect ?? { x: 0, y: 0, w: width, h: height };
  for (let y = r.y; y < r.y + r.h; y++) {
    const end = y * width + r.x + r.w;
    for (let i = y * width + r.x; i < end; i++) fn(i);
  }
}

/**
 * Prediction overlay: probability mode → cyan with alpha = probability (above threshold); binary → opaque;
 * uncertainty → magenta by how near the threshold the probability is (contract.ts: uncertaintyOf). Where a
 * person decided (`hidden`), the label is what counts, so the prediction is not drawn there.
 */
export function colorizePrediction(
  out: Uint32Array,
  prob: Uint8Array,
  width: number,
  height: number,
  threshold: number,
  mode: OverlayMode,
  hidden: Uint8Array | null = null,
  rect: Rect | null = null,
): void {
  const [r, g, b] = PREDICTION_RGB;
  const opaque = rgba(r, g, b, 255);
  const tb = thresholdByte(threshold);
  const lut = new Uint32Array(256);
  for (let v = 0; v < 256; v++) {
    if (mode === 'uncertainty') lut[v] = rgba(...UNCERTAIN_RGB, Math.round(255 * uncertaintyOf(v / 255, threshold)));
    else lut[v] = v < tb ? 0 : mode === 'binary' ? opaque : rgba(r, g, b, v);
  }
  if (hidden) forRect(width, height, rect, (i) => (out[i] = hidden[i] ? 0 : lut[prob[i]]));
  else forRect(width, height, rect, (i) => (out[i] = lut[prob[i]]));
}

/** The label where a person decided it (all of it once reviewed); the rest of it is the prediction, drawn as such. */
export function colorizeLabel(
  out: Uint32Array,
  label: Uint8Array,
  decided: Uint8Array | null,
  width: number,
  height: number,
  rect: Rect | null,
): void {
  if (decided) forRect(width, height, rect, (i) => (out[i] = label[i] && decided[i] ? LABEL_COLOUR : 0));
  else forRect(width, height, rect, (i) => (out[i] = label[i] ? LABEL_COLOUR : 0));
}

/**
 * Diff of the thresholded prediction against the label. With a field of view, nothing outside it counts as
 * predicted (at threshold 0 every pixel passes; the black surround is not a false positive); label pixels
 * there are still shown.
 */
export function colorizeDiff(
  out: Uint32Array,
  label: Uint8Array,
  prob: Uint8Array | null,
  width: number,
  height: number,
  thresholdByte: number,
  rect: Rect | null,
  fov: Uint8Array | null = null,
): void {
  if (!prob) {
    forRect(width, height, rect, (i) => (out[i] = label[i] ? FALSE_NEGATIVE : 0));
    return;
  }
  forRect(width, height, rect, (i) => {
    const p = prob[i] >= thresholdByte && (fov === null || fov[i] !== 0);
    const l = label[i] !== 0;
    out[i] = p ? (l ? AGREEMENT : FALSE_POSITIVE) : l ? FALSE_NEGATIVE : 0;
  });
}

/**
 * Outline of a field-of-view mask as a polygon in image coordinates: per sampled row the leftmost and
 * rightmost inside pixel (the aperture is convex), left side top-down then right side bottom-up.
 */
export function fovOutline(fov: Uint8Array, width: number, height: number, step = Math.max(1, Math.round(height / 256))): number[] {
  const left: number[] = [];
  const right: number[] = [];
  const rows: number[] = [];
  for (let y = 0; y < height; y += step) rows.push(y);
  if (rows[rows.length - 1] !== height - 1) rows.push(height - 1);
  for (const y of rows) {
    const o = y * width;
    let a = -1;
    for (let x = 0; x < width; x++)
      if (fov[o + x]) {
        a = x;
        break;
      }
    if (a < 0) continue;
    let b = a;
    for (let x = width - 1; x > a; x--)
      if (fov[o + x]) {
        b = x;
        break;
      }
    left.push(a, y + 0.5);
    right.push(b + 1, y + 0.5);
  }
  const pts = [...left];
  for (let k = right.length - 2; k >= 0; k -= 2) pts.push(right[k], right[k + 1]);
  return pts;
}
