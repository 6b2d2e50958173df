/**
 * Box-counting (Minkowski-Bouligand) dimension of a binary map: for each box side s, N(s) = number of
 * s×s boxes of a grid anchored at the image's top-left corner that hold at least one foreground pixel
 * of the region; the dimension is −slope of the least-squares line through (log s, log N(s)).
 * Sides are powers of two, so each level's occupancy is the 2×2 OR of the level below.
 */
import type { Mask } from './types';

export interface BoxCount {
  sizes: number[];
  counts: number[];
  /** null when fewer than two sizes have a box with something in it. */
  dimension: number | null;
}

/** Box sides 2^lo .. 2^hi. */
export function powersOfTwo(lo: number, hi: number): number[] {
  return Array.from({ length: Math.max(0, hi - lo + 1) }, (_, k) => 2 ** (lo + k));
}

/** Counts boxes over `m` ∧ `region` (region null: the whole image). `sizes` must be powers of two. */
export function boxCount(m: Mask, region: Mask | null, sizes: number[]): BoxCount {
  let w = m.width;
  let h = m.height;
  let occ = new Uint8Array(w * h);
  for (let i = 0; i < occ.length; i++) occ[i] = m.data[i] && (!region || region.data[i]) ? 1 : 0;
  const bySize = new Map<number, number>();
  const largest = Math.max(1, ...sizes);
  for (let s = 1; s <= largest; s *= 2) {
    if (s > 1) {
      // One level up: each box is the OR of its four children.
      const W = Math.ceil(w / 2);
      const H = Math.ceil(h / 2);
      const next = new Uint8Array(W * H);
      for (let y = 0; y < h; y++) {
        const row = (y >> 1) * W;
        for (let x = 0; x < w; x++) if (occ[y * w + x]) next[row + (x >> 1)] = 1;
      }
      occ = next;
      w = W;
      h = H;
    }
    let n = 0;
    for (let i = 0; i < occ.length; i++) n += occ[i];
    bySize.set(s, n);
  }
  const counts = sizes.map((s) => bySize.get(s) ?? 0);
  return { sizes, counts, dimension: slopeDimension(sizes, counts) };
}

function slopeDimension(sizes: number[], counts: number[]): number | null {
  const xs: number[] = [];
  const ys: number[] = [];
  sizes.forEach((s, k) => {
    if (counts[k] > 0) {
      xs.push(Math.log(s));
      ys.push(Math.log(counts[k]));
    }
  });
  if (xs.length < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < xs.length; k++) {
    sxy += (xs[k] - mx) * (ys[k] - my);
    sxx += (xs[k] - mx) ** 2;
  }
  return -sxy / sxx;
}
