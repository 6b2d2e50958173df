import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMaskPng, encodeRgbPng } from '../../main/engine/data/image-io';
import { syntheticFundus } from '../helpers/synthetic';

const ROOT = join(__dirname, '..', '..');

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'main', 'cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
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
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command "fly"/);
  const missing = cli('train', '--out', '/tmp/x');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /--data is required/);
  const nodata = cli('evaluate', '--model', '/nonexistent/model', '--data', '/nonexistent', '--backend', 'wasm');
  assert.equal(nodata.code, 1);
  assert.match(nodata.err, /model folder not found: \/nonexistent\/model/);
});

test('bench reports each backend it measures, with a kernel profile on request', () => {
  const r = cli('bench', '--backends', 'wasm', '--base', '2', '--batch', '2', '--crop', '32', '--steps', '1', '--profile', '--json');
  assert.equal(r.code, 0, r.err);
  const { rows } = JSON.parse(r.out) as {
    rows: { backend: string; trainMsPerStep: number; predictMsPerImage: number; profile: { kernels: { name: string }[] } }[];
  };
  assert.deepEqual(
    rows.map((x) => x.backend),
    ['wasm'],
  );
  assert.ok(rows[0].trainMsPerStep > 0 && rows[0].predictMsPerImage > 0);
  assert.ok(
    rows[0].profile.kernels.some((k) => k.name === 'Conv2DBackpropFilter'),
    'the profile names the step kernels',
  );
  const bad = cli('bench', '--backends', 'cuda');
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /unknown backend cuda/);
});

/** The built CLI (as `npm run train` runs it): it starts in about a second, against several for tsx. */
const BUILT_CLI = join(ROOT, 'dist', 'main', 'cli.js');

function builtCli(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, err }));
  });
}

test('every misuse of the command line is refused before any work, with the option named and exit code 2', async () => {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run "npm run build" first (npm test does)`);
  const dir = mkdtempSync(join(tmpdir(), 'vs-cli-misuse-'));
  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'notes', 'keep.txt'), 'mine');
  const out = join(dir, 'model');
  const train = (...a: string[]) => ['train', '--data', dir, '--out', out, ...a];
  const whole = (name: string, min: number, max: number, got: string) =>
    `error: --${name} must be a whole number from ${min} to ${max}, got ${got}\n`;
  const cases: [string[], string | RegExp][] = [
    // The ones issue 11 found (they trained 0 steps, ran 2, ran out of memory, divided by zero, or blamed mkdir).
    [train('--steps=-5'), whole('steps', 1, 10_000_000, '"-5"')],
    [train('--steps='), whole('steps', 1, 10_000_000, '"" (empty)')],
    [train('--steps', '0'), whole('steps', 1, 10_000_000, '"0"')],
    [train('--steps', '1.5'), whole('steps', 1, 10_000_000, '"1.5"')],
    [['predict', '--model', dir, 'eye.png', '--out', join(dir, 'p.png'), '--workers', '1000000'], whole('workers', 1, 64, '"1000000"')],
    [train('--batch', '0'), whole('batch', 1, 1024, '"0"')],
    [train('--crop', '0'), whole('crop', 16, 2048, '"0"')],
    [
      ['train', '--data', dir, '--out', join(dir, 'missing', 'deeper', 'model')],
      `error: --out: the folder ${join(dir, 'missing', 'deeper')} does not exist; create it first\n`,
    ],
    // One per other kind of check (the validators themselves: options.test.ts).
    [train('--crop', '40'), 'error: --crop must be a multiple of 16 (2 to the power of --depth 4), got "40"\n'],
    [
      ['train', '--data', dir, '--out', join(dir, 'notes')],
      `error: --out: ${join(dir, 'notes')} exists and is not a model folder (no meta.json); saving would replace it, so name a new folder\n`,
    ],
    [['evaluate', '--model', dir, '--data', dir, '--threshold', '2'], 'error: --threshold must be a number from 0 to 1, got "2"\n'],
    [train('--backend', 'cuda'), 'error: --backend: unknown backend "cuda" (choose tensorflow, webgpu, wasm, cpu or auto)\n'],
    [train('--stepz', '5'), /^error: Unknown option '--stepz'\. /],
    [['finetune', '--model', dir, '--data', dir, '--out', out, '--batch', '0'], whole('batch', 1, 1024, '"0"')],
  ];
  // Two at a time: each is a process start (this machine has two cores).
  const results: { code: number | null; err: string }[] = [];
  for (let i = 0; i < cases.length; i += 2) results.push(...(await Promise.all(cases.slice(i, i + 2).map(([args]) => builtCli(args)))));
  cases.forEach(([args, message], i) => {
    assert.equal(results[i].code, 2, args.join(' '));
    if (typeof message === 'string') assert.equal(results[i].err, message, args.join(' '));
    else assert.match(results[i].err, message, args.join(' '));
  });
  assert.deepEqual(readdirSync(dir).sort(), ['notes'], 'nothing was written');
  assert.deepEqual(readdirSync(join(dir, 'notes')), ['keep.txt']);
});
