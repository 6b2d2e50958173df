/**
 * What a retraining is measured on, decided before it starts. With 3 or more corrected images one
 * whole image is held out: a Reviewed one (its whole label decided), else the one with the most
 * decided pixels; equals take turns from run to run. With fewer, no image can be spared: a quarter of
 * each is held out instead (its pixels are not trained on), the quarter turning from run to run. Only
 * pixels a person decided are scored: a prediction taken over unchanged would score a model against
 * itself. No tfjs here: main judges versions with `improved` without loading the engine.
 */
import type { Sample } from './data/datasets';
import { decidedShare } from './data/label-levels';

export type Holdout = { kind: 'image'; name: string } | { kind: 'quarter'; quarter: number };

/** Fewer decided vessel or background pixels than this and a score says little: not used. */
export const MIN_SCORED_PER_CLASS = 50;

/** 0/1: pixel (x, y) lies in quarter q (0 top left, 1 top right, 2 bottom left, 3 bottom right). */
export function quarterMask(width: number, height: number, quarter: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const right = quarter % 2 === 1;
  const bottom = quarter >= 2;
  for (let y = 0; y < height; y++) {
    if (y >= height / 2 !== bottom) continue;
    for (let x = 0; x < width; x++) if (x >= width / 2 === right) out[y * width + x] = 1;
  }
  return out;
}

/** Pixels of `s` a person decided inside its FOV and, when given, inside `region` (0/1). */
export function decidedPixels(s: Sample, region: Uint8Array | null = null): Uint8Array {
  const fov = s.fov.data;
  const decided = s.decided?.data ?? null;
  const out = new Uint8Array(fov.length);
  for (let i = 0; i < out.length; i++) out[i] = fov[i] && (!decided || decided[i]) && (!region || region[i]) ? 1 : 0;
  return out;
}

/** Pixels of `s`'s field of view inside `region` (all of it without one): what a decided share is a share of. */
export function areaOf(s: Sample, region: Uint8Array | null = null): number {
  let n = 0;
  const fov = s.fov.data;
  for (let i = 0; i < fov.length; i++) if (fov[i] && (!region || region[i])) n++;
  return n;
}

/** Whether the label has enough decided pixels of both classes under `mask` to be scored. */
function scorable(samples: Sample[], masks: Uint8Array[]): boolean {
  let vessel = 0;
  let background = 0;
  samples.forEach((s, k) => {
    const label = s.label!.data;
    const m = masks[k];
    for (let i = 0; i < m.length; i++) {
      if (!m[i]) continue;
      if (label[i]) vessel++;
      else background++;
    }
  });
  return vessel >= MIN_SCORED_PER_CLASS && background >= MIN_SCORED_PER_CLASS;
}

/** The held-out part for a run; `rotation` (e.g. the new version's number) makes equals take turns. Null: nothing can be scored. */
export function planHoldout(samples: Sample[], rotation: number): Holdout | null {
  const labelled = samples.filter((s) => s.label);
  if (labelled.length >= 3) {
    const share = new Map(labelled.map((s) => [s, decidedShare(s.decided ?? null, s.fov)] as const));
    const reviewed = labelled.filter((s) => share.get(s) === 1).sort((a, b) => a.name.localeCompare(b.name));
    const turn = rotation % Math.max(1, reviewed.length);
    const byShare = [...labelled].sort((a, b) => share.get(b)! - share.get(a)! || a.name.localeCompare(b.name));
    const candidates = [...reviewed.slice(turn), ...reviewed.slice(0, turn), ...byShare];
    const pick = candidates.find((s) => scorable([s], [decidedPixels(s)]));
    if (pick) return { kind: 'image', name: pick.name };
  }
  for (let k = 0; k < 4; k++) {
    const quarter = (rotation + k) % 4;
    const masks = labelled.map((s) => decidedPixels(s, quarterMask(s.fov.width, s.fov.height, quarter)));
    if (labelled.length > 0 && scorable(labelled, masks)) return { kind: 'quarter', quarter };
  }
  return null;
}

/** "21_training" or "the top-right quarter of each image", for people. */
export function describeHoldout(h: Holdout): string {
  if (h.kind === 'image') return h.name;
  return `the ${['top-left', 'top-right', 'bottom-left', 'bottom-right'][h.quarter]} quarter of each image`;
}

/** The one rule for "better": a higher F1 on the held-out pixels, each model at its own threshold. */
export function improved(before: { f1: number } | null, after: { f1: number } | null): boolean {
  return before !== null && after !== null && after.f1 > before.f1;
}
