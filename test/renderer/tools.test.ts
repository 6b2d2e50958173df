import { test } from 'node:test';
import assert from 'node:assert/strict';
import { down, drag, key, makeEditor, move, ones, px, up } from './harness';

test('one brush stroke of many pointer events is one undo entry', () => {
  const ed = makeEditor();
  ed.setBrushSize(1);
  let edits = 0;
  ed.onLabelEdited(() => edits++);
  drag(ed, [
    [5, 55],
    [105, 55],
    [205, 55],
    [305, 55],
  ]); // image row 5, x 0.5 .. 30.5
  assert.equal(edits, 1);
  assert.equal(ones(ed.label), 31, 'interpolated: x 0..30 on row 5');
  for (let x = 0; x <= 30; x++) assert.equal(px(ed, x, 5), 1);
  assert.equal(ed.state.canUndo, true);
  assert.equal(ed.state.save, 'unsaved');
  assert.ok(ed.undo());
  assert.equal(ones(ed.label), 0);
  assert.equal(ed.state.canUndo, false);
  assert.ok(ed.redo());
  assert.equal(ones(ed.label), 31);
  assert.equal(ed.undo(), true);
  assert.equal(ed.undo(), false, 'only one entry');
});

test('state machine phases: idle -> pointing -> painting -> idle', () => {
  const ed = makeEditor();
  const brush = ed.tools.brush;
  assert.equal(brush.phase, 'idle');
  down(ed, 55, 55);
  assert.equal(brush.phase, 'pointing');
  assert.equal(ed.state.interaction, 'pointing');
  assert.ok(ones(ed.label) > 0, 'a click stamps a dot');
  move(ed, 95, 55);
  assert.equal(brush.phase, 'painting');
  assert.equal(ed.state.interaction, 'painting');
  up(ed, 95, 55);
  assert.equal(brush.phase, 'idle');
  assert.equal(ed.state.interaction, 'idle');
});

test('Escape during a stroke rolls it back and records nothing', () => {
  const ed = makeEditor();
  ed.setBrushSize(3);
  drag(ed, [
    [55, 55],
    [155, 55],
  ]);
  const afterFirst = ed.label.slice();
  down(ed, 55, 155);
  move(ed, 255, 155);
  move(ed, 255, 255);
  assert.notDeepEqual(ed.label, afterFirst);
  assert.equal(key(ed, 'Escape'), true);
  assert.deepEqual(ed.label, afterFirst);
  assert.equal(ed.tools.brush.phase, 'idle');
  // Further moves and the pointer-up of the cancelled gesture paint nothing.
  move(ed, 300, 200);
  up(ed, 300, 200);
  assert.deepEqual(ed.label, afterFirst);
  ed.undo();
  assert.equal(ones(ed.label), 0, 'the only undo entry is the first stroke');
  assert.equal(key(ed, 'Escape'), false, 'Escape with nothing in progress is not consumed');
});

test('eraser tool and temporary eraser (Alt held at pointer-down) clear pixels', () => {
  const ed = makeEditor();
  ed.setBrushSize(3);
  drag(ed, [
    [5, 55],
    [395, 55],
  ]); // row 5 (+-1)
  const painted = ones(ed.label);
  assert.ok(painted > 0);
  drag(
    ed,
    [
      [105, 55],
      [105, 56],
    ],
    { alt: true },
  ); // temporary eraser at x=10
  assert.equal(px(ed, 10, 5), 0);
  assert.equal(px(ed, 20, 5), 1);
  assert.equal(ed.state.tool, 'brush', 'tool unchanged');
  ed.setTool('eraser');
  drag(ed, [
    [205, 55],
    [205, 56],
  ]);
  assert.equal(px(ed, 20, 5), 0);
  assert.equal(px(ed, 30, 5), 1);
  // Alt does not turn the eraser into a brush; erasing over background decides that it is background.
  drag(ed, [[305, 155]], { alt: true });
  assert.equal(px(ed, 30, 15), 0);
  assert.equal(ed.decided[15 * ed.width + 30], 1);
  assert.ok(ed.undo());
  assert.equal(ed.decided[15 * ed.width + 30], 0);
  assert.ok(ed.undo());
  assert.ok(ed.undo());
  assert.equal(ones(ed.label), painted);
  assert.ok(ed.undo());
  assert.equal(ed.undo(), false);
});

test('Alt key state is reflected as the effective tool (cursor preview)', () => {
  const ed = makeEditor();
  assert.equal(ed.effectiveTool, 'brush');
  key(ed, 'Alt');
  assert.equal(ed.effectiveTool, 'eraser');
  key(ed, 'Alt', 'up');
  assert.equal(ed.effectiveTool, 'brush');
  key(ed, ' ');
  assert.equal(ed.effectiveTool, 'pan');
});

test('space-drag pans with the brush tool and paints nothing; middle button pans too', () => {
  const ed = makeEditor();
  key(ed, ' ');
  drag(ed, [
    [100, 100],
    [130, 120],
  ]);
  key(ed, ' ', 'up');
  assert.deepEqual(ed.state.view, { zoom: 10, x: 30, y: 20 });
  assert.equal(ones(ed.label), 0);
  drag(
    ed,
    [
      [100, 100],
      [90, 100],
    ],
    { button: 1 },
  );
  assert.deepEqual(ed.state.view, { zoom: 10, x: 20, y: 20 });
  assert.equal(ones(ed.label), 0);
  assert.equal(ed.state.canUndo, false);
});

test('pan tool drags the view; Escape restores the view from before the drag', () => {
  const ed = makeEditor();
  ed.setTool('pan');
  drag(ed, [
    [10, 10],
    [60, 40],
  ]);
  assert.deepEqual(ed.state.view, { zoom: 10, x: 50, y: 30 });
  down(ed, 0, 0);
  move(ed, 100, 100);
  assert.deepEqual(ed.state.view, { zoom: 10, x: 150, y: 130 });
  key(ed, 'Escape');
  assert.deepEqual(ed.state.view, { zoom: 10, x: 50, y: 30 });
  assert.equal(ones(ed.label), 0);
});

test('switching tool mid-stroke commits the stroke as one entry', () => {
  const ed = makeEditor();
  down(ed, 55, 55);
  move(ed, 155, 55);
  ed.setTool('pan');
  assert.equal(ed.state.canUndo, true);
  assert.equal(ed.state.interaction, 'idle');
  up(ed, 155, 55); // stray pointer-up is ignored
  ed.undo();
  assert.equal(ones(ed.label), 0);
});

test('a stroke that changes nothing (painting over paint) adds no undo entry', () => {
  const ed = makeEditor();
  ed.setBrushSize(5);
  drag(ed, [
    [55, 55],
    [155, 55],
  ]);
  let edits = 0;
  ed.onLabelEdited(() => edits++);
  drag(ed, [
    [55, 55],
    [155, 55],
  ]);
  assert.equal(edits, 0);
  ed.undo();
  assert.equal(ones(ed.label), 0);
});

test('brush size keys grow and shrink within bounds', () => {
  const ed = makeEditor();
  ed.setBrushSize(1);
  ed.shrinkBrush();
  assert.equal(ed.state.brushSize, 1);
  ed.growBrush();
  assert.equal(ed.state.brushSize, 2);
  for (let i = 0; i < 100; i++) ed.growBrush();
  assert.equal(ed.state.brushSize, 200);
  ed.shrinkBrush();
  assert.ok(ed.state.brushSize < 200);
});

test('accept prediction: undecided pixels take the prediction at the threshold, decided ones stay, one undo entry', () => {
  const ed = makeEditor(4, 1);
  ed.setPrediction(new Uint8Array([0, 127, 128, 255]));
  ed.setOverlay({ threshold: 0.5 });
  assert.deepEqual([...ed.label], [0, 0, 1, 1], 'without edits the label is the prediction');
  assert.equal(ed.acceptPrediction(), false, 'nothing to accept without edits');
  ed.setBrushSize(1);
  ed.setTool('eraser');
  drag(ed, [[35, 5]]); // erase pixel 3
  assert.deepEqual([...ed.label], [0, 0, 1, 0]);
  ed.setOverlay({ threshold: 0 });
  assert.deepEqual([...ed.label], [0, 0, 1, 0], 'an edited label does not follow the threshold by itself');
  assert.ok(ed.acceptPrediction());
  assert.deepEqual([...ed.label], [1, 1, 1, 0], 'undecided pixels at threshold 0; the erased one stays');
  ed.undo();
  assert.deepEqual([...ed.label], [0, 0, 1, 0]);
  ed.setReviewed(true);
  assert.equal(ed.acceptPrediction(), false, 'a reviewed label is never rewritten');
});

test('per-image history survives switching images', () => {
  const ed = makeEditor();
  drag(ed, [
    [55, 55],
    [155, 55],
  ]);
  const labelA = ed.label;
  ed.loadImage({ id: 'img2', width: 10, height: 10, prediction: null, label: null, fov: null });
  assert.equal(ed.state.canUndo, false);
  ed.loadImage({ id: 'img1', width: 40, height: 30, prediction: null, label: labelA, fov: null });
  assert.equal(ed.state.canUndo, true);
  ed.undo();
  assert.equal(ones(ed.label), 0);
});
