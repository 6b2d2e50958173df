import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  backendOption,
  choiceOption,
  intOption,
  numberOption,
  outputFile,
  outputModelFolder,
  requiredOption,
  UsageError,
} from '../../main/cli/options';
import { tempDir } from '../helpers/files';

const refused = (fn: () => unknown, message: string) => assert.throws(fn, (e: unknown) => e instanceof UsageError && e.message === message);

test('whole-number options: digits only, within their range; absent gives the default', () => {
  assert.equal(intOption(undefined, 'steps', 300, 1, 10), 300);
  assert.equal(intOption('7', 'steps', 300, 1, 10), 7);
  assert.equal(intOption(' 10 ', 'steps', 300, 1, 10), 10);
  for (const [v, got] of [
    ['1.5', '"1.5"'],
    ['1e1', '"1e1"'],
    ['', '"" (empty)'],
    ['0x5', '"0x5"'],
    ['11', '"11"'],
    ['0', '"0"'],
    ['-3', '"-3"'],
    ['99999999999999999999', '"99999999999999999999"'],
  ]) {
    refused(() => intOption(v, 'steps', 300, 1, 10), `--steps must be a whole number from 1 to 10, got ${got}`);
  }
});

test('number options: finite, within their range, the lower end excluded when asked', () => {
  assert.equal(numberOption('1e-4', 'lr', 1, { min: 0, max: 1, above: true }), 1e-4);
  assert.equal(numberOption('0', 'dropout', 0.1, { min: 0, max: 0.9 }), 0);
  refused(() => numberOption('0', 'lr', 1, { min: 0, max: 1, above: true }), '--lr must be a number above 0 and at most 1, got "0"');
  for (const v of ['NaN', 'Infinity', '', 'abc', '0.95']) {
    refused(
      () => numberOption(v, 'dropout', 0.1, { min: 0, max: 0.9 }),
      `--dropout must be a number from 0 to 0.9, got ${v === '' ? '"" (empty)' : `"${v}"`}`,
    );
  }
});

test('choices, required values and backends name what is accepted', () => {
  assert.equal(choiceOption(undefined, 'split', 'test', ['training', 'test']), 'test');
  refused(
    () => choiceOption('validation', 'split', 'test', ['training', 'test']),
    '--split must be one of training, test, got "validation"',
  );
  refused(() => requiredOption(undefined, 'data'), '--data is required (see --help)');
  refused(() => requiredOption('', 'data'), '--data is required (see --help)');
  assert.equal(backendOption(undefined), 'auto');
  assert.equal(backendOption('wasm'), 'wasm');
  refused(() => backendOption('cuda'), '--backend: unknown backend "cuda" (choose tensorflow, webgpu, wasm, cpu or auto)');
});

test('outputs: the folder must exist; a file is not a folder; an existing model folder may be replaced, nothing else', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'model'));
  writeFileSync(join(dir, 'model', 'meta.json'), '{}');
  mkdirSync(join(dir, 'photos'));
  writeFileSync(join(dir, 'file.png'), 'x');
  assert.equal(outputFile(join(dir, 'out.png'), 'out'), join(dir, 'out.png'));
  refused(() => outputFile(join(dir, 'nope', 'out.png'), 'out'), `--out: the folder ${join(dir, 'nope')} does not exist; create it first`);
  refused(() => outputFile(join(dir, 'photos'), 'out'), `--out: ${join(dir, 'photos')} is a folder; name a file`);
  assert.equal(outputModelFolder(join(dir, 'new'), 'out'), join(dir, 'new'));
  assert.equal(outputModelFolder(join(dir, 'model'), 'out'), join(dir, 'model'));
  refused(
    () => outputModelFolder(join(dir, 'photos'), 'out'),
    `--out: ${join(dir, 'photos')} exists and is not a model folder (no meta.json); saving would replace it, so name a new folder`,
  );
  refused(() => outputModelFolder(join(dir, 'file.png'), 'out'), `--out: ${join(dir, 'file.png')} is a file, not a model folder`);
  refused(() => outputModelFolder(undefined, 'out'), '--out is required (see --help)');
});
