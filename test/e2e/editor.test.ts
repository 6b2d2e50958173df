/**
 * The clinician's loop in a real Chromium against the real browser shell (dist/main/web.js): open DRIVE
 * photographs through the file chooser, see the prediction overlay, move the opacity and threshold sliders,
 * paint a vessel (the label is the prediction plus the stroke, pixel for pixel) and erase predicted vessels,
 * undo and redo, review, reload and find the label as left, switch images with the keyboard, undo an image
 * back to Predicted, jump to uncertain regions. Assertions read the saved files in the workspace (labels/*.png with sharp) and the
 * pixels the canvas layers show, not just the DOM. Screenshots: test/artifacts/e2e/editor/.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DRIVE } from '../helpers/paths';
import { at, countWhere, openShellSession, readMask, until, type Mask, type RunningShell, type ShellSession } from './harness';
import {
  dragSlider,
  editorLabel,
  LAYER,
  layerPixel,
  layerStats,
  layerVersusLabel,
  maskChecksum,
  snapshot,
  startClearRecording,
  stopClearRecording,
  toPage,
  waitForEditor,
} from './page';

const IMAGE_1 = join(DRIVE, 'test', 'images', '01_test.tif');
const IMAGE_2 = join(DRIVE, 'test', 'images', '02_test.tif');
const ID_1 = '01_test';
const ID_2 = '02_test';
/** Untrained tiny model: about 2 s per prediction here; a real model given by VESSEL_E2E_MODEL takes longer. */
const PREDICT_TIMEOUT = process.env.VESSEL_E2E_MODEL ? 180_000 : 60_000;

/** Alpha of a label pixel on the edit layer (renderer/components/CanvasView.tsx draws the label at 0.85). */
const LABEL_ALPHA = Math.round(0.85 * 255);

/** Same rule as the renderer's thresholdByte: probability byte v is shown when v >= this. */
const thresholdByte = (t: number) => Math.ceil(Math.min(1, Math.max(0, t)) * 255 - 1e-9);

/** Mean alpha (0..1) the probability-mode overlay should have over the image at this threshold and opacity. */
function expectedOverlayAlpha(pred: Mask, threshold: number, opacity: number): number {
  const tb = thresholdByte(threshold);
  let sum = 0;
  for (const v of pred.data) if (v >= tb) sum += v;
  return (opacity * sum) / (255 * pred.data.length);
}

const debug = (...args: unknown[]) => process.env.VESSEL_E2E_DEBUG && console.log('[e2e]', ...args);

let shell: RunningShell;
let session: ShellSession;
let page: Page;
let pageErrors: string[];
let shots: string;
const labelPath = (id: string) => join(shell.workspace, 'labels', `${id}.png`);
const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) });

// The stroke painted on image 1, in image pixels (inside DRIVE's field of view; it crosses the renderer's
// tile edge at x = 512), and the eraser cut.
const STROKE = { y: 300, x0: 150, x1: 525, size: 12 };
const CUT = { x: 275, y0: 270, y1: 330, size: 20 };

async function drag(from: { x: number; y: number }, to: { x: number; y: number }, steps: number): Promise<void> {
  const a = await toPage(page, from.x, from.y);
  const b = await toPage(page, to.x, to.y);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps });
  await page.mouse.up();
}

/** Waits for the saved label of `id` to satisfy `check`, and for the status bar to say it is saved. */
async function savedLabel(id: string, what: string, check: (m: Mask) => boolean, previous?: Mask | null): Promise<Mask> {
  const m = await until(`labels/${id}.png: ${what}`, async () => {
    const m = await readMask(labelPath(id));
    return m && (!previous || m.mtimeMs !== previous.mtimeMs) && check(m) ? m : undefined;
  });
  await waitForEditor(page, 'the status bar to say "Saved"', (ed) => ed.state.save === 'saved');
  assert.equal(await page.getByTestId('status-save').getAttribute('data-state'), 'saved');
  return m;
}

describe('browser shell e2e: open, overlay, paint, erase, undo/redo, reload, switch', () => {
  before(async () => {
    session = await openShellSession({ artifacts: 'editor', viewport: { width: 1360, height: 860 } });
    ({ shell, page, pageErrors, shots } = session);
  });

  after(async () => {
    await session?.close();
  });

  it('opens two DRIVE photographs through the file chooser and shows the prediction overlay', async () => {
    assert.ok(existsSync(IMAGE_1) && existsSync(IMAGE_2), `DRIVE test images expected under ${DRIVE}`);
    await page.goto(shell.url);
    await page.getByText('Open a colour fundus photograph to start.').waitFor();
    // First run: the empty canvas says how the loop works.
    assert.match(
      (await page.getByTestId('first-run').textContent()) ?? '',
      /paint missing vessels \(B\).*erase false ones \(E\).*R: Reviewed.*Retrain learns from what you decided/,
    );
    await shot('00-first-run');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('open').click()]);
    assert.ok(chooser.isMultiple(), 'the Open chooser accepts several files');
    await chooser.setFiles([IMAGE_1, IMAGE_2]);

    await waitForEditor(
      page,
      'both images imported and the first one open',
      (ed, id) => ed.state.images.length === 2 && ed.state.currentId === id && !ed.state.loading,
      ID_1,
    );
    assert.deepEqual(await page.getByTestId('image-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))), [ID_1, ID_2]);
    await waitForEditor(page, 'the prediction of image 1', (ed) => ed.state.hasPrediction && !ed.state.predicting, null, PREDICT_TIMEOUT);
    const s = await snapshot(page);
    assert.deepEqual([s.width, s.height], [565, 584]);
    assert.deepEqual(s.toasts, [], 'no error messages');
    assert.equal(await page.locator(`[data-id="${ID_1}"]`).getAttribute('data-status'), 'predicted');
    assert.match((await page.getByTestId('status-backend').textContent()) ?? '', /·/, 'status bar names backend · device');

    // The overlay the user sees is the saved prediction, coloured by probability above the threshold.
    const pred = await readMask(join(shell.workspace, 'predictions', `${ID_1}.png`));
    assert.ok(pred, 'the prediction was saved in the workspace');
    const overlay = await layerStats(page, LAYER.prediction);
    const expected = expectedOverlayAlpha(pred, s.overlay.threshold, s.overlay.opacity);
    debug('overlay alpha', overlay.meanAlpha, 'expected', expected);
    assert.ok(expected > 0.01, `the prediction has pixels above the threshold (expected alpha ${expected})`);
    assert.ok(
      Math.abs(overlay.meanAlpha - expected) < 0.1 * expected + 0.003,
      `overlay alpha ${overlay.meanAlpha} vs ${expected} from the saved PNG`,
    );
    // The photograph is drawn under it.
    assert.ok(overlay.displayed, 'the prediction layer is shown');
    const photo = await layerStats(page, LAYER.photo);
    assert.ok(photo.covered > 0.99, `photo layer covers the image rectangle (${photo.covered})`);
    await shot('01-opened-with-prediction');
  });

  it('draws the field-of-view outline derived by the first prediction, without reopening the image', async () => {
    assert.ok(existsSync(join(shell.workspace, 'masks', `${ID_1}.png`)), 'the service saved the derived FOV');
    await waitForEditor(page, 'the editor to hold the FOV', (ed) => ed.fov !== null, null, 3000);
    assert.ok((await layerStats(page, LAYER.ui)).covered > 0.001, 'the outline is drawn');
  });

  it('opacity and threshold sliders change what the overlay shows', async () => {
    const pred = (await readMask(join(shell.workspace, 'predictions', `${ID_1}.png`)))!;
    const before = await snapshot(page);

    // Opacity: drag the thumb to ~20 %; the overlay's alpha scales with it.
    const opacity = (await dragSlider(page, 'opacity', 20)) / 100;
    assert.ok(Math.abs(opacity - 0.2) <= 0.05, `opacity slider moved to ${opacity}`);
    await waitForEditor(page, 'the opacity setting', (ed, o) => Math.abs(ed.state.overlay.opacity - o) < 1e-9, opacity);
    let expected = expectedOverlayAlpha(pred, before.overlay.threshold, opacity);
    const dimmed = await until('the overlay to redraw at the new opacity', async () => {
      const st = await layerStats(page, LAYER.prediction);
      return Math.abs(st.meanAlpha - expected) < 0.1 * expected + 0.003 ? st : undefined;
    });
    debug('dimmed alpha', dimmed.meanAlpha, 'expected', expected);
    assert.ok(dimmed.meanAlpha < 0.5 * expectedOverlayAlpha(pred, before.overlay.threshold, before.overlay.opacity));
    await page.getByTestId('opacity').press('End');
    await waitForEditor(page, 'opacity 100 %', (ed) => ed.state.overlay.opacity === 1);

    // Threshold: raise it with the keyboard until the saved prediction says far fewer pixels pass.
    const start = Math.round(before.overlay.threshold * 100);
    let target = start;
    const atStart = expectedOverlayAlpha(pred, start / 100, 1);
    while (target < 99 && expectedOverlayAlpha(pred, target / 100, 1) > 0.5 * atStart) target++;
    const slider = page.getByTestId('threshold');
    await slider.focus();
    for (let i = start; i < target; i++) await slider.press('ArrowRight');
    await waitForEditor(page, `threshold ${target / 100}`, (ed, t) => Math.round(ed.state.overlay.threshold * 100) === t, target);
    expected = expectedOverlayAlpha(pred, target / 100, 1);
    const raised = await until('the overlay to redraw at the new threshold', async () => {
      const st = await layerStats(page, LAYER.prediction);
      return Math.abs(st.meanAlpha - expected) < 0.1 * expected + 0.003 ? st : undefined;
    });
    debug('threshold', target / 100, 'alpha', raised.meanAlpha, 'expected', expected);
    const atStartShown = expectedOverlayAlpha(pred, start / 100, 1);
    assert.ok(
      raised.meanAlpha < 0.6 * atStartShown,
      `fewer pixels shown at threshold ${target / 100}: ${raised.meanAlpha} vs ${atStartShown}`,
    );
    assert.equal(
      await slider.locator('xpath=following-sibling::output').textContent(),
      (target / 100).toFixed(2),
      'the threshold readout follows',
    );
    await shot('02-sliders-moved');

    // Back to the defaults the rest of the run looks at.
    for (let i = target; i > start; i--) await slider.press('ArrowLeft');
    await dragSlider(page, 'opacity', 60);
    await waitForEditor(page, 'threshold back', (ed, t) => Math.round(ed.state.overlay.threshold * 100) === t, start);
  });

  let painted: Mask;
  let erased: Mask;
  /** Probability byte a pixel must reach to be a predicted vessel, at the overlay threshold when the label was started. */
  let tb: number;
  let pred: Mask;

  it('one stroke on a fresh image: the saved label is the prediction plus the stroke, pixel for pixel; no predicted vessel lost', async () => {
    assert.equal(await readMask(labelPath(ID_1)), null, 'no label before painting');
    assert.equal((await snapshot(page)).review, 'none');
    pred = (await readMask(join(shell.workspace, 'predictions', `${ID_1}.png`)))!;
    tb = thresholdByte((await snapshot(page)).overlay.threshold);
    await page.getByTestId('tool-brush').click();
    await page.getByTestId('brush-size-value').fill(String(STROKE.size));
    await waitForEditor(page, 'brush tool, size 12', (ed, size) => ed.state.tool === 'brush' && ed.state.brushSize === size, STROKE.size);
    // Hovering: the round brush outline follows the pointer at the brush's size on screen, repainting no layer.
    const hoverAt = await toPage(page, STROKE.x0, STROKE.y - 40);
    await page.mouse.move(hoverAt.x - 30, hoverAt.y);
    await startClearRecording(page, LAYER.ui);
    await page.mouse.move(hoverAt.x, hoverAt.y, { steps: 10 });
    const cursor = await until('the brush outline at the pointer', async () => {
      const box = await page.getByTestId('brush-cursor').boundingBox();
      return box && Math.abs(box.x + box.width / 2 - hoverAt.x) < 1 && Math.abs(box.y + box.height / 2 - hoverAt.y) < 1 ? box : undefined;
    });
    const zoom = (await snapshot(page)).view.zoom;
    assert.ok(
      Math.abs(cursor.width - STROKE.size * zoom) < 0.5,
      `brush outline ${cursor.width} px wide for ${STROKE.size} px at zoom ${zoom}`,
    );
    assert.deepEqual(await stopClearRecording(page, LAYER.ui), [], 'moving the brush outline redrew no canvas layer');
    await startClearRecording(page, LAYER.edit);
    await drag({ x: STROKE.x0, y: STROKE.y }, { x: STROKE.x1, y: STROKE.y }, 40);
    // Painting redraws only the screen rectangle each frame's part of the stroke touched, never the whole layer.
    const clears = await stopClearRecording(page, LAYER.edit);
    debug('edit layer clears while painting', clears.length, 'largest', Math.max(...clears));
    assert.ok(clears.length > 0, 'the edit layer was redrawn while painting');
    assert.ok(Math.max(...clears) < 0.25, `each redraw clears a small part of the layer, not all of it (largest ${Math.max(...clears)})`);

    painted = await savedLabel(ID_1, 'the stroke', (m) => at(m, (STROKE.x0 + STROKE.x1) / 2, STROKE.y) === 255);
    assert.deepEqual([painted.width, painted.height, painted.channels], [565, 584, 1], '8-bit grey label at image size');
    // Pixel by pixel: off the stroke (undecided: 64/192) the label is exactly the prediction at the threshold;
    // under it (decided: 255) it is vessel. No predicted vessel turned into background.
    let kept = 0;
    for (let i = 0; i < painted.data.length; i++) {
      const v = painted.data[i];
      if (v === 255) continue;
      assert.ok(v === 64 || v === 192, `pixel ${i}: ${v} is neither decided vessel nor undecided`);
      assert.equal(v === 192, pred.data[i] >= tb, `pixel ${i} off the stroke: label ${v}, prediction ${pred.data[i]}`);
      if (v === 192) kept++;
    }
    assert.ok(kept > 100, `${kept} predicted vessel pixels kept beside the stroke`);
    const r = STROKE.size / 2;
    for (let x = STROKE.x0; x <= STROKE.x1; x += 5) {
      assert.equal(at(painted, x, STROKE.y), 255, `decided vessel on the stroke at x=${x}`);
      assert.equal(at(painted, x, STROKE.y - r + 2), 255, `decided vessel inside the brush at x=${x}`);
      assert.notEqual(at(painted, x, STROKE.y + r + 2), 255, `undecided below the brush at x=${x}`);
      assert.notEqual(at(painted, x, STROKE.y - r - 2), 255, `undecided above the brush at x=${x}`);
    }
    // The decided pixels are the capsule: its area is length x size plus the round caps.
    const decided = countWhere(painted, (v) => v === 255 || v === 0);
    const area = (STROKE.x1 - STROKE.x0) * STROKE.size + Math.PI * r * r;
    assert.ok(Math.abs(decided - area) < 0.05 * area, `stroke area ${decided} px, expected about ${Math.round(area)}`);
    // The label layer shows what the person decided (yellow) where it was painted.
    const [red, green, blue, alpha] = await layerPixel(page, LAYER.edit, 250, STROKE.y);
    assert.ok(alpha > 128 && red > 200 && green > 150 && blue < 100, `label layer pixel ${[red, green, blue, alpha]}`);
    assert.equal((await layerPixel(page, LAYER.edit, 250, STROKE.y + 40))[3], 0);
    // Those partial redraws left the layer showing exactly the decided label, screen pixel by screen pixel.
    const shown = await layerVersusLabel(page, LAYER.edit, LABEL_ALPHA);
    assert.ok(shown.checked > 100_000, `compared ${shown.checked} screen pixels`);
    assert.equal(shown.mismatches, 0, `the label layer shows the decided label exactly (first mismatch: ${shown.first})`);
    assert.equal(await page.locator(`[data-id="${ID_1}"]`).getAttribute('data-status'), 'edited');
    await shot('03-stroke-painted');
  });

  it('the eraser removes predicted vessels: from the label and from what the overlay shows', async () => {
    // Cut across the stroke through the column beside it with the most predicted vessel.
    let best = { x: 260, n: -1 };
    for (let x = 240; x <= 320; x++) {
      let n = 0;
      for (let y = CUT.y0 - 60; y < STROKE.y - 10; y++) n += at(pred, x, y) >= tb ? 1 : 0;
      if (n > best.n) best = { x, n };
    }
    const cut = { x: best.x, y0: CUT.y0 - 60, y1: CUT.y1 };
    const target = (() => {
      for (let y = cut.y0 + CUT.size; y < STROKE.y - CUT.size; y++) if (at(painted, cut.x, y) === 192) return { x: cut.x, y };
      return null;
    })();
    assert.ok(target, `a predicted vessel pixel under the cut at x=${cut.x}`);
    assert.ok((await layerPixel(page, LAYER.prediction, target.x, target.y))[3] > 0, 'shown by the overlay before erasing');
    await page.keyboard.press('e');
    await page.getByTestId('brush-size-value').fill(String(CUT.size));
    await waitForEditor(page, 'eraser tool', (ed, size) => ed.state.tool === 'eraser' && ed.state.brushSize === size, CUT.size);
    await drag({ x: cut.x, y: cut.y0 }, { x: cut.x, y: cut.y1 }, 30);

    erased = await savedLabel(ID_1, 'the cut', (m) => at(m, cut.x, STROKE.y) === 0, painted);
    for (let x = cut.x - CUT.size / 2 + 1; x <= cut.x + CUT.size / 2 - 2; x++) assert.equal(at(erased, x, STROKE.y), 0, `erased at x=${x}`);
    assert.equal(at(erased, cut.x - CUT.size / 2 - 3, STROKE.y), 255, 'left part kept');
    assert.equal(at(erased, cut.x + CUT.size / 2 + 3, STROKE.y), 255, 'right part kept');
    assert.equal(at(erased, target.x, target.y), 0, 'the predicted vessel under the cut is decided background');
    let removedPredicted = 0;
    erased.data.forEach((v, i) => {
      assert.ok(v === painted.data[i] || v === 0, `pixel ${i}: erasing only makes decided background (${painted.data[i]} -> ${v})`);
      if (v === 0 && painted.data[i] === 192) removedPredicted++;
    });
    assert.ok(removedPredicted > 0, `${removedPredicted} predicted vessel pixels erased`);
    await until('the overlay no longer shows the erased predicted vessel', async () =>
      (await layerPixel(page, LAYER.prediction, target.x, target.y))[3] === 0 ? true : undefined,
    );
    assert.equal((await layerPixel(page, LAYER.edit, cut.x, STROKE.y))[3], 0, 'the label layer shows the gap');
    const shown = await layerVersusLabel(page, LAYER.edit, LABEL_ALPHA);
    assert.equal(shown.mismatches, 0, `the label layer shows the erased label exactly (first mismatch: ${shown.first})`);
    await shot('04-part-erased');
  });

  it('undo (Ctrl+Z) and redo (toolbar) restore each saved state exactly', async () => {
    await page.keyboard.press('Control+z');
    const undone = await savedLabel(ID_1, 'the cut undone', (m) => m.mtimeMs !== erased.mtimeMs, erased);
    assert.deepEqual(undone.data, painted.data, 'after undo the file equals the painted stroke');
    await page.getByTestId('redo').click();
    const redone = await savedLabel(ID_1, 'the cut redone', (m) => m.mtimeMs !== undone.mtimeMs, undone);
    assert.deepEqual(redone.data, erased.data, 'after redo the file equals the erased state');
    await page.keyboard.press('Control+z');
    const undone2 = await savedLabel(ID_1, 'undo again', (m) => m.mtimeMs !== redone.mtimeMs, redone);
    assert.deepEqual(undone2.data, painted.data);
    await page.keyboard.press('Control+Shift+Z');
    erased = await savedLabel(ID_1, 'redo with Ctrl+Shift+Z', (m) => m.mtimeMs !== undone2.mtimeMs, undone2);
    assert.deepEqual(erased.data, redone.data);
    const shown = await layerVersusLabel(page, LAYER.edit, LABEL_ALPHA);
    assert.equal(shown.mismatches, 0, `after undo/redo the label layer shows the label exactly (first mismatch: ${shown.first})`);
    await shot('05-after-undo-redo');
  });

  it('diff view (D): label-only pixels blue, prediction-only red, agreement faint white, following the threshold and the opacity', async () => {
    const onStroke = { x: 200, y: STROKE.y };
    // Off the stroke, a pixel the label has as background (undecided: the prediction was below the threshold).
    const offStroke = (() => {
      for (let y = STROKE.y + 60; y < STROKE.y + 120; y++) for (let x = 200; x < 260; x++) if (at(erased, x, y) === 64) return { x, y };
      return null;
    })();
    assert.ok(offStroke, 'an undecided background pixel below the stroke');
    await page.getByRole('heading', { name: /Images/ }).click();
    await page.keyboard.press('d');
    await waitForEditor(page, 'diff view on', (ed) => ed.state.overlay.diff);
    assert.equal(await page.getByTestId('toggle-diff').isChecked(), true);
    const threshold = page.getByTestId('threshold');
    const { overlay } = await snapshot(page);
    const start = Math.round(overlay.threshold * 100);

    // Threshold 1: (almost) nothing is predicted, so the label is all false negative (blue).
    await threshold.focus();
    await threshold.press('End');
    await waitForEditor(page, 'threshold 1', (ed) => ed.state.overlay.threshold === 1);
    assert.ok(at(pred, onStroke.x, onStroke.y) < 255 && at(pred, offStroke.x, offStroke.y) < 255);
    // Colours from renderer/render/colorize.ts; the pixels sampled have only their own class around them.
    // Like the prediction overlay, the diff is drawn at the overlay opacity so the photograph shows through.
    const near = (px: number[], rgba: number[]) => px.every((v, i) => Math.abs(v - rgba[i]) <= 3);
    const withOpacity = (rgba: number[], opacity: number) => [rgba[0], rgba[1], rgba[2], Math.round(rgba[3] * opacity)];
    const FALSE_NEGATIVE = [40, 120, 255, 255];
    const FALSE_POSITIVE = [255, 59, 48, 255];
    const AGREEMENT = [255, 255, 255, 110];
    await until(`the stroke shown as false negative (blue) at opacity ${overlay.opacity}`, async () =>
      near(await layerPixel(page, LAYER.edit, onStroke.x, onStroke.y), withOpacity(FALSE_NEGATIVE, overlay.opacity)) ? true : undefined,
    );
    assert.equal((await layerPixel(page, LAYER.edit, offStroke.x, offStroke.y))[3], 0, 'neither: transparent');
    assert.equal((await layerStats(page, LAYER.prediction)).displayed, false, 'the prediction overlay is hidden in diff view');
    await shot('05b-diff-threshold-1');

    // The opacity slider: 100 % opaque, 0 % gone, then back to where it was.
    const opacity = page.getByTestId('opacity');
    await opacity.focus();
    await opacity.press('End');
    await until('the diff at opacity 100 %', async () =>
      near(await layerPixel(page, LAYER.edit, onStroke.x, onStroke.y), FALSE_NEGATIVE) ? true : undefined,
    );
    await opacity.press('Home');
    await until('the diff at opacity 0', async () =>
      (await layerPixel(page, LAYER.edit, onStroke.x, onStroke.y))[3] === 0 ? true : undefined,
    );
    for (let i = 0; i < Math.round(overlay.opacity * 100); i++) await opacity.press('ArrowRight');
    await waitForEditor(page, 'opacity back', (ed, o) => Math.abs(ed.state.overlay.opacity - o) < 1e-9, overlay.opacity);
    await threshold.focus();

    // Threshold 0: everything is predicted: off the label red, on it agreement.
    await threshold.press('Home');
    await waitForEditor(page, 'threshold 0', (ed) => ed.state.overlay.threshold === 0);
    await until('prediction-only pixels shown red', async () =>
      near(await layerPixel(page, LAYER.edit, offStroke.x, offStroke.y), withOpacity(FALSE_POSITIVE, overlay.opacity)) ? true : undefined,
    );
    // Outside the field of view nothing is predicted: the black surround is not painted red.
    assert.equal((await layerPixel(page, LAYER.edit, 8, 8))[3], 0, 'outside the FOV: transparent');
    const agree = await layerPixel(page, LAYER.edit, onStroke.x, onStroke.y);
    assert.ok(near(agree, withOpacity(AGREEMENT, overlay.opacity)), `agreement is faint white: ${agree}`);
    await shot('05c-diff-threshold-0');

    for (let i = 0; i < start; i++) await threshold.press('ArrowRight');
    await waitForEditor(page, 'threshold back', (ed, t) => Math.round(ed.state.overlay.threshold * 100) === t, start);
    await page.getByRole('heading', { name: /Images/ }).click();
    await page.keyboard.press('d');
    await waitForEditor(page, 'diff view off', (ed) => !ed.state.overlay.diff);
  });

  it('accept prediction gives the undecided pixels the prediction at the new threshold; decided ones stay; undo restores', async () => {
    const before = (await readMask(labelPath(ID_1)))!;
    const slider = page.getByTestId('threshold');
    const start = Math.round((await snapshot(page)).overlay.threshold * 100);
    await slider.focus();
    for (let i = 0; i < 10; i++) await slider.press('ArrowLeft');
    await waitForEditor(page, 'a lower threshold', (ed, t) => Math.round(ed.state.overlay.threshold * 100) === t, start - 10);
    const lower = thresholdByte((start - 10) / 100);
    await page.getByTestId('accept-prediction').click();
    const accepted = await savedLabel(ID_1, 'the accepted prediction', (m) => m.mtimeMs !== before.mtimeMs, before);
    accepted.data.forEach((v, i) => {
      const was = before.data[i];
      if (was === 0 || was === 255) assert.equal(v, was, `decided pixel ${i} unchanged`);
      else assert.equal(v, pred.data[i] >= lower ? 192 : 64, `undecided pixel ${i} is the prediction at the new threshold`);
    });
    await page.keyboard.press('Control+z');
    const undone = await savedLabel(ID_1, 'the label before accepting', (m) => m.mtimeMs !== accepted.mtimeMs, accepted);
    assert.deepEqual(undone.data, before.data);
    for (let i = 0; i < 10; i++) await slider.press('ArrowRight');
    await waitForEditor(page, 'threshold back', (ed, t) => Math.round(ed.state.overlay.threshold * 100) === t, start);
  });

  it('R marks the image reviewed (the list says so, the file keeps who decided what); R again takes it back', async () => {
    const before = (await readMask(labelPath(ID_1)))!;
    await page.getByRole('heading', { name: /Images/ }).click();
    await page.keyboard.press('r');
    await until('the list shows Reviewed', async () =>
      (await page.locator(`[data-id="${ID_1}"]`).getAttribute('data-status')) === 'reviewed' ? true : undefined,
    );
    assert.equal(await page.getByTestId('reviewed').getAttribute('aria-pressed'), 'true');
    await waitForEditor(page, 'saved', (ed) => ed.state.save === 'saved');
    assert.deepEqual((await readMask(labelPath(ID_1)))!.data, before.data, 'the decided pixels are kept as they were');
    const ws = JSON.parse(readFileSync(join(shell.workspace, 'workspace.json'), 'utf8')) as {
      images: { id: string; label: { reviewed: boolean } }[];
    };
    assert.equal(ws.images.find((i) => i.id === ID_1)!.label.reviewed, true);
    // Reviewed: the label is shown whole (yellow) and the prediction gives way entirely.
    await until('the prediction overlay hidden', async () => ((await layerStats(page, LAYER.prediction)).displayed ? undefined : true));
    await shot('05d-reviewed');
    await page.keyboard.press('r');
    await until('the list shows Edited again', async () =>
      (await page.locator(`[data-id="${ID_1}"]`).getAttribute('data-status')) === 'edited' ? true : undefined,
    );
    await waitForEditor(page, 'saved', (ed) => ed.state.save === 'saved');
  });

  it('typing "7e" in the size box sets nothing and says so; leaving the box puts back the size in use', async () => {
    const field = page.getByTestId('brush-size-value');
    await field.fill('17');
    await waitForEditor(page, 'brush 17', (ed) => ed.state.brushSize === 17);
    await field.fill('7e');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal((await snapshot(page)).brushSize, 17, 'the size is unchanged');
    await page.getByRole('heading', { name: /Images/ }).click();
    assert.equal(await field.inputValue(), '17');
    assert.equal(await field.getAttribute('aria-invalid'), 'false');
  });

  it('after a reload the label is as left, and the brush size is kept', async () => {
    const fileBefore = (await readMask(labelPath(ID_1)))!;
    await page.reload();
    await waitForEditor(page, 'image 1 reopened', (ed, id) => ed.state.currentId === id && !ed.state.loading && ed.width === 565, ID_1);
    await waitForEditor(page, 'its prediction', (ed) => ed.state.hasPrediction);
    assert.equal((await snapshot(page)).brushSize, 17, 'the brush size survived the reload');
    const held = await editorLabel(page);
    assert.deepEqual(
      { vessel: held.vessel, checksum: held.checksum },
      maskChecksum(fileBefore.data.map((v) => (v >= 128 ? 255 : 0))),
      'the editor holds the saved label',
    );
    assert.equal((await snapshot(page)).review, 'edited');
    assert.equal((await layerPixel(page, LAYER.edit, 200, STROKE.y))[3] > 128, true, 'the stroke is drawn');
    // Reopened, the image has its (derived) field of view, drawn as an outline on the UI layer.
    await waitForEditor(page, 'the FOV', (ed) => ed.fov !== null);
    assert.ok((await layerStats(page, LAYER.ui)).covered > 0.001, 'the FOV outline is drawn');
    const fileAfter = (await readMask(labelPath(ID_1)))!;
    assert.deepEqual(fileAfter.data, fileBefore.data, 'reloading did not rewrite the label');
    assert.equal(await page.locator(`[data-id="${ID_1}"]`).getAttribute('data-status'), 'edited');
    await shot('06-after-reload');
  });

  it('switches images with the keyboard; each keeps its own label; undoing every edit makes an image Predicted again', async () => {
    const label1 = (await readMask(labelPath(ID_1)))!;
    // Give the keyboard to the page (not a slider): click a non-interactive heading.
    await page.getByRole('heading', { name: /Images/ }).click();
    await page.keyboard.press('ArrowDown');
    await waitForEditor(page, 'image 2 open', (ed, id) => ed.state.currentId === id && !ed.state.loading && ed.width > 0, ID_2);
    assert.equal(await page.locator(`[data-id="${ID_2}"]`).getAttribute('aria-selected'), 'true');
    await waitForEditor(page, 'the prediction of image 2', (ed) => ed.state.hasPrediction && !ed.state.predicting, null, PREDICT_TIMEOUT);
    const pred2 = (await readMask(join(shell.workspace, 'predictions', `${ID_2}.png`)))!;
    const t2 = thresholdByte((await snapshot(page)).overlay.threshold);
    assert.deepEqual(
      { vessel: (await editorLabel(page)).vessel, review: (await snapshot(page)).review },
      { vessel: countWhere(pred2, (v) => v >= t2), review: 'none' },
      'image 2 starts as its prediction, nothing decided',
    );
    assert.equal((await layerPixel(page, LAYER.edit, 200, STROKE.y))[3], 0, "image 1's stroke is not drawn on image 2");
    await shot('07-second-image');

    // A short stroke on image 2, then straight back with ArrowUp: the pending save must land on image 2.
    await page.keyboard.press('b');
    await page.getByTestId('brush-size-value').fill('8');
    await waitForEditor(page, 'brush 8', (ed) => ed.state.tool === 'brush' && ed.state.brushSize === 8);
    await drag({ x: 300, y: 150 }, { x: 300, y: 250 }, 15);
    await page.getByRole('heading', { name: /Images/ }).click();
    await page.keyboard.press('ArrowUp');
    await waitForEditor(page, 'image 1 open again', (ed, id) => ed.state.currentId === id && !ed.state.loading && ed.width > 0, ID_1);

    const label2 = await until('labels/02_test.png with the short stroke', async () => {
      const m = await readMask(labelPath(ID_2));
      return m && at(m, 300, 200) === 255 ? m : undefined;
    });
    const n2 = countWhere(label2, (v) => v === 255 || v === 0);
    assert.ok(Math.abs(n2 - (100 * 8 + Math.PI * 16)) < 80, `image 2's decided pixels are the short stroke only (${n2} px)`);
    assert.notEqual(at(label2, 200, STROKE.y), 255, "image 1's stroke did not leak into image 2");
    const label1After = (await readMask(labelPath(ID_1)))!;
    assert.deepEqual(label1After.data, label1.data, "image 1's label is unchanged");
    const held = await editorLabel(page);
    assert.deepEqual(
      { vessel: held.vessel, checksum: held.checksum },
      maskChecksum(label1.data.map((v) => (v >= 128 ? 255 : 0))),
      'image 1 shows its own label again',
    );
    await shot('08-back-to-first');

    // Image 2's only stroke undone: its label goes and it is Predicted again.
    await page.keyboard.press('ArrowDown');
    await waitForEditor(page, 'image 2 open', (ed, id) => ed.state.currentId === id && !ed.state.loading && ed.width > 0, ID_2);
    await waitForEditor(page, 'undo available', (ed) => ed.state.review === 'edited');
    await page.keyboard.press('Control+z');
    await until('labels/02_test.png removed', () => (existsSync(labelPath(ID_2)) ? undefined : true));
    await until('image 2 Predicted again', async () =>
      (await page.locator(`[data-id="${ID_2}"]`).getAttribute('data-status')) === 'predicted' ? true : undefined,
    );
  });

  it('N jumps to the most uncertain region not seen yet; the list can put the most uncertain image first', async () => {
    const before = (await snapshot(page)).view;
    await page.keyboard.press('n');
    const first = await until('the view moved', async () => {
      const v = (await snapshot(page)).view;
      return v.x !== before.x || v.y !== before.y || v.zoom !== before.zoom ? v : undefined;
    });
    assert.ok(first.zoom >= before.zoom, 'it zooms in, not out');
    await page.keyboard.press('n');
    const second = await until('the view moved again', async () => {
      const v = (await snapshot(page)).view;
      return v.x !== first.x || v.y !== first.y ? v : undefined;
    });
    debug('uncertain regions', first, second);
    await shot('09-next-uncertain');
    await page.keyboard.press('0');
    const scores = await page
      .getByTestId('image-item')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-id'), e.querySelector('[data-testid="image-uncertainty"]')?.textContent ?? '']),
      );
    assert.ok(
      scores.every(([, t]) => /^\d+\.\d% unsure$/.test(t)),
      `each predicted image shows its uncertainty: ${JSON.stringify(scores)}`,
    );
    await page.getByTestId('image-order').selectOption('uncertainty');
    const ordered = await page
      .getByTestId('image-item')
      .evaluateAll((els) => els.map((e) => parseFloat(e.querySelector('[data-testid="image-uncertainty"]')!.textContent!)));
    assert.deepEqual(
      ordered,
      [...ordered].sort((a, b) => b - a),
      'most uncertain first',
    );
    await page.getByTestId('image-order').selectOption('imported');
  });

  it('links a page icon the shell serves, so the browser does not ask for a missing /favicon.ico', async () => {
    const hrefs = await page.locator('link[rel="icon"]').evaluateAll((els) => els.map((e) => (e as unknown as { href: string }).href));
    assert.ok(hrefs.length > 0, 'index.html links an icon');
    for (const href of hrefs) {
      const r = await page.request.get(href);
      assert.equal(r.status(), 200, `${new URL(href).pathname} is served`);
      assert.match(r.headers()['content-type'] ?? '', /^image\//, `${new URL(href).pathname} is an image`);
    }
  });

  it('raised no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
