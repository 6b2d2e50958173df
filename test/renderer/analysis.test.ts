/** The analysis layer's logic without a window: which segment is under the pointer, and the disc tool. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Disc, MeasurementReport, SegmentView } from '../../preload/contract';
import { SegmentIndex } from '../../renderer/editor/segment-index';
import { down, key, makeEditor, move, up } from './harness';

const segment = (id: number, points: number[]): SegmentView => ({
  id,
  points,
  lengthPx: 0,
  widthPx: null,
  distanceTortuosity: null,
  squaredCurvature: null,
  tortuosityDensity: null,
  measured: true,
  zones: [],
});

test('segment index: the nearest centreline within the tolerance, across grid cells', () => {
  const index = new SegmentIndex([segment(7, [0, 10, 100, 10]), segment(9, [50, 0, 50, 40, 90, 80])], 120);
  assert.equal(index.at(20, 12, 3), 7);
  assert.equal(index.at(20, 14, 3), null, 'too far');
  assert.equal(index.at(51, 30, 3), 9);
  assert.equal(index.at(70, 61, 3), 9, 'on the second piece of a polyline');
  assert.equal(index.at(50, 11, 5), 9, 'where two cross, the nearer');
});

test('disc tool: drag inside moves, drag on the edge resizes, Escape puts it back; commit on release', () => {
  const ed = makeEditor(40, 30);
  const report = { disc: { cx: 20, cy: 15, diameter: 10 } } as unknown as MeasurementReport;
  ed.setMeasure({ report });
  const committed: Disc[] = [];
  ed.onDiscEdited((d) => committed.push(d));
  ed.setTool('disc');
  // Screen = image × 10. Grab inside (2 px right of the centre), move 5 px right and 3 down.
  down(ed, 220, 150);
  move(ed, 270, 180);
  assert.deepEqual(ed.state.measure.draft, { cx: 25, cy: 18, diameter: 10 });
  up(ed, 270, 180);
  assert.deepEqual(committed, [{ cx: 25, cy: 18, diameter: 10 }]);
  // (The draft stays on screen until the measurements with the new disc arrive; here they do not.)
  ed.setMeasure({ draft: null });
  // The edge of the disc (radius 5 from (20, 15)), dragged out to radius 8.
  down(ed, 250, 150);
  move(ed, 280, 150);
  assert.deepEqual(ed.state.measure.draft, { cx: 20, cy: 15, diameter: 16 });
  key(ed, 'Escape');
  assert.equal(ed.state.measure.draft, null, 'cancelled: back to the measured disc');
  up(ed, 280, 150);
  assert.equal(committed.length, 1, 'nothing committed after Escape');
});
