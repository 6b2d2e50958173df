/**
 * Who runs the network on a tile: the calling thread (any backend), or a pool of worker threads, each
 * with its own wasm instance and copy of the model — the wasm backend is single-threaded in Node, so
 * this is how prediction uses more than one core.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { inferenceModel } from './model';

export interface TileRunner {
  /** Tiles it can run at once. */
  readonly slots: number;
  /** Probabilities [h, w] for a standardised [h, w, 3] tile. */
  run(tile: Float32Array, height: number, width: number): Promise<Float32Array>;
}

export function modelRunner(model: tfl.LayersModel): TileRunner {
  const net = inferenceModel(model);
  return {
    slots: 1,
    async run(tile, height, width) {
      const probs = tf.tidy(() => net.predict(tf.tensor4d(tile, [1, height, width, 3])) as tf.Tensor);
      const p = (await probs.data()) as Float32Array;
      probs.dispose();
      return p;
    },
  };
}

export interface TileWorkerRequest {
  id: number;
  tile: Float32Array;
  height: number;
  width: number;
}

export type TileWorkerReply = { ready: true } | { id: number; probs: Float32Array } | { id: number; error: string } | { fatal: string };

/** A worker running tile-worker: built next to the bundle that uses this module, or the TypeScript source under tsx. */
function startWorker(modelDir: string): Worker {
  if (__filename.endsWith('.ts')) {
    const source = join(__dirname, 'tile-worker.ts');
    return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true, workerData: { modelDir } });
  }
  return new Worker(join(__dirname, 'tile-worker.js'), { workerData: { modelDir } });
}

export class TileWorkerPool implements TileRunner {
  readonly slots: number;
  private readonly idle: Worker[] = [];
  private readonly waiting: ((w: Worker) => void)[] = [];
  private readonly pending = new Map<number, { resolve(p: Float32Array): void; reject(e: Error): void }>();
  private nextId = 1;

  private constructor(private readonly workers: Worker[]) {
    this.slots = workers.length;
    this.idle.push(...workers);
    for (const w of workers) {
      w.on('message', (m: TileWorkerReply) => this.onReply(w, m));
      w.on('error', (e) => this.failAll(e));
    }
  }

  /** Starts `count` workers (default: one per core, at most 4) that load the model in `modelDir`. */
  static async start(modelDir: string, count = Math.min(4, cpus().length)): Promise<TileWorkerPool> {
    const workers = Array.from({ length: count }, () => startWorker(modelDir));
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const onMessage = (m: TileWorkerReply) => {
                if ('ready' in m) resolve();
                else if ('fatal' in m) reject(new Error(`prediction worker: ${m.fatal}`));
              };
              w.once('message', onMessage);
              w.once('error', reject);
            }),
        ),
      );
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new TileWorkerPool(workers);
  }

  async run(tile: Float32Array, height: number, width: number): Promise<Float32Array> {
    const worker = this.idle.pop() ?? (await new Promise<Worker>((r) => this.waiting.push(r)));
    const id = this.nextId++;
    const result = new Promise<Float32Array>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // The tile is copied, not transferred: callers reuse their buffer.
    worker.postMessage({ id, tile, height, width } satisfies TileWorkerRequest);
    return result;
  }

  async close(): Promise<void> {
    this.failAll(new Error('prediction workers closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private onReply(worker: Worker, m: TileWorkerReply): void {
    if (!('id' in m)) return;
    const job = this.pending.get(m.id);
    this.pending.delete(m.id);
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
    if ('error' in m) job?.reject(new Error(m.error));
    else job?.resolve(m.probs);
  }

  private failAll(e: Error): void {
    for (const job of this.pending.values()) job.reject(e);
    this.pending.clear();
  }
}

/**
 * The best runner for a loaded model on `backend`: a worker pool for the single-threaded wasm backend
 * on a multi-core machine (`workers` overrides the count; 1 = this thread), else this thread.
 */
export async function runnerFor(
  loaded: { dir: string; model: tfl.LayersModel },
  backend: string,
  workers = Math.min(4, cpus().length),
): Promise<{ runner: TileRunner; close(): Promise<void> }> {
  if (backend !== 'wasm' || workers <= 1) return { runner: modelRunner(loaded.model), close: async () => {} };
  const pool = await TileWorkerPool.start(loaded.dir, workers);
  return { runner: pool, close: () => pool.close() };
}
