import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDispatcher, type Handlers } from '../../main/app/dispatch';
import { contract } from '../../preload/contract';
import { CALL_NAMES, EVENT_NAMES } from '../../preload/names';
import { fingerprint, fundusPng, maskPng } from '../helpers/files';
import { testService } from '../helpers/service';

test('the runtime name lists match the contract', () => {
  assert.deepEqual([...CALL_NAMES].sort(), Object.keys(contract.calls).sort());
  assert.deepEqual([...EVENT_NAMES].sort(), Object.keys(contract.events).sort());
});

test('bad requests are refused with a message naming the call and the field, and change nothing', async (t) => {
  const { service, dir } = await testService(t);
  const handle = createDispatcher(service.handlers);
  const ok = await handle('images:import', { files: [{ name: 'a.png', bytes: await fundusPng(40, 30) }] });
  assert.equal(ok.ok, true);
  const before = fingerprint(join(dir, 'ws'));
  const png = await maskPng(40, 30, () => true);
  const cases: [string, unknown, RegExp][] = [
    ['images:nuke', {}, /^Unknown call "images:nuke"$/],
    [42 as unknown as string, {}, /^Unknown call "42"$/],
    // Any JSON value can arrive as a name; it is never converted through its own toString.
    [{ toString: 1 } as unknown as string, {}, /^Unknown call \(not a string: object\)$/],
    [null as unknown as string, {}, /^Unknown call \(not a string: null\)$/],
    ['images:saveLabel', undefined, /^Invalid request to images:saveLabel: request: /],
    ['images:saveLabel', { id: '../../etc/passwd', png }, /^Invalid request to images:saveLabel: id: must be 1-128 letters/],
    ['images:saveLabel', { id: 'a', png: [137, 80, 78, 71] }, /png: expected bytes \(Uint8Array\)/],
    ['images:saveLabel', { id: 'a', png: new TextEncoder().encode('not a png at all') }, /png: expected the bytes of a PNG file/],
    ['images:saveLabel', { id: 'a', png, decided: null, reviewed: false, baseRevision: 0, extra: true }, /Unrecognized key.*extra/],
    ['images:saveLabel', { id: 'a', png, decided: null, reviewed: false }, /^Invalid request to images:saveLabel: baseRevision: /],
    [
      'images:saveLabel',
      { id: 'a', png, decided: null, reviewed: false, baseRevision: -1 },
      /^Invalid request to images:saveLabel: baseRevision: /,
    ],
    ['view:save', { imageId: 'a', zoom: -1, x: 0, y: 0 }, /^Invalid request to view:save: zoom: /],
    ['view:save', { imageId: 'a', zoom: 1, x: Number.NaN, y: 0 }, /^Invalid request to view:save: x: /],
    // Finite but absurd: once accepted, they broke every later view save.
    ['view:save', { imageId: 'a', zoom: 1e308, x: 0, y: 0 }, /^Invalid request to view:save: zoom: Too big: expected number to be <=1000$/],
    [
      'view:save',
      { imageId: 'a', zoom: 1, x: -1e308, y: 0 },
      /^Invalid request to view:save: x: Too small: expected number to be >=-10000000$/,
    ],
    ['view:save', { imageId: 'a', zoom: 1e-9, x: 0, y: 1e9 }, /^Invalid request to view:save: zoom: .*; y: /],
    ['images:import', { files: [] }, /^Invalid request to images:import: files: /],
    [
      'images:import',
      { files: Array.from({ length: 2001 }, (_, i) => ({ name: `${i}.png`, bytes: png })) },
      /^Invalid request to images:import: files: Too big: expected array to have <=2000 items$/,
    ],
    ['images:import', { files: [{ name: '', bytes: png }] }, /files\.0\.name: /],
    ['workspace:get', { sneaky: 1 }, /Unrecognized key/],
    ['compute:cancel', { job: 'x'.repeat(65) }, /job: /],
    ['retrain:start', { steps: 0 }, /^Invalid request to retrain:start: steps: /],
    ['retrain:start', { steps: 2.5 }, /steps: /],
    ['retrain:start', { steps: 10, lr: 1 }, /Unrecognized key.*lr/],
    ['retrain:cancel', { job: 'x' }, /Unrecognized key/],
    ['models:select', { id: '../default' }, /^Invalid request to models:select: id: /],
    ['models:compare', { imageId: 'a', a: 'default' }, /^Invalid request to models:compare: b: /],
    ['images:setReference', { id: 'a', reference: 'yes' }, /reference: /],
  ];
  for (const [name, request, expected] of cases) {
    const r = await handle(name, request);
    assert.equal(r.ok, false, `${JSON.stringify(name)} ${JSON.stringify(request)?.slice(0, 60)}`);
    if (!r.ok) assert.match(r.error, expected);
  }
  // Valid shape, refused by the service: the UI gets its sentence too.
  const wrongSize = await handle('images:saveLabel', {
    id: 'a',
    png: await maskPng(41, 30, () => true),
    decided: null,
    reviewed: false,
    baseRevision: 0,
  });
  assert.deepEqual(wrongSize, { ok: false, error: 'The label is 41x30 but the image is 40x30' });
  const nothing = await handle('retrain:start', {});
  assert.deepEqual(nothing, { ok: false, error: 'No model to retrain: the bundled model is missing.' });
  const missing = await handle('images:photo', { id: 'nope' });
  assert.deepEqual(missing, { ok: false, error: 'No image "nope" in this workspace' });
  assert.deepEqual(fingerprint(join(dir, 'ws')), before);
});

test("main's own answers are checked against the contract too", async () => {
  const logged: unknown[] = [];
  const broken = { 'compute:cancel': async () => ({ cancelled: 'yes' }) } as unknown as Handlers;
  const handle = createDispatcher(broken, (e) => logged.push(e));
  const r = await handle('compute:cancel', { job: 'job-1' });
  assert.deepEqual(r, { ok: false, error: 'Internal error: compute:cancel produced an invalid answer' });
  assert.match(String(logged[0]), /response of compute:cancel breaks the contract: cancelled: /);
});
