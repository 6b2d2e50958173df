/**
 * The optic disc finder: a synthetic fundus with a bright disc of known place and size, the same
 * without one, and the 20 DRIVE test photographs (macula-centred: the disc sits to one side).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findDisc } from '../../main/analysis/disc';
import { readImage, readMask } from '../../main/engine/data/image-io';
import { measureFov } from '../../main/engine/geometry/fov-circle';
import { DRIVE } from '../helpers/paths';
import { syntheticFundus } from '../helpers/synthetic';

/** The synthetic fundus with a bright yellowish disc of diameter d at (cx, cy), its edge slightly blurred. */
function withDisc(cx: number, cy: number, d: number) {
  const s = syntheticFundus(560, 560, 7, 12);
  const { data, width } = s.image;
  for (let y = 0; y < 560; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      const a = Math.min(1, Math.max(0, (d / 2 + 2 - r) / 4));
      if (a === 0 || !s.fov.data[y * width + x]) continue;
      const i = (y * width + x) * 3;
      data[i] = Math.round(data[i] * (1 - a) + 250 * a);
      data[i + 1] = Math.round(data[i + 1] * (1 - a) + 220 * a);
      data[i + 2] = Math.round(data[i + 2] * (1 - a) + 150 * a);
    }
  }
  return s;
}

test('disc: found at its place and size in a synthetic fundus; none without one, with the reason', () => {
  const s = withDisc(150, 300, 76);
  const fov = measureFov(s.fov);
  assert.ok(fov.found);
  const r = findDisc(s.image, s.fov, fov.circle.diameter, 45, s.label);
  assert.ok(r.found, r.found ? '' : r.reason);
  assert.ok(Math.hypot(r.disc.cx - 150, r.disc.cy - 300) < 4, `centre ${r.disc.cx}, ${r.disc.cy}`);
  assert.ok(Math.abs(r.disc.diameter - 76) < 0.12 * 76, `diameter ${r.disc.diameter}`);
  const none = syntheticFundus(560, 560, 7, 12);
  const n = findDisc(none.image, none.fov, fov.circle.diameter, 45, none.label);
  assert.equal(n.found, false);
  assert.match(n.found ? '' : n.reason, /no optic disc visible/);
});

test('disc: found in every DRIVE test photograph, away from the macula, of a plausible size', async () => {
  for (let k = 1; k <= 20; k++) {
    const id = String(k).padStart(2, '0');
    const img = await readImage(join(DRIVE, 'test', 'images', `${id}_test.tif`));
    const fov = await readMask(join(DRIVE, 'test', 'mask', `${id}_test_mask.gif`), img);
    const vessels = await readMask(join(DRIVE, 'test', '1st_manual', `${id}_manual1.gif`), img);
    const c = measureFov(fov);
    const r = findDisc(img, fov, c.found ? c.circle.diameter : null, 45, vessels);
    assert.ok(r.found, `${id}: ${r.found ? '' : r.reason}`);
    // DRIVE discs are ~60-110 px across and lie well to the side of the image centre (the macula).
    assert.ok(r.disc.diameter > 45 && r.disc.diameter < 125, `${id}: diameter ${r.disc.diameter}`);
    assert.ok(Math.abs(r.disc.cx - img.width / 2) > 0.1 * img.width, `${id}: centre x ${r.disc.cx}`);
    assert.ok(r.disc.cy > 0.25 * img.height && r.disc.cy < 0.75 * img.height, `${id}: centre y ${r.disc.cy}`);
  }
});
