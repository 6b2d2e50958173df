/**
 * Main's side of retraining: picks the data (training-set.ts) and a fresh version id, runs the compute
 * job, keeps the run's curves for pages that open mid-run, turns compute events into retrain:* events,
 * and on success selects the new version only when it scored better on the held-out pixels than the one in
 * use (the compute process's result says; nothing is re-derived here). On cancel, error or crash nothing
 * is selected or written by main, and every existing version is checked (files complete) before the UI is told.
 */
import { join } from 'node:path';
import type { BackendInfo, ModelVersion, RetrainProgress, RetrainState } from '../preload/contract';
import type { Emit } from './api';
import { ComputeCrashedError, type ComputeClient } from './compute/client';
import type { RetrainEvent, RetrainResult, RetrainTask } from './compute/protocol';
import { UserError } from './workspace/errors';
import {
  modelFilesProblem,
  newVersionId,
  originalTrainingSet,
  removeStaleModelTemps,
  type ModelEntry,
  versionEntry,
} from './workspace/models';
import { trainingSet } from './workspace/training-set';
import type { Workspace } from './workspace/workspace';

/** The engine's FINETUNE_RECIPE.steps (main does not load the engine; a test checks they agree). */
export const DEFAULT_RETRAIN_STEPS = 300;

export interface RetrainDeps {
  workspace: Workspace;
  compute: ComputeClient;
  emit: Emit;
  models(): Promise<ModelEntry[]>;
  selected(): Promise<ModelEntry | null>;
  /** Steps when the request names none (VESSEL_RETRAIN_STEPS in the shells). */
  defaultSteps?: number;
}

export class Retrainer {
  private state: RetrainState | null = null;
  private startedMs = 0;
  /** A start is between its first check and the job being queued (it awaits the disk meanwhile). */
  private starting = false;

  constructor(private readonly d: RetrainDeps) {}

  get running(): boolean {
    return this.starting || this.state?.outcome.state === 'running';
  }

  status(): RetrainState | null {
    return this.state;
  }

  /** Steps of a run when the request names none. */
  get defaultSteps(): number {
    return this.d.defaultSteps ?? DEFAULT_RETRAIN_STEPS;
  }

  /** Starts a retraining; refused while another one starts or runs (one at a time, each with its own version). */
  async start(steps: number | undefined): Promise<RetrainState['run']> {
    if (this.running) throw new UserError('A retraining is already running; wait for it or cancel it first.');
    this.starting = true;
    try {
      return await this.begin(steps);
    } finally {
      this.starting = false;
    }
  }

  private async begin(steps: number | undefined): Promise<RetrainState['run']> {
    const ws = this.d.workspace;
    const parent = await this.d.selected();
    if (!parent) throw new UserError('No model to retrain: the bundled model is missing.');
    if (!parent.version.intact)
      throw new UserError(`The current model "${parent.summary.name}" is damaged (${parent.version.problem}); select another version.`);
    const set = trainingSet(ws, originalTrainingSet(await this.d.models(), parent.summary.id));
    const modelsDir = join(ws.dir, 'models');
    await removeStaleModelTemps(modelsDir);
    const { id, n } = await newVersionId(modelsDir);
    const total = steps ?? this.defaultSteps;
    const startedAt = new Date().toISOString();
    const task: RetrainTask = {
      kind: 'retrain',
      parentDir: parent.dir,
      parentId: parent.summary.id,
      samples: set.samples,
      reference: set.reference,
      outDir: join(modelsDir, id),
      name: `Version ${n}`,
      steps: total,
      rotation: n,
      workspace: {
        id,
        parentName: parent.summary.name,
        images: set.samples.map((s) => s.name),
        reference: set.reference.map((s) => s.name),
        requestedSteps: total,
        startedAt,
      },
    };
    const { job, result } = this.d.compute.run(task, 'Retraining');
    const run = {
      job,
      parent: parent.summary.id,
      images: task.samples.map((s) => s.name),
      reference: task.reference.map((s) => s.name),
      steps: total,
      startedAt,
      estimateSeconds: await this.estimate(total),
    };
    this.startedMs = Date.now();
    this.state = { run, progress: null, loss: [], validation: [], outcome: { state: 'running' } };
    this.d.emit('retrain:started', run);
    this.progress(job, {
      phase: 'loading',
      step: 0,
      total,
      message: `Loading ${run.images.length + run.reference.length} image(s) and the model`,
    });
    result.then(
      (r) => this.finished(job, id, parent, r),
      (e: unknown) => this.failed(job, e),
    );
    return run;
  }

  /** Seconds a run of `steps` should take, at the pace of the latest version retrained here (null: none yet). */
  async estimate(steps: number): Promise<number | null> {
    const last = (await this.d.models()).filter((m) => !m.version.builtin && m.version.seconds && m.version.steps).at(-1);
    return last ? Math.round((last.version.seconds! * steps) / last.version.steps!) : null;
  }

  cancel(): boolean {
    if (this.state?.outcome.state !== 'running') return false;
    return this.d.compute.cancel(this.state.run.job);
  }

  /** Generic compute progress of our job: the loading message, until the engine reports its own. */
  onComputeProgress(job: string, message: string): void {
    if (this.state?.run.job === job && this.state.progress?.phase === 'loading') this.progress(job, { message });
  }

  onEvent(job: string, e: RetrainEvent): void {
    const s = this.state;
    if (!s || s.run.job !== job || s.outcome.state !== 'running') return;
    switch (e.kind) {
      case 'prepare':
        this.progress(job, { phase: 'preparing', message: `Finding corrected pixels (${e.done}/${e.total} images)` });
        return;
      case 'step':
        s.loss.push([e.step, e.loss]);
        this.progress(job, {
          phase: 'training',
          step: e.step,
          total: e.steps,
          loss: e.loss,
          learningRate: e.learningRate,
          etaSeconds: e.etaSeconds,
          message: `Training step ${e.step} of ${e.steps}`,
        });
        return;
      case 'validation':
        s.validation.push([e.step, e.scores.f1]);
        this.d.emit('retrain:validation', { job, step: e.step, f1: e.scores.f1, auc: e.scores.auc, threshold: e.scores.threshold });
        return;
      case 'saving':
        this.progress(job, { phase: 'saving', etaSeconds: 0, message: 'Saving the new version' });
        return;
    }
  }

  private progress(job: string, patch: Partial<Omit<RetrainProgress, 'job' | 'elapsedSeconds' | 'backend'>>): void {
    const s = this.state!;
    const prev: Omit<RetrainProgress, 'elapsedSeconds' | 'backend'> = s.progress ?? {
      job,
      phase: 'loading',
      step: 0,
      total: s.run.steps,
      loss: null,
      learningRate: null,
      etaSeconds: null,
      message: '',
    };
    const backend: BackendInfo | null = this.d.compute.status().backend;
    const elapsedSeconds = (Date.now() - this.startedMs) / 1000;
    s.progress = { ...prev, ...patch, job, elapsedSeconds, backend };
    this.d.emit('retrain:progress', s.progress);
  }

  /** The compute process saved the version: select it only when it beat the one in use on the held-out pixels. */
  private async finished(job: string, id: string, parent: ModelEntry, r: RetrainResult): Promise<void> {
    try {
      const model = versionEntry(id, r.outDir, r.meta, await modelFilesProblem(r.outDir)).version;
      const selected = model.intact && r.validation !== null && r.validation.improved;
      if (selected) await this.d.workspace.selectModel(id);
      const message = outcomeMessage(model, parent.summary.name, selected, r);
      if (this.state?.run.job === job) this.state.outcome = { state: 'done', model, selected, message };
      this.d.emit('retrain:done', { job, model, selected, message });
    } catch (e) {
      await this.failed(job, e);
    }
  }

  private async failed(job: string, e: unknown): Promise<void> {
    const text = e instanceof Error ? e.message : String(e);
    const reason = e instanceof ComputeCrashedError ? 'crashed' : /^(retraining )?cancelled$/.test(text) ? 'cancelled' : 'error';
    const versions = await this.d.models();
    const intact = versions.filter((m) => m.version.intact).length;
    const current = await this.d.selected();
    const kept = `The current model (${current?.summary.name ?? 'none'}) is unchanged`;
    const message =
      reason === 'cancelled'
        ? `Retraining cancelled. ${kept}.`
        : reason === 'crashed'
          ? `The compute process stopped during retraining. ${kept}; ${intact} of ${versions.length} model versions checked complete.`
          : `Retraining failed: ${text}. ${kept}.`;
    if (this.state?.run.job === job) this.state.outcome = { state: 'failed', reason, message };
    this.d.emit('retrain:failed', { job, reason, message, versionsChecked: versions.length, versionsIntact: intact });
  }
}

const f3 = (v: number) => v.toFixed(3);

/** What the outcome says: which version is in use now and why, with the held-out numbers. */
function outcomeMessage(model: ModelVersion, parentName: string, selected: boolean, r: RetrainResult): string {
  const v = r.validation;
  if (!model.intact) return `${model.name} was saved but its files are damaged (${model.problem}); ${parentName} stays in use.`;
  if (!v) {
    return `${model.name} saved, not selected: nothing could be held out to measure it (mark an image Reviewed, or decide more vessel and background pixels). ${parentName} stays in use; you can still select ${model.name} under Model versions.`;
  }
  const numbers = `held-out F1 ${f3(v.before.f1)} → ${f3(v.after.f1)} (AUC ${f3(v.before.auc)} → ${f3(v.after.auc)}) on ${v.region}`;
  if (selected) return `${model.name} is better on the held-out pixels and is now in use: ${numbers}.`;
  const kept = r.meta.recipe.keptStep === 0 ? ' Training did not improve them, so it kept its parent’s weights.' : '';
  return `${model.name} saved, not selected: ${numbers} is not better than ${parentName}.${kept} ${parentName} stays in use; you can still select ${model.name} under Model versions.`;
}
