/**
 * What the user sees when the workspace was damaged or is shared, in a real Chromium against the real
 * built shell: the recovered workspace.json and a damaged model version are told in the page; two tabs
 * on one image never overwrite each other silently; a second app on the folder is refused.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Workspace } from '../../main/workspace/workspace';
import { fundusPng } from '../helpers/files';
import { saveTinyModel } from '../helpers/tiny-model';
import { e2eModel, launchBrowser, preflight, readMask, startShell, tempDir, until, watchPage, type RunningShell } from './harness';
import { editorLabel, maskChecksum, toPage, waitForEditor } from './page';

let scratch: ReturnType<typeof tempDir>;
let shell: RunningShell;
let browser: Browser;
let wsDir: string;
const ID = 'Patient_7_left';

/** Toast texts in the page (what is on screen, not the editor's state). */
const toasts = (page: Page) => page.locator('[data-testid="toast"] .msg').allInnerTexts();

async function openPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  watchPage(page);
  await page.goto(shell.url);
  await waitForEditor(page, 'the first image open', (ed, id) => ed.state.currentId === id && !ed.state.loading, ID);
  return page;
}

/** Paints a horizontal stroke at image row `y` and releases it (`release` false: the button stays down). */
async function stroke(page: Page, y: number, release = true): Promise<void> {
  const a = await toPage(page, 20, y);
  const b = await toPage(page, 120, y);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  if (release) await page.mouse.up();
}

/** The saved label's checksum once it differs from `previous` (the editor's checksum of the same mask matches it). */
async function savedChecksum(previous: number | null): Promise<number> {
  return until('the label file to change', async () => {
    const m = await readMask(join(wsDir, 'labels', `${ID}.png`));
    const c = m && maskChecksum(m.data).checksum;
    return c !== null && c !== previous ? c : undefined;
  });
}

describe('browser shell e2e: damaged and shared workspaces', () => {
  before(async () => {
    preflight();
    scratch = tempDir();
    wsDir = join(scratch.dir, 'workspace');
    const modelDir = await e2eModel(scratch.dir);
    // A workspace with what only workspace.json remembers, then damaged: its workspace.json and a version's weights.
    const ws = await Workspace.open(wsDir);
    await ws.importFiles([
      { name: 'Patient 7 left.png', bytes: await fundusPng(160, 120, 1) },
      { name: 'second.png', bytes: await fundusPng(160, 120, 2) },
    ]);
    await ws.setReference(ID, true);
    const v2 = join(wsDir, 'models', 'v2');
    await saveTinyModel(v2, 'Version 2');
    writeFileSync(join(v2, 'weights.bin'), randomBytes(statSync(join(v2, 'weights.bin')).size));
    writeFileSync(join(wsDir, 'workspace.json'), '{"version": 1, "images": [tru');
    shell = await startShell({ workspace: wsDir, modelDir });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await shell?.stop();
    scratch?.remove();
  });

  it('the page tells what was recovered from the last good workspace.json, and that a version is damaged', async () => {
    const page = await openPage();
    const aside = readdirSync(wsDir).find((n) => n.startsWith('workspace.json.unreadable-'));
    assert.ok(aside, 'the damaged workspace.json is kept');
    await until('both notices on screen', async () => ((await toasts(page)).length >= 2 ? true : undefined));
    const shown = await toasts(page);
    assert.ok(
      shown.some(
        (t) =>
          t.startsWith(`workspace.json could not be read (`) && t.includes(`it is kept as ${aside}. Recovered from its last good copy`),
      ),
      JSON.stringify(shown),
    );
    assert.ok(
      shown.some((t) =>
        t.startsWith('Model version "Version 2" is damaged and cannot be used: weights do not match the checksum saved in meta.json'),
      ),
      JSON.stringify(shown),
    );
    // What was recovered is what the list shows: the original name and the reference mark.
    assert.equal(await page.locator(`[data-testid="image-item"][data-id="${ID}"] .name`).innerText(), 'Patient 7 left.png');
    assert.match(
      await page.locator('[data-testid="version-item"][data-id="v2"]').innerText(),
      /Damaged: weights do not match the checksum/,
    );
    await page.close();
  });

  it('two tabs on one image: the one with strokes in progress is told, its save is refused, and Reload shows the saved label', async () => {
    const a = await openPage();
    const b = await openPage();
    // B is mid-stroke (button down) when A saves: it cannot have saved anything yet.
    await stroke(b, 30, false);
    await stroke(a, 80);
    const saved = await savedChecksum(null);
    await until('B told of the change', async () =>
      (await toasts(b)).some((t) => t.includes('was changed in another window; the strokes made here since cannot be saved over it'))
        ? true
        : undefined,
    );
    await b.mouse.up();
    await waitForEditor(b, "B's save refused", (ed) => ed.state.save === 'error');
    assert.ok((await toasts(b)).some((t) => t.startsWith('Not saved: the label of "Patient 7 left.png" was changed in another window')));
    const onDisk = await readMask(join(wsDir, 'labels', `${ID}.png`));
    assert.equal(maskChecksum(onDisk!.data).checksum, saved, "A's label is on disk, untouched by B");
    assert.equal((await editorLabel(a)).checksum, saved);

    await b.getByTestId('toast-action').first().click();
    await waitForEditor(b, 'B reloaded', (ed) => ed.state.save === 'saved' && !ed.state.loading);
    assert.equal((await editorLabel(b)).checksum, saved, 'B shows the saved label');

    // With no edits of its own, B follows A's next save by itself, and says so.
    await stroke(a, 100);
    const next = await savedChecksum(saved);
    await until("B showing A's new label", async () => ((await editorLabel(b)).checksum === next ? true : undefined));
    assert.ok(
      (await toasts(b)).some((t) => t === `The label of "Patient 7 left.png" was changed in another window; showing that version.`),
    );
    await a.close();
    await b.close();
  });

  it('a second app on the same workspace folder is refused, naming the process that holds it', async () => {
    await assert.rejects(
      startShell({ workspace: wsDir, modelDir: join(scratch.dir, 'no-model') }),
      new RegExp(
        `exited \\(code 1\\) before printing its URL[\\s\\S]*is in use by another Vessel Studio \\(browser shell, process ${shell.proc.pid}, since `,
      ),
    );
  });
});
