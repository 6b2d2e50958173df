/**
 * Every measure against a synthetic image whose answer is known: tubes of known width, circular arcs of
 * known curvature, a sine of known inflections, a self-similar pattern of known fractal dimension,
 * drawn patterns of known density, branchings of known topology.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measure, type Measurements, type SegmentMeasure } from '../../main/analysis/measure';
import { boxCount, powersOfTwo } from '../../main/analysis/fractal';
import { vesselGraph } from '../../main/analysis/segments';
import { inZone, zoneMask } from '../../main/analysis/zones';
import { scaleFromCamera, scaleFromDisc } from '../../main/analysis/units';
import type { Disc, Mask } from '../../main/analysis/types';
import { arc, blank, drawBand, line, sine } from '../helpers/shapes';

const W = 400;
const H = 300;

function measureMap(m: Mask, disc: Disc | null = null): Measurements {
  // A field of view of DRIVE's size, so the default settings are the reference ones.
  return measure({ vessels: m, fov: blank(m.width, m.height, 1), fovDiameterPx: 540, disc, scale: null });
}

function only(r: Measurements): SegmentMeasure {
  assert.equal(r.segments.length, 1, `one segment expected, got ${r.segments.length}`);
  return r.segments[0];
}

const near = (actual: number | null, expected: number, tol: number, what: string) => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${what}: ${actual} is not ${expected} ± ${tol}`);
};

test('straight tube of width 5, horizontal: width 5, distance tortuosity 1, no curvature, no inflection', () => {
  const s = only(measureMap(drawBand(blank(W, H), line(50, 150.5, 350, 150.5), 5)));
  near(s.widthPx, 5, 0.3, 'width');
  near(s.distanceTortuosity, 1, 0.001, 'distance tortuosity');
  near(s.squaredCurvature, 0, 1e-6, 'squared curvature');
  assert.equal(s.tortuosityDensity, 0);
});

test('straight tubes of width 5 at any angle: width 5 ± 0.3, tortuosity 1 ± 0.003, little curvature', () => {
  for (let deg = 0; deg < 180; deg += 7.5) {
    const a = (deg * Math.PI) / 180;
    const [c, s] = [Math.cos(a), Math.sin(a)];
    // Centred on a pixel centre, so that the axis-parallel tubes rasterise 5 pixels wide.
    const seg = only(measureMap(drawBand(blank(W, H), line(200.5 - 110 * c, 150.5 - 110 * s, 200.5 + 110 * c, 150.5 + 110 * s), 5)));
    near(seg.widthPx, 5, 0.3, `width at ${deg}°`);
    near(seg.distanceTortuosity, 1, 0.003, `distance tortuosity at ${deg}°`);
    // The rasterised edge's staircase leaves a curvature floor well under that of a 150 px radius.
    assert.ok(seg.squaredCurvature! < 1 / 150 ** 2, `squared curvature at ${deg}°: ${seg.squaredCurvature}`);
    assert.equal(seg.tortuosityDensity, 0, `no inflection in a straight tube at ${deg}°`);
  }
});

test('tube widths 2 to 12, horizontal and oblique, within 0.3 px', () => {
  for (const width of [2, 3, 4, 7, 9, 12]) {
    // An odd width rasterises symmetrically around a row of pixel centres, an even one around a pixel edge.
    const y = 150 + (width % 2) / 2;
    near(only(measureMap(drawBand(blank(W, H), line(40, y, 360, y), width))).widthPx, width, 0.3, `horizontal width ${width}`);
    near(only(measureMap(drawBand(blank(W, H), line(80, 40, 320, 260), width))).widthPx, width, 0.3, `oblique width ${width}`);
  }
});

test('circular arcs: curvature 1/R (root of the squared curvature), distance tortuosity that of the arc', () => {
  for (const [R, a0, a1] of [
    [40, 0.2, 3.6],
    [60, 0.3, 2.8],
    [100, 3.5, 5.9],
  ]) {
    const s = only(measureMap(drawBand(blank(W, H), arc(200, R > 60 ? 220 : 150, R, a0, a1), 5)));
    near(Math.sqrt(s.squaredCurvature!), 1 / R, 0.05 / R, `root-mean-square curvature for R=${R}`);
    // Chord of an arc of length L on a circle of radius R: 2R·sin(L/2R).
    const half = s.lengthPx / (2 * R);
    near(s.distanceTortuosity, half / Math.sin(half), 0.01, `distance tortuosity for R=${R}`);
    near(s.lengthPx, R * (a1 - a0), 6, `length for R=${R}`);
    near(s.widthPx, 5, 0.3, `width for R=${R}`);
    assert.equal(s.tortuosityDensity, 0, `an arc has no inflection (R=${R})`);
  }
});

test('sine: tortuosity density from its inflections (Grisan), matches the analytic curve', () => {
  const [x0, x1, y0, amp, wave] = [40, 360, 150, 12, 80];
  const s = only(measureMap(drawBand(blank(W, H), sine(x0, x1, y0, amp, wave), 5)));
  // The same formula on the true curve between the centreline's measured ends: arcs between zero crossings.
  const f = (x: number) => y0 + amp * Math.sin((2 * Math.PI * (x - x0)) / wave);
  const arcLen = (a: number, b: number) => {
    let len = 0;
    for (let x = a; x < b; x += 0.01) len += Math.hypot(0.01, f(x + 0.01) - f(x));
    return len;
  };
  const start = Math.min(s.points[0], s.points[s.points.length - 2]);
  const end = Math.max(s.points[0], s.points[s.points.length - 2]);
  const cuts = [start];
  for (let x = x0 + wave / 2; x < end; x += wave / 2) if (x > start) cuts.push(x);
  cuts.push(end);
  const n = cuts.length - 1;
  let sum = 0;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const L = arcLen(cuts[k], cuts[k + 1]);
    total += L;
    sum += L / Math.hypot(cuts[k + 1] - cuts[k], f(cuts[k + 1]) - f(cuts[k])) - 1;
  }
  const expected = ((n - 1) / n) * (sum / total);
  near(s.tortuosityDensity, expected, 0.1 * expected, 'tortuosity density');
  near(s.distanceTortuosity, total / Math.hypot(end - start, f(end) - f(start)), 0.01, 'distance tortuosity');
});

/** Pascal's triangle mod 2 on a 2^k grid: a Sierpinski gasket, box dimension log 3 / log 2 exactly at sides 2^j. */
function sierpinski(k: number): Mask {
  const n = 2 ** k;
  const m = blank(n, n);
  for (let y = 0; y < n; y++) for (let x = 0; x <= y; x++) if ((x & (y - x)) === 0) m.data[y * n + x] = 1;
  return m;
}

test('fractal dimension: Sierpinski gasket log3/log2, line 1, filled square 2', () => {
  const g = boxCount(sierpinski(9), null, powersOfTwo(1, 6));
  near(g.dimension, Math.log(3) / Math.log(2), 1e-9, 'Sierpinski gasket');
  const lineMap = blank(512, 512);
  for (let x = 0; x < 512; x++) lineMap.data[100 * 512 + x] = 1;
  near(boxCount(lineMap, null, powersOfTwo(1, 6)).dimension, 1, 1e-9, 'line');
  near(boxCount(blank(512, 512, 1), null, powersOfTwo(1, 6)).dimension, 2, 1e-9, 'filled square');
  // measure() uses sides 2..64 at DRIVE scale, over the field of view.
  near(measureMap(sierpinski(9)).regions.fov.fractalDimension, Math.log(3) / Math.log(2), 1e-9, 'measure() on the gasket');
});

test('area density: exact for drawn patterns, in the field of view and in the zones', () => {
  // Every third column filled: density 1/3 of a 300-wide field of view.
  const cols = blank(300, 200);
  for (let y = 0; y < 200; y++) for (let x = 0; x < 300; x += 3) cols.data[y * 300 + x] = 1;
  assert.equal(measureMap(cols).regions.fov.density, 1 / 3);
  // The left half of the image: by symmetry half of each zone around a disc centred on the split.
  const half = blank(W, H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W / 2; x++) half.data[y * W + x] = 1;
  const disc = { cx: W / 2, cy: H / 2, diameter: 40 };
  const r = measureMap(half, disc);
  assert.equal(r.regions.fov.density, 0.5);
  assert.equal(r.regions.B!.density, 0.5);
  assert.equal(r.regions.C!.density, 0.5);
  // Zone B: 1-1.5 DD from the centre; C: 1-2.5 DD, both whole inside this image.
  assert.equal(
    r.regions.B!.areaPx,
    zoneMask(disc, 'B', blank(W, H, 1)).data.reduce((a, b) => a + b, 0),
  );
  near(r.regions.B!.coverage, 1, 0.01, 'zone B coverage');
  near(r.regions.C!.areaPx, Math.PI * (100 ** 2 - 40 ** 2), 60, 'zone C area');
});

test('zones: radii from the disc margin, clipped to the field of view', () => {
  const disc = { cx: 100, cy: 100, diameter: 20 };
  assert.ok(
    !inZone(disc, 'B', 100 + 19.9, 100) &&
      inZone(disc, 'B', 100 + 20, 100) &&
      inZone(disc, 'B', 100 + 29.9, 100) &&
      !inZone(disc, 'B', 130, 100),
  );
  assert.ok(inZone(disc, 'C', 100, 100 + 49.9) && !inZone(disc, 'C', 100, 150));
  const fov = blank(200, 200);
  for (let y = 0; y < 200; y++) for (let x = 0; x < 100; x++) fov.data[y * 200 + x] = 1;
  const r = measure({ vessels: blank(200, 200), fov, fovDiameterPx: 540, disc, scale: null });
  near(r.regions.C!.coverage, 0.5, 0.02, 'half of zone C is in the field of view');
});

test('branchings: a T has one branch point of degree 3 and three segments; a cross one of degree 4', () => {
  const t = drawBand(blank(W, H), line(50, 100.5, 350, 100.5), 7);
  drawBand(t, line(200.5, 100, 200.5, 280), 5);
  const rt = measureMap(t);
  assert.equal(rt.branchPoints.length, 1);
  assert.equal(rt.branchPoints[0].degree, 3);
  assert.equal(rt.segments.length, 3);
  near(rt.branchPoints[0].x, 200.5, 3, 'branch point x');
  near(rt.branchPoints[0].y, 100.5, 3, 'branch point y');
  const widths = rt.segments.map((s) => s.widthPx!).sort((a, b) => a - b);
  near(widths[0], 5, 0.3, 'the branch');
  near(widths[1], 7, 0.3, 'trunk, one side');
  near(widths[2], 7, 0.3, 'trunk, other side');
  const plus = drawBand(blank(W, H), line(60, 150.5, 340, 150.5), 5);
  drawBand(plus, line(200.5, 20, 200.5, 280), 5);
  const rp = measureMap(plus);
  assert.deepEqual(
    rp.branchPoints.map((b) => b.degree),
    [4],
  );
  assert.equal(rp.segments.length, 4);
  // Centreline length: the two tubes, less what thinning takes off the four free ends.
  near(rp.regions.fov.lengthPx, 280 + 260, 16, 'total length');
});

test('spurs from a bumpy edge are pruned; a real side branch is kept', () => {
  const m = drawBand(blank(W, H), line(40, 150.5, 360, 150.5), 9);
  // A bump 2 px high on the edge: thinning makes a spur of it.
  for (let x = 150; x < 154; x++) for (let y = 155; y < 157; y++) m.data[y * W + x] = 1;
  drawBand(m, line(250.5, 150, 250.5, 250), 4);
  const g = vesselGraph(m);
  assert.equal(g.branchPoints.length, 1, 'only the side branch makes a branch point');
  assert.equal(g.segments.length, 3);
});

test('empty segmentation: zeros and empties with a reason, never NaN', () => {
  const r = measureMap(blank(W, H), { cx: 200, cy: 150, diameter: 40 });
  assert.equal(r.regions.fov.density, 0);
  assert.equal(r.regions.fov.segments, 0);
  assert.equal(r.regions.fov.lengthPx, 0);
  assert.equal(r.regions.fov.fractalDimension, null);
  assert.equal(r.regions.fov.widthPx, null);
  assert.equal(r.regions.B!.density, 0);
  assert.ok(
    r.notes.some((n) => /empty segmentation/.test(n)),
    r.notes.join('; '),
  );
  assert.ok(!JSON.stringify(r).includes('NaN') && !JSON.stringify(r, (_k, v) => (Number.isNaN(v) ? 'NaN!' : v)).includes('NaN!'));
});

test('units: camera angle over the field of view, or the 1.8 mm disc', () => {
  near(scaleFromCamera(540, 45).umPerPx, (45 * 288) / 540, 1e-9, 'camera');
  near(scaleFromDisc(90).umPerPx, 20, 1e-9, 'disc');
});

test('agreement: Bland-Altman figures and correlation of known pairs', async () => {
  const { agreement } = await import('../../main/analysis/agreement');
  // b = a - 1 except one pair: differences 1, 1, 1, 3 → mean 1.5, SD 1.
  const r = agreement([1, 2, 3, 6], [0, 1, 2, 3])!;
  assert.equal(r.n, 4);
  assert.equal(r.meanDifference, 1.5);
  assert.equal(r.meanAbsDifference, 1.5);
  assert.equal(r.sdDifference, 1);
  assert.deepEqual(r.limits, [1.5 - 1.96, 1.5 + 1.96]);
  // Σdxdy = 8, Σdx² = 14, Σdy² = 5.
  near(r.correlation, 8 / Math.sqrt(70), 1e-12, 'Pearson r');
  // Missing values pair off; too few pairs give null.
  assert.equal(agreement([1, null], [2, 3]), null);
});

test('docs/MEASUREMENTS.md lists exactly the columns the table has', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { columnsMarkdown } = await import('../../main/analysis/columns');
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'MEASUREMENTS.md'), 'utf8');
  assert.ok(doc.includes(columnsMarkdown()), 'the column table in docs/MEASUREMENTS.md is out of date: paste the output of "node dist/main/cli.js analyze --columns"');
});
