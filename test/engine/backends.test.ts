import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, parseBackend } from '../../main/engine/backends';

const installed = (pkg: string) => {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
};

test('backend names are checked', () => {
  assert.equal(parseBackend(undefined), 'auto');
  assert.equal(parseBackend('wasm'), 'wasm');
  assert.throws(() => parseBackend('cuda'), /unknown backend "cuda" \(choose tensorflow, webgpu, wasm, cpu or auto\)/);
});

test('a named backend that cannot start says why', { skip: installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu') }, async () => {
  await assert.rejects(initBackend('tensorflow'), /backend tensorflow: @tensorflow\/tfjs-node\(-gpu\) is not installed/);
});

test('automatic choice explains every faster backend it skipped, and runs on the one it names', async () => {
  const order = ['tensorflow', 'webgpu', 'wasm', 'cpu'];
  const info = await initBackend('auto');
  assert.equal(tf.getBackend(), info.name);
  assert.ok(info.device.length > 0);
  for (const faster of order.slice(0, order.indexOf(info.name))) {
    assert.ok(info.notes.some((n) => n.startsWith(`${faster}:`)), `no reason given for skipping ${faster}: ${info.notes.join(' | ')}`);
  }
});
