import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFrame, encodeFrame } from '../../preload/wire';

test('frames carry nested Uint8Arrays (and Node Buffers) as bytes, everything else as JSON', () => {
  const message = {
    type: 'call',
    id: 7,
    request: { files: [{ name: 'ä.png', bytes: new Uint8Array([1, 2, 3]) }, { name: 'b', bytes: Buffer.from([9]) }], empty: new Uint8Array(0) },
  };
  const back = decodeFrame(encodeFrame(message)) as typeof message;
  assert.equal(back.request.files[0].name, 'ä.png');
  assert.ok(back.request.files[0].bytes instanceof Uint8Array && !Buffer.isBuffer(back.request.files[0].bytes));
  assert.deepEqual([...back.request.files[0].bytes], [1, 2, 3]);
  assert.deepEqual([...back.request.files[1].bytes], [9]);
  assert.equal(back.request.empty.length, 0);
});

test('malformed frames are rejected with a reason, not misread', () => {
  assert.throws(() => decodeFrame(new Uint8Array([1, 0])), /shorter than its header/);
  assert.throws(() => decodeFrame(new Uint8Array([255, 0, 0, 0, 123])), /header longer than the message/);
  const json = new TextEncoder().encode('{"a":{"$bytes":[0,10]}}');
  const frame = new Uint8Array(4 + json.length + 2);
  new DataView(frame.buffer).setUint32(0, json.length, true);
  frame.set(json, 4);
  assert.throws(() => decodeFrame(frame), /byte reference out of range/);
});
