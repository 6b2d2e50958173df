/**
 * Measures a cohort: each input of this shard not done yet is segmented (the model, through
 * predictImage, or its given label), measured (analyzeImage) and saved (ResultStore); an image that
 * cannot be read or used gets a "failed" row with the reason and the run goes on. Two images are in
 * flight at a time, so one is decoded and measured on this thread while the other's tiles run on the
 * worker threads.
 */
import { analyzeImage, fovDiameterOf, type FovDiameter, type ScaleAnchor } from '../analysis/analyze-image';
import { csvRow, type RowInput } from '../analysis/columns';
import { measurementsJson } from '../analysis/json';
import { vesselsFromProbabilities } from '../analysis/threshold';
import type { Mask } from '../analysis/types';
import { initBackend, parseBackend } from '../engine/backends';
import { deriveFovMask } from '../engine/data/fov';
import { encodeMaskPng, readImage, readMask } from '../engine/data/image-io';
import { readModelMeta } from '../engine/model-files';
import { loadModel, type LoadedModel } from '../engine/model-io';
import { predictImage } from '../engine/predict';
import { runnerFor, type TileRunner } from '../engine/tile-runner';
import { listInputs, type CohortInput } from './inputs';
import { modelIdentity } from './model-identity';
import { Progress, type ProgressCounts } from './progress';
import { ResultStore } from './results';
import { inShard, type Shard } from './shard';

export interface CohortOptions {
  input: string;
  out: string;
  modelDir: string;
  shard: Shard | null;
  /** The camera's angle of view for every image (a manifest's angle_of_view column wins). */
  angleOfViewDeg: number | null;
  scaleFrom: ScaleAnchor;
  backend?: string;
  workers?: number;
  /** Images in flight at once. */
  jobs?: number;
  log: NodeJS.WriteStream;
}

export interface CohortSummary {
  total: number;
  done: number;
  skipped: number;
  failed: { name: string; reason: string }[];
  table: string;
}

interface Segmenter {
  model: LoadedModel;
  runner: TileRunner;
  close(): Promise<void>;
}

export async function runCohort(o: CohortOptions): Promise<CohortSummary> {
  const all = await listInputs(o.input);
  const mine = all.filter((_, k) => inShard(k, o.shard));
  const store = new ResultStore(o.out);
  await store.open();
  const meta = await readModelMeta(o.modelDir).catch((e: Error) => {
    throw new Error(`${o.modelDir}: ${e.message}`);
  });
  const model = await modelIdentity(o.modelDir);
  const modelOf = (i: CohortInput) => (i.label ? '' : model);
  const todo: CohortInput[] = [];
  for (const i of mine) if (!(await store.isDone(i.id, modelOf(i)))) todo.push(i);
  const counts: ProgressCounts = { done: 0, skipped: mine.length - todo.length, failed: 0, total: mine.length };
  const failed: CohortSummary['failed'] = [];
  let segmenter: Promise<Segmenter> | null = null;
  const segment = () =>
    (segmenter ??= (async () => {
      const backend = await initBackend(parseBackend(o.backend));
      const loaded = await loadModel(o.modelDir);
      const r = await runnerFor(loaded, backend.name, o.workers);
      return { model: loaded, runner: r.runner, close: r.close };
    })());
  const progress = new Progress(o.log);
  progress.update(counts);

  const one = async (input: CohortInput): Promise<void> => {
    const row: RowInput = {
      image: input.name,
      status: 'ok',
      model: modelOf(input),
      source: input.label ? 'label' : 'prediction',
      threshold: input.label ? null : meta.threshold,
      m: null,
    };
    let mask: Uint8Array | null = null;
    try {
      if (input.problem) throw new Error(input.problem);
      const img = await readImage(input.path);
      const fov = input.fov ? await readMask(input.fov, img) : deriveFovMask(img);
      let vessels: Mask;
      // The FOV diameter is the prediction's (which may have corrected it by vessel calibre), else the engine's way.
      let fovDiameter: FovDiameter = fovDiameterOf(fov, input.fovDiameter);
      if (input.label) vessels = await readMask(input.label, img);
      else {
        const s = await segment();
        const p = await predictImage(s.model, img, { fov, runner: s.runner, fovDiameter: input.fovDiameter });
        vessels = vesselsFromProbabilities(p.data, p.width, p.height, meta.threshold);
        fovDiameter = { px: p.scale.fovDiameter, source: p.scale.source, note: p.scale.note };
      }
      row.m = analyzeImage(img, vessels, fov, {
        angleOfViewDeg: input.angleOfViewDeg ?? o.angleOfViewDeg,
        scaleFrom: o.scaleFrom,
        disc: input.disc,
        fovDiameter,
      });
      for (let i = 0; i < vessels.data.length; i++) vessels.data[i] &= fov.data[i];
      mask = await encodeMaskPng(vessels);
      counts.done++;
    } catch (e) {
      row.status = 'failed';
      row.reason = (e as Error).message;
      row.m = null;
      counts.failed++;
      failed.push({ name: input.name, reason: row.reason });
    }
    await store.save(input.id, { mask, json: measurementsJson(row, false), row: csvRow(row) });
    progress.update(counts);
  };

  let next = 0;
  const worker = async () => {
    while (next < todo.length) await one(todo[next++]);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs ?? 2, todo.length)) }, worker));
  } finally {
    // Assigned inside segment(): TypeScript cannot see that here.
    const started = segmenter as Promise<Segmenter> | null;
    if (started) await (await started).close();
  }
  progress.update(counts, true);
  const { csv, missing } = await store.table(mine.map((i) => i.id));
  if (missing.length > 0) throw new Error(`no result for ${missing.length} image(s), e.g. ${missing[0]}`);
  const table = await store.writeTable(csv, o.shard);
  return { total: mine.length, done: counts.done, skipped: counts.skipped, failed, table };
}

/** Writes measurements.csv from every input's row (after shards ran elsewhere); fails if any is missing. */
export async function mergeCohort(input: string, out: string): Promise<string> {
  const all = await listInputs(input);
  const store = new ResultStore(out);
  const { csv, missing } = await store.table(all.map((i) => i.id));
  if (missing.length > 0)
    throw new Error(`${missing.length} of ${all.length} images have no result yet (e.g. ${missing[0]}): run the missing shards first`);
  return store.writeTable(csv, null);
}
