/**
 * Finds the optic disc in a colour fundus photograph: the brightest disc-sized spot relative to its
 * surroundings. The photograph is reduced so that the field of view is ~256 px across; brightness is
 * compared between a disc-sized box and the ring around it (box filters over summed-area tables,
 * field-of-view pixels only). The spot's diameter is that of the bright region around the peak (above
 * half-way between the spot and its surroundings, vessel gaps closed). Expected size: a 1.8 mm disc in
 * a field of view of the camera's angle at 288 µm/° (45° when unknown).
 */
import type { Disc, Mask, RgbImage } from './types';
import { DISC_DIAMETER_UM, RETINA_UM_PER_DEGREE } from './units';

export type DiscFinding = { found: true; disc: Disc; contrast: number; note: string | null } | { found: false; reason: string };

const WORK_FOV = 256;
const DEFAULT_ANGLE = 45;
/** The disc must be at least this much brighter than its surroundings (relative). */
const MIN_CONTRAST = 0.08;

interface Grid {
  w: number;
  h: number;
  /** Mean luminance per cell over its field-of-view pixels that are not vessel. */
  lum: Float64Array;
  /** Share of the cell that those pixels make up (the weight of lum). */
  tissue: Float64Array;
  /** Share of the cell inside the field of view. */
  inside: Float64Array;
  /** Share of the cell's field-of-view pixels that are vessel (0 without a vessel map). */
  vessel: Float64Array;
  factor: number;
}

function reduce(img: RgbImage, fov: Mask, vessels: Mask | null, factor: number): Grid {
  const w = Math.ceil(img.width / factor);
  const h = Math.ceil(img.height / factor);
  const lum = new Float64Array(w * h);
  const tissue = new Float64Array(w * h);
  const inside = new Float64Array(w * h);
  const vessel = new Float64Array(w * h);
  const total = new Float64Array(w * h);
  for (let y = 0; y < img.height; y++) {
    const row = Math.floor(y / factor) * w;
    for (let x = 0; x < img.width; x++) {
      const c = row + Math.floor(x / factor);
      const i = y * img.width + x;
      total[c]++;
      if (!fov.data[i]) continue;
      inside[c]++;
      // Brightness of the tissue only: dark vessels would make any vessel-free patch look bright.
      if (vessels?.data[i]) {
        vessel[c]++;
        continue;
      }
      const d = img.data;
      lum[c] += 0.299 * d[i * 3] + 0.587 * d[i * 3 + 1] + 0.114 * d[i * 3 + 2];
      tissue[c]++;
    }
  }
  for (let c = 0; c < w * h; c++) {
    lum[c] = tissue[c] > 0 ? lum[c] / tissue[c] : 0;
    vessel[c] = inside[c] > 0 ? vessel[c] / inside[c] : 0;
    tissue[c] /= total[c];
    inside[c] /= total[c];
  }
  return { w, h, lum, tissue, inside, vessel, factor };
}

/** Summed-area table with one extra row and column of zeros. */
function integral(v: Float64Array, w: number, h: number): Float64Array {
  const s = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += v[y * w + x];
      s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + row;
    }
  }
  return s;
}

function boxSum(s: Float64Array, w: number, h: number, cx: number, cy: number, half: number): number {
  const x0 = Math.max(0, cx - half);
  const y0 = Math.max(0, cy - half);
  const x1 = Math.min(w, cx + half + 1);
  const y1 = Math.min(h, cy + half + 1);
  const W = w + 1;
  return s[y1 * W + x1] - s[y0 * W + x1] - s[y1 * W + x0] + s[y0 * W + x0];
}

/**
 * Finds the disc. `fovDiameterPx`: the field of view's diameter (fov-circle.ts), or null to use the
 * mask's extent; `angleOfViewDeg`: the camera's, when known (sets the expected disc size); `vessels`:
 * the vessel map, when there is one — the big vessels meet at the disc, which tells it from bright
 * lesions (exudates, reflections) of a similar size.
 */
export function findDisc(
  img: RgbImage,
  fov: Mask,
  fovDiameterPx: number | null,
  angleOfViewDeg: number | null = null,
  vessels: Mask | null = null,
): DiscFinding {
  let fovPx = 0;
  for (let i = 0; i < fov.data.length; i++) if (fov.data[i]) fovPx++;
  if (fovPx === 0) return { found: false, reason: 'the field of view is empty' };
  const fovDiameter = fovDiameterPx ?? 2 * Math.sqrt(fovPx / Math.PI);
  const factor = Math.max(1, Math.round(fovDiameter / WORK_FOV));
  const g = reduce(img, fov, vessels, factor);
  const expected = (fovDiameter * DISC_DIAMETER_UM) / ((angleOfViewDeg ?? DEFAULT_ANGLE) * RETINA_UM_PER_DEGREE) / factor;
  const contrast = contrastMap(g, expected);
  const candidates = peaks(contrast, g.w, g.h, Math.round(expected));
  if (candidates.length === 0) return { found: false, reason: 'the field of view is too small to hold an optic disc' };
  const strongest = Math.max(...candidates.map((c) => contrast[c]));
  if (strongest < MIN_CONTRAST) {
    return {
      found: false,
      reason: `no optic disc visible: the brightest disc-sized spot is only ${Math.round(strongest * 100)}% brighter than its surroundings (at least ${Math.round(MIN_CONTRAST * 100)}% expected)`,
    };
  }
  // Among the bright spots, the one where vessels are densest (relative to the whole field of view).
  const vesselSum = integral(
    g.vessel.map((v, c) => v * g.inside[c]),
    g.w,
    g.h,
  );
  const areaSum = integral(g.inside, g.w, g.h);
  const total = vesselSum[vesselSum.length - 1] / Math.max(1, areaSum[areaSum.length - 1]);
  const half = Math.round(expected);
  const score = (c: number) => {
    const x = c % g.w;
    const y = Math.floor(c / g.w);
    const local = boxSum(vesselSum, g.w, g.h, x, y, half) / Math.max(1, boxSum(areaSum, g.w, g.h, x, y, half));
    return total > 0 ? contrast[c] * (local / total) : contrast[c];
  };
  const best = candidates.filter((c) => contrast[c] >= MIN_CONTRAST).reduce((a, b) => (score(b) > score(a) ? b : a));
  return measureSpot(g, best % g.w, Math.floor(best / g.w), expected, contrast[best]);
}

/** Per cell: mean brightness of a disc-sized box over that of the ring of boxes around it, minus 1 (NaN off the field of view). */
function contrastMap(g: Grid, expected: number): Float64Array {
  const inner = Math.max(1, Math.round(expected / 2));
  const outer = Math.max(inner + 1, Math.round(expected));
  const lumSum = integral(
    g.lum.map((v, c) => v * g.tissue[c]),
    g.w,
    g.h,
  );
  const tissueSum = integral(g.tissue, g.w, g.h);
  const insideSum = integral(g.inside, g.w, g.h);
  const out = new Float64Array(g.w * g.h).fill(NaN);
  for (let y = 0; y < g.h; y++) {
    for (let x = 0; x < g.w; x++) {
      // The spot must be mostly inside the field of view.
      if (boxSum(insideSum, g.w, g.h, x, y, inner) < 0.6 * (2 * inner + 1) ** 2) continue;
      const ti = boxSum(tissueSum, g.w, g.h, x, y, inner);
      const li = boxSum(lumSum, g.w, g.h, x, y, inner);
      const to = boxSum(tissueSum, g.w, g.h, x, y, outer) - ti;
      if (ti < 1 || to < 1) continue;
      const ring = (boxSum(lumSum, g.w, g.h, x, y, outer) - li) / to;
      out[y * g.w + x] = ring > 0 ? li / ti / ring - 1 : 0;
    }
  }
  return out;
}

/** Cells that are the maximum within `radius` cells, strongest first (at most 8). */
function peaks(v: Float64Array, w: number, h: number, radius: number): number[] {
  // Local maxima of the 3x3 neighbourhood, then greedy suppression of weaker ones nearby.
  const local: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = y * w + x;
      if (Number.isNaN(v[c])) continue;
      let top = true;
      for (let dy = -1; dy <= 1 && top; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h || (dx === 0 && dy === 0)) continue;
          const o = v[yy * w + xx];
          // Ties go to the first cell in raster order.
          if (o > v[c] || (o === v[c] && yy * w + xx < c)) top = false;
        }
      }
      if (top) local.push(c);
    }
  }
  local.sort((a, b) => v[b] - v[a] || a - b);
  const kept: number[] = [];
  for (const c of local) {
    const far = kept.every((k) => Math.hypot((k % w) - (c % w), Math.floor(k / w) - Math.floor(c / w)) > radius);
    if (far) kept.push(c);
    if (kept.length === 8) break;
  }
  return kept;
}

/**
 * Centre and diameter of the bright region around the peak at (bx, by), in image pixels: the region
 * is looked for within one expected diameter of the peak (a bright lesion next to the disc must not
 * pull it away), and its centroid is used only when it stays within a quarter diameter of the peak.
 */
function measureSpot(g: Grid, bx: number, by: number, expected: number, contrast: number): DiscFinding {
  const r = Math.ceil(expected);
  // Levels: the spot's own brightness (its brightest cells) and its surroundings' (a ring further out).
  const near: number[] = [];
  const ring: number[] = [];
  for (let y = by - 2 * r; y <= by + 2 * r; y++) {
    for (let x = bx - 2 * r; x <= bx + 2 * r; x++) {
      if (x < 0 || y < 0 || x >= g.w || y >= g.h || g.inside[y * g.w + x] < 0.5) continue;
      const d = Math.hypot(x - bx, y - by);
      if (d <= expected / 2) near.push(g.lum[y * g.w + x]);
      else if (d >= 1.25 * expected && d <= 2 * expected) ring.push(g.lum[y * g.w + x]);
    }
  }
  near.sort((a, b) => a - b);
  ring.sort((a, b) => a - b);
  const top = near[Math.floor(near.length * 0.75)];
  const bottom = ring[Math.floor(ring.length / 2)] ?? 0;
  const level = (top + bottom) / 2;
  // Bright cells connected to the peak, through gaps of a few cells (vessels cross the disc).
  const size = 2 * r + 1;
  const bright = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const gx = bx - r + x;
      const gy = by - r + y;
      if (gx >= 0 && gy >= 0 && gx < g.w && gy < g.h && g.lum[gy * g.w + gx] >= level && Math.hypot(x - r, y - r) <= r)
        bright[y * size + x] = 1;
    }
  }
  const region = component(close(bright, size, Math.max(1, Math.round(expected / 12))), size, r, r);
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < region.length; i++) {
    if (!region[i]) continue;
    n++;
    sx += i % size;
    sy += Math.floor(i / size);
  }
  const f = g.factor;
  let diameter = 2 * Math.sqrt(n / Math.PI);
  let note: string | null = null;
  let cx = bx;
  let cy = by;
  if (n > 0 && diameter >= 0.5 * expected) {
    const mx = bx - r + sx / n;
    const my = by - r + sy / n;
    if (Math.hypot(mx - bx, my - by) <= expected / 4) {
      cx = mx;
      cy = my;
    }
  } else {
    note = `the disc's edge is unclear: its diameter is taken from the field of view (${Math.round(expected * f)} px)`;
    diameter = expected;
  }
  return { found: true, disc: { cx: (cx + 0.5) * f, cy: (cy + 0.5) * f, diameter: diameter * f }, contrast, note };
}

/** Morphological closing with a square of radius `r` (dilate, then erode). */
function close(m: Uint8Array, size: number, r: number): Uint8Array {
  const pass = (src: Uint8Array, dilate: boolean) => {
    const out = new Uint8Array(src.length);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let v = dilate ? 0 : 1;
        for (let dy = -r; dy <= r; dy++) {
          for (let dx = -r; dx <= r; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            const s = xx < 0 || yy < 0 || xx >= size || yy >= size ? 0 : src[yy * size + xx];
            v = dilate ? Math.max(v, s) : Math.min(v, s);
          }
        }
        out[y * size + x] = v;
      }
    }
    return out;
  };
  return pass(pass(m, true), false);
}

/** The 8-connected component of `m` containing (x, y) (empty if that cell is off). */
function component(m: Uint8Array, size: number, x: number, y: number): Uint8Array {
  const out = new Uint8Array(m.length);
  const start = y * size + x;
  if (!m[start]) return out;
  const stack = [start];
  out[start] = 1;
  while (stack.length > 0) {
    const p = stack.pop()!;
    const px = p % size;
    const py = (p - px) / size;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const qx = px + dx;
        const qy = py + dy;
        if (qx < 0 || qy < 0 || qx >= size || qy >= size) continue;
        const q = qy * size + qx;
        if (m[q] && !out[q]) {
          out[q] = 1;
          stack.push(q);
        }
      }
    }
  }
  return out;
}
