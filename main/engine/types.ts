/** Plain-data image types shared by the engine, the workspace and the compute process. */

/** 8-bit RGB, row-major, interleaved (length = width * height * 3). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** One byte per pixel, 0 = outside/background, anything else = inside/vessel. */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Artery/vein classes; a crossing is an artery and a vein on top of each other. */
export const AV = { background: 0, artery: 1, vein: 2, crossing: 3, uncertain: 4 } as const;
export type AvClass = (typeof AV)[keyof typeof AV];

/** Artery/vein class (AV) per pixel, one byte each; read and written in RITE's colours by data/av-label.ts. */
export interface AvMap {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Vessel probability per pixel in [0, 1]. */
export interface ProbabilityMap {
  width: number;
  height: number;
  data: Float32Array;
}

export function assertSameSize(a: { width: number; height: number }, b: { width: number; height: number }, what: string): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`${what}: size ${b.width}x${b.height} does not match the image's ${a.width}x${a.height}`);
  }
}
