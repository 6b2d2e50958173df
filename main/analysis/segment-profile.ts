/**
 * One segment of the vessel graph as a smooth centreline with the vessel's width at each sample: what
 * per-segment measures (measure.ts) and the zone-B calibres of CRAE/CRVE (calibre-equivalents.ts) are
 * taken from.
 */
import { resample, smoothChain, type Curve } from './curve';
import type { Segment, VesselGraph } from './segments';
import type { Mask, Point } from './types';
import { widthProfile } from './width';

export interface SegmentProfile {
  /** Centres of the centreline pixels, end to end. */
  pts: Point[];
  /** The smoothed centreline, one sample per pixel of arc. */
  curve: Curve;
  /** Width at each sample of `curve` (NaN where no edge was found). */
  widths: Float64Array;
  /** The vessel's radius where each end meets a branch point (0 at a free end). */
  rFrom: number;
  rTo: number;
}

/** `smoothingPx`: σ of the centreline smoothing; `tangentPx`: chord half-length of the width's normals. */
export function segmentProfile(s: Segment, g: VesselGraph, vessels: Mask, smoothingPx: number, tangentPx: number): SegmentProfile {
  const w = g.width;
  const pts = s.pixels.map((p) => ({ x: (p % w) + 0.5, y: Math.floor(p / w) + 0.5 }));
  const curve = resample(smoothChain(pts, smoothingPx, s.closed), 1);
  let maxDist = 0;
  for (const p of s.pixels) maxDist = Math.max(maxDist, g.distance[p]);
  const widths = widthProfile(vessels, curve, Math.max(1, Math.round(tangentPx)), 2 * maxDist + 2);
  const rFrom = s.from >= 0 ? g.distance[s.pixels[0]] : 0;
  const rTo = s.to >= 0 ? g.distance[s.pixels[s.pixels.length - 1]] : 0;
  return { pts, curve, widths, rFrom, rTo };
}

/**
 * Mean width over the samples `where` accepts, leaving out one parent diameter at each branch-point end
 * (there the profile runs into the other vessels), or over all accepted samples when that leaves none;
 * null without a measured sample. `samples`: how many were averaged.
 */
export function meanWidth(
  p: SegmentProfile,
  where: (x: number, y: number) => boolean = () => true,
): { width: number | null; samples: number } {
  const { widths, curve } = p;
  const skipFrom = 2 * p.rFrom;
  const skipTo = 2 * p.rTo;
  let sum = 0;
  let n = 0;
  let all = 0;
  let nAll = 0;
  for (let i = 0; i < widths.length; i++) {
    if (Number.isNaN(widths[i]) || !where(curve.x[i], curve.y[i])) continue;
    all += widths[i];
    nAll++;
    const at = i * curve.step;
    if (at < skipFrom || curve.length - at < skipTo) continue;
    sum += widths[i];
    n++;
  }
  if (n > 0) return { width: sum / n, samples: n };
  return nAll > 0 ? { width: all / nAll, samples: nAll } : { width: null, samples: 0 };
}
