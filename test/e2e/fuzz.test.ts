/**
 * Fuzzing the real built browser shell (dist/main/web.js) for a bounded time: malformed HTTP, WebSocket
 * upgrades, raw frames and API calls from several connections at once, with a health check (a page
 * and an API call must be answered) every few seconds. The process must never exit and its resident
 * memory must stay bounded.
 *   VESSEL_FUZZ_SECONDS   how long to throw probes (default 30)
 *   VESSEL_FUZZ_SEED      replay a run (the seed is printed; default: a new one each run)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CALL_NAMES } from '../../preload/names';
import { fundusPng } from '../helpers/files';
import { closeFrame, frame, openRawWebSocket, openSocket, readUntilClosed, upgradeRequest, wireFrame } from '../helpers/raw-ws';
import { assertAnswers, preflight, rssMiB, startShell, tempDir, type RunningShell } from './harness';

const SECONDS = Number(process.env.VESSEL_FUZZ_SECONDS ?? 30);
const SEED = Number(process.env.VESSEL_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Probes running at once. */
const WORKERS = 12;
const HEALTH_EVERY_MS = 3000;
/** Growth of the shell's resident memory from after warm-up to the end that still counts as bounded. */
const RSS_GROWTH_LIMIT_MIB = 150;

/** mulberry32: small, seedable, good enough to pick probes. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, pick, bytes, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

let scratch: ReturnType<typeof tempDir>;
let shell: RunningShell;
let photo: Uint8Array;

const PATHS = [
  '/',
  '/api',
  '//[',
  '//',
  '/%',
  '/%zz',
  '/..%2f..%2fetc%2fpasswd',
  '/index.html',
  '/app.js',
  '*',
  'http://evil/api',
  '/api/../api',
  '/\u0000',
  '/a'.repeat(3000),
  '/?token=',
  '/api?token=&token=',
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE', 'PATCH', 'BREW', '', 'G\u0000T'];

function randomPath(r: Rng): string {
  const base = r.pick(PATHS);
  const token = r.pick(['', `token=${shell.token}`, 'token=wrong', `token=${shell.token}x`, `token=${encodeURIComponent('€\u0000')}`]);
  return token ? `${base}${base.includes('?') ? '&' : '?'}${token}` : base;
}

/** Flips, inserts and deletes a few bytes. */
function mutate(r: Rng, bytes: Buffer): Buffer {
  const out = [...bytes];
  for (let i = 0, n = 1 + r.int(4); i < n && out.length > 0; i++) {
    const at = r.int(out.length);
    const op = r.int(3);
    if (op === 0) out[at] = r.int(256);
    else if (op === 1) out.splice(at, 0, ...r.bytes(1 + r.int(8)));
    else out.splice(at, 1 + r.int(8));
  }
  return Buffer.from(out);
}

/** A random JSON value, `depth` levels deep at most. */
function randomJson(r: Rng, depth = 3): unknown {
  switch (r.int(depth > 0 ? 9 : 6)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53, 5e-324, 100_001]);
    case 3:
      return r.pick(['', 'a', '../x', 'eye', 'default', '€'.repeat(r.int(300)), 'x'.repeat(r.int(2000)), '__proto__', 'toString']);
    case 4:
      return { $bytes: [r.int(100), r.int(100)] };
    case 5:
      return r.pick(['constructor', 'prototype', 'v1e+22', 'v9999999999999999999999']);
    case 6:
      return Array.from({ length: r.int(5) }, () => randomJson(r, depth - 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0, n = r.int(5); i < n; i++)
        o[
          r.pick([
            'id',
            'png',
            'files',
            'name',
            'bytes',
            'zoom',
            'x',
            'y',
            'imageId',
            'steps',
            'job',
            'a',
            'b',
            'reference',
            'toString',
            '__proto__',
            'baseRevision',
          ])
        ] = randomJson(r, depth - 1);
      return o;
    }
  }
}

/** Requests that are almost valid: a real shape with one field replaced by something random. */
function nearlyValidRequest(r: Rng, name: string): { json: unknown; blobs: Buffer } {
  const png = Buffer.from(photo);
  const ref = { $bytes: [0, png.length] };
  const shapes: Record<string, Record<string, unknown>> = {
    'images:import': { files: [{ name: r.pick(['eye.png', '.hidden.png', 'a/b.png', 'x'.repeat(300)]), bytes: ref }] },
    'images:saveLabel': { id: 'eye', png: ref, decided: r.int(2) ? ref : null, reviewed: r.int(2) === 1, baseRevision: r.int(3) },
    'images:photo': { id: 'eye' },
    'images:label': { id: 'eye' },
    'images:delete': { id: 'eye' },
    'view:save': { imageId: 'eye', zoom: 2, x: 10, y: 10 },
    'images:setReference': { id: 'eye', reference: true },
    'models:select': { id: 'default' },
    'models:compare': { imageId: 'eye', a: 'default', b: 'v2' },
    'retrain:start': { steps: 10 },
    'compute:cancel': { job: 'job-1' },
  };
  const shape = { ...(shapes[name] ?? {}) };
  const keys = Object.keys(shape);
  if (keys.length > 0 && r.chance(0.6)) shape[r.pick(keys)] = randomJson(r, 2);
  return { json: shape, blobs: png };
}

type Probe = (r: Rng) => Promise<void>;

/** Bytes on a fresh connection, read until the server closes it (or a short while), sometimes cut by a reset. */
async function exchange(r: Rng, bytes: Buffer | string): Promise<void> {
  const s = await openSocket(shell.port);
  const reply = readUntilClosed(s, 300 + r.int(700));
  if (r.chance(0.2)) {
    const b = Buffer.from(bytes);
    s.write(b.subarray(0, r.int(b.length + 1)));
    s.resetAndDestroy();
  } else s.write(bytes);
  await reply;
}

const probes: Record<string, Probe> = {
  'garbage bytes': (r) => exchange(r, r.bytes(r.int(4096))),
  'malformed HTTP': async (r) => {
    const headers = [`Host: ${r.pick([`127.0.0.1:${shell.port}`, `localhost:${shell.port}`, 'evil.example', '', '[::1]'])}`];
    if (r.chance(0.3)) headers.push(`Cookie: vessel_token=${r.pick([shell.token, 'x', ''])}`);
    if (r.chance(0.2)) headers.push(`X-Big: ${'a'.repeat(r.int(40_000))}`);
    if (r.chance(0.2)) headers.push(`Content-Length: ${r.pick(['5', '-1', '99999999999', 'x'])}`);
    if (r.chance(0.2)) headers.push('Transfer-Encoding: chunked');
    if (r.chance(0.2)) headers.push(`Origin: ${r.pick(['http://evil.example', 'null', `http://127.0.0.1:${shell.port}`])}`);
    const version = r.pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', '']);
    let req: Buffer = Buffer.from(
      `${r.pick(METHODS)} ${randomPath(r)} ${version}\r\n${headers.join('\r\n')}\r\n\r\n${r.chance(0.3) ? 'zz\r\nbody' : ''}`,
    );
    if (r.chance(0.4)) req = mutate(r, req);
    await exchange(r, req);
  },
  'WebSocket upgrade': async (r) => {
    const headers: Record<string, string> = {};
    if (r.chance(0.3)) headers['Sec-WebSocket-Version'] = r.pick(['8', '12', '14', 'x', '']);
    if (r.chance(0.3)) headers['Sec-WebSocket-Key'] = r.pick(['', 'short', 'x'.repeat(500)]);
    if (r.chance(0.3)) headers.Origin = r.pick(['http://evil.example', 'null', `http://localhost:${shell.port}`]);
    if (r.chance(0.2)) headers['Sec-WebSocket-Extensions'] = 'permessage-deflate; client_max_window_bits';
    if (r.chance(0.2)) headers.Host = r.pick(['evil.example', `127.0.0.1:${shell.port + 1}`]);
    let req: Buffer = Buffer.from(upgradeRequest(shell.port, randomPath(r), headers));
    if (r.chance(0.3)) req = mutate(r, req);
    await exchange(r, Buffer.concat([req, r.chance(0.3) ? r.bytes(r.int(256)) : Buffer.alloc(0)]));
  },
  'raw frames': async (r) => {
    const s = await openRawWebSocket(shell.port, shell.token);
    const reply = readUntilClosed(s, 300 + r.int(700));
    for (let i = 0, n = 1 + r.int(8); i < n; i++) {
      const payload = r.bytes(r.chance(0.1) ? 200 + r.int(70_000) : r.int(140));
      const lie = r.chance(0.15);
      const f = r.chance(0.15)
        ? closeFrame(r.pick([0, 999, 1000, 1004, 1005, 1006, 1015, 2999, 3000, 4999, 5000, 65535]))
        : frame({
            fin: !r.chance(0.2),
            rsv: r.chance(0.15) ? 1 + r.int(7) : 0,
            opcode: r.pick([0x0, 0x1, 0x2, 0x2, 0x2, 0x3, 0x7, 0x8, 0x9, 0xa, 0xb, 0xf]),
            payload,
            mask: !r.chance(0.1),
            claimedLength: lie ? r.pick([payload.length + 1, 2 ** 31, 2 ** 40, 300 * 2 ** 20]) : undefined,
          });
      s.write(r.chance(0.1) ? mutate(r, f) : f);
    }
    await reply;
  },
  'API calls': async (r) => {
    const s = await openRawWebSocket(shell.port, shell.token);
    const reply = readUntilClosed(s, 400 + r.int(800));
    for (let i = 0, n = 1 + r.int(12); i < n; i++) {
      const name = r.chance(0.8) ? r.pick(CALL_NAMES) : randomJson(r, 1);
      const { json: request, blobs } =
        r.chance(0.6) && typeof name === 'string' ? nearlyValidRequest(r, name) : { json: randomJson(r), blobs: r.bytes(r.int(64)) };
      const call = {
        type: r.chance(0.95) ? 'call' : r.pick(['result', 'event', 7]),
        id: r.chance(0.95) ? i + 1 : randomJson(r, 0),
        name,
        request,
      };
      let text = JSON.stringify(call);
      if (r.chance(0.1)) text = text.slice(0, r.int(text.length));
      let body = wireFrame(text, blobs);
      if (r.chance(0.05)) body.writeUInt32LE(r.pick([0, 1, body.length, 2 ** 32 - 1]));
      if (r.chance(0.05)) body = mutate(r, body);
      s.write(frame({ opcode: 0x2, payload: body }));
    }
    await reply;
  },
};

describe('browser shell fuzz', () => {
  before(async () => {
    preflight();
    scratch = tempDir();
    photo = await fundusPng(48, 40);
    shell = await startShell({ workspace: join(scratch.dir, 'workspace'), modelDir: join(scratch.dir, 'no-model') });
  });

  after(async () => {
    await shell?.stop();
    scratch?.remove();
  });

  it(`survives ${SECONDS} s of malformed HTTP, upgrades, frames and calls, still answering, memory bounded`, async (t) => {
    t.diagnostic(`seed ${SEED} (replay with VESSEL_FUZZ_SEED=${SEED})`);
    const counts: Record<string, number> = Object.fromEntries(Object.keys(probes).map((k) => [k, 0]));
    const pid = shell.proc.pid!;
    await assertAnswers(shell);
    const rssStart = rssMiB(pid);
    const t0 = Date.now();
    const deadline = t0 + SECONDS * 1000;
    const warmupEnd = t0 + Math.min(5000, (SECONDS * 1000) / 4);
    let rssAfterWarmup: number | null = null;
    let rssPeak = rssStart;
    let healthChecks = 0;
    const worker = async (w: number) => {
      const wr = rng(SEED + w + 1);
      while (Date.now() < deadline) {
        const kind = wr.pick(Object.keys(probes));
        counts[kind]++;
        await probes[kind](wr).catch((e: NodeJS.ErrnoException) => {
          // A refused connection means the server is gone: that is the failure this test looks for.
          if (e.code === 'ECONNREFUSED') throw new Error(`the shell stopped accepting connections (seed ${SEED})\n${shell.output()}`);
        });
      }
    };
    const monitor = async () => {
      while (Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, HEALTH_EVERY_MS));
        rssPeak = Math.max(rssPeak, rssMiB(pid));
        if (rssAfterWarmup === null && Date.now() >= warmupEnd) rssAfterWarmup = rssMiB(pid);
        await assertAnswers(shell).catch((e: Error) => {
          throw new Error(`health check failed after ${((Date.now() - t0) / 1000).toFixed(1)} s (seed ${SEED}): ${e.message}`);
        });
        healthChecks++;
      }
    };
    await Promise.all([...Array.from({ length: WORKERS }, (_, w) => worker(w)), monitor()]);
    const seconds = (Date.now() - t0) / 1000;
    await assertAnswers(shell);
    const rssEnd = rssMiB(pid);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const base = rssAfterWarmup ?? rssStart;
    t.diagnostic(
      `${total} probes in ${seconds.toFixed(1)} s (${Object.entries(counts)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}); ${healthChecks} health checks passed; shell RSS ${rssStart.toFixed(0)} MiB at start, ` +
        `${base.toFixed(0)} after warm-up, ${rssPeak.toFixed(0)} peak, ${rssEnd.toFixed(0)} at the end`,
    );
    assert.ok(healthChecks >= Math.floor(SECONDS / (HEALTH_EVERY_MS / 1000)) - 1, 'health checks ran throughout');
    assert.ok(rssEnd - base < RSS_GROWTH_LIMIT_MIB, `resident memory grew by ${(rssEnd - base).toFixed(0)} MiB (seed ${SEED})`);
  });
});
