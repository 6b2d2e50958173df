/**
 * One photograph's measurements from its vessel map: the field of view's circle (for the resolution
 * and the camera scale), the optic disc (given by the user, or found), the scale, then measure().
 * The command line, the compute process and the tests all come through here, so the app and the CLI
 * give the same numbers for the same inputs.
 */
import { measureFov } from '../engine/geometry/fov-circle';
import { findDisc } from './disc';
import { measure, type Measurements } from './measure';
import type { Disc, Mask, RgbImage } from './types';
import { scaleFromCamera, scaleFromDisc, type Scale } from './units';

export type ScaleAnchor = 'camera' | 'disc';

export interface ImageSettings {
  /** The camera's angle of view (degrees), when known. */
  angleOfViewDeg: number | null;
  /** Micrometres from the camera's angle of view, or from the optic disc's diameter (1.8 mm). */
  scaleFrom: ScaleAnchor;
  /** The disc as a person placed it; null: find it. */
  disc: Disc | null;
}

export const DEFAULT_SETTINGS: ImageSettings = { angleOfViewDeg: null, scaleFrom: 'camera', disc: null };

export interface ImageMeasurements extends Measurements {
  /** Where the disc came from: placed by a person, found in the photograph, or none. */
  discSource: 'given' | 'found' | null;
}

export function analyzeImage(photo: RgbImage, vessels: Mask, fov: Mask, settings: ImageSettings = DEFAULT_SETTINGS): ImageMeasurements {
  const notes: string[] = [];
  const circle = measureFov(fov);
  const fovDiameterPx = circle.found ? circle.circle.diameter : null;
  if (!circle.found) notes.push(`field of view: ${circle.reason}; settings for a DRIVE-sized image are used`);
  let disc = settings.disc;
  let discSource: ImageMeasurements['discSource'] = disc ? 'given' : null;
  if (!disc) {
    const found = findDisc(photo, fov, fovDiameterPx, settings.angleOfViewDeg, vessels);
    if (found.found) {
      disc = found.disc;
      discSource = 'found';
      if (found.note) notes.push(`optic disc: ${found.note}`);
    } else {
      notes.push(`${found.reason}: zones B and C omitted`);
    }
  }
  let scale: Scale | null = null;
  if (settings.scaleFrom === 'camera') {
    if (settings.angleOfViewDeg && fovDiameterPx) scale = scaleFromCamera(fovDiameterPx, settings.angleOfViewDeg);
    else
      notes.push(
        settings.angleOfViewDeg
          ? 'no micrometres: the field of view has no measurable circle'
          : "no micrometres: the camera's angle of view is not set",
      );
  } else if (disc) {
    scale = scaleFromDisc(disc.diameter);
  } else {
    notes.push('no micrometres: no optic disc to take the scale from');
  }
  return { ...measure({ vessels, fov, fovDiameterPx, disc, scale, notes }), discSource };
}
