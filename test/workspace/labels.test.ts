import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  const saved = await ws.saveLabel('a', png, null, false);
  assert.ok(Date.parse(saved.label!.savedAt) > 0);
  const stored = await decodeRaw((await ws.label('a'))!.png);
  assert.deepEqual([stored.channels, stored.depth], [1, 'uchar']);
  for (let i = 0; i < 40 * 30; i++) assert.equal(stored.data[i], i % 3 === 0 ? 255 : 0);
  assert.equal(ws.images()[0].status, 'edited');

  await assert.rejects(ws.saveLabel('a', await maskPng(41, 30, () => true), null, false), /41x30 but the image is 40x30/);
  await assert.rejects(ws.saveLabel('a', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6]), null, false), /not a readable PNG/);
  await assert.rejects(ws.saveLabel('nope', png, null, false), /No image "nope"/);

  await ws.setView({ imageId: 'a', zoom: 2.5, x: -10, y: 4 });
  await ws.selectModel('my-model');
  const again = await Workspace.open(dir);
  assert.deepEqual(again.view, { imageId: 'a', zoom: 2.5, x: -10, y: 4 });
  assert.equal(again.selectedModel, 'my-model');
  assert.deepEqual(await again.label('a'), await ws.label('a'));
});

test('reopening repairs what a crash leaves: temp files, an unrecorded label or photograph, a corrupt workspace.json', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  await ws.importFiles([{ name: 'a.png', bytes: await fundusPng(40, 30, 1) }]);
  writeFileSync(join(dir, 'labels', '.a.png.999999.abcd1234.vessel-tmp'), 'half a png');
  writeFileSync(join(dir, 'labels', 'a.png'), await maskPng(40, 30, (x) => x < 3));
  writeFileSync(join(dir, 'images', 'orphan.png'), await fundusPng(20, 10, 3));
  let again = await Workspace.open(dir);
  assert.ok(!existsSync(join(dir, 'labels', '.a.png.999999.abcd1234.vessel-tmp')));
  assert.deepEqual(
    again.images().map((i) => [i.id, i.status, i.width]),
    [
      ['a', 'edited', 40],
      ['orphan', 'new', 20],
    ],
  );
  writeFileSync(join(dir, 'workspace.json'), '{"version": 1, "images": [tru');
  again = await Workspace.open(dir);
  assert.deepEqual(
    again
      .images()
      .map((i) => i.id)
      .sort(),
    ['a', 'orphan'],
  );
  assert.ok(
    readdirSync(dir).some((n) => n.startsWith('workspace.json.unreadable-')),
    'the corrupt file is kept aside',
  );
});

test('delete moves the image and its files to trash/', async (t) => {
  const dir = tempDir(t);
  const ws = await Workspace.open(dir);
  await ws.importFiles([{ name: 'a.png', bytes: await fundusPng(40, 30) }]);
  await ws.saveLabel('a', await maskPng(40, 30, (x) => x === 1), await maskPng(40, 30, (x) => x < 5), true);
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
  await ws.saveLabel('a', await maskPng(40, 30, label), await maskPng(40, 30, decided), false);
  // One file: >= 128 vessel; 0/255 decided, 64/192 taken over from the prediction.
  const file = await decodeRaw(new Uint8Array(readFileSync(join(dir, 'labels', 'a.png'))));
  for (let y = 0; y < 30; y++)
    for (let x = 0; x < 40; x++)
      assert.equal(file.data[y * 40 + x], decided(x) ? (label(x, y) ? 255 : 0) : label(x, y) ? 192 : 64, `(${x}, ${y})`);
  const back = (await ws.label('a'))!;
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
  // All edits undone: the label goes, the image is Predicted (or New) again.
  await ws.saveLabel('a', null, null, false);
  assert.equal(await ws.label('a'), null);
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
  await ws.saveLabel('a', await maskPng(40, 30, (x) => x === 1), null, false);
  const [kept] = readdirSync(join(dir, 'trash'));
  assert.match(kept, /^a-label-.*\.png$/);
  assert.deepEqual(readFileSync(join(dir, 'trash', kept)), Buffer.from(misfit));
  assert.equal((await decodeRaw(new Uint8Array(readFileSync(join(dir, 'labels', 'a.png'))))).width, 40);
  // A label of the right size is simply replaced.
  await ws.saveLabel('a', await maskPng(40, 30, (x) => x === 2), null, false);
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
