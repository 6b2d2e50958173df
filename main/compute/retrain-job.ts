/**
 * The compute process's retraining job: loads the workspace's corrected images, fine-tunes a copy of
 * the parent model with the engine's finetune, and saves the result as a new model folder. The parent
 * folder is only read; the new one appears in one rename (model-io's saveModel), so a crash or a cancel
 * at any moment leaves the existing versions as they were.
 */
import { existsSync } from 'node:fs';
import { loadSample, type Sample } from '../engine/data/datasets';
import { finetune } from '../engine/finetune';
import { saveModel, type LoadedModel } from '../engine/model-io';
import type { BackendInfo } from '../../preload/contract';
import type { RetrainEvent, RetrainResult, RetrainTask, SampleFiles } from './protocol';

export interface RetrainJobContext {
  /** Loads (or reuses) a model folder. */
  model(dir: string): Promise<LoadedModel>;
  /** Hands the freshly trained model to the process's cache, so the next prediction needs no reload. */
  adopt(model: LoadedModel): Promise<void>;
  backend: BackendInfo;
  signal: AbortSignal;
  progress(done: number, total: number, message: string): void;
  event(e: RetrainEvent): void;
}

async function load(files: SampleFiles[], signal: AbortSignal): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const f of files) {
    signal.throwIfAborted();
    const s = await loadSample({ name: f.name, image: f.imagePath, label: f.labelPath, fov: f.fovPath });
    // A Reviewed label is decided everywhere, whichever pixels were painted before the review.
    out.push(f.reviewed ? { ...s, decided: null } : s);
  }
  return out;
}

export async function retrain(task: RetrainTask, ctx: RetrainJobContext): Promise<RetrainResult> {
  const t0 = performance.now();
  if (existsSync(task.outDir)) throw new Error(`model folder ${task.outDir} already exists; a version is never overwritten`);
  ctx.progress(0, 1, `Loading ${task.samples.length + task.reference.length} image(s) and the model`);
  const samples = await load(task.samples, ctx.signal);
  const reference = await load(task.reference, ctx.signal);
  const parent = await ctx.model(task.parentDir);
  ctx.signal.throwIfAborted();
  let lastMessage = 0;
  const r = await finetune({
    parent,
    parentId: task.parentId,
    samples,
    reference: reference.length ? reference : undefined,
    // Loss read back every step, so the live curve gets every point (one sync per step is cheap next to
    // a training step; cancel is seen between steps either way).
    settings: { logEvery: 1, ...(task.steps ? { steps: task.steps } : {}) },
    rotation: task.rotation,
    name: task.name,
    signal: ctx.signal,
    onPrepare: (done, total) => {
      ctx.event({ kind: 'prepare', done, total });
      ctx.progress(done, total, `Predicting the corrected images with the current model (${done}/${total})`);
    },
    onProgress: (p) => {
      ctx.event({
        kind: 'step',
        step: p.step,
        steps: p.steps,
        loss: p.loss,
        learningRate: p.learningRate,
        elapsedSeconds: p.elapsedSeconds,
        etaSeconds: p.etaSeconds,
      });
      // The generic progress line (status bars, logs) needs no more than a few updates a second.
      if (performance.now() - lastMessage > 250 || p.step === p.steps) {
        lastMessage = performance.now();
        ctx.progress(p.step, p.steps, `Training step ${p.step} of ${p.steps}`);
      }
    },
    onValidation: (step, scores) => ctx.event({ kind: 'validation', step, scores }),
  });
  // A cancel that arrives after the last step still means "keep what I had".
  if (ctx.signal.aborted) {
    r.model.dispose();
    throw new Error('retraining cancelled');
  }
  ctx.event({ kind: 'saving' });
  ctx.progress(1, 1, 'Saving the new version');
  const meta = { ...r.meta, workspace: task.workspace };
  try {
    await saveModel(task.outDir, r.model, meta);
  } catch (e) {
    r.model.dispose();
    throw e;
  }
  await ctx.adopt({ dir: task.outDir, model: r.model, meta, config: parent.config, dispose: () => r.model.dispose() });
  return { outDir: task.outDir, meta, validation: r.validation, seconds: (performance.now() - t0) / 1000, backend: ctx.backend };
}
