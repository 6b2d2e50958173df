/**
 * The clinician's loop in a real Chromium against the real browser shell (dist/main/web.js): open DRIVE
 * photographs through the file chooser, see the prediction overlay, move the opacity and threshold sliders,
 * paint a vessel and erase part of it, undo and redo, reload and find the label as left, switch images
 * with the keyboard. Assertions read the saved files in the workspace (labels/*.png with sharp) and the
 * pixels the canvas layers show, not just the DOM. Screenshots: test/artifacts/e2e/editor/.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
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

  it('paints a vessel stroke with the mouse; the saved label PNG has exactly that stroke', async () => {
    assert.equal(await readMask(labelPath(ID_1)), null, 'no label before painting');
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
    assert.equal(
      countWhere(painted, (v) => v !== 0 && v !== 255),
      0,
      'only 0 and 255',
    );
    const r = STROKE.size / 2;
    for (let x = STROKE.x0; x <= STROKE.x1; x += 5) {
      assert.equal(at(painted, x, STROKE.y), 255, `vessel on the stroke at x=${x}`);
      assert.equal(at(painted, x, STROKE.y - r + 2), 255, `vessel inside the brush at x=${x}`);
      assert.equal(at(painted, x, STROKE.y + r + 2), 0, `background below the brush at x=${x}`);
      assert.equal(at(painted, x, STROKE.y - r - 2), 0, `background above the brush at x=${x}`);
    }
    // Nothing outside the capsule; its area is length x size plus the round caps.
    const vessel = countWhere(painted, (v) => v === 255);
    const area = (STROKE.x1 - STROKE.x0) * STROKE.size + Math.PI * r * r;
    assert.ok(Math.abs(vessel - area) < 0.05 * area, `stroke area ${vessel} px, expected about ${Math.round(area)}`);
    // The label layer shows it (yellow) where it was painted.
    const [red, green, blue, alpha] = await layerPixel(page, LAYER.edit, 250, STROKE.y);
    assert.ok(alpha > 128 && red > 200 && green > 150 && blue < 100, `label layer pixel ${[red, green, blue, alpha]}`);
    assert.equal((await layerPixel(page, LAYER.edit, 250, STROKE.y + 40))[3], 0);
    // Those partial redraws left the layer showing exactly the label, screen pixel by screen pixel.
    const shown = await layerVersusLabel(page, LAYER.edit, LABEL_ALPHA);
    assert.ok(shown.checked > 100_000, `compared ${shown.checked} screen pixels`);
    assert.equal(shown.mismatches, 0, `the label layer shows the label exactly (first mismatch: ${shown.first})`);
    assert.equal(await page.locator(`[data-id="${ID_1}"]`).getAttribute('data-status'), 'corrected');
    await shot('03-stroke-painted');
  });

  it('erases part of the stroke with the eraser', async () => {
    await page.keyboard.press('e');
    await page.getByTestId('brush-size-value').fill(String(CUT.size));
    await waitForEditor(page, 'eraser tool', (ed, size) => ed.state.tool === 'eraser' && ed.state.brushSize === size, CUT.size);
    await drag({ x: CUT.x, y: CUT.y0 }, { x: CUT.x, y: CUT.y1 }, 20);

    erased = await savedLabel(ID_1, 'the cut', (m) => at(m, CUT.x, STROKE.y) === 0, painted);
    for (let x = CUT.x - CUT.size / 2 + 1; x <= CUT.x + CUT.size / 2 - 2; x++) assert.equal(at(erased, x, STROKE.y), 0, `erased at x=${x}`);
    assert.equal(at(erased, CUT.x - CUT.size / 2 - 3, STROKE.y), 255, 'left part kept');
    assert.equal(at(erased, CUT.x + CUT.size / 2 + 3, STROKE.y), 255, 'right part kept');
    const removed = countWhere(painted, (v) => v === 255) - countWhere(erased, (v) => v === 255);
    assert.ok(Math.abs(removed - CUT.size * STROKE.size) <= 0.15 * CUT.size * STROKE.size, `erased ${removed} px`);
    assert.ok(
      erased.data.every((v, i) => v === 0 || painted.data[i] === 255),
      'erasing added no vessel pixels',
    );
    assert.equal((await layerPixel(page, LAYER.edit, CUT.x, STROKE.y))[3], 0, 'the label layer shows the gap');
    const shown = await layerVersusLabel(page, LAYER.edit, LABEL_ALPHA);
    assert.equal(shown.mismatches, 0, `the label layer shows the erased label exactly (first mismatch: ${shown.first})`);
    await shot('04-part-erased');
  });

  it('undo (Ctrl+Z) and redo (toolbar) restore each saved state exactly', async () => {
    await page.keyboard.press('Control+z');
    const undone = await savedLabel(ID_1, 'the cut undone', (m) => at(m, CUT.x, STROKE.y) === 255, erased);
    assert.deepEqual(undone.data, painted.data, 'after undo the file equals the painted stroke');

    await page.getByTestId('redo').click();
    const redone = await savedLabel(ID_1, 'the cut redone', (m) => at(m, CUT.x, STROKE.y) === 0, undone);
    assert.deepEqual(redone.data, erased.data, 'after redo the file equals the erased state');
    await page.keyboard.press('Control+z');
    const undone2 = await savedLabel(ID_1, 'undo again', (m) => at(m, CUT.x, STROKE.y) === 255, redone);
    assert.deepEqual(undone2.data, painted.data);
    await page.keyboard.press('Control+Shift+Z');
    erased = await savedLabel(ID_1, 'redo with Ctrl+Shift+Z', (m) => at(m, CUT.x, STROKE.y) === 0, undone2);
    assert.deepEqual(erased.data, redone.data);
    const shown = await layerVersusLabel(page, LAYER.edit, LABEL_ALPHA);
    assert.equal(shown.mismatches, 0, `after undo/redo the label layer shows the label exactly (first mismatch: ${shown.first})`);
    await shot('05-after-undo-redo');
  });

  it('diff view (D): label-only pixels blue, prediction-only red, agreement faint white, following the threshold and the opacity', async () => {
    const onStroke = { x: 200, y: STROKE.y };
    const offStroke = { x: 200, y: STROKE.y + 60 };
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
    const pred = (await readMask(join(shell.workspace, 'predictions', `${ID_1}.png`)))!;
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

  it('accept prediction makes the label the thresholded prediction; undo brings the painted label back', async () => {
    const before = (await readMask(labelPath(ID_1)))!;
    const pred = (await readMask(join(shell.workspace, 'predictions', `${ID_1}.png`)))!;
    const tb = thresholdByte((await snapshot(page)).overlay.threshold);
    await page.getByTestId('accept-prediction').click();
    const accepted = await savedLabel(ID_1, 'the accepted prediction', (m) => m.mtimeMs !== before.mtimeMs, before);
    const expected = pred.data.map((v) => (v >= tb ? 255 : 0));
    assert.deepEqual(accepted.data, expected, 'label = prediction >= threshold, pixel for pixel');
    await page.keyboard.press('Control+z');
    const undone = await savedLabel(
      ID_1,
      'the painted label again',
      (m) => at(m, 200, STROKE.y) === 255 || m.data.every((v, i) => v === before.data[i]),
      accepted,
    );
    assert.deepEqual(undone.data, before.data);
  });

  it('after a reload the label is as left', async () => {
    const fileBefore = (await readMask(labelPath(ID_1)))!;
    await page.reload();
    await waitForEditor(page, 'image 1 reopened', (ed, id) => ed.state.currentId === id && !ed.state.loading && ed.width === 565, ID_1);
    await waitForEditor(page, 'its prediction', (ed) => ed.state.hasPrediction);
    const held = await editorLabel(page);
    assert.deepEqual({ vessel: held.vessel, checksum: held.checksum }, maskChecksum(fileBefore.data), 'the editor holds the saved label');
    assert.equal((await layerPixel(page, LAYER.edit, 200, STROKE.y))[3] > 128, true, 'the stroke is drawn');
    assert.equal((await layerPixel(page, LAYER.edit, CUT.x, STROKE.y))[3], 0, 'the cut is still there');
    // Reopened, the image has its (derived) field of view, drawn as an outline on the UI layer.
    await waitForEditor(page, 'the FOV', (ed) => ed.fov !== null);
    assert.ok((await layerStats(page, LAYER.ui)).covered > 0.001, 'the FOV outline is drawn');
    const fileAfter = (await readMask(labelPath(ID_1)))!;
    assert.deepEqual(fileAfter.data, fileBefore.data, 'reloading did not rewrite the label');
    assert.equal(await page.locator(`[data-id="${ID_1}"]`).getAttribute('data-status'), 'corrected');
    await shot('06-after-reload');
  });

  it('switches images with the keyboard; each keeps its own label', async () => {
    const label1 = (await readMask(labelPath(ID_1)))!;
    // Give the keyboard to the page (not a slider): click a non-interactive heading.
    await page.getByRole('heading', { name: /Images/ }).click();
    await page.keyboard.press('ArrowDown');
    await waitForEditor(page, 'image 2 open', (ed, id) => ed.state.currentId === id && !ed.state.loading && ed.width > 0, ID_2);
    assert.equal(await page.locator(`[data-id="${ID_2}"]`).getAttribute('aria-selected'), 'true');
    await waitForEditor(page, 'the prediction of image 2', (ed) => ed.state.hasPrediction && !ed.state.predicting, null, PREDICT_TIMEOUT);
    assert.equal((await editorLabel(page)).vessel, 0, 'image 2 starts with an empty label');
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
    const n2 = countWhere(label2, (v) => v === 255);
    assert.ok(Math.abs(n2 - (100 * 8 + Math.PI * 16)) < 80, `image 2's label is the short stroke only (${n2} px)`);
    assert.equal(at(label2, 200, STROKE.y), 0, "image 1's stroke did not leak into image 2");
    const label1After = (await readMask(labelPath(ID_1)))!;
    assert.deepEqual(label1After.data, label1.data, "image 1's label is unchanged");
    const held = await editorLabel(page);
    assert.deepEqual({ vessel: held.vessel, checksum: held.checksum }, maskChecksum(label1.data), 'image 1 shows its own label again');
    await shot('08-back-to-first');
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
