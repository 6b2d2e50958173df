/** A prediction worker thread: its own wasm backend and model copy; runs tiles sent by TileWorkerPool. */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from './backends';
import { loadModel } from './model-io';
import { modelRunner, type TileWorkerReply, type TileWorkerRequest } from './tile-runner';

const port = parentPort!;
const send = (m: TileWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function main(): Promise<void> {
  await initBackend('wasm');
  const runner = modelRunner((await loadModel((workerData as { modelDir: string }).modelDir)).model);
  port.on('message', (m: TileWorkerRequest) => {
    runner.run(m.tile, m.height, m.width).then(
      // A copy of the result: never hand over a view of the wasm heap.
      (p) => {
        const probs = p.slice();
        send({ id: m.id, probs }, [probs.buffer as ArrayBuffer]);
      },
      (e: Error) => send({ id: m.id, error: e.message }),
    );
  });
  send({ ready: true });
}

main().catch((e: Error) => send({ fatal: e.message }));
