/**
 * Reading and checking a model folder's files without tfjs: meta.json against its schema, model.json's
 * weights manifest, and the weights by size and by the checksum saveModel writes. The versions list
 * (main process) and loadModel (compute process) use the same checks, so a version listed as intact
 * loads, and one that would not load is listed as damaged with the same reason.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeIssues } from '../common/issues';
import { ModelMeta, type WeightsChecksum } from './model-meta';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype?: string;
}

export interface ModelJson {
  format: 'layers-model';
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

async function readJson(dir: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch {
    throw new Error(`${file} is missing`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON (corrupt file?)`);
  }
}

/** meta.json, validated; throws a short reason ("meta.json is missing", ...). */
export async function readModelMeta(dir: string): Promise<ModelMeta> {
  const parsed = ModelMeta.safeParse(await readJson(dir, 'meta.json'));
  if (!parsed.success)
    throw new Error(`meta.json is not a Vessel Studio model description (${describeIssues(parsed.error, 3, 'meta.json')})`);
  return parsed.data;
}

/** model.json, checked as far as the weights need; throws a short reason. */
export async function readModelJson(dir: string): Promise<ModelJson> {
  const json = (await readJson(dir, 'model.json')) as Partial<ModelJson> | null;
  const manifest = json?.weightsManifest;
  const wellFormed =
    json?.format === 'layers-model' &&
    typeof json.modelTopology === 'object' &&
    json.modelTopology !== null &&
    Array.isArray(manifest) &&
    manifest.every(
      (g) =>
        Array.isArray(g?.paths) &&
        g.paths.every((p) => typeof p === 'string') &&
        Array.isArray(g.weights) &&
        g.weights.every((w) => Array.isArray(w?.shape)),
    );
  if (!wellFormed) throw new Error('model.json is not a TensorFlow.js layers model');
  return json as ModelJson;
}

/** The weight files model.json names, as paths inside `dir`; throws for one that points outside it. */
export function weightFiles(dir: string, json: ModelJson): string[] {
  return json.weightsManifest
    .flatMap((g) => g.paths)
    .map((p) => {
      if (p.includes('/') || p.includes('\\') || p.startsWith('.'))
        throw new Error(`model.json names a weights file outside the folder (${p})`);
      return join(dir, p);
    });
}

/** Bytes of float32 weights the manifest declares. */
export function expectedWeightBytes(json: ModelJson): number {
  return json.weightsManifest.flatMap((g) => g.weights).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
}

export function checksumOf(parts: Uint8Array[]): WeightsChecksum {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const p of parts) {
    hash.update(p);
    bytes += p.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Hashes already computed, by file and its identity on disk (inode, size, change time): listing the
 * versions happens on many calls, and any write to a file changes its ctime. Files changed in the
 * last seconds are hashed again every time, in case the file system keeps coarse times.
 */
const hashCache = new Map<string, { key: string; sha256: string }>();
const RECENT_MS = 3000;

async function fileSha256(path: string, s: Stats): Promise<string> {
  const key = `${s.ino}:${s.size}:${s.ctimeMs}`;
  const hit = hashCache.get(path);
  if (hit?.key === key) return hit.sha256;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  if (Date.now() - s.ctimeMs > RECENT_MS) hashCache.set(path, { key, sha256 });
  return sha256;
}

/**
 * Why the weights cannot be trusted, or null: a file missing, the wrong total size, or (when meta.json
 * has a checksum) other content than was saved.
 */
export async function weightsProblem(dir: string, meta: ModelMeta, json: ModelJson): Promise<string | null> {
  let files: string[];
  try {
    files = weightFiles(dir, json);
  } catch (e) {
    return (e as Error).message;
  }
  const stats = [];
  for (const f of files) {
    const s = await stat(f).catch(() => null);
    if (!s?.isFile()) return `weights file ${f.slice(dir.length + 1)} is missing`;
    stats.push(s);
  }
  const actual = stats.reduce((sum, s) => sum + s.size, 0);
  const expected = expectedWeightBytes(json);
  if (actual !== expected) return `weights are ${actual} bytes, the model needs ${expected}`;
  if (!meta.weights) return null;
  if (meta.weights.bytes !== actual)
    return `weights are ${actual} bytes, meta.json recorded ${meta.weights.bytes} when the model was saved`;
  // One file (ours) hashes on its own; several are hashed as one stream, in manifest order.
  let sha256: string;
  if (files.length === 1) sha256 = await fileSha256(files[0], stats[0]);
  else sha256 = checksumOf(await Promise.all(files.map((f) => readFile(f)))).sha256;
  return sha256 === meta.weights.sha256 ? null : 'weights do not match the checksum saved in meta.json (damaged or replaced file)';
}
