/**
 * Model folders: tfjs layers format (model.json + weights.bin) plus meta.json describing how the
 * model was made and the weights' checksum. Writes go to a temporary folder renamed into place, so a
 * crash never leaves a half-written model folder; loading checks every file (model-files.ts) and says
 * what is wrong.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { atomicWrite, replaceDirectory } from '../common/atomic-fs';
import { basename, dirname, join } from 'node:path';
import { inferUNetConfig, LOGITS_LAYER, type UNetConfig } from './model';
import { checksumOf, readModelJson, readModelMeta, weightFiles, weightsProblem } from './model-files';
import { META_FORMAT, type ModelMeta } from './model-meta';

export { META_FORMAT, type MetricsSummary, type ModelMeta } from './model-meta';

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

/**
 * Writes model.json, weights.bin and meta.json (with the weights' checksum) into `dir`: a new folder
 * appears whole or not at all, and a failed save leaves no temporary folder behind.
 */
export async function saveModel(dir: string, model: tfl.LayersModel, meta: ModelMeta): Promise<void> {
  const a = await artifactsOf(model);
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  await mkdir(tmp, { recursive: true });
  try {
    const modelJson = {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
      convertedBy: 'Vessel Studio',
      modelTopology: a.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
    };
    const weights = weightBytes(a);
    await atomicWrite(join(tmp, 'model.json'), JSON.stringify(modelJson));
    await atomicWrite(join(tmp, 'weights.bin'), weights);
    await atomicWrite(join(tmp, 'meta.json'), JSON.stringify({ ...meta, weights: checksumOf([weights]) }, null, 2) + '\n');
    await replaceDirectory(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Loads a model folder; throws a clear message for missing, corrupt, damaged or foreign files. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  if (!existsSync(dir)) throw new Error(`model folder not found: ${dir}`);
  const fail = (problem: string): never => {
    throw new Error(`${dir}: ${problem}`);
  };
  const meta = await readModelMeta(dir).catch((e: Error) => fail(e.message));
  const json = await readModelJson(dir).catch((e: Error) => fail(e.message));
  const problem = await weightsProblem(dir, meta, json);
  if (problem) fail(problem);
  const weightData = Buffer.concat(await Promise.all(weightFiles(dir, json).map((f) => readFile(f))));
  let model: tfl.LayersModel;
  try {
    const ab = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.length);
    const weightSpecs = json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
    model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: ab }));
  } catch (e) {
    return fail(`model cannot be built from model.json (${(e as Error).message})`);
  }
  if (!model.layers.some((l) => l.name === LOGITS_LAYER)) {
    model.dispose();
    fail(`not a Vessel Studio U-Net (no "${LOGITS_LAYER}" layer)`);
  }
  const config = inferUNetConfig(model);
  return { dir, model, meta, config, dispose: () => model.dispose() };
}
