import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CAMERA_PHOTOMETRIC, NO_PHOTOMETRIC, randomPhotometric } from '../../main/engine/photometric';
import { Rng } from '../../main/engine/rng';
import { AugmentedPool, toTrainingImage, toWorkingSample, type InputRecipe } from '../../main/engine/training-data';
import type { Sample } from '../../main/engine/data/datasets';
import { syntheticFundus } from '../helpers/synthetic';

const sample = (size: number, seed: number): Sample => {
  const s = syntheticFundus(size, size, seed);
  return { name: `s${seed}`, image: s.image, label: s.label, fov: s.fov, fovDerived: false };
};
const recipe: InputRecipe = { preprocessing: 'fov-local-v1', scale: { fovDiameter: 100 } };

test('training images are brought to the working scale before preprocessing', () => {
  const w = toWorkingSample(sample(400, 1), recipe);
  // The synthetic FOV is 0.94 of the side: 376 px → 100 px.
  assert.ok(Math.abs(w.fovDiameter - 100) < 1, `${w.fovDiameter}`);
  assert.equal(w.image.width, Math.round(400 * w.factor));
  const t = toTrainingImage(sample(400, 1), recipe);
  assert.equal(t.width, w.image.width);
  assert.equal(t.input.length, t.width * t.height * 3);
  assert.equal(t.label.length, t.width * t.height);
  const native = toTrainingImage(sample(200, 1), { preprocessing: 'fov-standardize-v1', scale: null });
  assert.equal(native.width, 200);
});

test('camera simulation changes the photograph, and repeats with the same seed', async () => {
  const s = sample(160, 2);
  const a = await randomPhotometric(s.image, s.fov, CAMERA_PHOTOMETRIC, new Rng(5));
  const b = await randomPhotometric(s.image, s.fov, CAMERA_PHOTOMETRIC, new Rng(5));
  assert.deepEqual(a.data, b.data);
  let changed = 0;
  for (let i = 0; i < s.fov.data.length; i++) {
    const d = Math.abs(a.data[i * 3] - s.image.data[i * 3]) + Math.abs(a.data[i * 3 + 1] - s.image.data[i * 3 + 1]);
    if (s.fov.data[i]) changed += d > 0 ? 1 : 0;
  }
  assert.ok(changed > 0.5 * s.fov.data.reduce((x, y) => x + y, 0), `${changed} FOV pixels changed`);
  const same = await randomPhotometric(s.image, s.fov, NO_PHOTOMETRIC, new Rng(5));
  assert.deepEqual(same.data, s.image.data);
});

test('augmented pool: a run resumed at step k holds exactly the images of the run that got there', async () => {
  const working = [1, 2, 3].map((k) => toWorkingSample(sample(140, k), recipe));
  const straight = new AugmentedPool(working, recipe, CAMERA_PHOTOMETRIC, 9, 2);
  for (let step = 0; step < 11; step++) await straight.beforeStep(step);
  const resumed = new AugmentedPool(working, recipe, CAMERA_PHOTOMETRIC, 9, 2);
  await resumed.resumeAt(11);
  for (let i = 0; i < 3; i++) assert.deepEqual(resumed.images[i].input, straight.images[i].input, `image ${i}`);
  const fresh = new AugmentedPool(working, recipe, CAMERA_PHOTOMETRIC, 9, 2);
  assert.notDeepEqual(fresh.images[0].input, straight.images[0].input, 'images are re-drawn as training goes');
  const off = new AugmentedPool(working, recipe, NO_PHOTOMETRIC, 9, 2);
  assert.equal(off.active, false);
});
