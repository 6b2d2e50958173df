/**
 * The overlay PNG of an export: the photograph at full resolution with the measured vessels tinted,
 * their centrelines and branch points, the optic disc and the edges of zones B and C, and a legend.
 * Vessels are blended into the pixels; the lines are an SVG drawn over them (sharp/librsvg).
 */
import sharp from 'sharp';
import type { ImageMeasurements } from '../analysis/analyze-image';
import type { Mask, RgbImage } from '../analysis/types';
import { zoneRadii } from '../analysis/zones';

const TINT = [0, 220, 255];
const TINT_ALPHA = 0.45;

function circle(cx: number, cy: number, r: number, stroke: string, width: number, dash = ''): string {
  return `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${r.toFixed(1)}" fill="none" stroke="${stroke}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
}

export async function renderOverlay(photo: RgbImage, vessels: Mask, m: ImageMeasurements): Promise<Uint8Array> {
  const px = Buffer.from(photo.data);
  for (let i = 0; i < vessels.data.length; i++) {
    if (!vessels.data[i]) continue;
    for (let c = 0; c < 3; c++) px[i * 3 + c] = Math.round(px[i * 3 + c] * (1 - TINT_ALPHA) + TINT[c] * TINT_ALPHA);
  }
  // Line widths in image pixels, so the drawing reads the same at DRIVE's size and at 8 megapixels.
  const u = Math.max(1, Math.min(photo.width, photo.height) / 600);
  const parts: string[] = [];
  for (const s of m.segments) {
    const pts: string[] = [];
    for (let k = 0; k + 1 < s.points.length; k += 2) pts.push(`${s.points[k]},${s.points[k + 1]}`);
    parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="#ffe14d" stroke-width="${(0.8 * u).toFixed(2)}"/>`);
  }
  for (const b of m.branchPoints)
    parts.push(`<circle cx="${b.x.toFixed(1)}" cy="${b.y.toFixed(1)}" r="${(1.6 * u).toFixed(2)}" fill="#ff5a5a"/>`);
  if (m.disc) {
    const d = m.disc;
    parts.push(circle(d.cx, d.cy, d.diameter / 2, '#ffffff', 1.5 * u));
    const [b0, b1] = zoneRadii(d, 'B');
    const [, c1] = zoneRadii(d, 'C');
    parts.push(circle(d.cx, d.cy, b0, '#7dff8a', u, `${4 * u} ${3 * u}`), circle(d.cx, d.cy, b1, '#7dff8a', u, `${4 * u} ${3 * u}`));
    parts.push(circle(d.cx, d.cy, c1, '#8ab4ff', u, `${4 * u} ${3 * u}`));
  }
  const fs = (11 * u).toFixed(1);
  const legend = [
    ['#00dcff', 'vessels (measured map)'],
    ['#ffe14d', 'centrelines'],
    ['#ff5a5a', 'branch points'],
    ['#ffffff', 'optic disc'],
    ['#7dff8a', 'zone B (0.5-1 DD)'],
    ['#8ab4ff', 'zone C outer edge (2 DD)'],
  ]
    .map(
      ([c, t], k) =>
        `<text x="${(8 * u).toFixed(1)}" y="${((16 + 14 * k) * u).toFixed(1)}" font-family="sans-serif" font-size="${fs}" fill="${c}">${t}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${photo.width}" height="${photo.height}">${parts.join('')}${legend}</svg>`;
  // Compositing an SVG adds an alpha channel; a second pass drops it (sharp removes alpha before composites).
  const drawn = await sharp(px, { raw: { width: photo.width, height: photo.height, channels: 3 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .raw()
    .toBuffer({ resolveWithObject: true });
  const png = await sharp(drawn.data, { raw: { width: drawn.info.width, height: drawn.info.height, channels: drawn.info.channels } })
    .removeAlpha()
    .png({ compressionLevel: 6 })
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.length);
}
