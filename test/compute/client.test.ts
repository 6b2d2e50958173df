import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ComputeClient, type ComputeProgress } from '../../main/compute/client';
import { forkNodeCompute } from '../../main/compute/node-transport';
import type { BackendInfo } from '../../preload/contract';
import { decodeRaw, fundusPng, tempDir } from '../helpers/files';
import { saveTinyModel } from '../helpers/tiny-model';

const ENTRY = join(__dirname, '..', '..', 'main', 'compute', 'compute-process.ts');

function startClient() {
  const events = { progress: [] as ComputeProgress[], crashed: [] as { message: string; willRestart: boolean }[], ready: [] as BackendInfo[] };
  let onReady: () => void = () => undefined;
  const client = new ComputeClient(forkNodeCompute({ entry: ENTRY, execArgv: ['--import', 'tsx'], env: { VESSEL_BACKEND: 'cpu' } }), {
    onProgress: (p) => events.progress.push(p),
    onCrashed: (e) => events.crashed.push(e),
    onReady: (b) => {
      events.ready.push(b);
      onReady();
    },
  });
  const nextReady = () => new Promise<void>((r) => (onReady = r));
  return { client, events, nextReady };
}

async function setup(t: { after(fn: () => void): void }) {
  const dir = tempDir(t);
  const modelDir = join(dir, 'model');
  await saveTinyModel(modelDir);
  const imagePath = join(dir, 'eye.png');
  writeFileSync(imagePath, await fundusPng(96, 80));
  return { dir, modelDir, imagePath };
}

test('predicts in the compute process with progress, and returns a probability PNG and a derived FOV', async (t) => {
  const { modelDir, imagePath } = await setup(t);
  const { client, events } = startClient();
  t.after(() => client.stop());
  const { job, result } = client.run({ kind: 'predict', imagePath, fovPath: null, fovDiameter: null, modelDir }, 'Prediction');
  const r = await result;
  const p = await decodeRaw(r.png);
  assert.deepEqual([p.width, p.height, p.depth], [96, 80, 'uchar']);
  const fov = await decodeRaw(r.derivedFovPng!);
  assert.deepEqual([fov.width, fov.height, fov.channels], [96, 80, 1]);
  assert.equal(fov.data[0], 0, 'the corner is outside the field of view');
  assert.equal(fov.data[40 * 96 + 48], 255, 'the centre is inside');
  assert.equal(r.backend.name, 'cpu');
  assert.ok(events.progress.some((e) => e.job === job && e.done === e.total && e.total > 0));
  assert.equal(client.status().state, 'ready');
});

test('a killed compute process rejects the job in flight, reports the crash, restarts and works again', async (t) => {
  const { modelDir, imagePath } = await setup(t);
  const { client, events, nextReady } = startClient();
  t.after(() => client.stop());
  const firstPid = client.pid!;
  const { result } = client.run({ kind: 'predict', imagePath, fovPath: null, fovDiameter: null, modelDir }, 'Prediction of eye');
  const restarted = nextReady();
  process.kill(firstPid, 'SIGKILL');
  await assert.rejects(result, /^Error: Prediction of eye: The compute process stopped unexpectedly \(signal SIGKILL\) and was restarted/);
  assert.deepEqual(events.crashed, [{ message: 'The compute process stopped unexpectedly (signal SIGKILL) and was restarted', willRestart: true }]);
  await restarted;
  assert.notEqual(client.pid, firstPid);
  assert.deepEqual({ ...client.status(), backend: null }, {
    state: 'ready',
    alive: true,
    backend: null,
    restarts: 1,
    error: null,
  });
  const again = await client.run({ kind: 'predict', imagePath, fovPath: null, fovDiameter: null, modelDir }, 'Prediction').result;
  assert.ok(again.png.length > 0);
});

test('a queued job can be cancelled; a broken model fails its job without killing the process', async (t) => {
  const { dir, modelDir, imagePath } = await setup(t);
  const { client } = startClient();
  t.after(() => client.stop());
  const first = client.run({ kind: 'predict', imagePath, fovPath: null, fovDiameter: null, modelDir: join(dir, 'no-such-model') }, 'Prediction');
  const second = client.run({ kind: 'predict', imagePath, fovPath: null, fovDiameter: null, modelDir }, 'Prediction');
  assert.equal(client.cancel(second.job), true);
  const [r1, r2] = await Promise.allSettled([first.result, second.result]);
  assert.match(r1.status === 'rejected' ? String(r1.reason) : 'fulfilled', /model folder not found/);
  assert.equal(r2.status === 'rejected' ? String(r2.reason) : 'fulfilled', 'Error: cancelled');
  assert.equal(client.cancel('job-unknown'), false);
  const pid = client.pid;
  assert.ok((await client.run({ kind: 'predict', imagePath, fovPath: null, fovDiameter: null, modelDir }, 'Prediction').result).png.length > 0);
  assert.equal(client.pid, pid);
});
