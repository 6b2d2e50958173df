import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMaskPng, encodeRgbPng } from '../../main/engine/data/image-io';
import { syntheticFundus } from '../helpers/synthetic';

const ROOT = join(__dirname, '..', '..');

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'main', 'cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

async function dataFolder(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'vs-cli-'));
  mkdirSync(join(dir, 'images'));
  mkdirSync(join(dir, 'labels'));
  for (const n of [1, 2]) {
    const s = syntheticFundus(96, 96, n);
    writeFileSync(join(dir, 'images', `eye${n}.png`), await encodeRgbPng(s.image));
    writeFileSync(join(dir, 'labels', `eye${n}.png`), await encodeMaskPng(s.label));
  }
  return dir;
}

const small = ['--base', '4', '--depth', '2', '--batch', '2', '--crop', '32', '--backend', 'wasm'];

test('train, resume, evaluate, predict and finetune from the command line', async () => {
  const data = await dataFolder();
  const out = join(data, 'model');
  const t = cli('train', '--data', data, '--out', out, '--steps', '6', '--checkpoint-every', '3', ...small);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /backend: wasm/);
  assert.match(t.out, /trained 6 steps/);
  const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
  assert.equal(meta.steps, 6);
  assert.deepEqual(meta.data.images, ['eye1', 'eye2']);

  // The step-3 checkpoint is still there: resuming continues from it to the end.
  const r = cli('train', '--data', data, '--out', out, '--steps', '6', '--checkpoint-every', '3', '--resume', ...small);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /trained 6 steps/);
  const bad = cli('train', '--data', data, '--out', out, '--steps', '9', '--checkpoint-every', '3', '--resume', ...small);
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /other settings \(steps\)/);

  const e = cli('evaluate', '--model', out, '--data', data, '--json', '--backend', 'wasm');
  assert.equal(e.code, 0, e.err);
  const report = JSON.parse(e.out);
  assert.equal(report.perImage.length, 2);
  assert.ok(report.pooled.at05.auc >= 0 && report.pooled.at05.auc <= 1);
  assert.equal(report.backend.name, 'wasm');

  const png = join(data, 'p.png');
  const raw = join(data, 'p.f32');
  const p = cli('predict', '--model', out, join(data, 'images', 'eye1.png'), '--out', png, '--float', raw, '--backend', 'wasm');
  assert.equal(p.code, 0, p.err);
  assert.ok(existsSync(png));
  assert.equal(statSync(raw).size, 96 * 96 * 4);

  const child = join(data, 'child');
  const f = cli('finetune', '--model', out, '--data', data, '--out', child, '--steps', '4', '--batch', '2', '--backend', 'wasm');
  assert.equal(f.code, 0, f.err);
  assert.equal(JSON.parse(readFileSync(join(child, 'meta.json'), 'utf8')).parent, 'model');
});

test('mistakes get a clear message and a failing exit code', async () => {
  const unknown = cli('fly');
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /unknown command "fly"/);
  const missing = cli('train', '--out', '/tmp/x');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /--data is required/);
  const nodata = cli('evaluate', '--model', '/nonexistent/model', '--data', '/nonexistent', '--backend', 'wasm');
  assert.equal(nodata.code, 1);
  assert.match(nodata.err, /model folder not found: \/nonexistent\/model/);
});

test('bench reports each backend it measures, with a kernel profile on request', () => {
  const r = cli('bench', '--backends', 'wasm', '--base', '2', '--batch', '2', '--crop', '32', '--steps', '1', '--profile', '--json');
  assert.equal(r.code, 0, r.err);
  const { rows } = JSON.parse(r.out) as { rows: { backend: string; trainMsPerStep: number; predictMsPerImage: number; profile: { kernels: { name: string }[] } }[] };
  assert.deepEqual(
    rows.map((x) => x.backend),
    ['wasm'],
  );
  assert.ok(rows[0].trainMsPerStep > 0 && rows[0].predictMsPerImage > 0);
  assert.ok(rows[0].profile.kernels.some((k) => k.name === 'Conv2DBackpropFilter'), 'the profile names the step kernels');
  const bad = cli('bench', '--backends', 'cuda');
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /unknown backend cuda/);
});
