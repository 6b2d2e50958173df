/** Scores a model on labelled samples: per image and pooled, inside the FOV. */
import type { Sample } from './data/datasets';
import { ScoreCollector, type Scores } from './metrics';
import { predictImage, type Predictor } from './predict';
import type { TileRunner } from './tile-runner';

export interface Evaluation {
  perImage: { name: string; at05: Scores }[];
  pooled: { at05: Scores; atChosen: Scores };
  chosenThreshold: number;
  msPerImage: number;
}

export async function evaluate(
  loaded: Predictor & { meta?: { threshold?: number } },
  samples: Sample[],
  opts: { threshold?: number; runner?: TileRunner; onImage?: (name: string, i: number, n: number) => void } = {},
): Promise<Evaluation> {
  const pooled = new ScoreCollector();
  const perImage: Evaluation['perImage'] = [];
  let ms = 0;
  for (const [i, s] of samples.entries()) {
    if (!s.label) throw new Error(`${s.name} has no label to evaluate against`);
    const t0 = performance.now();
    const p = await predictImage(loaded, s.image, { fov: s.fov, runner: opts.runner });
    ms += performance.now() - t0;
    const one = new ScoreCollector();
    one.add(p.data, s.label.data, s.fov.data);
    pooled.add(p.data, s.label.data, s.fov.data);
    perImage.push({ name: s.name, at05: one.scores(0.5) });
    opts.onImage?.(s.name, i + 1, samples.length);
  }
  const chosen = opts.threshold ?? loaded.meta?.threshold ?? 0.5;
  return { perImage, pooled: { at05: pooled.scores(0.5), atChosen: pooled.scores(chosen) }, chosenThreshold: chosen, msPerImage: ms / Math.max(1, samples.length) };
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
