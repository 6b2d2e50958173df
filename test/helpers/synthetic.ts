/**
 * Synthetic fundus-like images for fast tests: an orange disc (the field of view) on black, with
 * dark-red curved "vessels" of varying width; the label is exactly the vessel pixels.
 */
import { Rng } from '../../main/engine/rng';
import type { Mask, RgbImage } from '../../main/engine/types';

export interface SyntheticFundus {
  image: RgbImage;
  label: Mask;
  fov: Mask;
}

export function syntheticFundus(width: number, height: number, seed: number, vessels = 8): SyntheticFundus {
  const rng = new Rng(seed);
  const n = width * height;
  const label = new Uint8Array(n);
  const fov = new Uint8Array(n);
  const cx = width / 2;
  const cy = height / 2;
  const radius = Math.min(width, height) * 0.47;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) fov[y * width + x] = (x - cx) ** 2 + (y - cy) ** 2 < radius ** 2 ? 1 : 0;
  for (let v = 0; v < vessels; v++) {
    // A random walk with smoothly turning direction, like a vessel branch.
    let x = cx + rng.uniform(-radius, radius) * 0.6;
    let y = cy + rng.uniform(-radius, radius) * 0.6;
    let angle = rng.uniform(0, 2 * Math.PI);
    const r = rng.uniform(0.8, 2.8);
    for (let s = 0; s < width * 1.5; s++) {
      angle += rng.uniform(-0.15, 0.15);
      x += Math.cos(angle);
      y += Math.sin(angle);
      for (let dy = -3; dy <= 3; dy++) {
        for (let dx = -3; dx <= 3; dx++) {
          const px = Math.round(x + dx);
          const py = Math.round(y + dy);
          if (px < 0 || py < 0 || px >= width || py >= height) continue;
          if (dx * dx + dy * dy <= r * r) label[py * width + px] = 1;
        }
      }
    }
  }
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    if (!fov[i]) continue;
    const noise = rng.uniform(-12, 12);
    const vessel = label[i] ? 1 : 0;
    data[i * 3] = Math.round(200 - 70 * vessel + noise);
    data[i * 3 + 1] = Math.round(110 - 60 * vessel + noise);
    data[i * 3 + 2] = Math.round(50 - 25 * vessel + noise);
  }
  for (let i = 0; i < n; i++) label[i] &= fov[i];
  return { image: { width, height, data }, label: { width, height, data: label }, fov: { width, height, data: fov } };
}
