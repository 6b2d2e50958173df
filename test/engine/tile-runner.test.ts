import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../main/engine/backends';
import { buildUNet } from '../../main/engine/model';
import { loadModel, newModelMeta, saveModel } from '../../main/engine/model-io';
import { predictImage } from '../../main/engine/predict';
import { TileWorkerPool } from '../../main/engine/tile-runner';
import { syntheticFundus } from '../helpers/synthetic';

test('a pool of worker threads predicts the same probabilities as this thread, two tiles at once', async () => {
  const backend = await initBackend('wasm');
  const config = { base: 4, depth: 3, dropout: 0 };
  const model = buildUNet(config, 11);
  const dir = join(mkdtempSync(join(tmpdir(), 'vs-pool-')), 'm');
  await saveModel(dir, model, newModelMeta({ name: 'pool', model, config, backend }));
  model.dispose();
  const loaded = await loadModel(dir);
  const s = syntheticFundus(300, 420, 3);
  const here = await predictImage(loaded, s.image, { fov: s.fov });
  const pool = await TileWorkerPool.start(dir, 2);
  try {
    const totals: number[] = [];
    const there = await predictImage(loaded, s.image, { fov: s.fov, runner: pool, onProgress: (_, t) => totals.push(t) });
    assert.equal(totals[0], 2, 'the image is cut in two so both workers run');
    let worst = 0;
    for (let i = 0; i < here.data.length; i++) worst = Math.max(worst, Math.abs(here.data[i] - there.data[i]));
    assert.ok(worst < 1e-4, `max difference ${worst}`);
  } finally {
    await pool.close();
    loaded.dispose();
  }
});

test('a pool that cannot load its model says why', async () => {
  await assert.rejects(TileWorkerPool.start('/nonexistent/model', 1), /prediction worker: model folder not found/);
});
