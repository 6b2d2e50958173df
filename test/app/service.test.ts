import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDispatcher } from '../../main/app/dispatch';
import type { CallName, Request, Response } from '../../preload/contract';
import { decodeRaw, fundusPng, maskPng, tempDir } from '../helpers/files';
import { testService } from '../helpers/service';
import { saveTinyModel } from '../helpers/tiny-model';

async function setup(t: { after(fn: () => void | Promise<void>): void }) {
  const modelDir = join(tempDir(t), 'default');
  await saveTinyModel(modelDir, 'Bundled tiny');
  const { service, dir, events } = await testService(t, { defaultModelDir: modelDir });
  const handle = createDispatcher(service.handlers);
  const call = async <C extends CallName>(name: C, request: Request<C>): Promise<Response<C>> => {
    const r = await handle(name, request);
    if (!r.ok) throw new Error(r.error);
    return r.value as Response<C>;
  };
  return { call, dir, events, service };
}

test('open → predict → label → export: files, statuses, progress events and compute status', async (t) => {
  const { call, dir, events } = await setup(t);
  await call('images:import', { files: [{ name: 'eye.png', bytes: await fundusPng(96, 80) }] });
  assert.equal(await call('images:prediction', { id: 'eye' }), null);
  assert.equal(await call('images:fov', { id: 'eye' }), null);

  const p = await call('predict:run', { id: 'eye' });
  assert.equal(p.modelId, 'default');
  assert.equal(p.backend.name, 'cpu');
  assert.deepEqual([(await decodeRaw(p.png)).width, (await decodeRaw(p.png)).height], [96, 80]);
  const progress = events
    .filter((e) => e.name === 'compute:progress')
    .map((e) => e.payload as { imageId: string; done: number; total: number });
  assert.ok(progress.length >= 2 && progress.every((e) => e.imageId === 'eye'));
  assert.ok(progress.some((e) => e.done === e.total && e.total >= 1));

  const stored = await call('images:prediction', { id: 'eye' });
  assert.deepEqual(stored?.png, p.png);
  assert.equal((await call('images:fov', { id: 'eye' }))?.source, 'derived');
  let ws = await call('workspace:get', {});
  assert.deepEqual(
    ws.images.map((i) => [i.status, i.hasPrediction, i.hasFov]),
    [['predicted', true, true]],
  );
  assert.deepEqual(
    ws.models.map((m) => [m.id, m.name]),
    [['default', 'Bundled tiny']],
  );
  assert.equal(ws.selectedModel, 'default');

  const saved = await call('images:saveLabel', {
    id: 'eye',
    png: await maskPng(96, 80, (x) => x === 50),
    decided: await maskPng(96, 80, (x) => x > 40 && x < 60),
    reviewed: false,
    baseRevision: 0,
  });
  assert.ok(saved.saved && saved.image.status === 'edited');
  ws = await call('workspace:get', {});
  assert.equal(ws.images[0].status, 'edited');
  assert.ok(Math.abs(ws.images[0].decided! - 19 / 96) < 1e-9);
  assert.ok(ws.images[0].uncertainty !== null && ws.images[0].uncertainty >= 0 && ws.images[0].uncertainty <= 1);
  const exported = await call('labels:export', {});
  assert.equal(exported?.count, 1);
  assert.deepEqual(readdirSync(exported!.dir), ['eye.png']);

  const status = await call('compute:status', {});
  assert.deepEqual([status.state, status.alive, status.model?.id, status.error], ['ready', true, 'default', null]);
  await assert.rejects(call('models:select', { id: 'nope' }), /No model "nope"/);
  const { trashed } = await call('images:delete', { id: 'eye' });
  assert.deepEqual((await call('workspace:get', {})).images, []);
  assert.ok(!existsSync(join(dir, 'ws', 'predictions', 'eye.png')));
  assert.equal((await call('images:restore', { trashed })).status, 'edited');
  assert.equal((await call('images:setExcluded', { id: 'eye', excluded: true })).excluded, true);
});

test('without a model, predict:run and compute:status say what is missing', async (t) => {
  const { service } = await testService(t);
  const handle = createDispatcher(service.handlers);
  await handle('images:import', { files: [{ name: 'eye.png', bytes: await fundusPng(40, 30) }] });
  const r = await handle('predict:run', { id: 'eye' });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /^No model found: .*no-model is missing or incomplete \(train one with "npm run train"\)$/);
  const s = await handle('compute:status', {});
  assert.ok(s.ok && (s.value as { model: unknown; error: string }).model === null);
});

test('a damaged selected model (weights replaced) is listed as damaged and refused for prediction with the reason', async (t) => {
  const modelDir = join(tempDir(t), 'default');
  await saveTinyModel(modelDir, 'Bundled tiny');
  const { service } = await testService(t, { defaultModelDir: modelDir });
  const handle = createDispatcher(service.handlers);
  await handle('images:import', { files: [{ name: 'eye.png', bytes: await fundusPng(40, 30) }] });
  const weights = join(modelDir, 'weights.bin');
  writeFileSync(weights, randomBytes(statSync(weights).size));
  const list = await handle('models:list', {});
  assert.ok(list.ok);
  const [v] = (list.value as { versions: { intact: boolean; problem: string }[] }).versions;
  assert.deepEqual([v.intact, v.problem], [false, 'weights do not match the checksum saved in meta.json (damaged or replaced file)']);
  assert.deepEqual(await handle('predict:run', { id: 'eye' }), {
    ok: false,
    error: 'Model "Bundled tiny" is damaged: weights do not match the checksum saved in meta.json (damaged or replaced file)',
  });
});
