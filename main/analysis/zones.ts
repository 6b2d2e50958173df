/**
 * Zones around the optic disc, measured from the disc margin in disc diameters (DD): zone B 0.5-1 DD,
 * zone C 0.5-2 DD (Knudtson et al. 2003; SIVA). From the disc centre that is 1-1.5 DD and 1-2.5 DD.
 */
import type { Disc, Mask } from './types';

export type ZoneName = 'B' | 'C';
export const ZONE_NAMES: readonly ZoneName[] = ['B', 'C'];

/** Inner and outer edge of each zone, in DD from the disc margin. */
export const ZONE_FROM_MARGIN: Record<ZoneName, readonly [number, number]> = { B: [0.5, 1], C: [0.5, 2] };

/** Inner and outer radius of a zone in pixels from the disc centre. */
export function zoneRadii(disc: Disc, zone: ZoneName): [number, number] {
  const [a, b] = ZONE_FROM_MARGIN[zone];
  return [(0.5 + a) * disc.diameter, (0.5 + b) * disc.diameter];
}

export function inZone(disc: Disc, zone: ZoneName, x: number, y: number): boolean {
  const [r0, r1] = zoneRadii(disc, zone);
  const r = Math.hypot(x - disc.cx, y - disc.cy);
  return r >= r0 && r < r1;
}

/** The zone's pixels (by pixel centre) that are inside the field of view. */
export function zoneMask(disc: Disc, zone: ZoneName, fov: Mask): Mask {
  const { width: w, height: h } = fov;
  const data = new Uint8Array(w * h);
  const [r0, r1] = zoneRadii(disc, zone);
  const y0 = Math.max(0, Math.floor(disc.cy - r1));
  const y1 = Math.min(h - 1, Math.ceil(disc.cy + r1));
  const x0 = Math.max(0, Math.floor(disc.cx - r1));
  const x1 = Math.min(w - 1, Math.ceil(disc.cx + r1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * w + x;
      const r = Math.hypot(x + 0.5 - disc.cx, y + 0.5 - disc.cy);
      if (r >= r0 && r < r1 && fov.data[i]) data[i] = 1;
    }
  }
  return { width: w, height: h, data };
}

/** Share of the zone's full annulus that the field of view shows (1 = all of it). */
export function zoneCoverage(disc: Disc, zone: ZoneName, visiblePx: number): number {
  const [r0, r1] = zoneRadii(disc, zone);
  return visiblePx / (Math.PI * (r1 * r1 - r0 * r0));
}
