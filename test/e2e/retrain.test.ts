/**
 * Retraining in a real Chromium against the real browser shell (dist/main/web.js): open a DRIVE folder
 * (3 photographs with their manual labels: Reviewed), paint a correction, mark one image as reference,
 * click Retrain, watch the progress panel move and the loss and held-out F1 curves draw; the new version
 * is selected only if it scored better on the held-out pixels (a quarter of each image, with 2
 * corrections), and the chart, the outcome, the version card and the toast give the same numbers; select
 * it by hand when it was not, see the overlay change, compare two versions (each at its own threshold),
 * roll back and get the old overlay back; then, with all three as corrections (one held out whole), kill
 * the compute process mid-run and retry: the outcome and the versions list agree the moment it says done.
 * Last, an 8-megapixel photograph joins (excluded from retraining) and nothing overflows sideways at
 * 1280x720 or 1600x1000. Short runs: VESSEL_RETRAIN_STEPS. Screenshots: test/artifacts/e2e/retrain/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { initBackend } from '../../main/engine/backends';
import { loadModel } from '../../main/engine/model-io';
import { fundusPng } from '../helpers/files';
import { DRIVE } from '../helpers/paths';
import { openShellSession, readMask, until, type Mask, type RunningShell, type ShellSession } from './harness';
import { horizontalOverflow, LAYER, layerStats, snapshot, toPage, waitForEditor } from './page';

// Page-side callbacks read the renderer's test hook; the root tsconfig has no DOM library.
declare const window: { __vesselEditor: { state: { currentId: string; predicting: unknown } } };

/** "F1 0.123 → 0.456" as the UI writes held-out numbers (three decimals). */
const f1Pair = (before: number, after: number) => `F1 ${before.toFixed(3)} → ${after.toFixed(3)}`;

const NUMBERS = ['21', '22', '23'];
const STEPS = 40;
const TIMEOUT = process.env.VESSEL_E2E_MODEL ? 600_000 : 180_000;

let scratch: ShellSession['scratch'];
let shell: RunningShell;
let session: ShellSession;
let page: Page;
let pageErrors: string[];
let shots: string;
const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) });
const predictionFile = (id: string) => join(shell.workspace, 'predictions', `${id}.png`);

/** A DRIVE-layout folder with three training photographs, their manual labels and FOV masks. */
function driveSubset(root: string): string {
  const base = join(root, 'DRIVE-3', 'training');
  for (const d of ['images', '1st_manual', 'mask']) mkdirSync(join(base, d), { recursive: true });
  for (const n of NUMBERS) {
    copyFileSync(join(DRIVE, 'training', 'images', `${n}_training.tif`), join(base, 'images', `${n}_training.tif`));
    copyFileSync(join(DRIVE, 'training', '1st_manual', `${n}_manual1.gif`), join(base, '1st_manual', `${n}_manual1.gif`));
    copyFileSync(join(DRIVE, 'training', 'mask', `${n}_training_mask.gif`), join(base, 'mask', `${n}_training_mask.gif`));
  }
  return join(root, 'DRIVE-3');
}

/** The compute process: the web shell's only child. */
function computePid(): number {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(shell.proc.pid)])
    .toString()
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  assert.equal(out.length, 1, `one compute process under the shell, found ${out.join(', ')}`);
  return Number(out[0]);
}

async function openImage(id: string): Promise<void> {
  await page.locator(`[data-testid="image-item"][data-id="${id}"]`).click();
  await waitForEditor(
    page,
    `image ${id} open and predicted`,
    (ed, want) => ed.state.currentId === want && !ed.state.loading && ed.state.hasPrediction && !ed.state.predicting,
    id,
    TIMEOUT,
  );
}

/** Mean alpha (0..1) the probability overlay should have for a saved prediction at `threshold` (opacity 60 %: the default). */
function expectedAlpha(pred: Mask, threshold: number): number {
  const tb = Math.ceil(threshold * 255 - 1e-9);
  let sum = 0;
  for (const v of pred.data) if (v >= tb) sum += v;
  return (0.6 * sum) / (255 * pred.data.length);
}

/**
 * The overlay's mean alpha once the canvas shows the saved prediction of `id` (Konva redraws a frame
 * after the editor state changes, so the state alone does not say the pixels are there yet).
 */
async function overlayShowing(id: string): Promise<number> {
  const expected = expectedAlpha((await readMask(predictionFile(id)))!, (await snapshot(page)).overlay.threshold);
  return until(`the overlay to show predictions/${id}.png`, async () => {
    const alpha = (await layerStats(page, LAYER.prediction)).meanAlpha;
    return Math.abs(alpha - expected) < 0.1 * expected + 0.003 ? alpha : undefined;
  });
}

const attr = async (testId: string, name: string) => page.getByTestId(testId).getAttribute(name);
const selectedVersion = () => page.locator('[data-testid="version-item"][aria-selected="true"]').getAttribute('data-id');

/** Waits until the open image's prediction comes from `modelId` and is on screen. */
async function predictedWith(modelId: string): Promise<void> {
  await until(
    `the prediction of the open image by ${modelId}`,
    async () => {
      const ws = JSON.parse(readFileSync(join(shell.workspace, 'workspace.json'), 'utf8')) as {
        images: { id: string; prediction: { modelId: string } | null }[];
      };
      const open = await page.evaluate(() => {
        const s = window.__vesselEditor.state;
        return { currentId: s.currentId, predicting: s.predicting };
      });
      return ws.images.find((i) => i.id === open.currentId)?.prediction?.modelId === modelId && open.predicting === null ? true : undefined;
    },
    TIMEOUT,
  );
}

describe('browser shell e2e: retrain, versions, compare, roll back, crash and retry', () => {
  before(async () => {
    // loadModel checks saved versions from this process.
    await initBackend('cpu');
    session = await openShellSession({
      artifacts: 'retrain',
      viewport: { width: 1440, height: 900 },
      env: { VESSEL_RETRAIN_STEPS: String(STEPS) },
    });
    ({ scratch, shell, page, pageErrors, shots } = session);
  });

  after(async () => {
    await session?.close();
  });

  it('opens three labelled DRIVE photographs and paints a correction', async () => {
    await page.goto(shell.url);
    await page.getByTestId('open-folder-input').setInputFiles(driveSubset(scratch.dir));
    await waitForEditor(
      page,
      'three labelled images, the first one open',
      (ed) => ed.state.images.length === 3 && ed.state.currentId !== null && !ed.state.loading,
    );
    await waitForEditor(page, 'the first prediction', (ed) => ed.state.hasPrediction && !ed.state.predicting, undefined, TIMEOUT);
    assert.equal(
      await page.getByTestId('retrain-data').textContent(),
      'Uses 3 corrected images (3 reviewed, 0 edited). One is held out to measure the change: a reviewed one, else the most edited.',
    );
    assert.deepEqual(await page.getByTestId('image-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), [
      'reviewed',
      'reviewed',
      'reviewed',
    ]);
    assert.match((await page.getByTestId('retrain-estimate').textContent()) ?? '', /^40 steps, time shown once it runs/);
    assert.equal(await page.locator('[data-testid="version-item"]').count(), 1);
    assert.equal(await selectedVersion(), 'default');
    assert.equal(await page.getByTestId('retrain').isEnabled(), true);

    // A correction: a vessel painted across the image (the brush is the default tool).
    const a = await toPage(page, 160, 300);
    const b = await toPage(page, 420, 320);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 12 });
    await page.mouse.up();
    await waitForEditor(page, 'the label saved', (ed) => ed.state.save === 'saved');
    await shot('01-corrected');
  });

  let corrected: string;
  const REFERENCE = '23_training';

  it('marks another labelled image as reference', async () => {
    corrected = await page.evaluate(() => window.__vesselEditor.state.currentId);
    assert.notEqual(corrected, REFERENCE);
    await openImage(REFERENCE);
    await page.getByTestId('reference-toggle').check();
    await until('the summary to count a reference image', async () =>
      (await page.getByTestId('retrain-data').textContent()) ===
      'Uses 2 corrected images (2 reviewed, 0 edited) and 1 reference image. A quarter of each is held out to measure the change.'
        ? true
        : undefined,
    );
    assert.match(
      (await page.getByTestId('reference-help').textContent()) ?? '',
      /not counted as a correction/,
      'the switch says what a reference image is',
    );
    // The checkbox shows the change at once; main writes it to workspace.json as the call is answered.
    await until('the mark kept in workspace.json', () => {
      const ws = JSON.parse(readFileSync(join(shell.workspace, 'workspace.json'), 'utf8')) as {
        images: { id: string; reference: boolean | null }[];
      };
      return ws.images.find((i) => i.id === REFERENCE)?.reference === true ? true : undefined;
    });
    await openImage(corrected);
  });

  let original: { alpha: number; png: Buffer; id: string };

  it('Retrain shows live progress and curves; the new version is selected only if better; chart, outcome, card and toast agree', async () => {
    const id = corrected;
    // A reviewed label is shown whole and the prediction gives way to it: hide the label (L) to watch the model.
    await page.getByRole('heading', { name: /Images/ }).click();
    await page.keyboard.press('l');
    await waitForEditor(page, 'the label hidden', (ed) => !ed.state.overlay.showLabel);
    original = { alpha: await overlayShowing(id), png: readFileSync(predictionFile(id)), id };
    await page.getByTestId('retrain').click();
    await page.getByTestId('retrain-progress').waitFor();
    assert.equal(await attr('retrain-progress', 'data-total'), String(STEPS));
    assert.match((await page.getByTestId('retrain-progress').textContent()) ?? '', /2 corrected, 1 reference image\(s\), from default/);
    assert.equal(await page.getByTestId('retrain').isEnabled(), false, 'one run at a time');

    // The panel moves: the step attribute goes up while running, and the loss curve gains points.
    const seen = new Set<number>();
    await until(
      'several training steps reported',
      async () => {
        const step = Number(await attr('retrain-progress', 'data-step'));
        if (step > 0 && step < STEPS) seen.add(step);
        return seen.size >= 3 ? true : undefined;
      },
      TIMEOUT,
    );
    const midPoints = Number(await attr('loss-chart', 'data-points'));
    assert.ok(midPoints >= 2, `the loss curve is drawing (${midPoints} points)`);
    assert.ok((await page.locator('[data-testid="loss-chart"] path').getAttribute('d'))!.split('L').length >= 2);
    assert.match((await page.getByTestId('retrain-elapsed').textContent()) ?? '', /^\d+:\d\d$/);
    await shot('02-training');

    await page.locator('[data-testid="retrain-outcome"][data-state="done"]').waitFor({ timeout: TIMEOUT });
    const outcome = (await page.getByTestId('retrain-outcome').textContent()) ?? '';
    const toasts = (await snapshot(page)).toasts;
    const selected = (await page.getByTestId('retrain-outcome').getAttribute('data-selected')) === 'true';
    // The list already agrees with the outcome when the outcome shows.
    assert.equal(await selectedVersion(), selected ? 'v2' : 'default');
    assert.equal(await attr('retrain-progress', 'data-step'), await attr('retrain-progress', 'data-total'));
    assert.equal(await attr('loss-chart', 'data-points'), String(STEPS), 'a loss point per step');
    assert.ok(Number(await attr('validation-chart', 'data-points')) >= 2, 'held-out F1 before training and after');
    assert.equal(await page.locator('[data-testid="version-item"]').count(), 2);
    (await loadModel(join(shell.workspace, 'models', 'v2'))).dispose();

    // One set of numbers: the chart's "before" line and "kept" point, the outcome, the version card, the toast.
    const before = Number(await attr('validation-chart', 'data-baseline'));
    const kept = Number((await attr('validation-chart', 'data-marker'))!.split(',')[1]);
    const pair = f1Pair(before, kept);
    assert.ok(outcome.includes(pair), `the outcome says ${pair}: ${outcome}`);
    const card = (await page.locator('[data-testid="version-item"][data-id="v2"] [data-testid="version-measured"]').textContent()) ?? '';
    assert.ok(card.includes(pair), `the version card says ${pair}: ${card}`);
    assert.ok(
      toasts.some((t) => t === outcome),
      `the toast says what the outcome says: ${JSON.stringify(toasts)}`,
    );
    assert.match(card, /on the bottom-left quarter of each image|on the [a-z-]+ quarter of each image/, 'and on what');
    assert.match(card, /% of it decided by a person/);
    assert.equal((await page.getByTestId('retrain-status').textContent())?.startsWith('Finished'), true);
    assert.equal(
      await page.locator('.retrain-progress [role="progressbar"]').getAttribute('aria-valuenow'),
      '100',
      'a finished run is at 100 %',
    );
    console.log(`[e2e] held-out ${pair}: ${selected ? 'selected' : 'not selected'}`);
    await shot('03a-outcome');
    if (!selected) {
      // Not better: saved, not selected; the user can still pick it.
      assert.match(outcome, /^Version 2 saved, not selected: held-out F1 .* is not better than tiny e2e model\./);
      await page.locator('[data-testid="version-item"][data-id="v2"] [data-testid="version-select"]').click();
      await until('v2 selected by hand', async () => ((await selectedVersion()) === 'v2' ? true : undefined));
    } else {
      assert.match(outcome, /^Version 2 is better on the held-out pixels and is now in use: held-out F1 /);
    }
    // The overlay follows the selected version's own threshold.
    await until("the overlay at v2's own threshold", async () =>
      (await page.getByTestId('threshold-note').textContent())?.startsWith('The model’s own threshold (') ? true : undefined,
    );

    await predictedWith('v2');
    assert.notDeepEqual(readFileSync(predictionFile(original.id)), original.png, 'the stored prediction changed');
    await overlayShowing(original.id);
    const after = await until('the overlay to differ from before', async () => {
      const alpha = (await layerStats(page, LAYER.prediction)).meanAlpha;
      return Math.abs(alpha - original.alpha) > 1e-4 ? alpha : undefined;
    });
    console.log(`[e2e] overlay alpha ${original.alpha.toFixed(4)} → ${after.toFixed(4)}`);
    await shot('03-new-version');
  });

  it('compares the new version with the old one on the open image', async () => {
    await page.locator('[data-testid="version-item"][data-id="default"] [data-testid="version-compare"]').click();
    await page.getByTestId('compare-a').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('compare-b').waitFor();
    await shot('04-compare-side-by-side');
    await page.getByTestId('compare-difference').click();
    await page.getByTestId('compare-diff').waitFor();
    assert.match(
      (await page.locator('.compare-pane figcaption').textContent()) ?? '',
      /^[\d,]+ pixels differ, each version at its own threshold \(\d\.\d\d, \d\.\d\d\)$/,
    );
    await shot('05-compare-difference');
    await page.getByTestId('compare-close').click();
    await page.getByTestId('compare-view').waitFor({ state: 'detached' });
  });

  it('rolling back to the old version restores the old overlay; nothing is deleted', async () => {
    await page.locator('[data-testid="version-item"][data-id="default"] [data-testid="version-select"]').click();
    await until('the old version selected', async () => ((await selectedVersion()) === 'default' ? true : undefined));
    await predictedWith('default');
    assert.deepEqual(readFileSync(predictionFile(original.id)), original.png, 'the same prediction as before retraining');
    await until('the overlay to show the old prediction', async () => {
      const alpha = (await layerStats(page, LAYER.prediction)).meanAlpha;
      return Math.abs(alpha - original.alpha) < 1e-6 ? true : undefined;
    });
    assert.ok(existsSync(join(shell.workspace, 'models', 'v2', 'weights.bin')));
    assert.equal(await page.locator('[data-testid="version-item"]').count(), 2);
    await shot('06-rolled-back');
  });

  it('Cancel mid-run stops it; the current version stays selected and no version is added', async () => {
    await page.getByTestId('retrain').click();
    await until('training under way', async () => (Number(await attr('retrain-progress', 'data-step')) >= 2 ? true : undefined), TIMEOUT);
    const t0 = Date.now();
    await page.getByTestId('retrain-cancel').click();
    await page.locator('[data-testid="retrain-outcome"][data-state="cancelled"]').waitFor({ timeout: 10_000 });
    const ms = Date.now() - t0;
    assert.ok(ms < 1500, `the panel says cancelled ${ms} ms after the click`);
    assert.match(
      (await page.getByTestId('retrain-outcome').textContent()) ?? '',
      /^Retraining cancelled\. The current model \(.+\) is unchanged\./,
    );
    assert.ok(Number(await attr('retrain-progress', 'data-step')) < STEPS);
    assert.equal(await selectedVersion(), 'default');
    assert.equal(await page.locator('[data-testid="version-item"]').count(), 2);
    assert.deepEqual(
      readdirSync(join(shell.workspace, 'models')).filter((n) => !n.startsWith('.')),
      ['v2'],
    );
    await shot('07-cancelled');
  });

  it('a compute process killed mid-run: the app says so, versions stay intact, Retry trains again', async () => {
    // All three as corrections now: the last one is held out and scored.
    await openImage(REFERENCE);
    await page.getByTestId('reference-toggle').uncheck();
    await until('three corrections', async () =>
      (await page.getByTestId('retrain-data').textContent())?.startsWith('Uses 3 corrected images') ? true : undefined,
    );
    await page.getByTestId('retrain').click();
    await until('training under way', async () => (Number(await attr('retrain-progress', 'data-step')) >= 2 ? true : undefined), TIMEOUT);
    process.kill(computePid(), 'SIGKILL');
    await page.locator('[data-testid="retrain-outcome"][data-state="crashed"]').waitFor({ timeout: 30_000 });
    assert.match(
      (await page.getByTestId('retrain-outcome').textContent()) ?? '',
      /The compute process stopped during retraining\. The current model \(.+\) is unchanged; 2 of 2 model versions checked complete\./,
    );
    assert.equal(await selectedVersion(), 'default');
    assert.deepEqual(
      readdirSync(join(shell.workspace, 'models')).filter((n) => !n.startsWith('.')),
      ['v2'],
    );
    await shot('08-crashed');
    (await loadModel(join(shell.workspace, 'models', 'v2'))).dispose();

    await page.getByTestId('retry-retrain').click();
    await page.locator('[data-testid="retrain-outcome"][data-state="done"]').waitFor({ timeout: TIMEOUT });
    // Read at once, no waiting: the versions list was refreshed before the outcome said done.
    const retried = (await page.getByTestId('retrain-outcome').getAttribute('data-selected')) === 'true';
    assert.equal(await selectedVersion(), retried ? 'v3' : 'default');
    assert.equal(await page.locator('[data-testid="version-item"]').count(), 3);
    assert.ok(Number(await attr('validation-chart', 'data-points')) >= 2, 'held-out F1 before training and after');
    assert.match(
      (await page.getByTestId('retrain-outcome').textContent()) ?? '',
      retried
        ? /^Version 3 is better on the held-out pixels and is now in use: held-out F1 \d\.\d{3} → \d\.\d{3} \(AUC /
        : /^Version 3 saved, not selected: held-out F1 \d\.\d{3} → \d\.\d{3} /,
    );
    if (retried) await predictedWith('v3');
    await shot('09-retried');
  });

  it('nothing sticks out sideways at 1280x720 or 1600x1000, with an 8-megapixel photograph in the list', async () => {
    await page
      .getByTestId('open-input')
      .setInputFiles({ name: 'large-3504x2336.png', mimeType: 'image/png', buffer: Buffer.from(await fundusPng(3504, 2336, 5)) });
    // Decoding an 8-megapixel photograph takes seconds: the toolbar says an import is under way.
    assert.match((await page.getByTestId('import-progress').textContent({ timeout: 5_000 })) ?? '', /^Importing 1 file…$/);
    await waitForEditor(
      page,
      'the large photograph open',
      (ed) => ed.state.currentId === 'large-3504x2336' && !ed.state.loading,
      undefined,
      TIMEOUT,
    );
    await page.getByRole('heading', { name: /Images/ }).click();
    await page.keyboard.press('x');
    await until('excluded', async () =>
      (await page.locator('[data-id="large-3504x2336"]').getAttribute('data-excluded')) === 'true' ? true : undefined,
    );
    await waitForEditor(page, 'its prediction', (ed) => ed.state.hasPrediction && !ed.state.predicting, undefined, TIMEOUT);
    for (const [width, height] of [
      [1280, 720],
      [1600, 1000],
    ]) {
      await page.setViewportSize({ width, height });
      await until(`the layout at ${width}x${height}`, async () => ((await page.evaluate('innerWidth')) === width ? true : undefined));
      assert.deepEqual(await horizontalOverflow(page), [], `nothing overflows at ${width}x${height}`);
      for (const id of ['zoom-in', 'zoom-fit', 'retrain', 'toggle-reviewed', 'next-uncertain']) {
        const box = (await page.getByTestId(id === 'toggle-reviewed' ? 'reviewed' : id).boundingBox())!;
        assert.ok(box.x >= 0 && box.x + box.width <= width, `${id} fully visible at ${width}x${height}`);
      }
      await shot(`10-layout-${width}x${height}`);
      await page.locator('.side-panel').evaluate((el) => el.scrollTo(0, 0));
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    assert.deepEqual(pageErrors, []);
  });
});
