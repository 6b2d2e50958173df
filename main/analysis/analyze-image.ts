/**
 * One photograph's measurements from its vessel map: the field of view's circle (for the resolution
 * and the camera scale), the optic disc (given by the user, or found), the scale, then measure().
 * The command line, the compute process and the tests all come through here, so the app and the CLI
 * give the same numbers for the same inputs.
 */
import { decideScale } from '../engine/geometry/working-scale';
import type { AvMap } from '../engine/types';
import { calibreEquivalents, type CalibreEquivalents } from './calibre-equivalents';
import { findDisc } from './disc';
import { measure, type Measurements } from './measure';
import type { Disc, Mask, RgbImage } from './types';
import { scaleFromCamera, scaleFromDisc, type Scale } from './units';

export type ScaleAnchor = 'camera' | 'disc';

/** The photograph's field-of-view diameter as the engine decided it (geometry/working-scale.ts). */
export interface FovDiameter {
  px: number;
  /** fov: measured; user: set by hand; calibre: from the widest vessels; image-width: assumed. */
  source: 'fov' | 'user' | 'calibre' | 'image-width';
  note: string | null;
}

export interface ImageSettings {
  /** The camera's angle of view (degrees), when known. */
  angleOfViewDeg: number | null;
  /**
   * The FOV diameter the prediction used (or a person set); undefined: decided here the engine's
   * way from the mask. It sets the resolution of the measurements and the camera scale.
   */
  fovDiameter?: FovDiameter | null;
  /** Micrometres from the camera's angle of view, or from the optic disc's diameter (1.8 mm). */
  scaleFrom: ScaleAnchor;
  /** The disc as a person placed it; null: find it. */
  disc: Disc | null;
}

export const DEFAULT_SETTINGS: ImageSettings = { angleOfViewDeg: null, scaleFrom: 'camera', disc: null };

export interface ImageMeasurements extends Measurements {
  /** Where the disc came from: placed by a person, found in the photograph, or none. */
  discSource: 'given' | 'found' | null;
  /** How the field of view's diameter was known. */
  fovDiameterSource: FovDiameter['source'];
  /** CRAE, CRVE and AVR, when arteries and veins were told apart and there is a disc; else null. */
  calibre: CalibreEquivalents | null;
}

/** `av`: the arteries and veins of the same vessels (a label's, or a model's), for CRAE, CRVE and AVR. */
export function analyzeImage(
  photo: RgbImage,
  vessels: Mask,
  fov: Mask,
  settings: ImageSettings = DEFAULT_SETTINGS,
  av: AvMap | null = null,
): ImageMeasurements {
  const notes: string[] = [];
  const decided = settings.fovDiameter ?? fovDiameterOf(fov);
  const fovDiameterPx = decided.px;
  if (decided.note) notes.push(`field of view: ${decided.note}`);
  // An assumed diameter (no FOV edge: the image width) sets the resolution, but is too rough for micrometres.
  const known = decided.source !== 'image-width';
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
    if (settings.angleOfViewDeg && known) scale = scaleFromCamera(fovDiameterPx, settings.angleOfViewDeg);
    else
      notes.push(
        settings.angleOfViewDeg
          ? 'no micrometres: the field of view has no measurable circle (set its diameter by hand)'
          : "no micrometres: the camera's angle of view is not set",
      );
  } else if (disc) {
    scale = scaleFromDisc(disc.diameter);
  } else {
    notes.push('no micrometres: no optic disc to take the scale from');
  }
  const m = measure({ vessels, fov, fovDiameterPx, disc, scale, notes });
  const calibre =
    av && disc ? calibreEquivalents(av, fov, disc, { smoothingPx: m.settings.smoothingPx, tangentPx: m.settings.curvatureStepPx }) : null;
  if (calibre) m.notes.push(...calibre.notes.map((n) => `CRAE/CRVE: ${n}`));
  return { ...m, discSource, fovDiameterSource: decided.source, calibre };
}

/** The FOV diameter as the engine decides it without a model: measured from the mask's circle, else the image width. */
export function fovDiameterOf(fov: Mask, userPx: number | null = null): FovDiameter {
  const d = decideScale(fov, null, userPx);
  return { px: d.fovDiameter, source: d.source, note: d.note };
}
