/**
 * The field of view as a circle: centre and diameter fitted to the curved part of the FOV mask's
 * boundary. Many cameras cut the aperture at the top and bottom (flat edges, at the image border or
 * inside it); those points are not on the circle, so the fit is robust (RANSAC on 3-point circles,
 * then least squares on the inliers) and ignores the image border altogether.
 */
import type { Mask } from '../types';
import { Rng } from '../rng';

export interface FovCircle {
  cx: number;
  cy: number;
  diameter: number;
  /** Share of the boundary points within 2 px of the circle. */
  inlierShare: number;
  /** Share of the circle's circumference that is visible in the image as mask boundary. */
  arcShare: number;
}

export type FovMeasurement = { found: true; circle: FovCircle } | { found: false; reason: string };

/** Mask pixels with a 4-neighbour outside the mask, away from the image border. */
function boundaryPoints(m: Mask): { x: Float64Array; y: Float64Array } {
  const { width: w, height: h, data } = m;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (!data[i]) continue;
      if (!data[i - 1] || !data[i + 1] || !data[i - w] || !data[i + w]) {
        xs.push(x + 0.5);
        ys.push(y + 0.5);
      }
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys) };
}

/** Circle through three points, or null when they are (nearly) collinear. */
function circle3(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number): { cx: number; cy: number; r: number } | null {
  const d = 2 * (x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2));
  if (Math.abs(d) < 1e-6) return null;
  const s1 = x1 * x1 + y1 * y1;
  const s2 = x2 * x2 + y2 * y2;
  const s3 = x3 * x3 + y3 * y3;
  const cx = (s1 * (y2 - y3) + s2 * (y3 - y1) + s3 * (y1 - y2)) / d;
  const cy = (s1 * (x3 - x2) + s2 * (x1 - x3) + s3 * (x2 - x1)) / d;
  return { cx, cy, r: Math.hypot(x1 - cx, y1 - cy) };
}

/** Algebraic least-squares circle (Kåsa) through the points where `use` is set. */
function leastSquares(px: Float64Array, py: Float64Array, use: Uint8Array): { cx: number; cy: number; r: number } | null {
  // Solve [x y 1]·[a b c]ᵀ = x² + y² in the least-squares sense; centre (a/2, b/2).
  let sxx = 0,
    sxy = 0,
    sx = 0,
    syy = 0,
    sy = 0,
    n = 0,
    sxz = 0,
    syz = 0,
    sz = 0;
  for (let i = 0; i < px.length; i++) {
    if (!use[i]) continue;
    const x = px[i];
    const y = py[i];
    const z = x * x + y * y;
    sxx += x * x;
    sxy += x * y;
    sx += x;
    syy += y * y;
    sy += y;
    n++;
    sxz += x * z;
    syz += y * z;
    sz += z;
  }
  if (n < 3) return null;
  // 3x3 normal equations by Cramer's rule.
  const A = [sxx, sxy, sx, sxy, syy, sy, sx, sy, n];
  const det3 = (m: number[]) =>
    m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  const D = det3(A);
  if (Math.abs(D) < 1e-9) return null;
  const rhs = [sxz, syz, sz];
  const col = (k: number) => A.map((v, i) => (i % 3 === k ? rhs[Math.floor(i / 3)] : v));
  const a = det3(col(0)) / D;
  const b = det3(col(1)) / D;
  const c = det3(col(2)) / D;
  const cx = a / 2;
  const cy = b / 2;
  const r2 = c + cx * cx + cy * cy;
  return r2 > 0 ? { cx, cy, r: Math.sqrt(r2) } : null;
}

const INLIER_PX = 2;

/** Fits the FOV circle. Says why when the mask has no usable curved boundary. */
export function measureFov(m: Mask): FovMeasurement {
  const { width: w, height: h } = m;
  let inside = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i]) inside++;
  if (inside === 0) return { found: false, reason: 'the field-of-view mask is empty' };
  const { x, y } = boundaryPoints(m);
  const minSide = Math.min(w, h);
  if (x.length < 20)
    return { found: false, reason: 'no edge of a circular field of view is visible (a crop, or a photo without a dark border)' };
  const rng = new Rng(12345);
  const inl = (c: { cx: number; cy: number; r: number }, mark?: Uint8Array) => {
    let k = 0;
    for (let i = 0; i < x.length; i++) {
      const dx = x[i] - c.cx;
      const dy = y[i] - c.cy;
      const ok = Math.abs(Math.sqrt(dx * dx + dy * dy) - c.r) <= INLIER_PX;
      if (ok) k++;
      if (mark) mark[i] = ok ? 1 : 0;
    }
    return k;
  };
  let best: { cx: number; cy: number; r: number } | null = null;
  let bestCount = -1;
  // Boundary points are in raster order: one from each third of the list spreads them from top to
  // bottom, which makes well-conditioned circles.
  const n = x.length;
  for (let it = 0; it < 300; it++) {
    const a = rng.int(n);
    const b = (a + Math.floor(n / 3) + rng.int(Math.max(1, Math.floor(n / 6)))) % n;
    const c = (a + Math.floor((2 * n) / 3) + rng.int(Math.max(1, Math.floor(n / 6)))) % n;
    const cand = circle3(x[a], y[a], x[b], y[b], x[c], y[c]);
    if (!cand || cand.r < minSide / 8 || cand.r > 2 * Math.hypot(w, h)) continue;
    const k = inl(cand);
    if (k > bestCount) {
      bestCount = k;
      best = cand;
    }
  }
  if (!best) return { found: false, reason: 'the field-of-view edge is not circular' };
  const mark = new Uint8Array(n);
  for (let round = 0; round < 3; round++) {
    inl(best, mark);
    const refined = leastSquares(x, y, mark);
    if (!refined) break;
    best = refined;
  }
  const inliers = inl(best, mark);
  const inlierShare = inliers / n;
  // Visible arc: inlier angles binned around the centre.
  const bins = new Uint8Array(360);
  for (let i = 0; i < n; i++) if (mark[i]) bins[Math.floor(((Math.atan2(y[i] - best.cy, x[i] - best.cx) / Math.PI + 1) * 180) % 360)] = 1;
  const arcShare = bins.reduce((s, v) => s + v, 0) / 360;
  const circle = { cx: best.cx, cy: best.cy, diameter: 2 * best.r, inlierShare, arcShare };
  if (arcShare < 0.2)
    return { found: false, reason: `too little of a circular field-of-view edge is visible (${Math.round(arcShare * 100)}% of a circle)` };
  if (inlierShare < 0.3) return { found: false, reason: 'the field-of-view edge is not circular' };
  if (circle.diameter < minSide / 4)
    return { found: false, reason: `the circular region found is too small (${Math.round(circle.diameter)} px) to be the field of view` };
  if (circle.diameter > 2 * Math.hypot(w, h)) return { found: false, reason: 'the field-of-view edge is nearly straight' };
  return { found: true, circle };
}
