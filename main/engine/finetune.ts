/**
 * Retraining on a user's corrected images. The same training loop as `train`, set up for adapting a
 * model without forgetting: a small learning rate, crops drawn towards the pixels where the user's
 * label disagrees with the model, an optional extra loss weight there, reference images from the
 * original training set mixed in, and early stopping on a held-out corrected image.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { currentBackend } from './backends';
import type { Sample } from './data/datasets';
import { ScoreCollector, type Scores } from './metrics';
import { buildUNet } from './model';
import type { LoadedModel, MetricsSummary, ModelMeta } from './model-io';
import { predictImage, type Predictor } from './predict';
import type { TrainingImage } from './sampler';
import { maskAtFactor } from './geometry/working-scale';
import { fromWorking, toTrainingImage, toWorkingSample, type InputRecipe } from './training-data';
import { SEED_RECIPE, train, type TrainProgress, type TrainResult, type TrainSettings } from './train';

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

export interface FinetuneOptions {
  parent: LoadedModel;
  /** Parent's id (folder name) for the new version's meta. */
  parentId: string;
  samples: Sample[];
  /**
   * Image for early stopping and before/after scores. Default: the last of `samples` when there are
   * at least 3 (it is then not trained on); null: no validation.
   */
  holdout?: Sample | null;
  reference?: Sample[];
  /** Share of each batch taken from `reference`. */
  referenceFraction?: number;
  settings?: Partial<TrainSettings>;
  /** Extra loss weight on corrected pixels (0: plain loss). */
  correctionWeight?: number;
  validateEvery?: number;
  patience?: number;
  /** How much held-out F1 the run may give up for learning the corrections (default 0.005). */
  tolerance?: number;
  name: string;
  onProgress?: (p: TrainProgress) => void;
  onValidation?: (step: number, f1: number) => void;
  /** Called as the preparatory predictions finish: (done, total). */
  onPrepare?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface FinetuneResult {
  model: tfl.LayersModel;
  meta: ModelMeta;
  train: TrainResult;
  validationImage: string | null;
  before: MetricsSummary | null;
  after: MetricsSummary | null;
}

const summary = (s: Scores): MetricsSummary => ({
  auc: s.auc,
  f1: s.f1,
  accuracy: s.accuracy,
  sensitivity: s.sensitivity,
  specificity: s.specificity,
});

async function collect(p: Predictor, samples: Sample[], signal?: AbortSignal): Promise<ScoreCollector> {
  const c = new ScoreCollector();
  for (const s of samples) {
    const prob = await predictImage(p, s.image, { fov: s.fov, signal });
    c.add(prob.data, s.label!.data, s.fov.data);
  }
  return c;
}

/**
 * F1 at the threshold best for these samples. Early stopping uses it rather than F1 at a fixed
 * threshold: crops drawn towards corrections shift the model's calibration, which a fixed threshold
 * would mistake for getting worse; the operating threshold is chosen again after training.
 */
async function bestF1(p: Predictor, samples: Sample[], signal?: AbortSignal): Promise<number> {
  const c = await collect(p, samples, signal);
  return c.scores(c.bestF1Threshold()).f1;
}

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

export async function finetune(o: FinetuneOptions): Promise<FinetuneResult> {
  const labelled = o.samples.filter((s) => s.label);
  if (labelled.length === 0) throw new Error('no corrected (labelled) images to retrain on');
  const settings: TrainSettings = { ...FINETUNE_RECIPE, ...o.settings };
  const threshold = o.parent.meta.threshold ?? 0.5;
  const t0 = performance.now();
  // Hold out one image for early stopping when there are enough to spare one.
  const holdout = o.holdout !== undefined ? o.holdout : labelled.length >= 3 ? labelled[labelled.length - 1] : null;
  if (holdout && !holdout.label) throw new Error(`validation image ${holdout.name} has no label`);
  const trainSamples = labelled.filter((s) => s !== holdout);
  const recipe: InputRecipe = { preprocessing: o.parent.meta.preprocessing, scale: o.parent.meta.scale };
  const images: TrainingImage[] = [];
  let corrected = 0;
  for (const [i, s] of trainSamples.entries()) {
    const prob = await predictImage(o.parent, s.image, { fov: s.fov, signal: o.signal });
    const fullRes = correctedPixels(prob.data, s.label!.data, s.fov.data, threshold);
    corrected += fullRes.length;
    // Corrections are found at the photograph's resolution and trained on at the working scale.
    const work = toWorkingSample(s, recipe);
    const marked = new Uint8Array(s.label!.data.length);
    for (const p of fullRes) marked[p] = 1;
    const atWork = maskAtFactor({ width: s.image.width, height: s.image.height, data: marked }, work.factor, 1e-6).data;
    const focus = indicesOf(atWork);
    let weight: Float32Array | undefined;
    if (o.correctionWeight && o.correctionWeight > 0) {
      weight = new Float32Array(atWork.length).fill(1);
      for (const p of focus) weight[p] = 1 + o.correctionWeight;
    }
    images.push({ ...fromWorking(work, work.image, recipe), focus, weight });
    o.onPrepare?.(i + 1, trainSamples.length);
  }
  const reference = (o.reference ?? []).filter((s) => s.label).map((s) => toTrainingImage(s, recipe));
  const model = cloneModel(o.parent);
  const predictor = { model, config: o.parent.config };
  const before = holdout ? (await collect(o.parent, [holdout], o.signal)).scores(threshold) : null;
  let result: TrainResult;
  try {
    result = await train({
      model,
      images,
      settings,
      reference: reference.length ? { images: reference, fraction: o.referenceFraction ?? 0.25 } : undefined,
      validation: holdout
        ? {
            every: o.validateEvery ?? 25,
            patience: o.patience ?? 4,
            tolerance: o.tolerance ?? 0.005,
            score: () => bestF1(predictor, [holdout], o.signal),
            onScore: o.onValidation,
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
  // The operating threshold, chosen again (max F1) on the images trained on, as for a new model.
  const newThreshold = (
    await collect(predictor, [...trainSamples, ...(o.reference ?? []).filter((r) => r.label)], o.signal)
  ).bestF1Threshold();
  const after = holdout ? (await collect(predictor, [holdout], o.signal)).scores(newThreshold) : null;
  const backend = currentBackend();
  const meta: ModelMeta = {
    ...o.parent.meta,
    name: o.name,
    createdAt: new Date().toISOString(),
    parent: o.parentId,
    threshold: newThreshold,
    recipe: {
      ...settings,
      kind: 'finetune',
      referenceFraction: reference.length ? (o.referenceFraction ?? 0.25) : 0,
      correctionWeight: o.correctionWeight ?? 0,
      correctedPixels: corrected,
      keptStep: result.keptStep,
      stoppedEarly: result.stoppedEarly,
    },
    data: { source: 'workspace', images: [...trainSamples, ...(holdout ? [holdout] : [])].map((s) => s.name) },
    metrics: {
      ...(before ? { 'validation-before': summary(before) } : {}),
      ...(after ? { 'validation-after': summary(after) } : {}),
      ...(holdout ? { 'validation-image': holdout.name } : {}),
    },
    backend: { name: backend.name, device: backend.device },
    trainingSeconds: Math.round((performance.now() - t0) / 1000),
    steps: result.steps,
  };
  return {
    model,
    meta,
    train: result,
    validationImage: holdout?.name ?? null,
    before: before && summary(before),
    after: after && summary(after),
  };
}
