/**
 * A label file that also says which pixels a person decided, in one 8-bit grey PNG (so both are saved
 * together, atomically): >= 128 is vessel; decided pixels are 0 and 255, undecided ones (taken over from
 * a prediction, never looked at) 64 and 192. A plain 0/255 label (a data set's, an imported one) is
 * decided everywhere, and whatever reads masks at 128 (readMask, the measurements) reads the label as it is.
 */
import type { Mask } from '../types';
import { encodeGreyPng, readGrey, type ImageInput } from './image-io';

export const UNDECIDED_BACKGROUND = 64;
export const UNDECIDED_VESSEL = 192;

export interface DecidedLabel {
  /** 0/1 per pixel. */
  label: Mask;
  /** 0/1 per pixel: a person decided it; null when every pixel was decided. */
  decided: Mask | null;
}

/** Grey levels of a 0/1 label with its 0/1 decided mask (null: all decided). */
export function toLevels(label: Uint8Array, decided: Uint8Array | null): Uint8Array {
  const out = new Uint8Array(label.length);
  for (let i = 0; i < out.length; i++) {
    const v = label[i] !== 0;
    out[i] = !decided || decided[i] ? (v ? 255 : 0) : v ? UNDECIDED_VESSEL : UNDECIDED_BACKGROUND;
  }
  return out;
}

/**
 * Splits grey levels into label and decided mask (>= 128 is vessel either way, as `readMask` reads
 * masks). Only a file of exactly the four levels with some undecided pixels has a decided mask; any
 * other grey image is a plain label, decided everywhere.
 */
export function fromLevels(grey: Mask): DecidedLabel {
  const { width, height, data } = grey;
  let levels = true;
  let undecided = 0;
  for (let i = 0; i < data.length && levels; i++) {
    const v = data[i];
    if (v === UNDECIDED_BACKGROUND || v === UNDECIDED_VESSEL) undecided++;
    else if (v !== 0 && v !== 255) levels = false;
  }
  const label = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) label[i] = data[i] >= 128 ? 1 : 0;
  if (!levels || undecided === 0) return { label: { width, height, data: label }, decided: null };
  const decided = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) decided[i] = data[i] === 0 || data[i] === 255 ? 1 : 0;
  return { label: { width, height, data: label }, decided: { width, height, data: decided } };
}

export async function readDecidedLabel(input: ImageInput, like?: { width: number; height: number }): Promise<DecidedLabel> {
  return fromLevels(await readGrey(input, like));
}

export function encodeDecidedLabel(label: Mask, decided: Mask | null): Promise<Uint8Array> {
  return encodeGreyPng(toLevels(label.data, decided?.data ?? null), label.width, label.height);
}

/** Pixels inside `fov` a person decided, as a share of the FOV (1 when all were decided). */
export function decidedShare(decided: Mask | null, fov: Mask): number {
  if (!decided) return 1;
  let inside = 0;
  let n = 0;
  for (let i = 0; i < fov.data.length; i++) {
    if (!fov.data[i]) continue;
    inside++;
    if (decided.data[i]) n++;
  }
  return inside ? n / inside : 0;
}
