/**
 * Binary framing for the browser shell's WebSocket: a JSON message whose Uint8Array values travel as raw
 * bytes after it, so PNGs cost no base64 and arrive as Uint8Array on both sides.
 *   frame = u32 little-endian JSON length | JSON (UTF-8) | blob 0 | blob 1 | ...
 * In the JSON each Uint8Array is replaced by {"$bytes": [offset, length]} into the blob area.
 * No Node or DOM imports: used by main/web.ts and by preload/ws-client.ts in the browser.
 */

const BYTES_TAG = '$bytes';

/**
 * The largest message either side sends: a folder import of a couple of hundred DRIVE-sized photographs
 * with their labels and masks. The server closes a socket whose message is larger (code 1009); the
 * client refuses to send one and says why.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Calls one connection may have unanswered at once; more are answered with an error at once. */
export const MAX_CALLS_IN_FLIGHT = 64;

export function encodeFrame(message: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  let blobBytes = 0;
  const json = JSON.stringify(message, function (this: unknown, key: string, value: unknown) {
    // JSON.stringify calls toJSON first; for typed arrays read the original from the holder.
    const original = (this as Record<string, unknown>)[key];
    if (original instanceof Uint8Array) {
      const tag = { [BYTES_TAG]: [blobBytes, original.length] };
      blobs.push(original);
      blobBytes += original.length;
      return tag;
    }
    return value;
  });
  const head = new TextEncoder().encode(json);
  const frame = new Uint8Array(4 + head.length + blobBytes);
  new DataView(frame.buffer).setUint32(0, head.length, true);
  frame.set(head, 4);
  let at = 4 + head.length;
  for (const b of blobs) {
    frame.set(b, at);
    at += b.length;
  }
  return frame;
}

export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.length < 4) throw new Error('malformed message: shorter than its header');
  const headLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true);
  if (4 + headLength > frame.length) throw new Error('malformed message: header longer than the message');
  const blobStart = 4 + headLength;
  const blobArea = frame.length - blobStart;
  const json = new TextDecoder().decode(frame.subarray(4, blobStart));
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const ref = (value as Record<string, unknown>)[BYTES_TAG];
      if (Object.keys(value).length === 1 && Array.isArray(ref)) {
        const [offset, length] = ref as unknown[];
        if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length)) throw new Error('malformed message: bad byte reference');
        const o = offset as number;
        const n = length as number;
        if (o < 0 || n < 0 || o + n > blobArea) throw new Error('malformed message: byte reference out of range');
        // A plain Uint8Array copy (not a Buffer view): each value owns its memory and the frame can be released.
        return new Uint8Array(frame.subarray(blobStart + o, blobStart + o + n));
      }
    }
    return value;
  });
}

/** Messages on the WebSocket. Client → server: call. Server → client: result or event. */
export type ClientMessage = { type: 'call'; id: number; name: string; request: unknown };
export type ServerMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'event'; name: string; payload: unknown };
