/**
 * Separable resampling of interleaved images with a triangle (tent) filter. Upsampling is bilinear;
 * downsampling widens the tent to the size of an output pixel, so every source pixel contributes
 * (antialiased: a thin vessel fades instead of flickering in and out of the grid).
 */

interface Taps {
  /** First source index per output index. */
  start: Int32Array;
  /** Number of taps per output index. */
  count: Int32Array;
  /** Weights, `maxTaps` per output index, normalised to sum 1. */
  weights: Float32Array;
  maxTaps: number;
}

/** Filter taps mapping `srcLen` samples onto `dstLen` (pixel centres aligned, edges clamped). */
function taps(srcLen: number, dstLen: number): Taps {
  const scale = dstLen / srcLen;
  // Support radius of the tent in source pixels: 1 when enlarging, 1/scale when reducing.
  const radius = scale >= 1 ? 1 : 1 / scale;
  const maxTaps = Math.ceil(2 * radius) + 2;
  const start = new Int32Array(dstLen);
  const count = new Int32Array(dstLen);
  const weights = new Float32Array(dstLen * maxTaps);
  for (let o = 0; o < dstLen; o++) {
    const centre = (o + 0.5) / scale - 0.5;
    const lo = Math.max(0, Math.ceil(centre - radius));
    const hi = Math.min(srcLen - 1, Math.floor(centre + radius));
    let sum = 0;
    let n = 0;
    for (let i = lo; i <= hi && n < maxTaps; i++, n++) {
      const w = Math.max(0, 1 - Math.abs(i - centre) / radius);
      weights[o * maxTaps + n] = w;
      sum += w;
    }
    if (sum === 0) {
      // Past the edge (tiny images): nearest sample.
      const i = Math.min(srcLen - 1, Math.max(0, Math.round(centre)));
      start[o] = i;
      count[o] = 1;
      weights[o * maxTaps] = 1;
      continue;
    }
    for (let k = 0; k < n; k++) weights[o * maxTaps + k] /= sum;
    start[o] = lo;
    count[o] = n;
  }
  return { start, count, weights, maxTaps };
}

type Samples = Float32Array | Uint8Array;

/** Resamples rows (x axis) of a [h, w, c] array to width `dw`. */
function alongX(src: Samples, w: number, h: number, c: number, dw: number): Float32Array {
  const t = taps(w, dw);
  const out = new Float32Array(dw * h * c);
  for (let y = 0; y < h; y++) {
    const row = y * w * c;
    const orow = y * dw * c;
    for (let o = 0; o < dw; o++) {
      const s0 = t.start[o];
      const n = t.count[o];
      const wo = o * t.maxTaps;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += t.weights[wo + k] * src[row + (s0 + k) * c + ch];
        out[orow + o * c + ch] = acc;
      }
    }
  }
  return out;
}

/** Resamples columns (y axis) of a [h, w, c] array to height `dh`. */
function alongY(src: Samples, w: number, h: number, c: number, dh: number): Float32Array {
  const t = taps(h, dh);
  const rowLen = w * c;
  const out = new Float32Array(dh * rowLen);
  for (let o = 0; o < dh; o++) {
    const s0 = t.start[o];
    const n = t.count[o];
    const wo = o * t.maxTaps;
    const orow = o * rowLen;
    for (let k = 0; k < n; k++) {
      const wk = t.weights[wo + k];
      const srow = (s0 + k) * rowLen;
      for (let i = 0; i < rowLen; i++) out[orow + i] += wk * src[srow + i];
    }
  }
  return out;
}

/**
 * Resamples a [h, w, c] array to [dh, dw, c] (floats out). The axis that shrinks most goes first,
 * so the intermediate array is as small as it can be.
 */
export function resample(src: Samples, w: number, h: number, c: number, dw: number, dh: number): Float32Array {
  if (!(dw >= 1 && dh >= 1 && Number.isInteger(dw) && Number.isInteger(dh))) throw new Error(`cannot resample to ${dw}x${dh}`);
  if (dw === w && dh === h) return Float32Array.from(src);
  if (dw / w <= dh / h) return alongY(alongX(src, w, h, c, dw), dw, h, c, dh);
  return alongX(alongY(src, w, h, c, dh), w, dh, c, dw);
}

/** 8-bit image resampled, rounded back to bytes. */
export function resampleBytes(src: Uint8Array, w: number, h: number, c: number, dw: number, dh: number): Uint8Array {
  const f = resample(src, w, h, c, dw, dh);
  const out = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(f[i])));
  return out;
}

/**
 * 0/1 mask resampled: a pixel is in when at least `minShare` of what it covers was in (half by
 * default: areas are kept; a tiny share keeps every marked spot, e.g. where a person corrected).
 */
export function resampleMask(src: Uint8Array, w: number, h: number, dw: number, dh: number, minShare = 0.5): Uint8Array {
  const bin = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) bin[i] = src[i] ? 1 : 0;
  const f = resample(bin, w, h, 1, dw, dh);
  const out = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = f[i] >= minShare ? 1 : 0;
  return out;
}
