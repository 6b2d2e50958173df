/**
 * The training loop: random augmented crops, BCE (or Dice+BCE) on logits, Adam with a learning-rate
 * schedule, progress events, cancellation, and checkpoints that resume bit-for-bit the same run
 * (weights, optimizer moments, RNG state, step).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { atomicWrite, replaceDirectory } from '../common/atomic-fs';
import { join } from 'node:path';
import { SEED_AUGMENT, type AugmentOptions } from './augment';
import { logitsModel } from './model';
import { TrainingAdam } from './optimizer';
import { Rng } from './rng';
import { sampleBatch, type Batch, type TrainingImage } from './sampler';

export type LossName = 'bce' | 'dice+bce';
export type Schedule = 'constant' | 'cosine';

export interface TrainSettings {
  steps: number;
  batch: number;
  crop: number;
  learningRate: number;
  /** Learning rate at the end of a cosine schedule, as a fraction of the start. */
  finalLearningRateFraction: number;
  schedule: Schedule;
  /** Linear warm-up steps. */
  warmup: number;
  loss: LossName;
  seed: number;
  augment: AugmentOptions;
  focusFraction: number;
  /** Read the loss back every N steps (each read is a device sync). */
  logEvery: number;
}

export const SEED_RECIPE: TrainSettings = {
  steps: 3000,
  batch: 16,
  crop: 64,
  learningRate: 1e-3,
  finalLearningRateFraction: 0.02,
  schedule: 'cosine',
  warmup: 50,
  loss: 'bce',
  seed: 1,
  augment: SEED_AUGMENT,
  focusFraction: 0,
  logEvery: 10,
};

export interface TrainProgress {
  step: number;
  steps: number;
  loss: number;
  learningRate: number;
  stepsPerSecond: number;
  etaSeconds: number;
  elapsedSeconds: number;
}

export interface CheckpointOptions {
  dir: string;
  every: number;
}

export interface TrainRun {
  model: tfl.LayersModel;
  images: TrainingImage[];
  settings: TrainSettings;
  checkpoint?: CheckpointOptions;
  /** Resume from this checkpoint folder (written by an earlier run with the same settings). */
  resume?: string;
  onProgress?: (p: TrainProgress) => void;
  /** Called with the step number after each checkpoint is written. */
  onCheckpoint?: (step: number) => void;
  signal?: AbortSignal;
  /** Re-draws augmented images in `images` as training goes (see AugmentedPool). */
  pool?: { beforeStep(step: number): Promise<void>; resumeAt(step: number): Promise<void> };
  /** Images from the model's original training set, mixed in against forgetting. */
  reference?: { images: TrainingImage[]; fraction: number };
  /**
   * Held-out validation: `score` (higher is better) runs every `every` steps. The run keeps the latest
   * weights scoring within `tolerance` of the best score seen (later weights have learnt more of the
   * training images; the tolerance bounds what the held-out image may lose for it), and stops after
   * `patience` evaluations that did not qualify.
   */
  validation?: ValidationOptions;
}

export interface ValidationOptions {
  every: number;
  patience: number;
  /** Allowed shortfall from the best score (0: keep the best weights). */
  tolerance: number;
  score: () => Promise<number>;
  onScore?: (step: number, score: number) => void;
}

export interface TrainResult {
  steps: number;
  /** Validation score per evaluation, [step, score], step 0 being the starting model. */
  validationHistory: [number, number][];
  /** Step whose weights the model holds at the end (chosen by validation, or the last step). */
  keptStep: number;
  stoppedEarly: boolean;
  finalLoss: number;
  seconds: number;
  cancelled: boolean;
  lossHistory: [number, number][];
}

export function learningRateAt(s: TrainSettings, step: number): number {
  const warm = s.warmup > 0 && step < s.warmup ? (step + 1) / s.warmup : 1;
  if (s.schedule === 'constant') return s.learningRate * warm;
  const t = Math.min(1, step / Math.max(1, s.steps));
  const f = s.finalLearningRateFraction;
  return s.learningRate * warm * (f + (1 - f) * 0.5 * (1 + Math.cos(Math.PI * t)));
}

function lossFn(name: LossName, y: tf.Tensor, logits: tf.Tensor, w: tf.Tensor | null): tf.Scalar {
  // Weighted: mean over all pixels of weight x loss (a crop whose weights are all 0 contributes 0, not NaN).
  const bce = (
    w ? tf.div(tf.losses.sigmoidCrossEntropy(y, logits, w, 0, tf.Reduction.SUM), y.size) : tf.losses.sigmoidCrossEntropy(y, logits)
  ) as tf.Scalar;
  if (name === 'bce') return bce;
  const p = tf.sigmoid(logits);
  const inter = tf.sum(tf.mul(p, y));
  const dice = tf.sub(1, tf.div(tf.add(tf.mul(2, inter), 1), tf.add(tf.add(tf.sum(p), tf.sum(y)), 1)));
  return tf.add(bce, dice) as tf.Scalar;
}

interface CheckpointState {
  step: number;
  rng: number;
  lossHistory: [number, number][];
  seconds: number;
  iterations: number;
  /** The run's settings: resuming with others would not continue the same run. */
  settings: TrainSettings;
  optimizer: { name: string; shape: number[] }[];
}

async function writeCheckpoint(
  dir: string,
  model: tfl.LayersModel,
  opt: tf.Optimizer,
  state: Omit<CheckpointState, 'optimizer' | 'iterations'>,
): Promise<void> {
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const weights = model.getWeights();
  // [iterations (a fresh int32 scalar), ...moments (the optimizer's live variables: do not dispose)]
  const [iter, ...moments] = await opt.getWeights();
  const iterations = (await iter.tensor.data())[0];
  iter.tensor.dispose();
  const all = [...weights, ...moments.map((w) => w.tensor)];
  const bytes = Buffer.concat(await Promise.all(all.map(async (t) => Buffer.from(((await t.data()) as Float32Array).slice().buffer))));
  const full: CheckpointState = { ...state, iterations, optimizer: moments.map((w) => ({ name: w.name, shape: w.tensor.shape })) };
  await atomicWrite(join(tmp, 'tensors.bin'), bytes);
  await atomicWrite(join(tmp, 'state.json'), JSON.stringify({ ...full, weights: weights.map((w) => w.shape) }));
  // The previous checkpoint stays on disk until the new one is complete.
  await replaceDirectory(tmp, dir);
}

async function readCheckpoint(dir: string, model: tfl.LayersModel, opt: tf.Optimizer, settings: TrainSettings): Promise<CheckpointState> {
  if (!existsSync(join(dir, 'state.json'))) throw new Error(`no checkpoint in ${dir}`);
  const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as CheckpointState & { weights: number[][] };
  const differing = Object.keys(settings).filter(
    (k) => JSON.stringify(settings[k as keyof TrainSettings]) !== JSON.stringify(state.settings?.[k as keyof TrainSettings]),
  );
  if (differing.length)
    throw new Error(`checkpoint ${dir} was made with other settings (${differing.join(', ')}); resume with the same ones`);
  const buf = await readFile(join(dir, 'tensors.bin'));
  const floats = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  const current = model.getWeights();
  if (state.weights.length !== current.length || state.weights.some((s, i) => s.join() !== current[i].shape.join())) {
    throw new Error(`checkpoint ${dir} was made for a different model shape`);
  }
  let o = 0;
  const take = (shape: number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(floats.subarray(o, o + n), shape);
    o += n;
    return t;
  };
  const w = state.weights.map(take);
  model.setWeights(w);
  tf.dispose(w);
  const ow = [
    { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') },
    ...state.optimizer.map((s) => ({ name: s.name, tensor: take(s.shape) })),
  ];
  await opt.setWeights(ow);
  tf.dispose(ow.map((x) => x.tensor));
  if (o !== floats.length) throw new Error(`checkpoint ${dir} is corrupt (size mismatch)`);
  return state;
}

/** One batch: crops from the run's images, with a share from the reference set when given. */
function nextBatch(run: TrainRun, rng: Rng): Batch {
  const s = run.settings;
  const o = { batch: s.batch, crop: s.crop, augment: s.augment, focusFraction: s.focusFraction };
  const ref = run.reference;
  const nRef = ref && ref.images.length > 0 ? Math.round(s.batch * ref.fraction) : 0;
  if (nRef === 0) return sampleBatch(run.images, o, rng);
  const own = sampleBatch(run.images, { ...o, batch: s.batch - nRef }, rng);
  const other = sampleBatch(ref!.images, { ...o, batch: nRef }, rng);
  const cat = (a: Float32Array, b: Float32Array) => {
    const out = new Float32Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const ones = (n: number) => new Float32Array(n).fill(1);
  const w = own.w || other.w ? cat(own.w ?? ones(own.y.length), other.w ?? ones(other.y.length)) : null;
  return { x: cat(own.x, other.x), y: cat(own.y, other.y), w };
}

/** Trains `run.model` in place. */
export async function train(run: TrainRun): Promise<TrainResult> {
  const s = run.settings;
  if (run.images.length === 0) throw new Error('no labelled images to train on');
  const net = logitsModel(run.model);
  const opt = new TrainingAdam(s.learningRate);
  const rng = new Rng(s.seed);
  let step = 0;
  let lossHistory: [number, number][] = [];
  let priorSeconds = 0;
  if (run.resume) {
    // Adam creates its moment variables on the first step; do one zero-rate step so they exist.
    opt.setLearningRate(0);
    const dummy = sampleBatch(run.images, { batch: 1, crop: s.crop, augment: s.augment, focusFraction: 0 }, new Rng(0));
    tf.tidy(() => {
      const x = tf.tensor4d(dummy.x, [1, s.crop, s.crop, 3]);
      const y = tf.tensor4d(dummy.y, [1, s.crop, s.crop, 1]);
      opt.minimize(() => lossFn(s.loss, y, net.apply(x, { training: true }) as tf.Tensor, null));
    });
    const st = await readCheckpoint(run.resume, run.model, opt, s);
    step = st.step;
    rng.state = st.rng;
    lossHistory = st.lossHistory;
    priorSeconds = st.seconds;
    await run.pool?.resumeAt(step);
  }
  const t0 = performance.now();
  const startStep = step;
  let lastLoss = NaN;
  let cancelled = false;
  const elapsed = () => priorSeconds + (performance.now() - t0) / 1000;
  const val = run.validation;
  const validationHistory: [number, number][] = [];
  let bestScore = -Infinity;
  let best: { step: number; score: number; weights: tf.Tensor[] } | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  const validate = async (atStep: number): Promise<void> => {
    if (!val) return;
    const score = await val.score();
    validationHistory.push([atStep, score]);
    val.onScore?.(atStep, score);
    bestScore = Math.max(bestScore, score);
    if (score >= bestScore - val.tolerance) {
      if (best) tf.dispose(best.weights);
      best = { step: atStep, score, weights: run.model.getWeights().map((t) => t.clone()) };
      sinceBest = 0;
    } else {
      sinceBest++;
    }
  };
  try {
    if (step === 0) await validate(0);
    await loop();
  } catch (e) {
    opt.dispose();
    if (best) tf.dispose((best as { weights: tf.Tensor[] }).weights);
    throw e;
  }
  async function loop(): Promise<void> {
    for (; step < s.steps; step++) {
      if (run.signal?.aborted) {
        cancelled = true;
        break;
      }
      const lr = learningRateAt(s, step);
      opt.setLearningRate(lr);
      await run.pool?.beforeStep(step);
      const b = nextBatch(run, rng);
      const read = (step + 1) % s.logEvery === 0 || step === s.steps - 1;
      const x = tf.tensor4d(b.x, [s.batch, s.crop, s.crop, 3]);
      const y = tf.tensor4d(b.y, [s.batch, s.crop, s.crop, 1]);
      const w = b.w ? tf.tensor4d(b.w, [s.batch, s.crop, s.crop, 1]) : null;
      const loss = opt.minimize(() => lossFn(s.loss, y, net.apply(x, { training: true }) as tf.Tensor, w), read);
      tf.dispose([x, y, ...(w ? [w] : [])]);
      if (loss) {
        lastLoss = (await loss.data())[0];
        loss.dispose();
        if (!Number.isFinite(lastLoss))
          throw new Error(`training diverged at step ${step + 1} (loss ${lastLoss}); try a lower learning rate`);
        lossHistory.push([step + 1, lastLoss]);
        const done = step + 1 - startStep;
        const sec = (performance.now() - t0) / 1000;
        const sps = done / Math.max(sec, 1e-9);
        run.onProgress?.({
          step: step + 1,
          steps: s.steps,
          loss: lastLoss,
          learningRate: lr,
          stepsPerSecond: sps,
          etaSeconds: (s.steps - step - 1) / sps,
          elapsedSeconds: elapsed(),
        });
      }
      // Yield every step (cheap) so cancel messages and other events get through without a device sync.
      await new Promise((r) => setImmediate(r));
      if (val && ((step + 1) % val.every === 0 || step + 1 === s.steps)) {
        await validate(step + 1);
        if (sinceBest >= val.patience) {
          stoppedEarly = true;
          step++;
          break;
        }
      }
      if (run.checkpoint && (step + 1) % run.checkpoint.every === 0 && step + 1 < s.steps) {
        await writeCheckpoint(run.checkpoint.dir, run.model, opt, {
          step: step + 1,
          rng: rng.state,
          lossHistory,
          seconds: elapsed(),
          settings: s,
        });
        run.onCheckpoint?.(step + 1);
      }
    }
  }
  opt.dispose();
  let keptStep = step;
  const kept = best as { step: number; score: number; weights: tf.Tensor[] } | null;
  if (kept) {
    run.model.setWeights(kept.weights);
    tf.dispose(kept.weights);
    keptStep = kept.step;
  }
  return { steps: step, finalLoss: lastLoss, seconds: elapsed(), cancelled, lossHistory, validationHistory, keptStep, stoppedEarly };
}
