/** Scores a model on labelled samples: per image and pooled, inside the FOV. */
import type { Sample } from './data/datasets';
import { thinVessels } from './data/morphology';
import { vesselCalibre } from './geometry/calibre';
import type { ScaleDecision } from './geometry/working-scale';
import { ScoreCollector, type Scores } from './metrics';
import { predictImage, type Predictor } from './predict';
import type { TileRunner } from './tile-runner';
import type { Mask, RgbImage } from './types';

export interface ImageEvaluation {
  name: string;
  at05: Scores;
  scale: ScaleDecision;
}

export interface Evaluation {
  perImage: ImageEvaluation[];
  pooled: { at05: Scores; atChosen: Scores };
  chosenThreshold: number;
  /**
   * Sensitivity at the chosen threshold on reference vessels at most 2 px wide (full resolution;
   * see thinVessels): what resampling to the working scale costs shows here first.
   */
  thinSensitivity: number;
  msPerImage: number;
}

export async function evaluate(
  loaded: Predictor & { meta?: { threshold?: number } },
  samples: Sample[],
  opts: { threshold?: number; runner?: TileRunner; onImage?: (name: string, i: number, n: number) => void } = {},
): Promise<Evaluation> {
  const pooled = new ScoreCollector();
  const perImage: ImageEvaluation[] = [];
  const chosen = opts.threshold ?? loaded.meta?.threshold ?? 0.5;
  let thin = 0;
  let thinFound = 0;
  let ms = 0;
  for (const [i, s] of samples.entries()) {
    if (!s.label) throw new Error(`${s.name} has no label to evaluate against`);
    const t0 = performance.now();
    const p = await predictImage(loaded, s.image, { fov: s.fov, runner: opts.runner });
    ms += performance.now() - t0;
    const one = new ScoreCollector();
    one.add(p.data, s.label.data, s.fov.data);
    pooled.add(p.data, s.label.data, s.fov.data);
    const t = thinVessels(s.label.data, s.label.width, s.label.height);
    for (let k = 0; k < t.length; k++) {
      if (!t[k] || !s.fov.data[k]) continue;
      thin++;
      if (p.data[k] >= chosen) thinFound++;
    }
    perImage.push({ name: s.name, at05: one.scores(0.5), scale: p.scale });
    opts.onImage?.(s.name, i + 1, samples.length);
  }
  return {
    perImage,
    pooled: { at05: pooled.scores(0.5), atChosen: pooled.scores(chosen) },
    chosenThreshold: chosen,
    thinSensitivity: thin ? thinFound / thin : 0,
    msPerImage: ms / Math.max(1, samples.length),
  };
}

/** Threshold that maximises pooled F1 on these (training) samples. */
export async function chooseThreshold(loaded: Predictor, samples: Sample[], runner?: TileRunner): Promise<number> {
  const c = new ScoreCollector();
  for (const s of samples) {
    if (!s.label) continue;
    const p = await predictImage(loaded, s.image, { fov: s.fov, runner });
    c.add(p.data, s.label.data, s.fov.data);
  }
  return c.bestF1Threshold();
}

/**
 * The model's reference vessel calibre: the median, over images already at its working scale, of the
 * calibre of what it predicts there at its threshold (see geometry/calibre.ts). Null when no image
 * has enough vessel to measure.
 */
export async function referenceCalibre(
  loaded: Predictor,
  images: { image: RgbImage; fov: Mask }[],
  threshold: number,
  runner?: TileRunner,
): Promise<number | null> {
  const values: number[] = [];
  for (const s of images) {
    const p = await predictImage(loaded, s.image, { fov: s.fov, runner });
    const vessels = new Uint8Array(p.data.length);
    for (let i = 0; i < vessels.length; i++) vessels[i] = p.data[i] >= threshold ? 1 : 0;
    const c = vesselCalibre(vessels, p.width, p.height);
    if (c !== null) values.push(c);
  }
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}
