/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012, "Distance transforms of sampled
 * functions"): for every foreground pixel, the distance from its centre to the centre of the nearest
 * background pixel; 0 on background. Outside the image counts as background. Two 1-D passes, O(pixels).
 */
import type { Mask } from './types';

const INF = 1e20;

/** Lower envelope of parabolas: squared distances along one line, in place. */
function line(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1; q < n; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    d[q] = (q - v[k]) ** 2 + f[v[k]];
  }
}

export function distanceTransform(mask: Mask): Float32Array {
  const { width: w, height: h, data } = mask;
  // One pixel of background all round, so the image border counts as outside.
  const W = w + 2;
  const H = h + 2;
  const g = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inside = x > 0 && y > 0 && x <= w && y <= h && data[(y - 1) * w + x - 1];
      g[y * W + x] = inside ? INF : 0;
    }
  }
  const n = Math.max(W, H);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let x = 0; x < W; x++) {
    for (let y = 0; y < H; y++) f[y] = g[y * W + x];
    line(f, H, d, v, z);
    for (let y = 0; y < H; y++) g[y * W + x] = d[y];
  }
  const out = new Float32Array(w * h);
  for (let y = 1; y <= h; y++) {
    for (let x = 0; x < W; x++) f[x] = g[y * W + x];
    line(f, W, d, v, z);
    for (let x = 1; x <= w; x++) out[(y - 1) * w + x - 1] = Math.sqrt(d[x]);
  }
  return out;
}
