/**
 * Measurements in the browser shell, as a clinician uses them: open DRIVE photographs (one with its
 * first-observer label), set the camera's angle of view, read the Measurements panel — every number the
 * same as `analyze` gives for that image —, hover a segment for its width, length and tortuosity, move
 * the optic disc, "Predict all" with its progress and statuses, and export. Screenshots at 1280x720 and
 * 1600x900: test/artifacts/e2e/measure/.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { parseCsv } from '../../main/cohort/csv';
import { runCohort } from '../../main/cohort/run-cohort';
import type { MeasurementReport } from '../../preload/contract';
import { DRIVE } from '../helpers/paths';
import { openShellSession, until, type ShellSession } from './harness';
import { snapshot, toPage, waitForEditor } from './page';

const MODEL = join(__dirname, '..', '..', 'resources', 'models', 'default');
const PREDICT_TIMEOUT = 120_000;

/** DRIVE layout: 01 with its label and mask, 02 to 05 bare. */
function driveFolder(root: string): string {
  const base = join(root, 'DRIVE-3', 'test');
  for (const d of ['images', '1st_manual', 'mask']) mkdirSync(join(base, d), { recursive: true });
  for (const n of ['01', '02', '03', '04', '05'])
    copyFileSync(join(DRIVE, 'test', 'images', `${n}_test.tif`), join(base, 'images', `${n}_test.tif`));
  copyFileSync(join(DRIVE, 'test', '1st_manual', '01_manual1.gif'), join(base, '1st_manual', '01_manual1.gif'));
  copyFileSync(join(DRIVE, 'test', 'mask', '01_test_mask.gif'), join(base, 'mask', '01_test_mask.gif'));
  return join(root, 'DRIVE-3');
}

interface MeasureLike {
  measure: { report: MeasurementReport | null; busy: boolean; hover: number | null; message: string | null };
  batch: { done: number; failed: number; ids: string[] } | null;
}
declare const window: { __vesselEditor?: { state: MeasureLike } };

const report = (page: Page) => page.evaluate(() => window.__vesselEditor!.state.measure.report);

let session: ShellSession;
let page: Page;
const shot = (name: string) => page.screenshot({ path: join(session.shots, `${name}.png`) });

describe('measurements in the browser shell', { timeout: 600_000 }, () => {
  before(async () => {
    session = await openShellSession({ artifacts: 'measure', viewport: { width: 1280, height: 720 } });
    page = session.page;
    await page.goto(session.shell.url);
  });
  after(async () => {
    await session?.close();
  });

  it('shows the same numbers as analyze, hovers segments, moves the disc, predicts all and exports', async () => {
    await page.getByTestId('open-folder-input').setInputFiles(driveFolder(session.scratch.dir));
    await waitForEditor(
      page,
      'five images, one open',
      (ed) => ed.state.images.length === 5 && ed.state.currentId !== null && !ed.state.loading,
    );
    await page.locator('[data-testid="image-item"][data-id="01_test"]').click();
    await waitForEditor(page, '01 open', (ed) => ed.state.currentId === '01_test' && !ed.state.loading);
    await waitForEditor(page, 'measurements of the label', (ed) => {
      const m = (ed.state as unknown as MeasureLike).measure;
      return m.report?.source === 'label' && !m.busy;
    });
    assert.equal(await page.getByTestId('measure-scale').textContent(), 'pixels only: set the angle of view');

    // The camera's angle of view, for every image.
    await page.getByTestId('angle-of-view').fill('45');
    await page.getByTestId('angle-of-view').press('Enter');
    await waitForEditor(page, 'micrometres', (ed) => (ed.state as unknown as MeasureLike).measure.report?.scale?.source === 'camera');
    await waitForEditor(page, 'measured again', (ed) => !(ed.state as unknown as MeasureLike).measure.busy);

    // The same image through the command line's code: a manifest row with its label and mask, 45°.
    const manifest = join(session.scratch.dir, 'one.csv');
    writeFileSync(
      manifest,
      `image,label,fov\n${join(DRIVE, 'test/images/01_test.tif')},${join(DRIVE, 'test/1st_manual/01_manual1.gif')},${join(DRIVE, 'test/mask/01_test_mask.gif')}\n`,
    );
    const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
    await runCohort({
      input: manifest,
      out: join(session.scratch.dir, 'cli'),
      modelDir: MODEL,
      shard: null,
      angleOfViewDeg: 45,
      scaleFrom: 'camera',
      log: quiet,
    });
    const [header, row] = parseCsv(readFileSync(join(session.scratch.dir, 'cli', 'measurements.csv'), 'utf8'));
    const cli = Object.fromEntries(header.map((h, i) => [h, row[i]]));
    const cells = await page
      .locator('[data-testid^="m-"]')
      .evaluateAll((els) =>
        els.map((e) => ({ id: e.getAttribute('data-testid')!.slice(2), csv: e.getAttribute('data-csv')!, shown: e.textContent })),
      );
    assert.ok(cells.length >= 30, `${cells.length} cells in the table`);
    for (const c of cells) {
      if (c.id === 'fov_coverage') continue;
      assert.equal(c.csv, cli[c.id], `${c.id}: the panel says ${c.csv}, analyze says ${cli[c.id]}`);
      assert.equal(c.shown, c.csv === '' ? '—' : c.csv, `${c.id} is shown as written`);
    }
    assert.match((await page.getByTestId('measure-scale').textContent())!, new RegExp(`^${cli.scale_um_per_px} µm/px · camera`));
    assert.match(
      (await page.getByTestId('measure-disc').textContent())!,
      new RegExp(`^found · ⌀ ${cli.disc_diameter_px} px \\(\\d\\.\\d\\d mm\\)`),
    );
    await shot('panel-1280x720');

    // Hover the longest measured segment: the tooltip gives its width, length and tortuosity.
    const r = (await report(page))!;
    const seg = r.segments.filter((s) => s.measured && s.widthPx !== null).sort((a, b) => b.lengthPx - a.lengthPx)[0];
    const mid = 2 * Math.floor(seg.points.length / 4);
    const at = await toPage(page, seg.points[mid], seg.points[mid + 1]);
    await page.mouse.move(at.x - 3, at.y - 3);
    await page.mouse.move(at.x, at.y, { steps: 3 });
    const tip = page.getByTestId('segment-tip');
    await tip.waitFor({ state: 'visible' });
    assert.equal(await tip.getAttribute('data-segment'), String(seg.id));
    const text = (await tip.textContent())!;
    assert.ok(text.includes(`Width${(seg.widthPx! * r.scale!.umPerPx).toFixed(1)} µm`), text);
    assert.ok(text.includes(`Length${((seg.lengthPx * r.scale!.umPerPx) / 1000).toFixed(3)} mm`), text);
    assert.ok(text.includes(`arc/chord${seg.distanceTortuosity!.toFixed(4)}`), text);
    await shot('hover-segment');

    // Move the disc 40 px to the right with the disc tool: placed by hand, saved, measured again.
    const disc = r.disc!;
    await page.getByTestId('disc-tool').click();
    const from = await toPage(page, disc.cx, disc.cy);
    const to = await toPage(page, disc.cx + 40, disc.cy);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 6 });
    await shot('disc-dragging');
    await page.mouse.up();
    await waitForEditor(
      page,
      'measured with the moved disc',
      (ed, cx) => {
        const m = (ed.state as unknown as MeasureLike).measure;
        return m.report?.discSource === 'given' && Math.abs(m.report.disc!.cx - cx) < 1 && !m.busy;
      },
      disc.cx + 40,
    );
    const saved = JSON.parse(readFileSync(join(session.shell.workspace, 'workspace.json'), 'utf8'));
    assert.ok(
      Math.abs(saved.images.find((i: { id: string }) => i.id === '01_test').analysis.disc.cx - (disc.cx + 40)) < 1,
      'the disc is saved with the image',
    );
    assert.match((await page.getByTestId('measure-disc').textContent())!, /^placed/);
    await shot('disc-moved');
    await page.getByTestId('disc-tool').click();

    // Predict all: the images not predicted yet (opening one predicts it), with progress and statuses.
    const waiting = await page.evaluate(
      () =>
        (window.__vesselEditor!.state as unknown as { images: { id: string; hasPrediction: boolean }[] }).images.filter(
          (i) => !i.hasPrediction,
        ).length,
    );
    assert.ok(waiting >= 3, `${waiting} images without a prediction`);
    await page.getByTestId('predict-all').click();
    await page.getByTestId('batch-progress').waitFor({ state: 'visible' });
    await shot('predict-all-running');
    await waitForEditor(
      page,
      'predict all finished',
      (ed) => {
        const b = (ed.state as unknown as MeasureLike).batch;
        return b !== null && b.done + b.failed === b.ids.length && ed.state.images.every((i) => i.status !== 'new');
      },
      undefined,
      PREDICT_TIMEOUT,
    );
    const batch = (await page.evaluate(() => window.__vesselEditor!.state.batch))!;
    assert.deepEqual([batch.ids.length, batch.done, batch.failed], [waiting, waiting, 0]);
    assert.deepEqual((await page.getByTestId('image-status').allTextContents()).sort(), [
      'Predicted',
      'Predicted',
      'Predicted',
      'Predicted',
      'Reviewed',
    ]);
    await page.getByTestId('batch-progress').waitFor({ state: 'detached' });

    // Export all: masks, overlays, JSON and one CSV, in the workspace's exports folder.
    await page.getByTestId('export-all').click();
    const toast = await until(
      'the export toast',
      async () => (await snapshot(page)).toasts.find((s) => s.startsWith('Exported the measurements of 5 images')),
      120_000,
    );
    const dir = /to (\S+)$/.exec(toast)![1];
    assert.ok(existsSync(join(dir, 'measurements.csv')), toast);
    assert.deepEqual(
      readdirSync(join(dir, 'overlays')).sort(),
      ['01', '02', '03', '04', '05'].map((n) => `${n}_test.png`),
    );
    const exported = readFileSync(join(dir, 'measurements.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(exported.length, 6);
    await shot('exported-1280x720');

    await page.setViewportSize({ width: 1600, height: 900 });
    await waitForEditor(
      page,
      'the canvas in the larger window',
      (ed, w) => (ed.state as unknown as { viewport: { width: number } }).viewport.width > w,
      1280 - 216 - 296,
    );
    await shot('panel-1600x900');
    assert.deepEqual(session.pageErrors, []);
  });
});
