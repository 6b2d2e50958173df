/**
 * Micrometres per pixel, from one of two anchors:
 * - the camera: the field of view's diameter in pixels (main/engine/geometry/fov-circle.ts) spans the
 *   camera's angle of view, at 288 µm of retina per degree (Drasdo & Fowler 1974, emmetropic eye);
 * - the optic disc: a mean adult disc is 1800 µm across (the usual anchor when the camera is unknown;
 *   discs vary ±10-15 %, so this is the rougher one).
 */
export const RETINA_UM_PER_DEGREE = 288;
export const DISC_DIAMETER_UM = 1800;

export type ScaleSource = 'camera' | 'disc';

export interface Scale {
  umPerPx: number;
  source: ScaleSource;
  /** How it was computed, for people. */
  detail: string;
}

export function scaleFromCamera(fovDiameterPx: number, angleOfViewDeg: number): Scale {
  const umPerPx = (angleOfViewDeg * RETINA_UM_PER_DEGREE) / fovDiameterPx;
  return {
    umPerPx,
    source: 'camera',
    detail: `${angleOfViewDeg}° field of view × ${RETINA_UM_PER_DEGREE} µm/° over its ${fovDiameterPx.toFixed(0)} px diameter`,
  };
}

export function scaleFromDisc(discDiameterPx: number): Scale {
  return {
    umPerPx: DISC_DIAMETER_UM / discDiameterPx,
    source: 'disc',
    detail: `optic disc taken as ${DISC_DIAMETER_UM} µm across its ${discDiameterPx.toFixed(0)} px`,
  };
}
