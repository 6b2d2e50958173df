/**
 * Synthetic vessel maps with known geometry: bands of a given width around a curve (every pixel whose
 * centre is within width/2 of it), drawn on a blank mask.
 */
import type { Mask } from '../../main/engine/types';

export function blank(width: number, height: number, value = 0): Mask {
  return { width, height, data: new Uint8Array(width * height).fill(value) };
}

/** Marks pixels whose centre lies within `width`/2 of the polyline through `pts` (dense samples of a curve). */
export function drawBand(m: Mask, pts: { x: number; y: number }[], width: number): Mask {
  const r = width / 2;
  for (let k = 0; k < pts.length - 1; k++) {
    const a = pts[k];
    const b = pts[k + 1];
    const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - r - 1));
    const x1 = Math.min(m.width - 1, Math.ceil(Math.max(a.x, b.x) + r + 1));
    const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - r - 1));
    const y1 = Math.min(m.height - 1, Math.ceil(Math.max(a.y, b.y) + r + 1));
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy || 1;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        const py = y + 0.5;
        const t = Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2));
        if (Math.hypot(px - a.x - t * dx, py - a.y - t * dy) <= r) m.data[y * m.width + x] = 1;
      }
    }
  }
  return m;
}

/** A straight line from (x0, y0) to (x1, y1). */
export function line(x0: number, y0: number, x1: number, y1: number): { x: number; y: number }[] {
  return [
    { x: x0, y: y0 },
    { x: x1, y: y1 },
  ];
}

/** A circular arc around (cx, cy) of radius r from angle a0 to a1 (radians), densely sampled. */
export function arc(cx: number, cy: number, r: number, a0: number, a1: number): { x: number; y: number }[] {
  const n = Math.ceil((Math.abs(a1 - a0) * r) / 0.5) + 1;
  return Array.from({ length: n }, (_, k) => {
    const a = a0 + ((a1 - a0) * k) / (n - 1);
    return { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) };
  });
}

/** y = y0 + amplitude·sin(2πx/wavelength) for x in [x0, x1], densely sampled. */
export function sine(x0: number, x1: number, y0: number, amplitude: number, wavelength: number): { x: number; y: number }[] {
  const n = Math.ceil((x1 - x0) / 0.25) + 1;
  return Array.from({ length: n }, (_, k) => {
    const x = x0 + ((x1 - x0) * k) / (n - 1);
    return { x, y: y0 + amplitude * Math.sin((2 * Math.PI * (x - x0)) / wavelength) };
  });
}
