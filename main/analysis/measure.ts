/**
 * Every measurement of one binary vessel map: per segment (length, width, tortuosity) and per region
 * (the field of view, zones B and C around the optic disc): area density, fractal dimension, centreline
 * length, counts and segment means. Pure function of its inputs; lengths in pixels (units.ts converts).
 */
import { areaDensity } from './density';
import { chord, curvature, resample, smoothChain, subCurve, type Curve } from './curve';
import { boxCount, powersOfTwo } from './fractal';
import { vesselGraph, type BranchPoint, type Segment, type VesselGraph } from './segments';
import { distanceTortuosity, inflections, squaredCurvature, tortuosityDensity } from './tortuosity';
import type { Disc, Mask, Point } from './types';
import { meanWidth, segmentProfile } from './segment-profile';
import type { Scale } from './units';
import { ZONE_NAMES, zoneCoverage, zoneMask, type ZoneName } from './zones';

/** DRIVE's field of view is ~540 px across: the scale at which the fixed pixel settings below were chosen. */
export const REFERENCE_FOV_PX = 540;

/** Settings that depend on resolution, for an image whose field of view is `fovDiameter` px across. */
export interface MeasureSettings {
  /** Gaussian σ (px) of the centreline smoothing for lengths, chords and widths. */
  smoothingPx: number;
  /** Gaussian σ (px) of the stronger smoothing the curvature is taken on (it amplifies pixel noise). */
  curvatureSmoothingPx: number;
  /** Chord half-length (px) for tangents and curvature. */
  curvatureStepPx: number;
  /** Segments shorter than this (px) count in lengths and counts but not in the segment means. */
  minSegmentPx: number;
  /** |κ| (1/px) a curve must reach on both sides of a sign change for it to be an inflection. */
  inflectionCurvature: number;
  /** Box sides of the fractal dimension. */
  boxSizes: number[];
}

export function settingsFor(fovDiameter: number | null): MeasureSettings {
  const r = (fovDiameter ?? REFERENCE_FOV_PX) / REFERENCE_FOV_PX;
  // Six box sides, 2..64 px at DRIVE's scale, doubling with the resolution so that images of the same
  // eye from different cameras are counted over the same range of vessel sizes.
  const lo = Math.max(1, 1 + Math.round(Math.log2(r)));
  return {
    smoothingPx: 2 * r,
    curvatureSmoothingPx: 4 * r,
    curvatureStepPx: Math.max(2, Math.round(8 * r)),
    minSegmentPx: 10 * r,
    inflectionCurvature: 0.02 / r,
    boxSizes: powersOfTwo(lo, lo + 5),
  };
}

export interface SegmentMeasure {
  id: number;
  /** Smoothed centreline as flat [x0, y0, x1, y1, …] in image coordinates, every 2 px. */
  points: number[];
  lengthPx: number;
  chordPx: number;
  /** Mean width (px) along the segment, away from branch points; null where no edge was found. */
  widthPx: number | null;
  distanceTortuosity: number | null;
  /** (1/L)∫κ² ds, px⁻². */
  squaredCurvature: number | null;
  /** Grisan's tortuosity density, px⁻¹. */
  tortuosityDensity: number | null;
  /** A loop (no chord): left out of tortuosity. */
  closed: boolean;
  /** Long enough and open: counted in the segment means. */
  measured: boolean;
  /** The point halfway along, which decides the segment's zones. */
  middle: Point;
  zones: ZoneName[];
}

export interface RegionMeasures {
  areaPx: number;
  vesselPx: number;
  density: number;
  fractalDimension: number | null;
  /** Centreline length inside the region (px). */
  lengthPx: number;
  /** lengthPx / areaPx (px⁻¹). */
  lengthDensity: number;
  segments: number;
  branchPoints: number;
  /** Length-weighted mean of the measured segments' widths. */
  widthPx: number | null;
  /** Means over the measured segments. */
  distanceTortuosity: number | null;
  squaredCurvature: number | null;
  tortuosityDensity: number | null;
  /** Share of the region's full extent the field of view shows (1 for the field of view itself). */
  coverage: number;
}

export interface Measurements {
  width: number;
  height: number;
  fovDiameterPx: number | null;
  disc: Disc | null;
  scale: Scale | null;
  settings: MeasureSettings;
  regions: { fov: RegionMeasures; B: RegionMeasures | null; C: RegionMeasures | null };
  segments: SegmentMeasure[];
  branchPoints: BranchPoint[];
  /** Why something is missing or approximate, in words. */
  notes: string[];
}

export interface MeasureInput {
  /** Binary vessel map (label, or prediction above the model's threshold). */
  vessels: Mask;
  fov: Mask;
  fovDiameterPx: number | null;
  disc: Disc | null;
  scale: Scale | null;
  notes?: string[];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The three tortuosities of samples a..b of a segment, or nulls when it is too short or a loop. */
function tortuosities(pts: Point[], curve: Curve, a: number, b: number, closed: boolean, o: MeasureSettings) {
  const course = b - a >= 1 ? subCurve(curve, a, b) : null;
  if (closed || !course || course.length < o.minSegmentPx) return { distance: null, squared: null, density: null };
  // Curvature on a more smoothed copy of the same stretch; both are sampled every pixel of arc, so a
  // sample index means the same place on either (to within the smoothing's shortening).
  const bent = resample(smoothChain(pts, o.curvatureSmoothingPx), 1);
  const last = bent.x.length - 1;
  const k = Math.max(1, Math.round(o.curvatureStepPx));
  const kappa = curvature(subCurve(bent, Math.min(a, last), Math.min(b, last)), k);
  const cuts = inflections(kappa, k, o.inflectionCurvature).filter((i) => i < course.x.length - 1);
  return {
    distance: distanceTortuosity(course),
    squared: squaredCurvature(kappa),
    density: kappa.length > 0 ? tortuosityDensity(course, cuts) : null,
  };
}

function measureSegment(s: Segment, id: number, g: VesselGraph, vessels: Mask, o: MeasureSettings): { m: SegmentMeasure; curve: Curve } {
  const p = segmentProfile(s, g, vessels, o.smoothingPx, o.curvatureStepPx);
  const { pts, curve, rFrom, rTo } = p;
  const widthPx = meanWidth(p).width;
  // Tortuosity leaves out the stretch inside the parent vessel, where thinning bends the centreline
  // towards the branch point's centre: one parent radius at each branch end.
  const t = tortuosities(pts, curve, Math.ceil(rFrom / curve.step), curve.x.length - 1 - Math.ceil(rTo / curve.step), s.closed, o);
  const mid = Math.floor(curve.x.length / 2);
  const points: number[] = [];
  for (let i = 0; i < curve.x.length; i += 2) points.push(round1(curve.x[i]), round1(curve.y[i]));
  if ((curve.x.length - 1) % 2 !== 0) points.push(round1(curve.x[curve.x.length - 1]), round1(curve.y[curve.y.length - 1]));
  return {
    curve,
    m: {
      id,
      points,
      lengthPx: curve.length,
      chordPx: s.closed ? 0 : chord(curve),
      widthPx,
      distanceTortuosity: t.distance,
      squaredCurvature: t.squared,
      tortuosityDensity: t.density,
      closed: s.closed,
      measured: t.distance !== null,
      middle: { x: curve.x[mid], y: curve.y[mid] },
      zones: [],
    },
  };
}

function mean(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

function region(
  vessels: Mask,
  area: Mask,
  coverage: number,
  o: MeasureSettings,
  segs: SegmentMeasure[],
  curves: Curve[],
  branchPoints: BranchPoint[],
): RegionMeasures {
  const { regionPx, vesselPx, density } = areaDensity(vessels, area);
  const inside = (x: number, y: number) => {
    const xi = Math.floor(x);
    const yi = Math.floor(y);
    return xi >= 0 && yi >= 0 && xi < area.width && yi < area.height && area.data[yi * area.width + xi] === 1;
  };
  let lengthPx = 0;
  for (const c of curves)
    for (let i = 1; i < c.x.length; i++)
      if (inside((c.x[i] + c.x[i - 1]) / 2, (c.y[i] + c.y[i - 1]) / 2)) lengthPx += Math.hypot(c.x[i] - c.x[i - 1], c.y[i] - c.y[i - 1]);
  const own = segs.filter((s) => inside(s.middle.x, s.middle.y));
  const measured = own.filter((s) => s.measured);
  let wSum = 0;
  let wLen = 0;
  for (const s of measured) {
    if (s.widthPx === null) continue;
    wSum += s.widthPx * s.lengthPx;
    wLen += s.lengthPx;
  }
  return {
    areaPx: regionPx,
    vesselPx,
    density,
    fractalDimension: vesselPx > 0 ? boxCount(vessels, area, o.boxSizes).dimension : null,
    lengthPx,
    lengthDensity: regionPx > 0 ? lengthPx / regionPx : 0,
    segments: own.length,
    branchPoints: branchPoints.filter((b) => inside(b.x, b.y)).length,
    widthPx: wLen > 0 ? wSum / wLen : null,
    distanceTortuosity: mean(measured.map((s) => s.distanceTortuosity)),
    squaredCurvature: mean(measured.map((s) => s.squaredCurvature)),
    tortuosityDensity: mean(measured.map((s) => s.tortuosityDensity)),
    coverage,
  };
}

export function measure(input: MeasureInput): Measurements {
  const { fov, disc } = input;
  const { width: w, height: h } = input.vessels;
  const notes = [...(input.notes ?? [])];
  // Only what is inside the camera's aperture is measured.
  const vessels = { width: w, height: h, data: new Uint8Array(w * h) };
  for (let i = 0; i < w * h; i++) vessels.data[i] = input.vessels.data[i] && fov.data[i] ? 1 : 0;
  const o = settingsFor(input.fovDiameterPx);
  const g = vesselGraph(vessels);
  const measuredSegs = g.segments.map((s, id) => measureSegment(s, id, g, vessels, o));
  const segs = measuredSegs.map((x) => x.m);
  const curves = measuredSegs.map((x) => x.curve);
  const fovRegion = region(vessels, fov, 1, o, segs, curves, g.branchPoints);
  if (fovRegion.areaPx === 0) notes.push('the field of view is empty: nothing to measure');
  else if (fovRegion.vesselPx === 0)
    notes.push('empty segmentation: no vessel pixels inside the field of view (counts and density 0, other measures empty)');
  const zones: Record<ZoneName, RegionMeasures | null> = { B: null, C: null };
  if (disc) {
    for (const z of ZONE_NAMES) {
      const area = zoneMask(disc, z, fov);
      const r = region(vessels, area, 0, o, segs, curves, g.branchPoints);
      r.coverage = zoneCoverage(disc, z, r.areaPx);
      zones[z] = r;
      for (const s of segs) {
        const xi = Math.floor(s.middle.x);
        const yi = Math.floor(s.middle.y);
        if (xi >= 0 && yi >= 0 && xi < w && yi < h && area.data[yi * w + xi]) s.zones.push(z);
      }
      if (r.coverage < 0.5) notes.push(`zone ${z}: only ${Math.round(r.coverage * 100)}% of it is inside the field of view`);
    }
  }
  return {
    width: w,
    height: h,
    fovDiameterPx: input.fovDiameterPx,
    disc,
    scale: input.scale,
    settings: o,
    regions: { fov: fovRegion, B: zones.B, C: zones.C },
    segments: segs,
    branchPoints: g.branchPoints,
    notes,
  };
}
