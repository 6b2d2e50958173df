import assert from 'node:assert/strict';
import { test } from 'node:test';
import { niceTicks } from '../../renderer/components/LineChart';

test('chart ticks are round numbers covering the range', () => {
  assert.deepEqual(niceTicks(0, 300, 4), [0, 100, 200, 300]);
  assert.deepEqual(niceTicks(0, 12, 4), [0, 5, 10]);
  assert.deepEqual(niceTicks(0.118, 0.152, 4), [0.12, 0.13, 0.14, 0.15]);
  assert.deepEqual(niceTicks(1, 1), [1]);
});
