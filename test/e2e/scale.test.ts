/**
 * The working scale as the clinician meets it: a photograph is predicted at the model's working scale
 * and the status bar says at what field-of-view diameter and resampling; a photograph without a
 * visible FOV edge says the width was assumed, and a diameter set by hand is used and kept.
 * Screenshots: test/artifacts/e2e/scale/.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { DRIVE } from '../helpers/paths';
import { openShellSession, until, type ShellSession } from './harness';
import { waitForEditor } from './page';

const WORKING_FOV = 270;
let session: ShellSession;

describe('browser shell e2e: scale of each photograph', () => {
  before(async () => {
    session = await openShellSession({
      artifacts: 'scale',
      viewport: { width: 1280, height: 720 },
      modelScale: { fovDiameter: WORKING_FOV },
    });
  });
  after(async () => {
    await session?.close();
  });

  const statusScale = () => session.page.getByTestId('status-scale').textContent();

  it('a DRIVE photograph is measured (FOV ≈ 535 px) and resampled to the model working scale', async () => {
    const { page, shell } = session;
    await page.goto(shell.url);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('open').click()]);
    await chooser.setFiles([join(DRIVE, 'test', 'images', '01_test.tif')]);
    await waitForEditor(page, 'the prediction', (ed) => ed.state.hasPrediction && !ed.state.predicting, null, 60_000);
    const text = await until('the scale in the status bar', async () => {
      const t = await statusScale();
      return t && /×/.test(t) ? t : undefined;
    });
    const m = /FOV (\d+) px · ×([\d.]+)/.exec(text);
    assert.ok(m, `status bar scale: "${text}"`);
    assert.ok(Math.abs(Number(m[1]) - 535) <= 8, text);
    assert.ok(Math.abs(Number(m[2]) - WORKING_FOV / Number(m[1])) < 0.01, text);
    const ws = JSON.parse(readFileSync(join(shell.workspace, 'workspace.json'), 'utf8'));
    assert.equal(ws.images[0].prediction.scale.source, 'fov');
    await page.screenshot({ path: join(session.shots, '01-drive-measured.png') });
  });

  it('without a FOV edge the width is assumed and flagged; a diameter set by hand is used and kept', async () => {
    const { page, shell } = session;
    // A crop from inside the FOV: no dark border anywhere.
    const crop = join(session.scratch.dir, 'crop.png');
    writeFileSync(
      crop,
      await sharp(join(DRIVE, 'test', 'images', '02_test.tif'))
        .extract({ left: 150, top: 150, width: 260, height: 260 })
        .png()
        .toBuffer(),
    );
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('open').click()]);
    await chooser.setFiles([crop]);
    await waitForEditor(
      page,
      'the crop open and predicted',
      (ed) => ed.state.currentId === 'crop' && ed.state.hasPrediction && !ed.state.predicting,
      null,
      60_000,
    );
    const assumed = await until('the assumed scale', async () =>
      (await statusScale())?.includes('assumed') ? await statusScale() : undefined,
    );
    assert.match(assumed!, /FOV 260 px ⚠ assumed/);
    assert.match((await page.getByTestId('status-scale').getAttribute('title')) ?? '', /no edge of a circular field of view/);
    await page.screenshot({ path: join(session.shots, '02-crop-assumed.png') });

    await page.getByTestId('status-scale').click();
    await page.getByTestId('scale-input').fill('7e');
    assert.ok(await page.getByRole('button', { name: 'Set' }).isDisabled(), 'a malformed number cannot be set');
    await page.getByTestId('scale-input').fill('540');
    await page.screenshot({ path: join(session.shots, '03-setting-diameter.png') });
    await page.getByRole('button', { name: 'Set' }).click();
    const set = await until('the scale set by hand', async () =>
      (await statusScale())?.includes('(set)') ? await statusScale() : undefined,
    );
    assert.match(set!, /FOV 540 px \(set\) · ×0\.50/);
    const ws = JSON.parse(readFileSync(join(shell.workspace, 'workspace.json'), 'utf8'));
    const rec = ws.images.find((i: { id: string }) => i.id === 'crop');
    assert.equal(rec.fovDiameter, 540);
    assert.equal(rec.prediction.scale.source, 'user');
    assert.deepEqual(session.pageErrors, []);
  });
});
