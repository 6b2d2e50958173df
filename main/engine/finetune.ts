/**
 * Retraining on what people decided. The same training loop as `train`, set up for adapting a model
 * without forgetting: a small learning rate; pixels a person decided at full loss weight, the rest of a
 * partly edited label (taken over from a prediction) at `undecidedWeight`, a Reviewed label in full;
 * crops drawn towards decided pixels (towards the corrections, on a Reviewed label); reference images
 * from the original training set mixed in; early stopping on a held-out part (held-out.ts).
 *
 * One threshold policy: every model is scored at its own threshold, the one in its meta.json. A new
 * version keeps its parent's: chosen again on the few images it was just fitted to, the threshold moved
 * with how well it had learnt them, not with the camera (bench:adapt: 0.33 → 0.41, held-out F1 up, the
 * camera's other images down 0.024 while their AUC rose). So the curve, the kept step's score, the
 * version card and `npm run evaluate` all use one threshold, and before and after differ by the weights.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { currentBackend } from './backends';
import type { Sample } from './data/datasets';
import { maskAtFactor } from './geometry/working-scale';
import { areaOf, decidedPixels, describeHoldout, improved, planHoldout, quarterMask, type Holdout } from './held-out';
import { ScoreCollector, type Scores } from './metrics';
import { buildUNet } from './model';
import type { LoadedModel, MetricsSummary, ModelMeta } from './model-io';
import { predictImage, type Predictor } from './predict';
import type { TrainingImage } from './sampler';
import { SEED_RECIPE, train, type TrainProgress, type TrainResult, type TrainSettings } from './train';
import { fromWorking, toTrainingImage, toWorkingSample, type InputRecipe } from './training-data';

export const FINETUNE_RECIPE: TrainSettings = {
  ...SEED_RECIPE,
  steps: 300,
  batch: 8,
  crop: 64,
  learningRate: 1e-4,
  finalLearningRateFraction: 0.1,
  warmup: 10,
  focusFraction: 0.5,
  logEvery: 5,
};

/**
 * Loss weight of the undecided pixels of a partly edited label: they are the parent's own prediction, so
 * a little keeps the model from drifting where nobody looked, more teaches it its own errors. bench:adapt
 * (LES-AV, simulated brush edits): other images' F1 -0.022 at 0, -0.006 at 0.1, -0.009 at 0.3.
 */
export const UNDECIDED_WEIGHT = 0.1;

export interface FinetuneOptions {
  parent: LoadedModel;
  /** Parent's id (folder name) for the new version's meta. */
  parentId: string;
  samples: Sample[];
  /** What is held out and scored; default: planHoldout(samples, rotation). Null: nothing (no validation). */
  holdout?: Holdout | null;
  /** Turns the default hold-out from run to run (e.g. the new version's number). */
  rotation?: number;
  reference?: Sample[];
  /** Share of each batch taken from `reference`. */
  referenceFraction?: number;
  settings?: Partial<TrainSettings>;
  undecidedWeight?: number;
  validateEvery?: number;
  patience?: number;
  /** How much held-out F1 the run may give up for learning the corrections (default 0.005). */
  tolerance?: number;
  name: string;
  onProgress?: (p: TrainProgress) => void;
  /** Every validation: the step and the candidate's scores on the held-out pixels (step 0: the parent). */
  onValidation?: (step: number, scores: HeldOutScores) => void;
  /** Called as the preparatory predictions finish: (done, total). */
  onPrepare?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Scores on the held-out pixels at the model's own threshold. */
export interface HeldOutScores extends MetricsSummary {
  threshold: number;
}

/** What the run was measured on and how the new version compares with its parent there. */
export interface Validation {
  /** Images with held-out pixels. */
  images: string[];
  /** What was held out, for people ("21_training", "the top-left quarter of each image"). */
  region: string;
  holdout: Holdout;
  /** Pixels scored, and their share of the held-out part's field of view (the rest no person decided). */
  pixels: number;
  decidedShare: number;
  before: HeldOutScores;
  after: HeldOutScores;
  improved: boolean;
}

export interface FinetuneResult {
  model: tfl.LayersModel;
  meta: ModelMeta;
  train: TrainResult;
  validation: Validation | null;
}

const heldOutScores = (s: Scores): HeldOutScores => ({
  auc: s.auc,
  f1: s.f1,
  accuracy: s.accuracy,
  sensitivity: s.sensitivity,
  specificity: s.specificity,
  threshold: s.threshold,
});

/** Pixels (inside the FOV) where the label disagrees with the thresholded prediction. */
export function correctedPixels(prob: Float32Array, label: Uint8Array, fov: Uint8Array, threshold: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < label.length; i++) if (fov[i] && (prob[i] >= threshold ? 1 : 0) !== (label[i] ? 1 : 0)) out.push(i);
  return Int32Array.from(out);
}

function indicesOf(m: Uint8Array): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) out.push(i);
  return Int32Array.from(out);
}

/** A copy of the parent network to train (the parent stays untouched). */
function cloneModel(parent: LoadedModel): tfl.LayersModel {
  const m = buildUNet(parent.config);
  m.setWeights(parent.model.getWeights());
  return m;
}

/** A sample and the pixels of it that are scored, with the area they were taken from. */
interface Part {
  sample: Sample;
  pixels: Uint8Array;
  area: number;
}

/**
 * A training image at the working scale: loss weight 1 on decided pixels, `undecided` on the others,
 * 0 outside `region`; crops towards decided pixels (towards the corrections when all are decided).
 */
function trainingImage(
  s: Sample,
  prob: Float32Array,
  threshold: number,
  region: Uint8Array | null,
  undecided: number,
  recipe: InputRecipe,
  focusFraction: number,
): TrainingImage {
  const work = toWorkingSample(s, recipe);
  const size = { width: s.image.width, height: s.image.height };
  const atWork = (m: Uint8Array, minShare: number) => maskAtFactor({ ...size, data: m }, work.factor, minShare).data;
  const decided = s.decided?.data ?? null;
  const focusFull = new Uint8Array(prob.length);
  if (decided) for (let i = 0; i < prob.length; i++) focusFull[i] = decided[i] && s.fov.data[i] && (!region || region[i]) ? 1 : 0;
  else for (const p of correctedPixels(prob, s.label!.data, s.fov.data, threshold)) if (!region || region[p]) focusFull[p] = 1;
  // Corrections are found at the photograph's resolution and trained on at the working scale.
  const focus = indicesOf(atWork(focusFull, 1e-6));
  let weight: Float32Array | undefined;
  if (decided || region) {
    const decidedWork = decided ? atWork(region ? decided.map((v, i) => v & region[i]) : decided, 0.5) : null;
    const regionWork = region ? atWork(region, 0.5) : null;
    weight = new Float32Array(work.image.width * work.image.height);
    for (let i = 0; i < weight.length; i++) weight[i] = regionWork && !regionWork[i] ? 0 : !decidedWork || decidedWork[i] ? 1 : undecided;
  }
  // Where only decided pixels carry loss, every crop goes to them.
  const own = decided && undecided === 0 ? 1 : focusFraction;
  return { ...fromWorking(work, work.image, recipe), focus, weight, focusFraction: own };
}

export async function finetune(o: FinetuneOptions): Promise<FinetuneResult> {
  const labelled = o.samples.filter((s) => s.label);
  if (labelled.length === 0) throw new Error('no corrected (labelled) images to retrain on');
  const settings: TrainSettings = { ...FINETUNE_RECIPE, ...o.settings };
  const threshold = o.parent.meta.threshold ?? 0.5;
  const undecided = o.undecidedWeight ?? UNDECIDED_WEIGHT;
  const t0 = performance.now();
  const holdout = o.holdout !== undefined ? o.holdout : planHoldout(labelled, o.rotation ?? 0);
  const quarter = holdout?.kind === 'quarter' ? holdout.quarter : null;
  const trainSamples = holdout?.kind === 'image' ? labelled.filter((s) => s.name !== holdout.name) : labelled;
  if (trainSamples.length === 0) throw new Error('every corrected image is held out: nothing left to train on');
  const region = (s: Sample, held: boolean): Uint8Array | null => {
    if (quarter === null) return null;
    const q = quarterMask(s.fov.width, s.fov.height, quarter);
    return held ? q : q.map((v) => 1 - v);
  };
  const references = (o.reference ?? []).filter((s) => s.label);
  // Scored: held-out pixels a person decided.
  const scored: Part[] = !holdout
    ? []
    : holdout.kind === 'image'
      ? labelled.filter((s) => s.name === holdout.name).map((s) => ({ sample: s, pixels: decidedPixels(s), area: areaOf(s) }))
      : labelled.map((s) => ({ sample: s, pixels: decidedPixels(s, region(s, true)), area: areaOf(s, region(s, true)) }));
  const held = [...new Set(scored.map((p) => p.sample))];
  const prepared = [...new Set([...trainSamples, ...scored.map((p) => p.sample)])];

  const predictAll = async (p: Predictor, samples: Sample[], onEach?: (done: number) => void): Promise<Map<Sample, Float32Array>> => {
    const out = new Map<Sample, Float32Array>();
    for (const s of samples) {
      out.set(s, (await predictImage(p, s.image, { fov: s.fov, signal: o.signal })).data);
      onEach?.(out.size);
    }
    return out;
  };
  const collect = (parts: Part[], probs: Map<Sample, Float32Array>): ScoreCollector => {
    const c = new ScoreCollector();
    for (const part of parts) c.add(probs.get(part.sample)!, part.sample.label!.data, part.pixels);
    return c;
  };
  const scoresAt = (probs: Map<Sample, Float32Array>): HeldOutScores => heldOutScores(collect(scored, probs).scores(threshold));

  const recipe: InputRecipe = { preprocessing: o.parent.meta.preprocessing, scale: o.parent.meta.scale };
  const parentProbs = await predictAll(o.parent, prepared, (done) => o.onPrepare?.(done, prepared.length));
  const images = trainSamples.map((s) =>
    trainingImage(s, parentProbs.get(s)!, threshold, region(s, false), undecided, recipe, settings.focusFraction),
  );
  const correctedPixelCount = images.reduce((n, im) => n + (im.focus?.length ?? 0), 0);
  const reference = references.map((s) => toTrainingImage(s, recipe));
  const model = cloneModel(o.parent);
  const predictor = { model, config: o.parent.config, meta: recipe };
  const before = scored.length ? scoresAt(parentProbs) : null;
  const history = new Map<number, HeldOutScores>();
  let result: TrainResult;
  try {
    result = await train({
      model,
      images,
      settings,
      reference: reference.length ? { images: reference, fraction: o.referenceFraction ?? 0.25 } : undefined,
      validation: before
        ? {
            every: o.validateEvery ?? 50,
            patience: o.patience ?? 3,
            tolerance: o.tolerance ?? 0.005,
            score: async (step) => {
              const scores = step === 0 ? before : scoresAt(await predictAll(predictor, held));
              history.set(step, scores);
              return scores.f1;
            },
            onScore: (step) => o.onValidation?.(step, history.get(step)!),
          }
        : undefined,
      onProgress: o.onProgress,
      signal: o.signal,
    });
  } catch (e) {
    model.dispose();
    // A cancel can also land inside a validation prediction.
    throw o.signal?.aborted ? new Error('retraining cancelled') : e;
  }
  if (result.cancelled) {
    model.dispose();
    throw new Error('retraining cancelled');
  }
  const after = before ? history.get(result.keptStep)! : null;
  const pixels = scored.reduce((n, p) => n + p.pixels.reduce((a, v) => a + v, 0), 0);
  const validation: Validation | null =
    holdout && before && after
      ? {
          images: scored.map((p) => p.sample.name),
          region: describeHoldout(holdout),
          holdout,
          pixels,
          decidedShare: pixels / scored.reduce((n, p) => n + p.area, 0),
          before,
          after,
          improved: improved(before, after),
        }
      : null;
  const backend = currentBackend();
  const meta: ModelMeta = {
    ...o.parent.meta,
    name: o.name,
    createdAt: new Date().toISOString(),
    parent: o.parentId,
    threshold,
    recipe: {
      ...settings,
      kind: 'finetune',
      referenceFraction: reference.length ? (o.referenceFraction ?? 0.25) : 0,
      undecidedWeight: undecided,
      correctedPixels: correctedPixelCount,
      keptStep: result.keptStep,
      stoppedEarly: result.stoppedEarly,
    },
    data: { source: 'workspace', images: labelled.map((s) => s.name) },
    metrics: validation ? validationMetrics(validation) : {},
    backend: { name: backend.name, device: backend.device },
    trainingSeconds: Math.round((performance.now() - t0) / 1000),
    steps: result.steps,
  };
  return { model, meta, train: result, validation };
}

/** meta.json's record of the validation (read back by the workspace's versions list). */
export function validationMetrics(v: Validation): ModelMeta['metrics'] {
  return {
    'validation-before': { ...v.before },
    'validation-after': { ...v.after },
    'validation-image': v.images.join(', '),
    'validation-region': v.region,
    'validation-pixels': v.pixels,
    'validation-decided': v.decidedShare,
    ...(v.holdout.kind === 'quarter' ? { 'validation-quarter': v.holdout.quarter } : {}),
  };
}
