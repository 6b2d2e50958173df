import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { initBackend } from '../../main/engine/backends';
import { loadDataset } from '../../main/engine/data/datasets';
import { evaluate } from '../../main/engine/evaluate';
import { loadModel } from '../../main/engine/model-io';
import { DRIVE } from '../helpers/paths';

const DEFAULT_MODEL = join(__dirname, '..', '..', 'resources', 'models', 'default');

test('the shipped default model scores AUC >= 0.95 on two DRIVE test images', async () => {
  await initBackend('wasm');
  const model = await loadModel(DEFAULT_MODEL);
  const samples = (await loadDataset(DRIVE, 'test', { requireLabels: true })).slice(0, 2);
  const ev = await evaluate(model, samples);
  for (const p of ev.perImage) assert.ok(p.at05.auc >= 0.95, `${p.name}: AUC ${p.at05.auc}`);
  assert.ok(ev.pooled.at05.auc >= 0.95, `pooled AUC ${ev.pooled.at05.auc}`);
  assert.equal(model.meta.format, 'vessel-studio-model');
  model.dispose();
});
