/**
 * Retraining through the real service and a real forked compute process (wasm backend, tiny U-Net,
 * 96x80 images): a run makes a new version with its meta, selected only when it scored better on the
 * held-out pixels than the version in use; cancel and a killed compute process leave the selected
 * version and every version's files as they were.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FINETUNE_RECIPE } from '../../main/engine/finetune';
import { loadModel } from '../../main/engine/model-io';
import { DEFAULT_RETRAIN_STEPS } from '../../main/retrain';
import type { ValidationInfo } from '../../preload/contract';
import { fingerprint } from '../helpers/files';
import { retrainSetup } from './helpers';

const ROOT = join(__dirname, '..', '..');

/** Every figure shown about a version comes back from `npm run evaluate` on the same pixels (the card shows the command). */
function reproduces(ws: string, val: ValidationInfo, child: string, parent: string): void {
  for (const [model, scores] of [
    [child, val.after],
    [parent, val.before],
  ] as const) {
    const args = [
      'evaluate',
      '--model',
      model,
      '--data',
      ws,
      '--images',
      val.images.join(','),
      '--workers',
      '1',
      '--backend',
      'wasm',
      '--json',
    ];
    if (val.quarter !== null) args.push('--quarter', String(val.quarter));
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'main', 'cli.ts'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      { auc: report.pooled.atChosen.auc, f1: report.pooled.atChosen.f1, threshold: report.threshold },
      scores,
      `evaluate ${model}`,
    );
    assert.deepEqual([report.pixels, report.decidedShare], [val.pixels, val.decidedShare]);
  }
}

test('main names the engine recipe steps as the default', () => {
  assert.equal(DEFAULT_RETRAIN_STEPS, FINETUNE_RECIPE.steps);
});

test('a retraining streams progress and validation, saves a new version with meta, selects it only if better, and keeps the parent', async (t) => {
  const { call, ws, defaultDir, events, next } = await retrainSetup(t);
  const before = fingerprint(defaultDir);
  const run = await call('retrain:start', { steps: 12 });
  assert.deepEqual([run.parent, run.images, run.reference, run.steps], ['default', ['eye1', 'eye2', 'eye3'], [], 12]);
  await assert.rejects(call('retrain:start', {}), /already running/);
  const done = await next('retrain:done');

  const steps = events
    .filter((e) => e.name === 'retrain:progress')
    .map((e) => e.payload as { phase: string; step: number; total: number; loss: number | null; backend: { name: string } | null });
  const training = steps.filter((p) => p.phase === 'training');
  assert.ok(training.length >= 2, 'several training updates');
  assert.deepEqual(
    training.map((p) => p.step),
    [...training.map((p) => p.step)].sort((a, b) => a - b),
    'steps only go up',
  );
  assert.equal(training.at(-1)!.step, 12);
  assert.ok(training.every((p) => p.total === 12 && Number.isFinite(p.loss) && p.backend?.name === 'wasm'));
  assert.deepEqual([...new Set(steps.map((p) => p.phase))], ['loading', 'preparing', 'training', 'saving']);
  const validation = events
    .filter((e) => e.name === 'retrain:validation')
    .map((e) => e.payload as { step: number; f1: number; auc: number; threshold: number });
  assert.equal(validation[0].step, 0, 'the starting model is scored first');
  assert.equal(validation.at(-1)!.step, 12);
  // The run keeps the latest weights scoring within 0.005 of the best validation score (step 0, the
  // parent's own, when training only made the held-out image worse).
  const bestF1 = Math.max(...validation.map((v) => v.f1));
  const kept = validation.filter((v) => v.f1 >= bestF1 - 0.005).at(-1)!;
  assert.equal(done.model.keptStep, kept.step);

  const v = done.model;
  assert.deepEqual([v.id, v.name, v.parent, v.builtin, v.intact], ['v2', 'Version 2', 'default', false, true]);
  assert.deepEqual(v.trainedOn, ['eye1', 'eye2', 'eye3']);
  // All reviewed: they take turns being held out, version 2 holds out the third.
  const val = v.validation!;
  assert.deepEqual([val.images, val.region, val.quarter, val.decidedShare], [['eye3'], 'eye3', null, 1]);
  // The numbers the events showed are the version's: the parent at step 0, the kept step after.
  assert.deepEqual(val.before, { auc: validation[0].auc, f1: validation[0].f1, threshold: validation[0].threshold });
  assert.deepEqual(val.after, { auc: kept.auc, f1: kept.f1, threshold: kept.threshold });
  assert.equal(v.threshold, val.after.threshold);
  // Selected only when better there; the outcome says which and why.
  assert.equal(val.improved, val.after.f1 > val.before.f1);
  assert.equal(done.selected, val.improved);
  assert.match(
    done.message,
    done.selected
      ? /^Version 2 is better on the held-out pixels and is now in use: held-out F1 /
      : /^Version 2 saved, not selected: held-out F1 .* is not better than Bundled tiny\./,
  );
  assert.ok(done.message.includes(`F1 ${val.before.f1.toFixed(3)} → ${val.after.f1.toFixed(3)}`));
  const list = await call('models:list', {});
  assert.deepEqual(
    list.versions.map((m) => m.id),
    ['default', 'v2'],
  );
  assert.deepEqual(list.versions[1], v, 'the list reads the same record from disk');
  const selected = done.selected ? 'v2' : 'default';
  assert.equal(list.selected, selected);
  assert.equal((await call('workspace:get', {})).selectedModel, selected);
  console.log(
    `[retrain] held-out F1 ${val.before.f1.toFixed(4)} -> ${val.after.f1.toFixed(4)}: ${done.selected ? 'selected' : 'not selected'}`,
  );
  reproduces(ws, val, join(ws, 'models', 'v2'), defaultDir);
  if (!done.selected) await call('models:select', { id: 'v2' });

  const meta = JSON.parse(readFileSync(join(ws, 'models', 'v2', 'meta.json'), 'utf8'));
  assert.equal(meta.parent, 'default');
  assert.deepEqual(meta.data.images, ['eye1', 'eye2', 'eye3']);
  assert.equal(meta.recipe.steps, 12);
  assert.equal(meta.recipe.kind, 'finetune');
  assert.equal(meta.backend.name, 'wasm');
  assert.ok(meta.trainingSeconds >= 0 && meta.steps === 12);
  assert.ok(meta.metrics['validation-before'] && meta.metrics['validation-after']);
  assert.deepEqual(meta.workspace.images, ['eye1', 'eye2', 'eye3']);
  assert.deepEqual(meta.workspace.reference, []);
  assert.equal(meta.workspace.parentName, 'Bundled tiny');
  (await loadModel(join(ws, 'models', 'v2'))).dispose();
  assert.deepEqual(fingerprint(defaultDir), before, 'the parent folder is untouched');

  const p = await call('predict:run', { id: 'eye1' });
  assert.equal(p.modelId, 'v2');
  const cmp = await call('models:compare', { imageId: 'eye1', a: 'default', b: 'v2' });
  assert.deepEqual([cmp.a.modelId, cmp.b.modelId], ['default', 'v2']);
  assert.deepEqual(cmp.b.png, p.png, 'the same model predicts the same map');

  // Rollback: selecting the parent again deletes nothing.
  await call('models:select', { id: 'default' });
  assert.equal((await call('models:list', {})).selected, 'default');
  assert.ok(existsSync(join(ws, 'models', 'v2', 'weights.bin')));
  const status = await call('retrain:status', {});
  assert.equal(status?.outcome.state, 'done');
  assert.equal(status?.loss.at(-1)?.[0], 12);
});

test('cancel stops within a second; the current version stays selected and no folder is written', async (t) => {
  const { call, ws, defaultDir, next, events } = await retrainSetup(t);
  const before = fingerprint(defaultDir);
  // Two starts at once (two windows): one runs, the other is refused at once with a message.
  const both = await Promise.allSettled([call('retrain:start', { steps: 5000 }), call('retrain:start', { steps: 5000 })]);
  const started = both.filter((r) => r.status === 'fulfilled');
  const refused = both.filter((r) => r.status === 'rejected');
  assert.equal(started.length, 1);
  assert.match(String(refused[0]?.reason), /A retraining is already running; wait for it or cancel it first\./);
  assert.equal(events.filter((e) => e.name === 'retrain:started').length, 1);
  const { job } = started[0].value;
  await next('retrain:progress', (p) => p.phase === 'training' && p.step >= 10);
  const t0 = Date.now();
  assert.deepEqual(await call('retrain:cancel', {}), { cancelled: true });
  const failed = await next('retrain:failed');
  const ms = Date.now() - t0;
  assert.ok(ms < 1000, `stopped in ${ms} ms`);
  assert.equal(failed.job, job);
  assert.equal(failed.reason, 'cancelled');
  assert.match(failed.message, /^Retraining cancelled\. The current model \(Bundled tiny\) is unchanged\.$/);
  assert.equal((await call('models:list', {})).selected, 'default');
  assert.deepEqual(readdirSync(join(ws, 'models')), []);
  assert.deepEqual(fingerprint(defaultDir), before);
  assert.deepEqual(await call('retrain:cancel', {}), { cancelled: false }, 'nothing left to cancel');
});

test('killing the compute process mid-training reports a crash, corrupts no version, and a retry works', async (t) => {
  // Two labelled images: a quarter of each is held out.
  const { call, ws, defaultDir, events, service, next } = await retrainSetup(t, 2);
  await call('retrain:start', { steps: 20 });
  const first = await next('retrain:done');
  // Version 2's turn is the bottom-left quarter, but the bottom quarters hold none of these bands' vessel:
  // the first quarter that does is held out, the top-left.
  assert.equal(first.model.validation?.quarter, 0);
  assert.equal(first.model.validation!.decidedShare, 1, 'reviewed labels: the whole quarter decided');
  reproduces(ws, first.model.validation!, join(ws, 'models', 'v2'), defaultDir);
  if (!first.selected) await call('models:select', { id: 'v2' });
  const cmp = await call('models:compare', { imageId: 'eye1', a: 'default', b: 'v2' });
  assert.notDeepEqual(cmp.a.png, cmp.b.png, 'fine-tuning changed the prediction');
  const versionsBefore = fingerprint(join(ws, 'models'));
  const defaultBefore = fingerprint(defaultDir);

  const from = events.length;
  await call('retrain:start', { steps: 5000 });
  await next('retrain:progress', (p) => p.phase === 'training' && p.step >= 10, 120_000, from);
  process.kill(service.compute.pid!, 'SIGKILL');
  const failed = await next('retrain:failed', () => true, 10_000, from);
  assert.equal(failed.reason, 'crashed');
  assert.match(
    failed.message,
    /The compute process stopped during retraining\. The current model \(Version 2\) is unchanged; 2 of 2 model versions checked complete\./,
  );
  assert.deepEqual([failed.versionsChecked, failed.versionsIntact], [2, 2]);
  assert.ok(events.slice(from).some((e) => e.name === 'compute:crashed'));
  assert.equal((await call('models:list', {})).selected, 'v2');
  assert.deepEqual(fingerprint(join(ws, 'models')), versionsBefore);
  assert.deepEqual(fingerprint(defaultDir), defaultBefore);
  for (const dir of [defaultDir, join(ws, 'models', 'v2')]) (await loadModel(dir)).dispose();

  // Retry: the restarted compute process trains again, from the selected version.
  const retry = await call('retrain:start', { steps: 4 });
  assert.equal(retry.parent, 'v2');
  const done = await next('retrain:done', (d) => d.job === retry.job);
  assert.deepEqual([done.model.id, done.model.parent], ['v3', 'v2']);
});
