/**
 * Which models exist: the bundled default (resources/models/default) and the workspace's models/<id>/
 * versions, each with how it was made (meta.json) and whether its files are complete. Reads the files
 * directly (not through the engine's model-io) so the main process never loads tfjs.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from '../common/atomic-fs';
import { z } from 'zod';
import { ID_PATTERN, type ModelSummary, type ModelVersion } from '../../preload/contract';

export const DEFAULT_MODEL_ID = 'default';

const Metrics = z.object({ auc: z.number(), f1: z.number() });
// Only what the versions panel shows; everything else in meta.json (recipe, architecture, ...) is the engine's.
const Meta = z.object({
  format: z.literal('vessel-studio-model'),
  name: z.string(),
  createdAt: z.string(),
  parent: z.string().nullable(),
  /** Probability at or above which a pixel is vessel (the engine writes it; 0.5 when absent). */
  threshold: z.number().min(0).max(1).optional(),
  data: z.object({ source: z.string(), images: z.array(z.string()) }).optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
  backend: z.object({ name: z.string(), device: z.string() }).optional(),
  trainingSeconds: z.number().optional(),
  steps: z.number().optional(),
  workspace: z.object({ reference: z.array(z.string()).optional() }).optional(),
  recipe: z.object({ keptStep: z.number().optional(), stoppedEarly: z.boolean().optional() }).optional(),
});
type Meta = z.infer<typeof Meta>;

const ModelJson = z.object({
  format: z.literal('layers-model'),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(z.object({ shape: z.array(z.number()) })) })),
});

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

/** Why the folder cannot be loaded, or null when model.json, weights and meta.json are all complete. */
export async function modelFilesProblem(dir: string): Promise<string | null> {
  let json: z.infer<typeof ModelJson>;
  try {
    json = ModelJson.parse(JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')));
  } catch {
    return 'model.json is missing or unreadable';
  }
  // float32 weights, as model-io writes them and loadModel checks.
  const expected = json.weightsManifest.flatMap((g) => g.weights).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  let actual = 0;
  for (const p of json.weightsManifest.flatMap((g) => g.paths)) {
    if (p.includes('/') || p.includes('\\') || p.startsWith('.')) return `model.json names a weights file outside the folder (${p})`;
    const size = (await stat(join(dir, p)).catch(() => null))?.size;
    if (size === undefined) return `weights file ${p} is missing`;
    actual += size;
  }
  return actual === expected ? null : `weights are ${actual} bytes, the model needs ${expected}`;
}

const metric = (m: Meta, key: string) => {
  const r = Metrics.safeParse(m.metrics?.[key]);
  return r.success ? { auc: r.data.auc, f1: r.data.f1 } : null;
};

async function readEntry(id: string, dir: string, builtin: boolean): Promise<ModelEntry | null> {
  let meta: Meta;
  try {
    meta = Meta.parse(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')));
  } catch {
    // Not a model folder (or a half-copied one): not offered.
    return null;
  }
  const problem = await modelFilesProblem(dir);
  const summary: ModelSummary = { id, name: meta.name, createdAt: meta.createdAt, parent: meta.parent };
  const validationImage = meta.metrics?.['validation-image'];
  const trainedOn = meta.data?.images ?? [];
  return {
    summary,
    dir,
    trainedOn,
    fromDataset: meta.data !== undefined && meta.data.source !== 'workspace',
    threshold: meta.threshold ?? 0.5,
    version: {
      ...summary,
      builtin,
      trainedOn,
      reference: meta.workspace?.reference ?? [],
      validationImage: typeof validationImage === 'string' ? validationImage : null,
      before: metric(meta, 'validation-before'),
      after: metric(meta, 'validation-after'),
      backend: meta.backend ? `${meta.backend.name} · ${meta.backend.device}` : null,
      seconds: meta.trainingSeconds ?? null,
      steps: meta.steps ?? null,
      keptStep: meta.recipe?.keptStep ?? null,
      stoppedEarly: meta.recipe?.stoppedEarly ?? false,
      intact: problem === null,
      problem,
    },
  };
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

/**
 * A fresh version id "v<N>", N one more than any folder in models/ (temporary ones included), so a
 * new version never lands on an existing folder.
 */
export async function newVersionId(modelsDir: string): Promise<{ id: string; n: number }> {
  let names: string[] = [];
  try {
    names = await readdir(modelsDir);
  } catch {
    /* no models/ folder yet */
  }
  const n = 1 + Math.max(1, ...names.map((f) => Number(/^\.?v(\d+)(?:$|\.)/.exec(f)?.[1] ?? 0)));
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
