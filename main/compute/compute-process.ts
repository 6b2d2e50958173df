/**
 * The compute process: owns TensorFlow.js (backend, models) so the app's main process and the UI never
 * block on it, and a crash here cannot take them down. Started by Electron's utilityProcess.fork
 * (messages on process.parentPort) or by Node's child_process.fork (process.send); both are handled.
 * Jobs (predict, measure, retrain) run one at a time, in arrival order; cancel aborts a running prediction
 * between tiles and a retraining between steps.
 * Backend choice: VESSEL_BACKEND (tensorflow, webgpu, wasm, cpu; default auto).
 */
import { stat } from 'node:fs/promises';
import { initBackend, parseBackend } from '../engine/backends';
import { deriveFovMask } from '../engine/data/fov';
import { readImage, readMask } from '../engine/data/image-io';
import { loadModel, type LoadedModel } from '../engine/model-io';
import { predictImage, probabilityToPng } from '../engine/predict';
import { modelRunner, runnerFor, type TileRunner } from '../engine/tile-runner';
import { uncertaintyOf, type BackendInfo } from '../../preload/contract';
import { encodeMaskPng } from '../engine/data/image-io';
import type { ComputeResult, ComputeTask, FromCompute, PredictResult, PredictTask, ToCompute } from './protocol';
import { measure } from './measure-job';
import { retrain } from './retrain-job';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function post(message: FromCompute): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function onMessage(listener: (m: ToCompute) => void): void {
  if (parentPort) parentPort.on('message', (e) => listener(e.data as ToCompute));
  else process.on('message', (m) => listener(m as ToCompute));
}

let backend: BackendInfo;
/** The last model loaded, reused while its files are unchanged, with its prediction runner once made. */
let cached: {
  dir: string;
  stamp: number;
  model: LoadedModel;
  runner: Promise<{ runner: TileRunner; close(): Promise<void> }> | null;
} | null = null;

function forget(): void {
  if (!cached) return;
  cached.model.dispose();
  void cached.runner?.then((r) => r.close());
  cached = null;
}

async function model(dir: string): Promise<LoadedModel> {
  const stamp = (await stat(`${dir}/weights.bin`).catch(() => null))?.mtimeMs ?? -1;
  if (cached && cached.dir === dir && cached.stamp === stamp) return cached.model;
  forget();
  const loaded = await loadModel(dir);
  cached = { dir, stamp, model: loaded, runner: null };
  return loaded;
}

/** Makes a model trained here the cached one (it is already in memory, and is what predictions use next). */
async function adopt(m: LoadedModel): Promise<void> {
  const stamp = (await stat(`${m.dir}/weights.bin`)).mtimeMs;
  forget();
  cached = { dir: m.dir, stamp, model: m, runner: null };
}

/** Where the cached model's tiles run: worker threads on wasm (one per core), else this thread. */
function runner(): Promise<{ runner: TileRunner; close(): Promise<void> }> {
  const c = cached!;
  c.runner ??= runnerFor(c.model, backend.name).catch(() => ({ runner: modelRunner(c.model.model), close: async () => {} }));
  return c.runner;
}

async function predict(job: string, task: PredictTask, signal: AbortSignal): Promise<PredictResult> {
  const progress = (done: number, total: number, message: string) => post({ type: 'progress', job, done, total, message });
  progress(0, 1, 'Loading image and model');
  const img = await readImage(task.imagePath);
  const fov = task.fovPath ? await readMask(task.fovPath, img) : deriveFovMask(img);
  const loaded = await model(task.modelDir);
  const tiles = (await runner()).runner;
  signal.throwIfAborted();
  const t0 = performance.now();
  const p = await predictImage(loaded, img, {
    fov,
    fovDiameter: task.fovDiameter,
    signal,
    runner: tiles,
    onProgress: (done, total) => progress(done, total, `Predicting tile ${done} of ${total}`),
  });
  const ms = performance.now() - t0;
  return {
    png: await probabilityToPng(p),
    derivedFovPng: task.fovPath ? null : await encodeMaskPng(fov),
    scale: p.scale,
    uncertainty: meanUncertainty(p.data, fov.data, loaded.meta.threshold),
    ms,
    backend,
  };
}

function meanUncertainty(prob: Float32Array, fov: Uint8Array, threshold: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < prob.length; i++) {
    if (!fov[i]) continue;
    sum += uncertaintyOf(prob[i], threshold);
    n++;
  }
  return n ? sum / n : 0;
}

function runTask(job: string, task: ComputeTask, signal: AbortSignal): Promise<ComputeResult> {
  if (task.kind === 'predict') return predict(job, task, signal);
  if (task.kind === 'measure') return measure(task, (done, total, message) => post({ type: 'progress', job, done, total, message }));
  return retrain(task, {
    model,
    adopt,
    backend,
    signal,
    progress: (done, total, message) => post({ type: 'progress', job, done, total, message }),
    event: (event) => post({ type: 'retrain', job, event }),
  });
}

const queue: { job: string; task: ComputeTask; abort: AbortController }[] = [];
let running: { job: string; abort: AbortController } | null = null;

async function drain(): Promise<void> {
  if (running) return;
  const next = queue.shift();
  if (!next) return;
  running = next;
  try {
    post({ type: 'done', job: next.job, result: await runTask(next.job, next.task, next.abort.signal) });
  } catch (e) {
    const cancelled = next.abort.signal.aborted;
    post({ type: 'failed', job: next.job, message: cancelled ? 'cancelled' : (e as Error).message, cancelled });
  } finally {
    running = null;
    void drain();
  }
}

async function main(): Promise<void> {
  let ready = false;
  // Messages can arrive while the backend initialises; they wait in the queue.
  onMessage((m) => {
    if (m.type === 'run') {
      queue.push({ job: m.job, task: m.task, abort: new AbortController() });
      if (ready) void drain();
    } else if (m.type === 'cancel') {
      const queued = queue.findIndex((q) => q.job === m.job);
      if (queued >= 0) {
        queue.splice(queued, 1);
        post({ type: 'failed', job: m.job, message: 'cancelled', cancelled: true });
      } else if (running?.job === m.job) running.abort.abort();
    }
  });
  try {
    backend = await initBackend(parseBackend(process.env.VESSEL_BACKEND));
  } catch (e) {
    post({ type: 'fatal', message: (e as Error).message });
    // Let the message leave before exiting.
    setTimeout(() => process.exit(1), 100);
    return;
  }
  ready = true;
  post({ type: 'ready', backend });
  void drain();
}

// Node's fork keeps the IPC channel open; when main goes away, so do we.
process.on('disconnect', () => process.exit(0));
void main();
