import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aucFromHistogram, aucFromSorted, confusionMetrics, histogram, ScoreCollector } from '../../main/engine/metrics';
import { Rng } from '../../main/engine/rng';

const f32 = (a: number[]) => Float32Array.from(a);

test('AUC: perfect, inverted and hand-computed cases with ties', () => {
  assert.equal(aucFromSorted(f32([0.6, 0.9]), f32([0.1, 0.2])), 1);
  assert.equal(aucFromSorted(f32([0.1, 0.2]), f32([0.6, 0.9])), 0);
  // pos {0.5, 0.8}, neg {0.3, 0.5, 0.9}: pairs won: 0.5>0.3 (1), 0.5=0.5 (0.5), 0.8>0.3,0.5 (2) => 3.5/6
  assert.equal(aucFromSorted(f32([0.5, 0.8]), f32([0.3, 0.5, 0.9])), 3.5 / 6);
  // all tied => 0.5
  assert.equal(aucFromSorted(f32([0.5, 0.5]), f32([0.5, 0.5, 0.5])), 0.5);
});

test('threshold metrics from a hand-computed confusion matrix', () => {
  // tp 3, fp 1, tn 4, fn 2
  const m = confusionMetrics({ tp: 3, fp: 1, tn: 4, fn: 2 });
  assert.equal(m.f1, 6 / 9);
  assert.equal(m.accuracy, 0.7);
  assert.equal(m.sensitivity, 0.6);
  assert.equal(m.specificity, 0.8);
});

test('collector counts only FOV pixels and thresholds at >= t', () => {
  const prob = f32([0.9, 0.4, 0.6, 0.1, 0.7, 0.95]);
  const label = Uint8Array.from([1, 1, 0, 0, 1, 0]);
  const fov = Uint8Array.from([1, 1, 1, 1, 1, 0]); // last pixel (a confident false positive) is outside
  const c = new ScoreCollector();
  c.add(prob, label, fov);
  const s = c.scores(0.5);
  // inside: pos {0.9, 0.4, 0.7}, neg {0.6, 0.1}; at 0.5: tp 2 (0.9, 0.7), fn 1, fp 1 (0.6), tn 1
  assert.equal(s.pixels, 5);
  assert.equal(s.f1, 4 / 6);
  assert.equal(s.sensitivity, 2 / 3);
  assert.equal(s.specificity, 0.5);
  // pairs: 0.9 beats both, 0.4 beats 0.1, 0.7 beats both => 5/6
  assert.ok(Math.abs(s.auc - 5 / 6) < 1e-12);
});

test('exact AUC equals the brute-force pair count on random data', () => {
  const rng = new Rng(7);
  const pos = f32(Array.from({ length: 300 }, () => Math.round(rng.uniform(0.2, 1) * 50) / 50));
  const neg = f32(Array.from({ length: 500 }, () => Math.round(rng.uniform(0, 0.8) * 50) / 50));
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  const brute = wins / (pos.length * neg.length);
  assert.ok(Math.abs(aucFromSorted(pos.slice().sort(), neg.slice().sort()) - brute) < 1e-12);
});

test('histogram AUC with 10^4 bins is within 1e-4 of the exact value', () => {
  const rng = new Rng(3);
  const pos = f32(Array.from({ length: 20000 }, () => Math.min(1, Math.max(0, 0.7 + 0.2 * (rng.next() + rng.next() - 1)))));
  const neg = f32(Array.from({ length: 80000 }, () => Math.min(1, Math.max(0, 0.3 + 0.3 * (rng.next() + rng.next() - 1)))));
  const exact = aucFromSorted(pos.slice().sort(), neg.slice().sort());
  const approx = aucFromHistogram(histogram(pos, 10000), histogram(neg, 10000));
  assert.ok(exact > 0.8 && exact < 1, `exact ${exact}`);
  assert.ok(Math.abs(approx - exact) < 1e-4, `${approx} vs ${exact}`);
});

test('best-F1 threshold separates cleanly separable scores', () => {
  const c = new ScoreCollector();
  c.add(f32([0.1, 0.2, 0.3, 0.7, 0.8]), Uint8Array.from([0, 0, 0, 1, 1]), null);
  const t = c.bestF1Threshold();
  assert.ok(t > 0.3 && t <= 0.7, `threshold ${t}`);
  assert.equal(c.scores(t).f1, 1);
});
