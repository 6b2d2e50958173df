/**
 * Field-of-view mask from the photograph alone, for images that come without one:
 * the camera's circular aperture is surrounded by a dark border. Threshold the brightness
 * relative to the image's own level, then clean up: largest connected region, holes filled,
 * a small opening to drop dark-border noise. Large photographs are analysed at about 1000 px and
 * the mask resampled back (the aperture's edge is smooth; 8 MP at full size took seconds).
 */
import { resampleBytes, resampleMask } from '../geometry/resample';
import type { Mask, RgbImage } from '../types';
import { open } from './morphology';

/** Longest side at which the mask is derived. */
const ANALYSIS_SIDE = 1024;

export function deriveFovMask(img: RgbImage): Mask {
  const long = Math.max(img.width, img.height);
  if (long <= ANALYSIS_SIDE) return deriveAtFullSize(img);
  const f = ANALYSIS_SIDE / long;
  const w = Math.max(1, Math.round(img.width * f));
  const h = Math.max(1, Math.round(img.height * f));
  const small = deriveAtFullSize({ width: w, height: h, data: resampleBytes(img.data, img.width, img.height, 3, w, h) });
  return { width: img.width, height: img.height, data: resampleMask(small.data, w, h, img.width, img.height) };
}

function deriveAtFullSize(img: RgbImage): Mask {
  const { width, height, data } = img;
  const n = width * height;
  const lum = new Uint8Array(n);
  const hist = new Uint32Array(256);
  for (let i = 0; i < n; i++) {
    // The red channel is the brightest inside a fundus aperture and near zero outside.
    const v = Math.max(data[i * 3], (data[i * 3] + data[i * 3 + 1] + data[i * 3 + 2]) / 3) | 0;
    lum[i] = v;
    hist[v]++;
  }
  // Reference level: the 90th percentile of brightness (inside the aperture for any normal framing).
  let acc = 0;
  let p90 = 255;
  for (let v = 0; v < 256; v++) {
    acc += hist[v];
    if (acc >= 0.9 * n) {
      p90 = v;
      break;
    }
  }
  const threshold = Math.max(12, 0.2 * p90);
  let mask: Uint8Array = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = lum[i] > threshold ? 1 : 0;
  mask = open(mask, width, height, 2);
  mask = largestComponent(mask, width, height);
  mask = fillHoles(mask, width, height);
  return { width, height, data: mask };
}

/** Labels 4-connected regions of `value`; returns, per pixel, the region index (-1 for others). */
export function regions(
  m: Uint8Array,
  w: number,
  h: number,
  value: number,
): { label: Int32Array; sizes: number[]; touchesBorder: boolean[] } {
  const label = new Int32Array(m.length).fill(-1);
  const sizes: number[] = [];
  const touchesBorder: boolean[] = [];
  const stack = new Int32Array(m.length);
  for (let start = 0; start < m.length; start++) {
    if (m[start] !== value || label[start] !== -1) continue;
    const id = sizes.length;
    let size = 0;
    let border = false;
    let top = 0;
    stack[top++] = start;
    label[start] = id;
    while (top > 0) {
      const p = stack[--top];
      size++;
      const x = p % w;
      const y = (p - x) / w;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) border = true;
      // The four neighbours, inline (this loop runs once per pixel).
      let q = p - 1;
      if (x > 0 && m[q] === value && label[q] === -1) {
        label[q] = id;
        stack[top++] = q;
      }
      q = p + 1;
      if (x < w - 1 && m[q] === value && label[q] === -1) {
        label[q] = id;
        stack[top++] = q;
      }
      q = p - w;
      if (y > 0 && m[q] === value && label[q] === -1) {
        label[q] = id;
        stack[top++] = q;
      }
      q = p + w;
      if (y < h - 1 && m[q] === value && label[q] === -1) {
        label[q] = id;
        stack[top++] = q;
      }
    }
    sizes.push(size);
    touchesBorder.push(border);
  }
  return { label, sizes, touchesBorder };
}

function largestComponent(m: Uint8Array, w: number, h: number): Uint8Array {
  const { label, sizes } = regions(m, w, h, 1);
  if (sizes.length === 0) return m;
  const best = sizes.indexOf(Math.max(...sizes));
  const out = new Uint8Array(m.length);
  for (let i = 0; i < m.length; i++) out[i] = label[i] === best ? 1 : 0;
  return out;
}

function fillHoles(m: Uint8Array, w: number, h: number): Uint8Array {
  const { label, touchesBorder } = regions(m, w, h, 0);
  const out = new Uint8Array(m);
  for (let i = 0; i < m.length; i++) if (label[i] >= 0 && !touchesBorder[label[i]]) out[i] = 1;
  return out;
}

export function maskIoU(a: Mask, b: Mask): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i] !== 0;
    const y = b.data[i] !== 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}
