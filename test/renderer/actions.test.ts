import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionManager, type KeyLike } from '../../renderer/actions';
import type { Controller } from '../../renderer/app/Controller';
import { makeEditor, drag } from './harness';

function setup() {
  const ed = makeEditor();
  const nav: number[] = [];
  const controller = {
    navigate: async (d: number) => void nav.push(d),
    save: async () => {},
    runPrediction: async () => {},
  } as unknown as Controller;
  let opened = 0;
  const am = new ActionManager({ editor: ed, controller, ui: { openFiles: () => opened++, openFolder: () => {} } });
  const key = (k: Partial<KeyLike> & { key: string }) => am.handleKey({ mod: false, shift: false, alt: false, ...k });
  return { ed, am, key, nav, opened: () => opened };
}

test('shortcuts run the same actions as the toolbar', () => {
  const { ed, key, nav, opened } = setup();
  drag(ed, [
    [55, 55],
    [155, 55],
  ]);
  assert.equal(key({ key: 'z', mod: true }), 'undo');
  assert.equal(ed.state.canUndo, false);
  assert.equal(key({ key: 'Z', mod: true, shift: true }), 'redo');
  assert.equal(ed.state.canUndo, true);
  key({ key: 'z', mod: true });
  assert.equal(key({ key: 'y', mod: true }), 'redo');
  assert.equal(ed.state.canUndo, true);
  assert.equal(key({ key: 'e' }), 'tool-eraser');
  assert.equal(ed.state.tool, 'eraser');
  assert.equal(key({ key: 'h' }), 'tool-pan');
  assert.equal(ed.state.tool, 'pan');
  const size = ed.state.brushSize;
  key({ key: ']' });
  assert.equal(ed.state.brushSize, size + 1);
  key({ key: '[' });
  assert.equal(ed.state.brushSize, size);
  key({ key: 'd' });
  assert.equal(ed.state.overlay.diff, true);
  const z = ed.state.view.zoom;
  key({ key: '+' });
  assert.ok(ed.state.view.zoom > z);
  key({ key: '0' });
  assert.equal(ed.state.view.zoom, ed.fitZoom());
  key({ key: 'ArrowDown' });
  key({ key: 'PageUp' });
  assert.deepEqual(nav, [1, -1]);
  key({ key: 'o', mod: true });
  assert.equal(opened(), 1);
  assert.equal(key({ key: 'q' }), null);
});

test('menu commands run actions by id; disabled actions do nothing', () => {
  const { ed, am } = setup();
  assert.equal(am.isEnabled('undo'), false);
  assert.equal(am.run('undo'), false);
  assert.equal(am.isEnabled('accept-prediction'), false, 'no prediction yet');
  ed.setPrediction(new Uint8Array(ed.width * ed.height).fill(255));
  assert.equal(am.isEnabled('accept-prediction'), false, 'no edits: the label is the prediction already');
  assert.equal(
    ed.label.every((v) => v === 1),
    true,
  );
  assert.equal(am.run('toggle-reviewed'), true);
  assert.equal(ed.state.review, 'reviewed');
  assert.equal(am.run('accept-prediction'), false, 'a reviewed label is never rewritten');
  assert.equal(am.run('zoom-fit'), true);
  for (const id of ['open-image', 'open-folder', 'save', 'export-labels', 'undo', 'redo', 'zoom-in', 'zoom-out', 'zoom-fit'])
    assert.ok(am.get(id), id);
});
