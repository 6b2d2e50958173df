/**
 * Calibre of the widest vessels in a binary vessel map: a scale cue that the field of view does not
 * give (cameras differ in angle of view, 30°-50°, so one FOV diameter can mean 1.5x different vessel
 * widths, while the main vessels leaving the disc are about 100-150 µm wide in every adult eye).
 * Width at a centreline pixel is twice its distance to the background; the calibre is a high
 * percentile of those widths, so the few widest vessels decide it, not the many thin ones.
 */

/** Squared Euclidean distance to the nearest 0 pixel (Felzenszwalb-Huttenlocher, exact). */
export function distanceTransform(m: Uint8Array, w: number, h: number): Float32Array {
  const INF = 1e20;
  const f = new Float64Array(Math.max(w, h));
  const d = new Float64Array(Math.max(w, h));
  const v = new Int32Array(Math.max(w, h));
  const z = new Float64Array(Math.max(w, h) + 1);
  const out = new Float32Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = m[i] ? INF : 0;
  // One 1-D pass: lower envelope of parabolas over f (the column's or row's values), written back in place.
  const pass = (n: number, offset: number, stride: number) => {
    for (let i = 0; i < n; i++) f[i] = out[offset + i * stride];
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
    for (let i = 0; i < n; i++) out[offset + i * stride] = d[i];
  };
  for (let x = 0; x < w; x++) pass(h, x, w);
  for (let y = 0; y < h; y++) pass(w, y * w, 1);
  return out;
}

/**
 * Widths (pixels) at ridge pixels of the distance map: vessel pixels at least as far from the
 * background as their 8 neighbours, i.e. on the centreline. Width = 2·distance − 1 (a 1-pixel line has
 * distance 1).
 */
export function centrelineWidths(m: Uint8Array, w: number, h: number): Float32Array {
  const d2 = distanceTransform(m, w, h);
  const out: number[] = [];
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const v = d2[i];
      if (v === 0) continue;
      let ridge = true;
      for (let dy = -1; dy <= 1 && ridge; dy++) for (let dx = -1; dx <= 1; dx++) if (d2[i + dy * w + dx] > v) ridge = false;
      if (ridge) out.push(2 * Math.sqrt(v) - 1);
    }
  }
  return Float32Array.from(out);
}

/**
 * Calibre of the widest vessels: the mean of the widest 10% of centreline widths (a mean, not a
 * quantile: single widths come in steps of √n pixels). Null when there are too few centreline pixels
 * to say (an almost empty map).
 */
export function vesselCalibre(m: Uint8Array, w: number, h: number): number | null {
  const widths = centrelineWidths(m, w, h).sort();
  if (widths.length < 100) return null;
  const top = widths.subarray(Math.floor(0.9 * widths.length));
  return top.reduce((s, v) => s + v, 0) / top.length;
}
