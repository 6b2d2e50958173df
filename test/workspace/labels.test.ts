import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Workspace } from '../../main/workspace/workspace';
import { decodeRaw, fundusPng, maskPng, tempDir } from '../helpers/files';

test('saveLabel normalises to 8-bit grey 255/0, rejects a wrong size, and survives reopening with view and model', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  await ws.importFiles([{ name: 'a.png', bytes: await fundusPng(40, 30) }]);
  // An RGBA label with in-between values: first channel >= 128 counts as vessel.
  const sharp = (await import('sharp')).default;
  const rgba = Buffer.alloc(40 * 30 * 4);
  for (let i = 0; i < 40 * 30; i++) rgba[i * 4] = i % 3 === 0 ? 200 : i % 3 === 1 ? 127 : 0;
  const png = new Uint8Array(
    await sharp(rgba, { raw: { width: 40, height: 30, channels: 4 } })
      .png()
      .toBuffer(),
  );
  const saved = await ws.saveLabel('a', png, null, false, 0);
  assert.ok(saved.saved && Date.parse(saved.savedAt) > 0 && saved.revision === 1);
  const stored = await decodeRaw((await ws.label('a')).label!.png);
  assert.deepEqual([stored.channels, stored.depth], [1, 'uchar']);
  for (let i = 0; i < 40 * 30; i++) assert.equal(stored.data[i], i % 3 === 0 ? 255 : 0);
  assert.equal(ws.images()[0].status, 'edited');

  await assert.rejects(ws.saveLabel('a', await maskPng(41, 30, () => true), null, false, 1), /41x30 but the image is 40x30/);
  await assert.rejects(ws.saveLabel('a', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6]), null, false, 1), /not a readable PNG/);
  await assert.rejects(ws.saveLabel('nope', png, null, false, 0), /No image "nope"/);

  await ws.setView({ imageId: 'a', zoom: 2.5, x: -10, y: 4 });
  await ws.selectModel('my-model');
  const again = await Workspace.open(dir);
  assert.deepEqual(again.view, { imageId: 'a', zoom: 2.5, x: -10, y: 4 });
  assert.equal(again.selectedModel, 'my-model');
  assert.deepEqual(await again.label('a'), await ws.label('a'));
});

test('reopening repairs what a crash leaves: temp files, an unrecorded label or photograph, and says what it found', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  await ws.importFiles([{ name: 'a.png', bytes: await fundusPng(40, 30, 1) }]);
  writeFileSync(join(dir, 'labels', '.a.png.999999.abcd1234.vessel-tmp'), 'half a png');
  writeFileSync(join(dir, 'labels', 'a.png'), await maskPng(40, 30, (x) => x < 3));
  writeFileSync(join(dir, 'images', 'orphan.png'), await fundusPng(20, 10, 3));
  const again = await Workspace.open(dir);
  assert.ok(!existsSync(join(dir, 'labels', '.a.png.999999.abcd1234.vessel-tmp')));
  assert.deepEqual(
    again.images().map((i) => [i.id, i.status, i.width]),
    [
      ['a', 'edited', 40],
      ['orphan', 'new', 20],
    ],
  );
  assert.equal(again.record('a').labelRevision, 1, 'a label found on disk is a new revision');
  assert.deepEqual(again.openNotices, [
    { kind: 'info', message: 'Added 1 photograph(s) found in images/ that workspace.json did not list: orphan.png' },
  ]);
  // A photograph that went missing takes its entry off the list, and the user is told.
  rmSync(join(dir, 'images', 'orphan.png'));
  assert.deepEqual((await Workspace.open(dir)).openNotices, [
    {
      kind: 'error',
      message:
        'images/orphan.png is missing, so "orphan.png" was taken off the list (a label or prediction it had stays in labels/ or predictions/).',
    },
  ]);
});

/** A workspace with what workspace.json alone remembers: original names, a reference mark, the view and the selected model. */
async function rememberedWorkspace(dir: string): Promise<Workspace> {
  const ws = await Workspace.open(dir);
  await ws.importFiles([
    { name: 'Patient 7 left.tif', bytes: await fundusPng(40, 30, 1, 'tiff') },
    { name: 'b.png', bytes: await fundusPng(40, 30, 2) },
  ]);
  await ws.setReference('Patient_7_left', true);
  await ws.setView({ imageId: 'b', zoom: 3, x: 5, y: 6 });
  await ws.selectModel('v4');
  return ws;
}

const remembered = (ws: Workspace) => [ws.records().map((r) => [r.id, r.name, r.reference]), ws.view, ws.selectedModel];

test('a damaged workspace.json is kept aside and the workspace recovered from its last good copy, with a notice saying so', async (t) => {
  const dir = tempDir(t);
  const before = remembered(await rememberedWorkspace(dir));
  writeFileSync(join(dir, 'workspace.json'), '{"version": 1, "images": [tru');
  const again = await Workspace.open(dir);
  assert.deepEqual(remembered(again), before, 'names, marks, view and selected model survive');
  const aside = readdirSync(dir).find((n) => n.startsWith('workspace.json.unreadable-'))!;
  assert.equal(readFileSync(join(dir, aside), 'utf8'), '{"version": 1, "images": [tru', 'the damaged file is kept as it was');
  assert.equal(again.openNotices.length, 1);
  assert.equal(again.openNotices[0].kind, 'error');
  assert.match(
    again.openNotices[0].message,
    new RegExp(
      `^workspace\\.json could not be read \\(.+\\); it is kept as ${aside}\\. Recovered from its last good copy \\(written \\d{4}-.+Z\\): 2 image\\(s\\) with their names and marks, the selected model and the view\\.$`,
    ),
  );
  // Both files are whole again.
  assert.deepEqual(
    JSON.parse(readFileSync(join(dir, 'workspace.json'), 'utf8')),
    JSON.parse(readFileSync(join(dir, 'workspace.last-good.json'), 'utf8')),
  );
  assert.deepEqual((await Workspace.open(dir)).openNotices, []);
});

test('without a good copy, a workspace.json with an absurd view keeps everything else; one that cannot be read is rebuilt from the files, both told', async (t) => {
  const dir = tempDir(t);
  const before = remembered(await rememberedWorkspace(dir));
  // As an older version could write it (view:save accepted zoom 1e308), with no last good copy.
  const json = JSON.parse(readFileSync(join(dir, 'workspace.json'), 'utf8'));
  writeFileSync(join(dir, 'workspace.json'), JSON.stringify({ ...json, view: { imageId: 'b', zoom: 1e308, x: -1e308, y: 0 } }));
  writeFileSync(join(dir, 'workspace.last-good.json'), 'garbage');
  let again = await Workspace.open(dir);
  assert.deepEqual(remembered(again), [before[0], { imageId: null, zoom: 1, x: 0, y: 0 }, 'v4']);
  const asides = () =>
    readdirSync(dir)
      .filter((n) => n.includes('.unreadable-'))
      .sort();
  assert.equal(asides().length, 2, 'the damaged file and the damaged copy are both kept');
  assert.match(
    again.openNotices[0].message,
    /The last good copy could not be read either and is kept as workspace\.last-good\.json\.unreadable-.*\. Everything in it was kept except the view, reset to the default\.$/,
  );

  writeFileSync(join(dir, 'workspace.json'), '\u0000\u0000');
  writeFileSync(join(dir, 'workspace.last-good.json'), '{}');
  again = await Workspace.open(dir);
  assert.deepEqual(
    again.records().map((r) => [r.id, r.name]),
    [
      ['Patient_7_left', 'Patient_7_left.png'],
      ['b', 'b.png'],
    ],
  );
  assert.equal(asides().length, 4);
  assert.deepEqual(
    again.openNotices.map((n) => n.kind),
    ['error', 'info'],
  );
  assert.match(
    again.openNotices[0].message,
    /No good copy was left, so the image list was rebuilt from the files in images\/: original file names, reference marks, the view, the selected model and which model made each prediction are lost\.$/,
  );
  assert.equal(
    again.openNotices[1].message,
    'Added 2 photograph(s) found in images/ that workspace.json did not list: Patient_7_left.png, b.png',
  );
});

test('a truncated stored label is moved to trash/ (never overwritten), the user told, and the image continues with an empty label', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  await ws.importFiles([{ name: 'a.png', bytes: await fundusPng(40, 30) }]);
  const saved = await ws.saveLabel('a', await maskPng(40, 30, (x, y) => (x * y) % 7 === 0), null, false, 0);
  assert.ok(saved.saved);
  const whole = readFileSync(join(dir, 'labels', 'a.png'));
  const truncated = whole.subarray(0, whole.length - 30);
  writeFileSync(join(dir, 'labels', 'a.png'), truncated);
  const notices: string[] = [];
  ws.onNotice((n) => notices.push(n.message));
  // Reading it (opening the image) finds it.
  assert.deepEqual(await ws.label('a'), { label: null, revision: 2 });
  const [kept] = readdirSync(join(dir, 'trash'));
  assert.deepEqual(readFileSync(join(dir, 'trash', kept)), truncated);
  assert.equal(notices.length, 1);
  assert.match(
    notices[0],
    new RegExp(
      `^The stored label of "a\\.png" cannot be read \\(.+\\)\\. It was moved to trash/${kept} \\(nothing is lost\\); the image continues with an empty label\\.$`,
    ),
  );
  assert.ok(!existsSync(join(dir, 'labels', 'a.png')));

  // Damaged between reading and saving: the save keeps it too before writing.
  writeFileSync(join(dir, 'labels', 'a.png'), truncated);
  const again = await ws.saveLabel('a', await maskPng(40, 30, () => false), null, false, 2);
  assert.ok(again.saved);
  assert.equal(readdirSync(join(dir, 'trash')).length, 2);
  assert.equal(notices.length, 2);
});

test('a save made from an older revision is refused and writes nothing: the last save never silently wins', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  await ws.importFiles([{ name: 'a.png', bytes: await fundusPng(40, 30) }]);
  // Two windows open the image at revision 0; the first saves.
  const first = await ws.saveLabel('a', await maskPng(40, 30, (x) => x === 1), null, false, 0);
  assert.deepEqual([first.saved, first.revision], [true, 1]);
  const onDisk = readFileSync(join(dir, 'labels', 'a.png'));
  const jsonBefore = readFileSync(join(dir, 'workspace.json'), 'utf8');
  const second = await ws.saveLabel('a', await maskPng(40, 30, (x) => x === 2), null, false, 0);
  assert.equal(second.saved, false);
  assert.equal(second.revision, 1);
  if (!second.saved)
    assert.match(
      second.message,
      /^Not saved: the label of "a\.png" was changed in another window at .+Z\. Reload the image to continue from that version/,
    );
  assert.deepEqual(readFileSync(join(dir, 'labels', 'a.png')), onDisk);
  assert.equal(readFileSync(join(dir, 'workspace.json'), 'utf8'), jsonBefore);
  // Reloaded (revision 1), the second window saves.
  assert.equal((await ws.label('a')).revision, 1);
  assert.equal((await ws.saveLabel('a', await maskPng(40, 30, (x) => x === 2), null, false, 1)).saved, true);
});

test('unfinished model saves of a stopped process are removed when the workspace opens, and the user told', async (t) => {
  const dir = tempDir(t);
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  mkdirSync(join(dir, 'models', `.v3.tmp-${dead}-1`), { recursive: true });
  writeFileSync(join(dir, 'models', `.v3.tmp-${dead}-1`, 'model.json'), '{}');
  const ws = await Workspace.open(dir);
  assert.deepEqual(readdirSync(join(dir, 'models')), []);
  assert.deepEqual(ws.openNotices, [
    { kind: 'info', message: `Removed 1 unfinished model save(s) left by a process that stopped: .v3.tmp-${dead}-1` },
  ]);
});

test('delete moves the image and its files to trash/', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  await ws.importFiles([{ name: 'a.png', bytes: await fundusPng(40, 30) }]);
  await ws.saveLabel('a', await maskPng(40, 30, (x) => x === 1), await maskPng(40, 30, (x) => x < 5), true, 0);
  const before = await ws.label('a');
  const trashed = await ws.delete('a');
  assert.deepEqual(ws.images(), []);
  assert.ok(!existsSync(join(dir, 'images', 'a.png')));
  const [bin] = readdirSync(join(dir, 'trash'));
  assert.equal(bin, trashed);
  assert.deepEqual(readdirSync(join(dir, 'trash', bin)).sort(), ['images.png', 'labels.png', 'record.json']);
  assert.deepEqual((await Workspace.open(dir)).images(), []);
  // Undo: everything comes back, label, decided pixels and review state included.
  const restored = await ws.restore(trashed);
  assert.equal(restored.id, 'a');
  assert.deepEqual(
    ws.images().map((i) => [i.id, i.status]),
    [['a', 'reviewed']],
  );
  assert.deepEqual(await ws.label('a'), before);
  assert.deepEqual(readdirSync(join(dir, 'trash')), []);
  await assert.rejects(ws.restore(trashed), /Nothing to restore/);
});

test('a label is saved with the pixels a person decided, in one file; no edits means no label', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  await ws.importFiles([{ name: 'a.png', bytes: await fundusPng(40, 30) }]);
  const label = (x: number, y: number) => y < 10 || x === 20;
  const decided = (x: number) => x >= 15 && x < 25;
  const saved = await ws.saveLabel('a', await maskPng(40, 30, label), await maskPng(40, 30, decided), false, 0);
  assert.ok(saved.saved && saved.revision === 1);
  // One file: >= 128 vessel; 0/255 decided, 64/192 taken over from the prediction.
  const file = await decodeRaw(new Uint8Array(readFileSync(join(dir, 'labels', 'a.png'))));
  for (let y = 0; y < 30; y++)
    for (let x = 0; x < 40; x++)
      assert.equal(file.data[y * 40 + x], decided(x) ? (label(x, y) ? 255 : 0) : label(x, y) ? 192 : 64, `(${x}, ${y})`);
  const back = (await ws.label('a')).label!;
  assert.equal(back.reviewed, false);
  const labelPx = await decodeRaw(back.png);
  const decidedPx = await decodeRaw(back.decided);
  for (let y = 0; y < 30; y++)
    for (let x = 0; x < 40; x++)
      assert.deepEqual([labelPx.data[y * 40 + x], decidedPx.data[y * 40 + x]], [label(x, y) ? 255 : 0, decided(x) ? 255 : 0]);
  assert.deepEqual(ws.images()[0].decided, 0.25);
  assert.equal(ws.images()[0].status, 'edited');
  // Exported labels are plain 0/255 (decided or not).
  assert.equal(await ws.exportLabels(join(dir, 'out')), 1);
  const exported = await decodeRaw(new Uint8Array(readFileSync(join(dir, 'out', 'a.png'))));
  assert.ok(exported.data.every((v, i) => v === (label(i % 40, Math.floor(i / 40)) ? 255 : 0)));
  // All edits undone: the label goes (a new revision), the image is Predicted (or New) again.
  assert.ok((await ws.saveLabel('a', null, null, false, 1)).saved);
  assert.deepEqual(await ws.label('a'), { label: null, revision: 2 });
  assert.ok(!existsSync(join(dir, 'labels', 'a.png')));
  assert.equal(ws.images()[0].status, 'new');
  // Excluded images stay, marked.
  await ws.setExcluded('a', true);
  assert.equal((await Workspace.open(dir)).images()[0].excluded, true);
});

test('a stored label of the wrong size goes to trash/ before a new label replaces it', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  await ws.importFiles([{ name: 'a.png', bytes: await fundusPng(40, 30) }]);
  const misfit = await maskPng(20, 20, (x) => x === 3);
  writeFileSync(join(dir, 'labels', 'a.png'), misfit);
  const notices: string[] = [];
  ws.onNotice((n) => notices.push(n.message));
  await ws.saveLabel('a', await maskPng(40, 30, (x) => x === 1), null, false, 0);
  const [kept] = readdirSync(join(dir, 'trash'));
  assert.match(kept, /^a-label-.*\.png$/);
  assert.deepEqual(readFileSync(join(dir, 'trash', kept)), Buffer.from(misfit));
  assert.equal((await decodeRaw(new Uint8Array(readFileSync(join(dir, 'labels', 'a.png'))))).width, 40);
  assert.deepEqual(notices, [
    `The stored label of "a.png" is 20x20, not 40x30 like its photograph. It was moved to trash/${kept} (nothing is lost); the image continues with an empty label.`,
  ]);
  // A label of the right size is simply replaced.
  await ws.saveLabel('a', await maskPng(40, 30, (x) => x === 2), null, false, 1);
  assert.equal(readdirSync(join(dir, 'trash')).length, 1);
});

test('a process killed mid-save leaves the previous or the new label, never a torn file', async (t) => {
  const dir = tempDir(t);
  const W = 700;
  const H = 500;
  const ws = await Workspace.open(dir);
  await ws.importFiles([{ name: 'eye.png', bytes: await fundusPng(W, H) }]);
  // Two labels with noisy content so each PNG is large enough for a kill to land inside a write.
  const noise = (seed: number) => (x: number, y: number) =>
    Math.imul((x * 73856093) ^ (y * 19349663) ^ (seed * 83492791), 2654435761) >>> 0 > 2 ** 31;
  const a = join(dir, 'A.png');
  const b = join(dir, 'B.png');
  writeFileSync(a, await maskPng(W, H, noise(1)));
  writeFileSync(b, await maskPng(W, H, noise(2)));
  const expected = [await decodeRaw(await maskPng(W, H, noise(1))), await decodeRaw(await maskPng(W, H, noise(2)))];
  const script = join(__dirname, 'fixtures', 'label-writer.ts');
  const seen = new Set<number>();
  // At least 8 kills; more (up to 20) until both labels have been found on disk at least once.
  for (let round = 0; round < 20 && (round < 8 || seen.size < 2); round++) {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir, 'eye', a, b], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      let saves = 0;
      child.stdout.on('data', (d: Buffer) => {
        saves += d.toString().split('\n').filter(Boolean).length;
        // After a few saves, kill at a random moment inside the write loop.
        if (saves >= 2 + round) setTimeout(resolve, Math.random() * 40);
      });
      child.on('exit', () => reject(new Error('the writer exited before it was killed')));
    });
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    const label = await decodeRaw(new Uint8Array(readFileSync(join(dir, 'labels', 'eye.png'))));
    const match = expected.findIndex((e) => e.data.equals(label.data));
    assert.ok(match >= 0, `round ${round}: the label is neither the old nor the new one`);
    seen.add(match);
    const reopened = await Workspace.open(dir);
    assert.equal(reopened.images()[0].status, 'edited');
    assert.deepEqual(readdirSync(join(dir, 'labels')), ['eye.png'], 'temp files are cleaned up on open');
  }
  assert.equal(seen.size, 2, 'both labels were seen on disk across rounds');
});
