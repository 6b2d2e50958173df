/**
 * CRAE, CRVE and AVR against known answers: the revised Knudtson combination worked by hand, and
 * synthetic artery/vein maps of radial tubes of known widths around a disc of known size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibreEquivalents, knudtson, KNUDTSON } from '../../main/analysis/calibre-equivalents';
import { settingsFor } from '../../main/analysis/measure';
import type { Disc } from '../../main/analysis/types';
import { AV, type AvMap } from '../../main/engine/types';
import { blank, drawBand, line } from '../helpers/shapes';

const near = (actual: number | null, expected: number, tol: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${what}: ${actual} is not ${expected} ± ${tol}`);

test('knudtson: six equal arterioles of 10 px: 0.88·√(w²+w²) three times, then the pairing rounds', () => {
  const pair = (a: number, b: number) => 0.88 * Math.hypot(a, b);
  const first = pair(10, 10);
  // 3 values left: the widest pairs with the narrowest, the middle one carries over.
  const expected = pair(pair(first, first), first);
  near(knudtson([10, 10, 10, 10, 10, 10], KNUDTSON.artery), expected, 1e-9, 'CRAE');
  near(expected, 17.4843, 1e-4, 'worked by hand');
});

test('knudtson pairs the widest with the narrowest, whatever the order given', () => {
  // Round 1: (15, 8) → 14.960, (14, 9) → 14.646, (12, 10) → 13.746. Round 2 (three left): (14.960, 13.746)
  // → 17.879, 14.646 carries. Round 3: 0.88·√(17.879² + 14.646²) = 20.338.
  near(knudtson([15, 14, 12, 10, 9, 8], KNUDTSON.artery), 20.3382, 1e-4, 'CRAE');
  near(knudtson([9, 15, 8, 12, 14, 10], KNUDTSON.artery), 20.3382, 1e-4, 'CRAE, shuffled');
  // Pairing neighbours instead ((15, 14), (12, 10), (9, 8)) would give 19.894: the rule matters.
  assert.ok(Math.abs(knudtson([15, 14, 12, 10, 9, 8], KNUDTSON.artery)! - 19.8943) > 0.4);
});

test('knudtson with an odd count: the middle width carries over', () => {
  // Venules 20, 16, 12, 8, 4: (20, 4) → 19.376, (16, 8) → 16.994, 12 carries; then (19.376, 12) → 21.651,
  // 16.994 carries; then 0.95·√(21.651² + 16.994²) = 26.148.
  near(knudtson([20, 16, 12, 8, 4], KNUDTSON.vein), 26.1482, 1e-4, 'CRVE');
  near(knudtson([7], KNUDTSON.vein), 7, 0, 'one vessel');
  assert.equal(knudtson([], KNUDTSON.vein), null);
});

// A disc of 80 px at the centre of a 600x600 field: zone B is 80-120 px from its centre.
const W = 600;
const DISC: Disc = { cx: 300, cy: 300, diameter: 80 };
const SETTINGS = (() => {
  const s = settingsFor(540);
  return { smoothingPx: s.smoothingPx, tangentPx: s.curvatureStepPx };
})();

/** A tube of `width` along the ray at `deg` degrees from the disc centre, between radii r0 and r1, as class `cls`. */
function ray(av: AvMap, deg: number, width: number, cls: number, r0 = 45, r1 = 220): void {
  const a = (deg * Math.PI) / 180;
  const m = drawBand(
    blank(W, W),
    line(300 + r0 * Math.cos(a), 300 + r0 * Math.sin(a), 300 + r1 * Math.cos(a), 300 + r1 * Math.sin(a)),
    width,
  );
  for (let i = 0; i < m.data.length; i++) if (m.data[i]) av.data[i] = av.data[i] && av.data[i] !== cls ? AV.crossing : cls;
}

const blankAv = (): AvMap => ({ width: W, height: W, data: new Uint8Array(W * W) });
const FOV = blank(W, W, 1);

test('seven arterioles and six venules crossing zone B: the six widest of each, widths within 0.3 px', () => {
  const av = blankAv();
  const arteries = [9, 8, 7, 6, 5, 4, 3];
  const veins = [12, 11, 10, 9, 8, 7];
  // Oblique rays (5° off the axes): an axis-parallel tube of odd width centred on a pixel edge rasterises a pixel wider.
  arteries.forEach((w, k) => ray(av, 5 + k * 27.7, w, AV.artery));
  veins.forEach((w, k) => ray(av, 5 + 13.85 + k * 27.7 + (k >= 3 ? 27.7 : 0), w, AV.vein));
  const r = calibreEquivalents(av, FOV, DISC, SETTINGS);
  assert.equal(r.arteries.length, 6, 'the narrowest arteriole is left out');
  assert.equal(r.veins.length, 6);
  r.arteries.forEach((v, k) => near(v.widthPx, arteries[k], 0.3, `arteriole ${k}`));
  r.veins.forEach((v, k) => near(v.widthPx, veins[k], 0.3, `venule ${k}`));
  near(r.craePx, knudtson(arteries.slice(0, 6), 0.88)!, 0.3, 'CRAE');
  near(r.crvePx, knudtson(veins, 0.95)!, 0.3, 'CRVE');
  near(r.avr, 11.7428 / 20.6303, 0.02, 'AVR');
  assert.deepEqual(r.notes, []);
});

test('a vessel branching inside zone B is measured once, on its trunk', () => {
  const av = blankAv();
  ray(av, 0, 8, AV.artery, 45, 100);
  // Two daughters leave the branch point at r = 100 (inside zone B) and run outwards.
  for (const turn of [-25, 25]) {
    const a = (turn * Math.PI) / 180;
    const m = drawBand(blank(W, W), line(400, 300, 400 + 120 * Math.cos(a), 300 + 120 * Math.sin(a)), 6);
    for (let i = 0; i < m.data.length; i++) if (m.data[i]) av.data[i] = AV.artery;
  }
  const r = calibreEquivalents(av, FOV, DISC, SETTINGS);
  assert.equal(r.arteries.length, 1, `one arteriole, got widths ${r.arteries.map((v) => v.widthPx.toFixed(2))}`);
  near(r.arteries[0].widthPx, 8, 0.4, 'trunk width');
  near(r.craePx, 8, 0.4, 'CRAE of one vessel is its width');
});

test('an artery crossing a vein in zone B stays one vessel of each; uncertain vessels count as neither', () => {
  const av = blankAv();
  ray(av, 0, 8, AV.artery);
  // A straight vein crossing the artery at (400, 300), 60° to it, through zone B.
  const a = (60 * Math.PI) / 180;
  const vein = drawBand(
    blank(W, W),
    line(400 - 150 * Math.cos(a), 300 - 150 * Math.sin(a), 400 + 150 * Math.cos(a), 300 + 150 * Math.sin(a)),
    9,
  );
  for (let i = 0; i < vein.data.length; i++) if (vein.data[i]) av.data[i] = av.data[i] === AV.artery ? AV.crossing : AV.vein;
  ray(av, 180, 10, AV.uncertain);
  const r = calibreEquivalents(av, FOV, DISC, SETTINGS);
  assert.equal(r.arteries.length, 1);
  assert.equal(r.veins.length, 1);
  near(r.arteries[0].widthPx, 8, 0.5, 'artery width through the crossing');
  near(r.veins[0].widthPx, 9, 0.5, 'vein width');
  assert.equal(r.notes.length, 2, 'fewer than six of each is said');
  assert.match(r.notes[0], /1 arterioles cross zone B: the equivalent combines 1, not 6/);
});

test('no vessel of a class in zone B: its equivalent and the AVR are empty', () => {
  const av = blankAv();
  ray(av, 90, 6, AV.vein);
  ray(av, 0, 6, AV.artery, 150, 250);
  const r = calibreEquivalents(av, FOV, DISC, SETTINGS);
  assert.equal(r.craePx, null);
  near(r.crvePx, 6, 0.3, 'CRVE');
  assert.equal(r.avr, null);
});
