/**
 * Round-brush rasterizer for the label mask (one byte per pixel, row-major).
 *
 * A stroke segment from A to B with diameter d paints exactly the pixels whose centre (i + 0.5, j + 0.5)
 * lies within distance d / 2 of the segment AB — i.e. a round brush stamped continuously along the segment,
 * so a fast pointer move leaves no gaps. Rows are filled as spans (the capsule is convex, so each row meets
 * it in one interval), which keeps a long fast stroke with a big brush cheap.
 */
import type { Rect } from './geometry';

interface Span {
  lo: number;
  hi: number;
}

/** Narrow [lo, hi] by the constraint m <= a*x + b <= M. Returns false when empty. */
function constrain(span: Span, a: number, b: number, m: number, M: number): boolean {
  if (a === 0) return b >= m && b <= M;
  let x0 = (m - b) / a;
  let x1 = (M - b) / a;
  if (x0 > x1) [x0, x1] = [x1, x0];
  if (x0 > span.lo) span.lo = x0;
  if (x1 < span.hi) span.hi = x1;
  return span.lo <= span.hi;
}

/**
 * Paint (value 1) or erase (value 0) the capsule around segment (x0,y0)-(x1,y1) into `mask`.
 * Coordinates are in image pixels (continuous; pixel i covers [i, i+1)). Returns the bounding rectangle of
 * the pixels covered (clipped to the image), or null when the brush lies entirely outside.
 */
export function paintSegment(
  mask: Uint8Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  diameter: number,
  value: number,
): Rect | null {
  const r = Math.max(diameter, 0) / 2;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const len = Math.sqrt(len2);
  const r2 = r * r;
  const rowFrom = Math.max(0, Math.ceil(Math.min(y0, y1) - r - 0.5));
  const rowTo = Math.min(height - 1, Math.floor(Math.max(y0, y1) + r - 0.5));
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  const strip: Span = { lo: 0, hi: 0 };
  for (let j = rowFrom; j <= rowTo; j++) {
    const py = j + 0.5;
    let lo = Infinity;
    let hi = -Infinity;
    // End discs.
    const da = py - y0;
    if (da * da <= r2) {
      const h = Math.sqrt(r2 - da * da);
      lo = Math.min(lo, x0 - h);
      hi = Math.max(hi, x0 + h);
    }
    const db = py - y1;
    if (db * db <= r2) {
      const h = Math.sqrt(r2 - db * db);
      lo = Math.min(lo, x1 - h);
      hi = Math.max(hi, x1 + h);
    }
    // The rectangle between them: projection parameter in [0, len2], |cross| <= r * len.
    if (len2 > 0) {
      strip.lo = -Infinity;
      strip.hi = Infinity;
      if (
        constrain(strip, dx, -x0 * dx + da * dy, 0, len2) &&
        constrain(strip, dy, -x0 * dy - da * dx, -r * len, r * len)
      ) {
        lo = Math.min(lo, strip.lo);
        hi = Math.max(hi, strip.hi);
      }
    }
    if (lo > hi) continue;
    const i0 = Math.max(0, Math.ceil(lo - 0.5));
    const i1 = Math.min(width - 1, Math.floor(hi - 0.5));
    if (i0 > i1) continue;
    mask.fill(value, j * width + i0, j * width + i1 + 1);
    if (i0 < minX) minX = i0;
    if (i1 > maxX) maxX = i1;
    if (j < minY) minY = j;
    maxY = j;
  }
  if (minY === Infinity) return null;
  return { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 };
}

/** A single round stamp (a click without a move). */
export function paintDisc(
  mask: Uint8Array,
  width: number,
  height: number,
  cx: number,
  cy: number,
  diameter: number,
  value: number,
): Rect | null {
  return paintSegment(mask, width, height, cx, cy, cx, cy, diameter, value);
}
