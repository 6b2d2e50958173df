/** Plain-data types of the measurement code (no tfjs, Electron or React anywhere in main/analysis/). */
export type { Mask, RgbImage } from '../engine/types';

export interface Point {
  x: number;
  y: number;
}

/** The optic disc: centre and diameter in image pixels. */
export interface Disc {
  cx: number;
  cy: number;
  diameter: number;
}
