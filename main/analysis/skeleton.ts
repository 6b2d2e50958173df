/**
 * Centrelines of a binary vessel map: Zhang-Suen thinning (Zhang & Suen 1984, CACM 27(3)), then every
 * remaining pixel that 8-connectivity does not need is removed, so a centreline pixel has exactly two
 * neighbours, an end one, a branch point three or more. Works on a list of foreground pixels, so the cost
 * follows the vessel area, not the image size.
 */
import type { Mask } from './types';

/** The 8 neighbours in Zhang-Suen's order P2..P9: N, NE, E, SE, S, SW, W, NW. */
function ring(d: Uint8Array, i: number, w: number, out: Uint8Array): void {
  out[0] = d[i - w];
  out[1] = d[i - w + 1];
  out[2] = d[i + 1];
  out[3] = d[i + w + 1];
  out[4] = d[i + w];
  out[5] = d[i + w - 1];
  out[6] = d[i - 1];
  out[7] = d[i - w - 1];
}

/** 0→1 transitions going once round the ring. */
function transitions(p: Uint8Array): number {
  let t = 0;
  for (let k = 0; k < 8; k++) if (!p[k] && p[(k + 1) & 7]) t++;
  return t;
}

function count(p: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < 8; k++) n += p[k];
  return n;
}

/**
 * Whether removing the centre changes no connectivity (8 for vessels, 4 for background): Yokoi's
 * 8-connectivity number, the sum over the four edge neighbours of x̄ₖ − x̄ₖ·x̄ₖ₊₁·x̄ₖ₊₂, is 1.
 */
function isSimple(p: Uint8Array): boolean {
  let n = 0;
  for (let k = 0; k < 8; k += 2) n += 1 - p[k] - (1 - p[k]) * (1 - p[k + 1]) * (1 - p[(k + 2) & 7]);
  return n === 1;
}

/**
 * Thins `mask` (0/1, any value > 0 is foreground) to 8-connected one-pixel centrelines. The outermost
 * image row and column are treated as background.
 */
export function skeletonize(mask: Mask): Mask {
  const { width: w, height: h } = mask;
  const d = new Uint8Array(w * h);
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) if (mask.data[y * w + x]) d[y * w + x] = 1;
  // Only a pixel on the edge can go (an inner one has 8 neighbours), so each pass looks at the edge
  // alone: at first every pixel with a background neighbour, then the ones that removals expose.
  const queued = new Uint8Array(w * h);
  let edge: number[] = [];
  for (let i = 0; i < d.length; i++) {
    if (d[i] && neighbourCount(d, i, w) < 8) {
      queued[i] = 1;
      edge.push(i);
    }
  }
  const offsets = [-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1];
  const p = new Uint8Array(8);
  const remove: number[] = [];
  for (let changed = true; changed;) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      remove.length = 0;
      for (const i of edge) {
        ring(d, i, w, p);
        const b = count(p);
        if (b < 2 || b > 6 || transitions(p) !== 1) continue;
        // Pass 1 peels south-east boundaries and north-west corners, pass 2 the opposite ones.
        if (pass === 0 ? p[0] * p[2] * p[4] === 0 && p[2] * p[4] * p[6] === 0 : p[0] * p[2] * p[6] === 0 && p[0] * p[4] * p[6] === 0)
          remove.push(i);
      }
      if (remove.length === 0) continue;
      changed = true;
      for (const i of remove) d[i] = 0;
      const next = edge.filter((i) => d[i]);
      for (const i of remove) {
        queued[i] = 0;
        for (const o of offsets) {
          const q = i + o;
          if (d[q] && !queued[q]) {
            queued[q] = 1;
            next.push(q);
          }
        }
      }
      edge = next;
    }
  }
  // Zhang-Suen leaves staircase corners two pixels thick; drop every simple non-end pixel.
  for (let changed = true; changed;) {
    changed = false;
    for (const i of edge) {
      if (!d[i]) continue;
      ring(d, i, w, p);
      if (count(p) >= 2 && isSimple(p)) {
        d[i] = 0;
        changed = true;
      }
    }
    edge = edge.filter((i) => d[i]);
  }
  return { width: w, height: h, data: d };
}

/** Number of 8-neighbours of pixel i in a 0/1 image (i must not be on the border). */
export function neighbourCount(d: Uint8Array, i: number, w: number): number {
  return d[i - w - 1] + d[i - w] + d[i - w + 1] + d[i - 1] + d[i + 1] + d[i + w - 1] + d[i + w] + d[i + w + 1];
}
