/**
 * From vessel probabilities to the binary map that is measured. Probabilities are quantised to bytes
 * first, as the workspace stores predictions (8-bit PNG, round(p·255)), so that the app, which reads
 * that file, and the command line, which has the floats, threshold exactly the same values.
 */
import type { Mask } from './types';

export function probabilityByte(p: number): number {
  return Math.round(Math.min(1, Math.max(0, p)) * 255);
}

/** Smallest byte at or above threshold t (the renderer's overlay uses the same rule). */
export function thresholdByte(t: number): number {
  return Math.ceil(Math.min(1, Math.max(0, t)) * 255 - 1e-9);
}

/** Vessel where the probability byte is at or above the threshold's. */
export function vesselsFromBytes(bytes: Uint8Array, width: number, height: number, threshold: number): Mask {
  const t = thresholdByte(threshold);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = bytes[i] >= t ? 1 : 0;
  return { width, height, data };
}

export function vesselsFromProbabilities(p: Float32Array, width: number, height: number, threshold: number): Mask {
  const t = thresholdByte(threshold);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = probabilityByte(p[i]) >= t ? 1 : 0;
  return { width, height, data };
}
