/**
 * Hostile inputs thrown at the real built shell (dist/main/web.js): after every one the process must
 * still run and answer a page request and an API call, and the client must get an error answer or a
 * closed connection with a reason. These ended the process before issue 11's fixes (each checked on its
 * own against that build): the "//[" upgrade, a reset right after an upgrade request, the call name with
 * a bad toString, a reserved opcode, an unmasked frame, RSV1, close code 999, a length header over 1 GiB.
 * The others are the limits and their neighbours, kept answered.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertAnswers, preflight, startShell, tempDir, type RunningShell } from './harness';
import {
  closeFrame,
  frame,
  openRawWebSocket,
  openSocket,
  rawExchange,
  readUntilClosed,
  upgradeRequest,
  wireFrame,
} from '../helpers/raw-ws';
import { decodeFrame } from '../../preload/wire';

let scratch: ReturnType<typeof tempDir>;
let shell: RunningShell;

/** The status line of an HTTP answer. */
const statusLine = (reply: Buffer) => reply.toString('latin1').split('\r\n')[0];

/** The close code of the first frame the server sent (server frames are unmasked). */
function closeCode(reply: Buffer): number {
  assert.equal(reply[0], 0x88, `expected a close frame, got ${reply.subarray(0, 8).toString('hex')}`);
  return reply.readUInt16BE(2);
}

/** Writes frames on a fresh API connection and returns what the server sent until it closed it. */
async function afterFrames(...frames: Buffer[]): Promise<Buffer> {
  const s = await openRawWebSocket(shell.port, shell.token);
  const reply = readUntilClosed(s, 5000, true);
  for (const f of frames) s.write(f);
  return reply;
}

describe('browser shell: hostile clients get an answer or a closed socket, never an exit', () => {
  before(async () => {
    preflight();
    scratch = tempDir();
    shell = await startShell({ workspace: join(scratch.dir, 'workspace'), modelDir: join(scratch.dir, 'no-model') });
  });

  after(async () => {
    await shell?.stop();
    scratch?.remove();
  });

  it('an upgrade to "//[" without a token gets 400 (it was parsed before the token check and threw)', async () => {
    const reply = await rawExchange(shell.port, upgradeRequest(shell.port, '//['));
    assert.equal(statusLine(reply), 'HTTP/1.1 400 Bad Request');
    assert.match(reply.toString(), /the request target is not a path/);
    const page = await rawExchange(shell.port, `GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${shell.port}\r\nConnection: close\r\n\r\n`);
    assert.equal(statusLine(page), 'HTTP/1.1 400 Bad Request');
    await assertAnswers(shell);
  });

  it('a client that resets the connection right after its upgrade request', async () => {
    for (const path of ['/api', '/nope', `/api?token=${shell.token}`]) {
      const s = await openSocket(shell.port);
      s.write(upgradeRequest(shell.port, path));
      s.resetAndDestroy();
    }
    await assertAnswers(shell);
  });

  it('a call whose name is an object with a bad toString gets an error answer', async () => {
    const reply = await afterFrames(
      frame({ opcode: 0x2, payload: wireFrame('{"type":"call","id":7,"name":{"toString":1},"request":{}}') }),
      closeFrame(1000),
    );
    // The answer (a binary frame) comes before the server echoes our close.
    assert.equal(reply[0], 0x82);
    const length = reply[1] === 126 ? reply.readUInt16BE(2) : reply[1];
    const start = reply[1] === 126 ? 4 : 2;
    const answer = decodeFrame(reply.subarray(start, start + length));
    assert.deepEqual(answer, { type: 'result', id: 7, ok: false, error: 'Unknown call (not a string: object)' });
    await assertAnswers(shell);
  });

  const protocolErrors: [string, Buffer[], number][] = [
    ['a reserved opcode', [frame({ opcode: 0x3, payload: Buffer.from('x') })], 1002],
    ['an unmasked client frame', [frame({ opcode: 0x2, payload: Buffer.from('x'), mask: false })], 1002],
    ['RSV1 without a negotiated extension', [frame({ opcode: 0x2, rsv: 4, payload: Buffer.from('x') })], 1002],
    ['close code 999', [closeFrame(999)], 1002],
    ['a length header over 1 GiB', [frame({ opcode: 0x2, claimedLength: 2 ** 30 + 1 })], 1009],
    ['a length header over the 256 MiB message limit', [frame({ opcode: 0x2, claimedLength: 256 * 2 ** 20 + 1 })], 1009],
  ];
  for (const [what, frames, code] of protocolErrors) {
    it(`${what}: the connection is closed with code ${code}`, async () => {
      assert.equal(closeCode(await afterFrames(...frames)), code);
      await assertAnswers(shell);
    });
  }

  it('a malformed message is closed with 1003 and a reason that fits a close frame', async () => {
    // JSON.parse quotes the input in its message: 20 "€" make it exactly the 123 bytes a close frame allows.
    const reply = await afterFrames(frame({ opcode: 0x2, payload: wireFrame('€'.repeat(20)) }));
    assert.equal(closeCode(reply), 1003);
    const reason = reply.subarray(4, 2 + reply[1]).toString('utf8');
    assert.match(reason, /^malformed message: /);
    assert.ok(Buffer.byteLength(reason) <= 123);
    await assertAnswers(shell);
  });

  it('request headers over the 16 KiB limit get 431', async () => {
    const reply = await rawExchange(
      shell.port,
      `GET /?token=${shell.token} HTTP/1.1\r\nHost: 127.0.0.1:${shell.port}\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`,
    );
    assert.equal(statusLine(reply), 'HTTP/1.1 431 Request Header Fields Too Large');
    await assertAnswers(shell);
  });

  it('text frames and frames that are not calls are refused with a reason', async () => {
    let reply = await afterFrames(frame({ opcode: 0x1, payload: Buffer.from('hello') }));
    assert.equal(closeCode(reply), 1003);
    assert.match(reply.subarray(4).toString(), /text frames are not part of the protocol/);
    reply = await afterFrames(frame({ opcode: 0x2, payload: wireFrame('{"type":"result","id":1}') }));
    assert.equal(closeCode(reply), 1003);
    assert.match(reply.subarray(4).toString(), /not a call/);
    await assertAnswers(shell);
  });
});
