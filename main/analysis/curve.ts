/**
 * A centreline as a smooth curve. A chain of pixel centres zigzags (steps of 1 and √2): its raw length
 * overestimates an oblique straight vessel by up to 8 %, and its raw turning angles are noise. So the
 * chain is smoothed with a Gaussian along the chain (symmetric windows that shrink towards the ends, so
 * straight lines stay straight and the end points stay put), then resampled at equal arc-length steps,
 * on which tangents, curvature and lengths are taken.
 */
import type { Point } from './types';

export interface Curve {
  /** Points every `step` pixels of arc length (the last step may be shorter). */
  x: Float64Array;
  y: Float64Array;
  step: number;
  /** Arc length of the smoothed chain. */
  length: number;
}

/** Gaussian smoothing of a chain of points along its index; window half-width 3σ, shrunk at the ends. */
export function smoothChain(points: Point[], sigma: number, closed = false): Point[] {
  const n = points.length;
  if (sigma <= 0 || n < 3) return points.map((p) => ({ ...p }));
  const half = Math.ceil(3 * sigma);
  const weight = Array.from({ length: half + 1 }, (_, k) => Math.exp(-(k * k) / (2 * sigma * sigma)));
  return points.map((p, i) => {
    // Open chains: the same number of points on both sides, so a straight chain stays on its line.
    const m = closed ? half : Math.min(half, i, n - 1 - i);
    let sx = p.x * weight[0];
    let sy = p.y * weight[0];
    let sw = weight[0];
    for (let k = 1; k <= m; k++) {
      const a = points[closed ? (((i - k) % n) + n) % n : i - k];
      const b = points[closed ? (i + k) % n : i + k];
      sx += (a.x + b.x) * weight[k];
      sy += (a.y + b.y) * weight[k];
      sw += 2 * weight[k];
    }
    return { x: sx / sw, y: sy / sw };
  });
}

/** The polyline resampled every `step` pixels of arc length, first and last points kept. */
export function resample(points: Point[], step = 1): Curve {
  let length = 0;
  for (let k = 1; k < points.length; k++) length += Math.hypot(points[k].x - points[k - 1].x, points[k].y - points[k - 1].y);
  const count = Math.max(2, Math.ceil(length / step - 1e-9) + 1);
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  x[0] = points[0].x;
  y[0] = points[0].y;
  let seg = 1;
  let segStart = 0;
  let segLen = points.length > 1 ? Math.hypot(points[1].x - points[0].x, points[1].y - points[0].y) : 0;
  for (let i = 1; i < count - 1; i++) {
    const s = i * step;
    while (seg < points.length - 1 && segStart + segLen < s) {
      segStart += segLen;
      seg++;
      segLen = Math.hypot(points[seg].x - points[seg - 1].x, points[seg].y - points[seg - 1].y);
    }
    const t = segLen > 0 ? (s - segStart) / segLen : 0;
    x[i] = points[seg - 1].x + t * (points[seg].x - points[seg - 1].x);
    y[i] = points[seg - 1].y + t * (points[seg].y - points[seg - 1].y);
  }
  x[count - 1] = points[points.length - 1].x;
  y[count - 1] = points[points.length - 1].y;
  return { x, y, step, length };
}

/** Unit tangent at sample i, from the chord between the samples `k` steps either side (fewer at the ends). */
export function tangent(c: Curve, i: number, k: number): Point {
  const n = c.x.length;
  const a = Math.max(0, i - k);
  const b = Math.min(n - 1, i + k);
  const dx = c.x[b] - c.x[a];
  const dy = c.y[b] - c.y[a];
  const len = Math.hypot(dx, dy) || 1;
  return { x: dx / len, y: dy / len };
}

/**
 * Signed curvature (1/px) at samples k .. n-1-k: the turning angle between the chords from i-k to i and
 * from i to i+k, over the arc k·step between their midpoints. Exact on a circle sampled at equal arcs.
 */
export function curvature(c: Curve, k: number): Float64Array {
  const n = c.x.length;
  const out = new Float64Array(Math.max(0, n - 2 * k));
  for (let i = k; i < n - k; i++) {
    const ax = c.x[i] - c.x[i - k];
    const ay = c.y[i] - c.y[i - k];
    const bx = c.x[i + k] - c.x[i];
    const by = c.y[i + k] - c.y[i];
    const angle = Math.atan2(ax * by - ay * bx, ax * bx + ay * by);
    out[i - k] = angle / (k * c.step);
  }
  return out;
}

export function chord(c: Curve): number {
  const n = c.x.length;
  return Math.hypot(c.x[n - 1] - c.x[0], c.y[n - 1] - c.y[0]);
}

/** Samples a..b (inclusive) of a curve as a curve of its own. */
export function subCurve(c: Curve, a: number, b: number): Curve {
  const x = c.x.slice(a, b + 1);
  const y = c.y.slice(a, b + 1);
  let length = 0;
  for (let i = 1; i < x.length; i++) length += Math.hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
  return { x, y, step: c.step, length };
}
