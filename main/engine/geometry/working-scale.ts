/**
 * How much a photograph is resampled before the network sees it. Each model works at one scale,
 * recorded in its meta.json as the field-of-view diameter (pixels) its training images were brought
 * to; a photograph is resampled so that its own FOV diameter matches. Vessel widths in pixels then
 * depend on the camera's angle of view only, not on its sensor's resolution.
 */
import type { Mask, RgbImage } from '../types';
import { measureFov } from './fov-circle';
import { resampleBytes, resampleMask } from './resample';

/** What a model's meta.json says about its working scale. */
export interface ModelScale {
  /** FOV diameter, in pixels, the model was trained at. */
  fovDiameter: number;
  /**
   * Calibre (px, see geometry/calibre.ts) of the widest vessels the model finds in its own training
   * images at the working scale; absent in models made before it was recorded.
   */
  calibre?: number;
}

export interface ScaleDecision {
  /** The photograph's FOV diameter in pixels, as measured, assumed, estimated from vessel calibre or set by the user. */
  fovDiameter: number;
  source: 'fov' | 'image-width' | 'calibre' | 'user';
  /** Why the measured FOV was not used (shown to the user), or null. */
  note: string | null;
  /** Resampling factor before prediction (1: native resolution). */
  factor: number;
}

/** Resampling factors this close to 1 are skipped: the cost is not worth a 5% size change. */
const NEAR_ONE = 0.05;
/** Bounds that keep a wrong FOV (or a wrong user value) from making an absurd image size. */
const MIN_FACTOR = 1 / 16;
const MAX_FACTOR = 4;

export function decideScale(fov: Mask, model: ModelScale | null | undefined, userFovDiameter?: number | null): ScaleDecision {
  let fovDiameter: number;
  let source: ScaleDecision['source'];
  let note: string | null = null;
  if (userFovDiameter !== undefined && userFovDiameter !== null) {
    if (!(Number.isFinite(userFovDiameter) && userFovDiameter > 0))
      throw new Error(`field-of-view diameter must be a positive number of pixels, got ${userFovDiameter}`);
    fovDiameter = userFovDiameter;
    source = 'user';
  } else {
    const m = measureFov(fov);
    if (m.found) {
      fovDiameter = m.circle.diameter;
      source = 'fov';
    } else {
      fovDiameter = fov.width;
      source = 'image-width';
      note = `${m.reason}; the image width (${fov.width} px) is taken as the field of view's diameter — set it by hand if vessels look wrong`;
      const aspect = Math.max(fov.width, fov.height) / Math.min(fov.width, fov.height);
      if (aspect > 3) note += ` (the image is ${aspect.toFixed(0)}:1, far from a fundus photograph's shape)`;
    }
  }
  if (!model) return { fovDiameter, source, note, factor: 1 };
  let factor = model.fovDiameter / fovDiameter;
  if (factor < MIN_FACTOR || factor > MAX_FACTOR) {
    const clamped = Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, factor));
    note = `${note ? `${note}; ` : ''}a ${fovDiameter.toFixed(0)} px field of view would need resampling by ${factor.toFixed(3)}, limited to ${clamped.toFixed(3)}`;
    factor = clamped;
  }
  if (Math.abs(factor - 1) < NEAR_ONE) factor = 1;
  return { fovDiameter, source, note, factor };
}

/**
 * How far the widest vessels may differ from the model's reference calibre before the scale is
 * corrected: little when the FOV diameter was only assumed (a crop, no dark border), much when it
 * was measured (cameras' angles of view and eyes differ; training covers about 1.35x either way).
 */
const CALIBRE_TOLERANCE = { 'image-width': 1.2, fov: 1.4, calibre: 1.2 } as const;

/**
 * A corrected decision when the vessel calibre found at `d`'s scale says the scale is off, else
 * null. Never overrides a diameter the user set.
 */
export function correctByCalibre(d: ScaleDecision, measured: number, model: ModelScale): ScaleDecision | null {
  if (!model.calibre || d.source === 'user') return null;
  const ratio = measured / model.calibre;
  const tol = CALIBRE_TOLERANCE[d.source];
  if (ratio < tol && ratio > 1 / tol) return null;
  const factor = Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, d.factor / ratio));
  const fovDiameter = model.fovDiameter / factor;
  const why =
    d.source === 'fov'
      ? `the measured field of view (${d.fovDiameter.toFixed(0)} px) gave vessels ${ratio.toFixed(2)}x the expected width`
      : d.note?.split('; the scale was estimated')[0];
  return {
    fovDiameter,
    source: 'calibre',
    factor,
    note: `${why}; the scale was estimated from the widest vessels instead (FOV ≈ ${fovDiameter.toFixed(0)} px)`,
  };
}

/** Size of the resampled image (at least 1x1). */
export function scaledSize(width: number, height: number, factor: number): { width: number; height: number } {
  return { width: Math.max(1, Math.round(width * factor)), height: Math.max(1, Math.round(height * factor)) };
}

/** A photograph, its FOV mask and (optionally) its label, resampled by `factor` together. */
export function atWorkingScale<T extends { image: RgbImage; fov: Mask; label?: Mask | null }>(s: T, factor: number): T {
  if (factor === 1) return s;
  const { width: w, height: h } = s.image;
  const size = scaledSize(w, h, factor);
  const mask = (m: Mask): Mask => ({ ...size, data: resampleMask(m.data, w, h, size.width, size.height) });
  return {
    ...s,
    image: { ...size, data: resampleBytes(s.image.data, w, h, 3, size.width, size.height) },
    fov: mask(s.fov),
    ...(s.label ? { label: mask(s.label) } : {}),
  };
}

/** A mask at the photograph's resolution brought to the working scale; `minShare` as in resampleMask. */
export function maskAtFactor(m: Mask, factor: number, minShare = 0.5): Mask {
  if (factor === 1) return m;
  const size = scaledSize(m.width, m.height, factor);
  return { ...size, data: resampleMask(m.data, m.width, m.height, size.width, size.height, minShare) };
}
