import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { createDispatcher } from '../../main/app/dispatch';
import { closeReason, startWebShell, type WebShell } from '../../main/app/web-server';
import type { CallOutcome } from '../../preload/names';
import { MAX_CALLS_IN_FLIGHT, MAX_MESSAGE_BYTES } from '../../preload/wire';
import { connectVessel, type SocketConstructor } from '../../preload/ws-client';
import { decodeRaw, fundusPng, maskPng, tempDir } from '../helpers/files';
import { testService } from '../helpers/service';
import { httpGet, upgradeStatus } from '../helpers/http';

/** A page's API client on `shell`, closed after the test. */
function connectApi(t: { after(fn: () => void): void }, shell: WebShell) {
  const api = connectVessel({
    url: `ws://127.0.0.1:${shell.port}/api?token=${shell.token}`,
    WebSocket: WebSocket as unknown as SocketConstructor,
  });
  t.after(() => api.close());
  return api;
}

const get = (port: number, path: string, headers: Record<string, string> = {}) => httpGet(`http://127.0.0.1:${port}${path}`, headers);

async function startShell(t: { after(fn: () => void | Promise<void>): void }) {
  let shell: WebShell | null = null;
  // Service events go to every connected page, as web.ts wires them.
  const { service, dir } = await testService(t, { emit: (name, payload) => shell?.broadcast(name, payload) });
  const staticDir = join(tempDir(t), 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Vessel Studio</title>');
  writeFileSync(join(staticDir, 'app.js'), 'console.log(1)');
  shell = await startWebShell({ handleCall: createDispatcher(service.handlers), staticDir });
  const started = shell;
  t.after(() => started.close());
  return { shell: started, service, dir };
}

test('HTTP: pages need the token (then a cookie); wrong Host, wrong token and paths outside the build are refused', async (t) => {
  const { shell } = await startShell(t);
  const host = { Host: `127.0.0.1:${shell.port}` };
  assert.equal((await get(shell.port, '/', host)).status, 403);
  assert.match((await get(shell.port, '/', host)).body, /missing or wrong token/);
  assert.equal((await get(shell.port, '/?token=wrong', host)).status, 403);
  assert.equal((await get(shell.port, `/?token=${shell.token}`, { Host: `evil.example:${shell.port}` })).status, 403);
  const page = await get(shell.port, `/?token=${shell.token}`, host);
  assert.equal(page.status, 200);
  assert.match(page.body, /Vessel Studio/);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  assert.deepEqual(
    [page.headers['x-content-type-options'], page.headers['referrer-policy'], page.headers['cache-control']],
    ['nosniff', 'no-referrer', 'no-store'],
    'no sniffing, the token never leaves in a Referer, nothing cached',
  );
  const cookie = String(page.headers['set-cookie']).split(';')[0];
  assert.match(String(page.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
  assert.equal((await get(shell.port, '/app.js', host)).status, 403);
  const js = await get(shell.port, '/app.js', { ...host, Cookie: cookie });
  assert.deepEqual([js.status, js.headers['content-type']], [200, 'text/javascript; charset=utf-8']);
  assert.equal((await get(shell.port, '/..%2f..%2fetc%2fpasswd', { ...host, Cookie: cookie })).status, 404);
  assert.equal((await get(shell.port, '/missing.js', { ...host, Cookie: cookie })).status, 404);
});

test('WebSocket: refused without the token, with a wrong one or from another origin', async (t) => {
  const { shell } = await startShell(t);
  const base = `ws://127.0.0.1:${shell.port}/api`;
  assert.equal(await upgradeStatus(base), 403);
  assert.equal(await upgradeStatus(`${base}?token=nope`), 403);
  assert.equal(await upgradeStatus(`${base}?token=${shell.token}`, { Origin: 'http://evil.example' }), 403);
  assert.equal(await upgradeStatus(`ws://127.0.0.1:${shell.port}/other?token=${shell.token}`), 403);
  assert.equal(await upgradeStatus(`${base}?token=${shell.token}`, { Origin: `http://127.0.0.1:${shell.port}` }), 101);
  assert.equal(await upgradeStatus(base, { Cookie: `vessel_token=${shell.token}` }), 101);
});

test('WebSocket: calls with the token work, bytes survive both ways, errors arrive as messages, events are pushed', async (t) => {
  const { shell } = await startShell(t);
  const api = connectApi(t, shell);
  const changed: unknown[] = [];
  api.on('workspace:changed', (p) => changed.push(p));
  const snapshot = await api.call('workspace:get', {});
  assert.deepEqual(snapshot.images, []);

  const photo = await fundusPng(60, 40);
  const r = await api.call('images:import', {
    files: [
      { name: 'eye.png', bytes: photo },
      { name: 'empty.png', bytes: new Uint8Array(0) },
    ],
  });
  assert.deepEqual(
    r.imported.map((i) => i.id),
    ['eye'],
  );
  assert.deepEqual(r.rejected, [{ name: 'empty.png', reason: 'file is empty' }]);
  const served = await api.call('images:photo', { id: 'eye' });
  assert.ok(served.png instanceof Uint8Array);
  assert.deepEqual([served.width, served.height], [60, 40]);
  assert.deepEqual((await decodeRaw(served.png)).data, (await decodeRaw(photo)).data);

  const label = await maskPng(60, 40, (x, y) => x === y);
  assert.deepEqual(await api.call('images:label', { id: 'eye' }), { label: null, revision: 0 });
  const saved = await api.call('images:saveLabel', { id: 'eye', png: label, decided: null, reviewed: true, baseRevision: 0 });
  assert.ok(saved.saved && saved.revision === 1 && saved.image.status === 'reviewed');
  const back = await api.call('images:label', { id: 'eye' });
  assert.equal(back.revision, 1);
  assert.deepEqual((await decodeRaw(back.label!.png)).data, (await decodeRaw(label)).data);

  await assert.rejects(api.call('images:photo', { id: '../x' }), /^Error: Invalid request to images:photo: id: /);
  await assert.rejects(api.call('images:photo', { id: 'gone' }), /^Error: No image "gone" in this workspace$/);
  // The import's event reached this page (it is sent before the import's answer).
  assert.deepEqual(changed, [{ reason: 'imported 1 image(s)' }]);
});

test('a connection gets at most MAX_CALLS_IN_FLIGHT unanswered calls; more are answered at once with an error', async (t) => {
  const staticDir = tempDir(t);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let started = 0;
  const shell = await startWebShell({
    staticDir,
    handleCall: async (): Promise<CallOutcome> => {
      started++;
      await released;
      return { ok: true, value: {} };
    },
  });
  t.after(() => shell.close());
  const api = connectApi(t, shell);
  const calls = Array.from({ length: MAX_CALLS_IN_FLIGHT + 6 }, () =>
    api.call('workspace:get', {}).then(
      () => 'ok',
      (e: Error) => e.message,
    ),
  );
  const refused = await Promise.all(calls.slice(MAX_CALLS_IN_FLIGHT));
  assert.deepEqual(new Set(refused), new Set([`Too many calls at once (at most ${MAX_CALLS_IN_FLIGHT} unanswered per connection)`]));
  assert.equal(started, MAX_CALLS_IN_FLIGHT);
  release();
  assert.deepEqual(new Set(await Promise.all(calls.slice(0, MAX_CALLS_IN_FLIGHT))), new Set(['ok']));
  assert.equal(await api.call('workspace:get', {}).then(() => 'ok'), 'ok', 'answered calls free their places');
});

test('a request over the message limit is refused by the client with the limit named, and nothing is sent', async (t) => {
  const { shell } = await startShell(t);
  const api = connectApi(t, shell);
  const huge = new Uint8Array(MAX_MESSAGE_BYTES + 1);
  await assert.rejects(
    api.call('images:import', { files: [{ name: 'huge.png', bytes: huge }] }),
    /^Error: This request is 257 MiB; the browser shell takes at most 256 MiB at once \(open fewer files at a time\)$/,
  );
  // The connection is still usable.
  assert.deepEqual((await api.call('workspace:get', {})).images, []);
});

test('close reasons are cut to the 123 bytes of UTF-8 a close frame carries, never inside a character', () => {
  assert.equal(closeReason('short'), 'short');
  const cut = closeReason('€'.repeat(50));
  assert.equal(cut, '€'.repeat(41));
  assert.equal(Buffer.byteLength(cut), 123);
  assert.equal(closeReason('a' + '😀'.repeat(40)), 'a' + '😀'.repeat(30));
});

test("two windows on one image: the first save is broadcast to both, the second window's stale save is refused and writes nothing", async (t) => {
  const { shell, dir } = await startShell(t);
  const open = () => {
    const api = connectApi(t, shell);
    const saves: unknown[] = [];
    api.on('images:labelSaved', (e) => saves.push(e));
    return { api, saves };
  };
  const a = open();
  const b = open();
  await a.api.call('images:import', { files: [{ name: 'eye.png', bytes: await fundusPng(60, 40) }] });
  const base = (await b.api.call('images:label', { id: 'eye' })).revision;
  const first = await a.api.call('images:saveLabel', {
    id: 'eye',
    png: await maskPng(60, 40, (x) => x === 3),
    decided: null,
    reviewed: false,
    baseRevision: base,
  });
  assert.ok(first.saved);
  const onDisk = readFileSync(join(dir, 'ws', 'labels', 'eye.png'));
  const second = await b.api.call('images:saveLabel', {
    id: 'eye',
    png: await maskPng(60, 40, (x) => x === 9),
    decided: null,
    reviewed: false,
    baseRevision: base,
  });
  assert.equal(second.saved, false);
  assert.deepEqual(readFileSync(join(dir, 'ws', 'labels', 'eye.png')), onDisk, 'the stale save wrote nothing');
  assert.ok(first.saved);
  const event = { id: 'eye', revision: first.revision, savedAt: first.savedAt, image: first.image };
  assert.deepEqual([a.saves, b.saves], [[event], [event]], 'both windows heard of the save that happened, once');
});

test("the shell listens on 127.0.0.1 only: the IPv6 loopback and this machine's other addresses get no connection", async (t) => {
  const { shell } = await startShell(t);
  const others = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal)
    .map((a) => a!.address);
  for (const host of ['::1', ...others]) {
    const error = await new Promise<string>((resolve) => {
      const s = connect({ host, port: shell.port }, () => {
        s.destroy();
        resolve('connected');
      });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    assert.notEqual(error, 'connected', `${host}:${shell.port}`);
  }
  assert.equal((await get(shell.port, '/', { Host: `127.0.0.1:${shell.port}` })).status, 403, 'while 127.0.0.1 answers');
});
