/** Vessel area density: vessel pixels of a region over the region's pixels. */
import type { Mask } from './types';

export interface AreaCount {
  regionPx: number;
  vesselPx: number;
  /** vesselPx / regionPx; 0 for an empty region (with regionPx 0 saying why). */
  density: number;
}

export function areaDensity(vessels: Mask, region: Mask): AreaCount {
  let regionPx = 0;
  let vesselPx = 0;
  for (let i = 0; i < region.data.length; i++) {
    if (!region.data[i]) continue;
    regionPx++;
    if (vessels.data[i]) vesselPx++;
  }
  return { regionPx, vesselPx, density: regionPx > 0 ? vesselPx / regionPx : 0 };
}
