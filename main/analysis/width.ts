/**
 * Vessel width across the centreline, to a fraction of a pixel: at each centreline sample the binary
 * vessel map is read along the normal with bilinear interpolation, and the vessel's edge on each side
 * is where that profile falls through 0.5 (linear between profile samples a quarter pixel apart). For
 * a rasterised vessel that is where the last vessel pixel ends, so a straight tube k pixels wide
 * measures k.
 */
import { tangent, type Curve } from './curve';
import type { Mask } from './types';

/** The map at a point in image coordinates (pixel (x, y) covers [x, x+1) × [y, y+1)); 0 outside. */
function bilinear(m: Mask, px: number, py: number): number {
  const gx = px - 0.5;
  const gy = py - 0.5;
  const x0 = Math.floor(gx);
  const y0 = Math.floor(gy);
  const fx = gx - x0;
  const fy = gy - y0;
  const { width: w, height: h, data } = m;
  const inX0 = x0 >= 0 && x0 < w;
  const inX1 = x0 + 1 >= 0 && x0 + 1 < w;
  let top = 0;
  let bottom = 0;
  if (y0 >= 0 && y0 < h) top = (inX0 && data[y0 * w + x0] ? 1 - fx : 0) + (inX1 && data[y0 * w + x0 + 1] ? fx : 0);
  if (y0 + 1 >= 0 && y0 + 1 < h) bottom = (inX0 && data[(y0 + 1) * w + x0] ? 1 - fx : 0) + (inX1 && data[(y0 + 1) * w + x0 + 1] ? fx : 0);
  return top * (1 - fy) + bottom * fy;
}

const STEP = 0.25;

/** Distance from (x, y) along (dx, dy) to where the map falls below 0.5, or null beyond `max`. */
function edge(m: Mask, x: number, y: number, dx: number, dy: number, max: number): number | null {
  let prev = bilinear(m, x, y);
  if (prev < 0.5) return null;
  for (let s = STEP; s <= max; s += STEP) {
    const v = bilinear(m, x + dx * s, y + dy * s);
    if (v < 0.5) return s - STEP + (STEP * (prev - 0.5)) / (prev - v);
    prev = v;
  }
  return null;
}

/**
 * Width at every sample of the curve (NaN where no edge was found within `maxHalf` on either side).
 * `k`: samples each side for the tangent.
 */
export function widthProfile(m: Mask, c: Curve, k: number, maxHalf: number): Float64Array {
  const out = new Float64Array(c.x.length);
  for (let i = 0; i < c.x.length; i++) {
    const t = tangent(c, i, k);
    const a = edge(m, c.x[i], c.y[i], -t.y, t.x, maxHalf);
    const b = a === null ? null : edge(m, c.x[i], c.y[i], t.y, -t.x, maxHalf);
    out[i] = a === null || b === null ? NaN : a + b;
  }
  return out;
}
