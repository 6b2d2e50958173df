/**
 * Model folders: tfjs layers format (model.json + weights.bin) plus meta.json describing how the
 * model was made. Writes go to a temporary folder renamed into place, so a crash never leaves a
 * half-written model folder; loading checks every file and says what is wrong.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { atomicWrite, replaceDirectory } from '../common/atomic-fs';
import { basename, dirname, join } from 'node:path';
import { inferUNetConfig, LOGITS_LAYER, type UNetConfig } from './model';
import type { ModelScale } from './geometry/working-scale';
import { isPreprocessing, type Preprocessing } from './preprocess';

export const META_FORMAT = 'vessel-studio-model';

export interface MetricsSummary {
  auc: number;
  f1: number;
  accuracy: number;
  sensitivity: number;
  specificity: number;
}

export interface ModelMeta {
  format: typeof META_FORMAT;
  version: 1;
  name: string;
  createdAt: string;
  /** Id (folder name) of the model this one was trained from, or null. */
  parent: string | null;
  architecture: UNetConfig & { parameters: number };
  preprocessing: Preprocessing;
  /** Working scale (null: native resolution, as models made before scale normalisation). */
  scale: ModelScale | null;
  /** Probability threshold chosen on training data (max F1); 0.5 when unknown. */
  threshold: number;
  /** Training settings as given (steps, batch, crop, learning rate, augmentation, ...). */
  recipe: Record<string, unknown>;
  data: { source: string; images: string[] };
  metrics: Record<string, MetricsSummary | number | string>;
  backend: { name: string; device: string };
  trainingSeconds: number;
  steps: number;
}

/** Meta for a newly made model: fixed fields filled in, the rest as given (untrained defaults). */
export function newModelMeta(
  m: { name: string; model: tfl.LayersModel; config: UNetConfig; backend: { name: string; device: string } } & Partial<
    Pick<ModelMeta, 'parent' | 'threshold' | 'recipe' | 'data' | 'metrics' | 'trainingSeconds' | 'steps' | 'preprocessing' | 'scale'>
  >,
): ModelMeta {
  return {
    format: META_FORMAT,
    version: 1,
    name: m.name,
    createdAt: new Date().toISOString(),
    parent: m.parent ?? null,
    architecture: { ...m.config, parameters: m.model.countParams() },
    preprocessing: m.preprocessing ?? 'fov-standardize-v1',
    scale: m.scale ?? null,
    threshold: m.threshold ?? 0.5,
    recipe: m.recipe ?? {},
    data: m.data ?? { source: 'none', images: [] },
    metrics: m.metrics ?? {},
    backend: { name: m.backend.name, device: m.backend.device },
    trainingSeconds: m.trainingSeconds ?? 0,
    steps: m.steps ?? 0,
  };
}

export interface LoadedModel {
  dir: string;
  model: tfl.LayersModel;
  meta: ModelMeta;
  config: UNetConfig;
  dispose(): void;
}

async function artifactsOf(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('model could not be serialised');
  return saved;
}

function weightBytes(a: tf.io.ModelArtifacts): Uint8Array {
  const d = a.weightData;
  if (!d) return new Uint8Array(0);
  const parts = Array.isArray(d) ? d : [d];
  return Buffer.concat(parts.map((p) => new Uint8Array(p)));
}

/** Writes model.json, weights.bin and meta.json into `dir`: a new folder appears whole or not at all. */
export async function saveModel(dir: string, model: tfl.LayersModel, meta: ModelMeta): Promise<void> {
  const a = await artifactsOf(model);
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  await mkdir(tmp, { recursive: true });
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
    convertedBy: 'Vessel Studio',
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
  };
  await atomicWrite(join(tmp, 'model.json'), JSON.stringify(modelJson));
  await atomicWrite(join(tmp, 'weights.bin'), weightBytes(a));
  await atomicWrite(join(tmp, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
  await replaceDirectory(tmp, dir);
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`${what} is missing: ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} is not valid JSON (corrupt file?): ${path}`);
  }
}

export async function readMeta(dir: string): Promise<ModelMeta> {
  const meta = (await readJson(join(dir, 'meta.json'), 'model meta.json')) as Partial<ModelMeta>;
  if (meta.format !== META_FORMAT)
    throw new Error(`${dir}/meta.json is not a Vessel Studio model description (format "${String(meta.format)}")`);
  if (!isPreprocessing(meta.preprocessing)) throw new Error(`${dir}: unsupported preprocessing "${String(meta.preprocessing)}"`);
  const scale = meta.scale ?? null;
  const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (scale !== null && (!positive(scale.fovDiameter) || (scale.calibre !== undefined && !positive(scale.calibre)))) {
    throw new Error(`${dir}/meta.json: the working scale must be a positive field-of-view diameter (and calibre) in pixels`);
  }
  return { ...meta, scale } as ModelMeta;
}

/** Loads a model folder; throws a clear message for missing, corrupt or foreign files. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  if (!existsSync(dir)) throw new Error(`model folder not found: ${dir}`);
  const meta = await readMeta(dir);
  const json = (await readJson(join(dir, 'model.json'), 'model.json')) as {
    format?: string;
    modelTopology?: object;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  if (json.format !== 'layers-model' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${dir}/model.json is not a TensorFlow.js layers model`);
  }
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers: Buffer[] = [];
  for (const g of json.weightsManifest) {
    for (const p of g.paths) {
      if (p.includes('/') || p.includes('\\') || p.startsWith('.'))
        throw new Error(`${dir}/model.json names a weights file outside the folder: ${p}`);
      try {
        buffers.push(await readFile(join(dir, p)));
      } catch {
        throw new Error(`model weights file is missing: ${join(dir, p)}`);
      }
    }
  }
  const weightData = Buffer.concat(buffers);
  const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (weightData.length !== expected) {
    throw new Error(`${dir}: weights are ${weightData.length} bytes, the model needs ${expected} (truncated or foreign file)`);
  }
  let model: tfl.LayersModel;
  try {
    const ab = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.length);
    model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: ab }));
  } catch (e) {
    throw new Error(`${dir}: model cannot be built from model.json (${(e as Error).message})`);
  }
  if (!model.layers.some((l) => l.name === LOGITS_LAYER)) {
    model.dispose();
    throw new Error(`${dir}: not a Vessel Studio U-Net (no "${LOGITS_LAYER}" layer)`);
  }
  const config = inferUNetConfig(model);
  return { dir, model, meta, config, dispose: () => model.dispose() };
}
