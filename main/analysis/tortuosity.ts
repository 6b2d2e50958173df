/**
 * Tortuosity of one vessel segment, three ways (definitions: docs/MEASUREMENTS.md):
 * - distance metric (Hart et al. 1999): arc length / chord length, 1 for a straight vessel;
 * - squared curvature: (1/L)∫κ² ds along the centreline, px⁻² (0 for a straight vessel);
 * - tortuosity density (Grisan et al. 2008): the curve split at its inflection points into n arcs of
 *   length Lᵢ and chord Cᵢ, TD = (n−1)/n · 1/L · Σ(Lᵢ/Cᵢ − 1), px⁻¹ (0 without an inflection).
 */
import { chord, type Curve } from './curve';

export function distanceTortuosity(c: Curve): number | null {
  const d = chord(c);
  return d >= 1 ? c.length / d : null;
}

/** Mean of κ² over the samples where curvature is defined (= (1/L)∫κ² ds on that stretch). */
export function squaredCurvature(kappa: Float64Array): number | null {
  if (kappa.length === 0) return null;
  let s = 0;
  for (const k of kappa) s += k * k;
  return s / kappa.length;
}

/**
 * Curve sample indices where the curvature changes sign. A change counts only once |κ| has passed
 * `threshold` on both sides (hysteresis), so a straight stretch's noise does not count as inflections;
 * it is placed where κ last crossed zero. `offset`: the curve index of kappa[0].
 */
export function inflections(kappa: Float64Array, offset: number, threshold: number): number[] {
  const out: number[] = [];
  let sign = 0;
  let lastCross = 0;
  for (let j = 0; j < kappa.length; j++) {
    if (j > 0 && Math.sign(kappa[j]) !== Math.sign(kappa[j - 1])) lastCross = j;
    if (Math.abs(kappa[j]) < threshold) continue;
    const s = Math.sign(kappa[j]);
    if (sign !== 0 && s !== sign) out.push(lastCross + offset);
    sign = s;
  }
  return out;
}

function arcBetween(c: Curve, a: number, b: number): number {
  let len = 0;
  for (let i = a + 1; i <= b; i++) len += Math.hypot(c.x[i] - c.x[i - 1], c.y[i] - c.y[i - 1]);
  return len;
}

export function tortuosityDensity(c: Curve, cuts: number[]): number {
  const bounds = [0, ...cuts, c.x.length - 1];
  const n = bounds.length - 1;
  if (n < 2 || c.length <= 0) return 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const a = bounds[k];
    const b = bounds[k + 1];
    const cd = Math.hypot(c.x[b] - c.x[a], c.y[b] - c.y[a]);
    if (cd > 0) sum += arcBetween(c, a, b) / cd - 1;
  }
  return ((n - 1) / n) * (sum / c.length);
}
