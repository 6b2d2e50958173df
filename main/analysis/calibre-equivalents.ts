/**
 * CRAE, CRVE and AVR: the central retinal artery and vein equivalents of the revised Knudtson-Parr-
 * Hubbard formulas (Knudtson et al. 2003, "big 6") and their ratio, from an artery/vein map and the
 * optic disc.
 *
 * Which vessels: per class, the class's map (its pixels plus the crossings, where an artery and a vein
 * both pass; uncertain pixels are neither) inside the field of view becomes a centreline graph
 * (segments.ts). Every segment with a centreline stretch in zone B (0.5-1 disc diameter from the disc
 * margin) of at least a tenth of a disc diameter (a fifth of the ring's width) is a vessel crossing it; its calibre is the mean width over
 * that stretch, away from branch points (segment-profile.ts). A vessel that branches inside zone B is
 * measured on its trunk, as in the protocol: the segments leaving such a branch point outwards are its
 * daughters and do not count again. The six widest of each class are combined.
 */
import { AV, type AvMap } from '../engine/types';
import { vesselGraph } from './segments';
import { meanWidth, segmentProfile } from './segment-profile';
import type { Disc, Mask } from './types';
import { inZone } from './zones';

/** Knudtson's constants: a pair of branches of widths w1, w2 stands for a trunk k·√(w1² + w2²). */
export const KNUDTSON = { artery: 0.88, vein: 0.95 } as const;
/** How many of the widest vessels of each class the revised formulas take. */
export const BIG_SIX = 6;
/** Shortest centreline stretch inside zone B, in disc diameters, that makes a segment a vessel crossing it. */
export const MIN_IN_ZONE_DD = 0.1;

/**
 * The revised Knudtson combination of `widths`: sorted, the widest is paired with the narrowest, the
 * second widest with the second narrowest, …, each pair replaced by k·√(w1² + w2²); with an odd count
 * the middle one carries over to the next round; rounds repeat until one value remains. Null for none.
 */
export function knudtson(widths: readonly number[], k: number): number | null {
  let w = [...widths].sort((a, b) => b - a);
  if (w.length === 0) return null;
  while (w.length > 1) {
    const n = w.length;
    const next: number[] = [];
    for (let i = 0; i < Math.floor(n / 2); i++) next.push(k * Math.hypot(w[i], w[n - 1 - i]));
    if (n % 2 === 1) next.push(w[(n - 1) / 2]);
    w = next.sort((a, b) => b - a);
  }
  return w[0];
}

export type VesselKind = 'artery' | 'vein';

export interface ZoneBVessel {
  kind: VesselKind;
  /** Mean width (px) over the stretch inside zone B. */
  widthPx: number;
  /** Centreline length (px) inside zone B. */
  inZonePx: number;
  /** The centreline inside zone B, flat [x0, y0, x1, y1, …] every 2 px (for drawing). */
  points: number[];
}

export interface CalibreEquivalents {
  /** Central retinal artery equivalent (px); null without an arteriole crossing zone B. */
  craePx: number | null;
  crvePx: number | null;
  /** CRAE / CRVE; null when either is. */
  avr: number | null;
  /** The vessels combined: the widest (at most six) of each class, widest first. */
  arteries: ZoneBVessel[];
  veins: ZoneBVessel[];
  notes: string[];
}

export interface CalibreSettings {
  /** σ (px) of the centreline smoothing (measure.ts settings). */
  smoothingPx: number;
  /** Chord half-length (px) of the normals widths are read along. */
  tangentPx: number;
}

/** The pixels of `classes` inside the field of view. */
function classMap(av: AvMap, fov: Mask, classes: readonly number[]): Mask {
  const on = new Uint8Array(8);
  for (const c of classes) on[c] = 1;
  const data = new Uint8Array(av.data.length);
  for (let i = 0; i < data.length; i++) data[i] = fov.data[i] ? on[av.data[i]] : 0;
  return { width: av.width, height: av.height, data };
}

/** Every vessel of one class crossing zone B, widest first. */
export function zoneBVessels(vessels: Mask, disc: Disc, kind: VesselKind, o: CalibreSettings): ZoneBVessel[] {
  const g = vesselGraph(vessels);
  const inB = (x: number, y: number) => inZone(disc, 'B', x, y);
  const radius = (x: number, y: number) => Math.hypot(x - disc.cx, y - disc.cy);
  // Branch points inside zone B: a segment leaving one outwards is a daughter of a measured trunk.
  const branchInB = g.branchPoints.map((b) => inB(b.x, b.y));
  const out: ZoneBVessel[] = [];
  for (const s of g.segments) {
    if (s.closed) continue;
    const p = segmentProfile(s, g, vessels, o.smoothingPx, o.tangentPx);
    const { curve } = p;
    const points: number[] = [];
    let inZonePx = 0;
    let radiusSum = 0;
    for (let i = 0; i < curve.x.length; i++) {
      if (!inB(curve.x[i], curve.y[i])) continue;
      inZonePx += curve.step;
      radiusSum += radius(curve.x[i], curve.y[i]);
      if (i % 2 === 0) points.push(Math.round(curve.x[i] * 10) / 10, Math.round(curve.y[i] * 10) / 10);
    }
    if (inZonePx < MIN_IN_ZONE_DD * disc.diameter) continue;
    const meanRadius = radiusSum / (inZonePx / curve.step);
    const daughter = [s.from, s.to].some((b) => b >= 0 && branchInB[b] && meanRadius > radius(g.branchPoints[b].x, g.branchPoints[b].y));
    if (daughter) continue;
    const { width } = meanWidth(p, inB);
    if (width !== null) out.push({ kind, widthPx: width, inZonePx, points });
  }
  return out.sort((a, b) => b.widthPx - a.widthPx);
}

/** CRAE, CRVE and AVR of an artery/vein map around `disc`. */
export function calibreEquivalents(av: AvMap, fov: Mask, disc: Disc, o: CalibreSettings): CalibreEquivalents {
  const arteries = zoneBVessels(classMap(av, fov, [AV.artery, AV.crossing]), disc, 'artery', o).slice(0, BIG_SIX);
  const veins = zoneBVessels(classMap(av, fov, [AV.vein, AV.crossing]), disc, 'vein', o).slice(0, BIG_SIX);
  const craePx = knudtson(
    arteries.map((v) => v.widthPx),
    KNUDTSON.artery,
  );
  const crvePx = knudtson(
    veins.map((v) => v.widthPx),
    KNUDTSON.vein,
  );
  const notes: string[] = [];
  for (const [list, what] of [
    [arteries, 'arterioles'],
    [veins, 'venules'],
  ] as const) {
    if (list.length < BIG_SIX) notes.push(`${list.length} ${what} cross zone B: the equivalent combines ${list.length}, not ${BIG_SIX}`);
  }
  return { craePx, crvePx, avr: craePx !== null && crvePx ? craePx / crvePx : null, arteries, veins, notes };
}
