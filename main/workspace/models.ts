/**
 * Which models exist: the bundled default (resources/models/default) and the workspace's models/<id>/
 * versions, each with how it was made (meta.json) and whether its files are intact: meta.json valid,
 * weights complete and matching the checksum written at save. A damaged version is listed with its
 * reason, never left out. Uses the engine's tfjs-free checks (model-files.ts), so the main process
 * never loads tfjs.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from '../common/atomic-fs';
import { readModelJson, readModelMeta, weightsProblem } from '../engine/model-files';
import type { ModelMeta } from '../engine/model-meta';
import { ID_PATTERN, type ModelSummary, type ModelVersion, type ValidationInfo } from '../../preload/contract';
import { improved } from '../engine/held-out';

export const DEFAULT_MODEL_ID = 'default';
/** Files that make a folder a model folder (one is enough for a damaged one to be listed). */
const MODEL_FILES = ['meta.json', 'model.json', 'weights.bin'];

export interface ModelEntry {
  summary: ModelSummary;
  version: ModelVersion;
  dir: string;
  /** Sample names of the data it was trained on ("21_training"), for finding reference images. */
  trainedOn: string[];
  /** The data came from a data set (not workspace corrections): its images are the original training set. */
  fromDataset: boolean;
  /** Its operating threshold: predictions are measured as vessel at or above it. */
  threshold: number;
}

/** Why the folder cannot be loaded, or null when meta.json, model.json and the weights are all intact. */
export async function modelFilesProblem(dir: string): Promise<string | null> {
  try {
    return await weightsProblem(dir, await readModelMeta(dir), await readModelJson(dir));
  } catch (e) {
    return (e as Error).message;
  }
}

/** The held-out comparison finetune recorded in meta.json's metrics (finetune.ts: validationMetrics), or null. */
export function validationOf(metrics: ModelMeta['metrics']): ValidationInfo | null {
  const scores = (key: string) => {
    const v = metrics[key];
    return typeof v === 'object' && typeof v.auc === 'number' && typeof v.f1 === 'number' && typeof v.threshold === 'number'
      ? { auc: v.auc, f1: v.f1, threshold: v.threshold }
      : null;
  };
  const before = scores('validation-before');
  const after = scores('validation-after');
  const images = metrics['validation-image'];
  const region = metrics['validation-region'];
  const number = (key: string, fallback: number | null) => (typeof metrics[key] === 'number' ? metrics[key] : fallback);
  if (!before || !after || typeof images !== 'string') return null;
  return {
    images: images.split(', '),
    region: typeof region === 'string' ? region : images,
    quarter: number('validation-quarter', null),
    pixels: number('validation-pixels', 0)!,
    decidedShare: number('validation-decided', 1)!,
    before,
    after,
    improved: improved(before, after),
  };
}

/** `meta` null: meta.json could not be read (then `problem` says why and the summary comes from the folder). */
function entryOf(summary: ModelSummary, dir: string, builtin: boolean, meta: ModelMeta | null, problem: string | null): ModelEntry {
  const trainedOn = meta?.data.images ?? [];
  return {
    summary,
    dir,
    trainedOn,
    fromDataset: meta !== null && meta.data.source !== 'workspace',
    threshold: meta?.threshold ?? 0.5,
    version: {
      ...summary,
      builtin,
      trainedOn,
      reference: meta?.workspace?.reference ?? [],
      threshold: meta?.threshold ?? 0.5,
      validation: meta ? validationOf(meta.metrics) : null,
      backend: meta ? `${meta.backend.name} · ${meta.backend.device}` : null,
      seconds: meta?.trainingSeconds ?? null,
      steps: meta?.steps ?? null,
      keptStep: meta?.recipe.keptStep ?? null,
      stoppedEarly: meta?.recipe.stoppedEarly ?? false,
      intact: problem === null,
      problem,
    },
  };
}

/** A workspace version's entry from the meta.json it was saved with (as the compute process returns it). */
export function versionEntry(id: string, dir: string, meta: ModelMeta, problem: string | null): ModelEntry {
  return entryOf({ id, name: meta.name, createdAt: meta.createdAt, parent: meta.parent }, dir, false, meta, problem);
}

/** The folder's entry; null when it holds none of a model's files (not a model folder). */
async function readEntry(id: string, dir: string, builtin: boolean): Promise<ModelEntry | null> {
  const names = await readdir(dir).catch(() => [] as string[]);
  if (!MODEL_FILES.some((f) => names.includes(f))) return null;
  let meta: ModelMeta;
  try {
    meta = await readModelMeta(dir);
  } catch (e) {
    // Listed under its folder name, dated by the folder.
    const createdAt = ((await stat(dir).catch(() => null))?.mtime ?? new Date(0)).toISOString();
    return entryOf({ id, name: builtin ? 'Bundled model' : id, createdAt, parent: null }, dir, builtin, null, (e as Error).message);
  }
  let problem: string | null;
  try {
    problem = await weightsProblem(dir, meta, await readModelJson(dir));
  } catch (e) {
    problem = (e as Error).message;
  }
  return entryOf({ id, name: meta.name, createdAt: meta.createdAt, parent: meta.parent }, dir, builtin, meta, problem);
}

/** The bundled model first, then the workspace's versions oldest first. */
export async function listModels(defaultModelDir: string, workspaceModelsDir: string): Promise<ModelEntry[]> {
  const found: ModelEntry[] = [];
  const bundled = await readEntry(DEFAULT_MODEL_ID, defaultModelDir, true);
  if (bundled) found.push(bundled);
  const versions: ModelEntry[] = [];
  for (const name of await versionFolders(workspaceModelsDir)) {
    if (name === DEFAULT_MODEL_ID || !ID_PATTERN.test(name)) continue;
    const entry = await readEntry(name, join(workspaceModelsDir, name), false);
    if (entry) versions.push(entry);
  }
  versions.sort((a, b) => a.summary.createdAt.localeCompare(b.summary.createdAt) || a.summary.id.localeCompare(b.summary.id));
  return [...found, ...versions];
}

async function versionFolders(modelsDir: string): Promise<string[]> {
  try {
    return (await readdir(modelsDir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
  } catch {
    return []; // no models/ folder yet
  }
}

/** The N of a version id "v<N>": a positive safe integer written without leading zeros; null for any other name. */
export function versionNumber(name: string): number | null {
  const m = /^\.?v([1-9]\d*)(?:$|\.tmp-)/.exec(name);
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * A fresh version id "v<N>", N one more than any version folder in models/ (temporary ones included),
 * so a new version never lands on an existing folder. Names that are not strictly "v<N>" (such as
 * "v9999999999999999999999", past what a number holds exactly) take no part.
 */
export async function newVersionId(modelsDir: string): Promise<{ id: string; n: number }> {
  let names: string[] = [];
  try {
    names = await readdir(modelsDir);
  } catch {
    /* no models/ folder yet */
  }
  const n = 1 + Math.max(1, ...names.map((f) => versionNumber(f) ?? 0));
  if (!Number.isSafeInteger(n)) throw new Error(`no version number is left above the folders in ${modelsDir}`);
  return { id: `v${n}`, n };
}

/**
 * The original training set of `id`: the data-set images of the first model up its parent chain that
 * was trained on a data set (fine-tuned versions list workspace corrections, which are not reference).
 */
export function originalTrainingSet(all: ModelEntry[], id: string | null): Set<string> {
  const byId = new Map(all.map((m) => [m.summary.id, m] as const));
  const seen = new Set<string>();
  for (let m = id ? byId.get(id) : undefined; m && !seen.has(m.summary.id); m = m.summary.parent ? byId.get(m.summary.parent) : undefined) {
    seen.add(m.summary.id);
    // Names of multi-camera training sets carry their folder ("STARE/im0001"); images are matched by file name.
    if (m.fromDataset) return new Set(m.trainedOn.flatMap((n) => [n, n.slice(n.lastIndexOf('/') + 1)]));
  }
  return new Set();
}

/**
 * Removes what model-io's saveModel leaves when its process dies mid-save: `.<id>.tmp-<pid>-<time>`
 * folders of a writer that is gone. A "-old" folder holds a replaced model's previous files; it is only
 * removed when the model it belonged to exists again.
 */
export async function removeStaleModelTemps(modelsDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(modelsDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /^\.(.+)\.tmp-(\d+)-\d+(-old)?$/.exec(name);
    if (!m || processAlive(Number(m[2]))) continue;
    if (m[3] && !(await stat(join(modelsDir, m[1])).catch(() => null))) continue;
    await rm(join(modelsDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
