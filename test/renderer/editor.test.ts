import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Editor, MAX_ZOOM } from '../../renderer/editor/Editor';
import { makeEditor } from './harness';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≈ ${b}`);

test('screen <-> image transforms are inverse', () => {
  const ed = makeEditor();
  ed.setView({ zoom: 2.5, x: -37, y: 12 });
  for (const p of [
    { x: 0, y: 0 },
    { x: 13.25, y: 7.5 },
    { x: -4, y: 900 },
  ]) {
    const s = ed.imageToScreen(p);
    const q = ed.screenToImage(s);
    close(q.x, p.x);
    close(q.y, p.y);
  }
  assert.deepEqual(ed.imageToScreen({ x: 10, y: 4 }), { x: 10 * 2.5 - 37, y: 4 * 2.5 + 12 });
});

test('zoom at cursor keeps the image point under the cursor fixed', () => {
  const ed = makeEditor();
  ed.setView({ zoom: 1.3, x: 20, y: -5 });
  const at = { x: 123, y: 77 };
  const before = ed.screenToImage(at);
  for (const f of [1.5, 1.5, 0.5, 2]) {
    ed.zoomAt(at, f);
    const after = ed.screenToImage(at);
    close(after.x, before.x, 1e-9);
    close(after.y, before.y, 1e-9);
  }
  close(ed.state.view.zoom, 1.3 * 1.5 * 1.5 * 0.5 * 2, 1e-12);
});

test('zoom is clamped and clamping still keeps the cursor point fixed', () => {
  const ed = makeEditor();
  const at = { x: 50, y: 60 };
  const before = ed.screenToImage(at);
  ed.zoomAt(at, 1e6);
  assert.equal(ed.state.view.zoom, MAX_ZOOM);
  const after = ed.screenToImage(at);
  close(after.x, before.x);
  close(after.y, before.y);
  ed.zoomAt(at, 1e-9);
  assert.equal(ed.state.view.zoom, ed.minZoom());
});

test('wheel events zoom in (negative delta) and out at the pointer', () => {
  const ed = makeEditor();
  ed.setView({ zoom: 2, x: 0, y: 0 });
  ed.dispatch({ type: 'wheel', x: 100, y: 80, deltaY: -100 });
  assert.ok(ed.state.view.zoom > 2);
  const p = ed.screenToImage({ x: 100, y: 80 });
  close(p.x, 50);
  close(p.y, 40);
  ed.dispatch({ type: 'wheel', x: 100, y: 80, deltaY: 100 });
  close(ed.state.view.zoom, 2, 1e-9);
});

test('fit centres the whole image in the viewport', () => {
  const ed = new Editor();
  ed.setViewport(1000, 500);
  ed.loadImage({ id: 'a', width: 3504, height: 2336, prediction: null, label: null, fov: null });
  const v = ed.state.view;
  const tl = ed.imageToScreen({ x: 0, y: 0 });
  const br = ed.imageToScreen({ x: 3504, y: 2336 });
  assert.ok(tl.x >= 0 && tl.y >= 0 && br.x <= 1000 && br.y <= 500, JSON.stringify({ tl, br }));
  close((tl.x + br.x) / 2, 500);
  close((tl.y + br.y) / 2, 250);
  close(v.zoom, (500 / 2336) * 0.96);
});

test('persisted view round-trips and survives a viewport resize', () => {
  const ed = makeEditor();
  ed.setView({ zoom: 3, x: -20, y: 15 });
  const saved = ed.persistedView();
  const centre = ed.screenToImage({ x: 200, y: 150 });
  close(saved.x, centre.x);
  close(saved.y, centre.y);
  ed.setViewport(800, 600);
  const restored = ed.viewFromPersisted(saved);
  ed.setView(restored);
  const c2 = ed.screenToImage({ x: 400, y: 300 });
  close(c2.x, centre.x);
  close(c2.y, centre.y);
});

test('cursor reports pixel, probability and label under the pointer', () => {
  const ed = makeEditor(4, 2);
  ed.setPrediction(new Uint8Array([0, 51, 102, 255, 0, 0, 0, 0]));
  ed.dispatch({ type: 'pointer_move', x: 25, y: 5, button: -1, alt: false, shift: false, ctrl: false });
  assert.deepEqual(ed.state.cursor, { x: 2, y: 0, inside: true, probability: 0.4, label: 0, decided: false });
  ed.dispatch({ type: 'pointer_move', x: -5, y: 5, button: -1, alt: false, shift: false, ctrl: false });
  assert.equal(ed.state.cursor?.inside, false);
  assert.equal(ed.state.cursor?.probability, null);
  ed.dispatch({ type: 'pointer_leave' });
  assert.equal(ed.state.cursor, null);
});

test('subscribers are notified and pixel listeners get the dirty rect of a stroke', () => {
  const ed = makeEditor();
  ed.setBrushSize(1);
  let notified = 0;
  ed.subscribe(() => notified++);
  const rects: unknown[] = [];
  ed.onPixels((layer, r) => layer === 'label' && rects.push(r));
  ed.dispatch({ type: 'pointer_down', x: 55, y: 55, button: 0, alt: false, shift: false, ctrl: false });
  ed.dispatch({ type: 'pointer_move', x: 95, y: 55, button: 0, alt: false, shift: false, ctrl: false });
  assert.deepEqual(rects, [
    { x: 5, y: 5, w: 1, h: 1 },
    { x: 5, y: 5, w: 5, h: 1 },
  ]);
  assert.ok(notified > 0);
});

test('toasts: identical messages show once; dismiss removes', () => {
  const ed = makeEditor();
  const a = ed.toast('Prediction failed: x');
  const b = ed.toast('Prediction failed: x');
  assert.equal(a, b);
  ed.toast('Other', 'info');
  assert.equal(ed.state.toasts.length, 2);
  ed.dismissToast(a);
  assert.deepEqual(
    ed.state.toasts.map((t) => t.message),
    ['Other'],
  );
});
