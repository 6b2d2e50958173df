/** A prediction worker thread: its own wasm backend and model copy; runs tiles sent by TileWorkerPool. */
import * as tf from '@tensorflow/tfjs-core';
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from './backends';
import { loadModel } from './model-io';
import type { TileWorkerReply, TileWorkerRequest } from './tile-runner';

const port = parentPort!;
const send = (m: TileWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function main(): Promise<void> {
  await initBackend('wasm');
  const { model } = await loadModel((workerData as { modelDir: string }).modelDir);
  port.on('message', (m: TileWorkerRequest) => {
    try {
      // A copy of the result: never hand over a view of the wasm heap.
      const probs = tf.tidy(() => (model.predict(tf.tensor4d(m.tile, [1, m.height, m.width, 3])) as tf.Tensor).dataSync().slice() as Float32Array);
      send({ id: m.id, probs }, [probs.buffer as ArrayBuffer]);
    } catch (e) {
      send({ id: m.id, error: (e as Error).message });
    }
  });
  send({ ready: true });
}

main().catch((e: Error) => send({ fatal: e.message }));
