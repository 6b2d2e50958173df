/**
 * Raw TCP probes for the browser shell: bytes as an attacker or a broken client would send them,
 * below what the `ws` client allows (reserved opcodes, unmasked frames, lying length headers, ...).
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** Connects to 127.0.0.1:port; later errors (resets) are swallowed: a probe only cares what the server does. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    s.once('error', reject);
    s.once('connect', () => {
      s.off('error', reject);
      s.on('error', () => undefined);
      resolve(s);
    });
  });
}

/**
 * Everything the server sends until it closes the connection, sends a WebSocket close frame (`frames`)
 * or `ms` pass; then the socket is destroyed.
 */
export function readUntilClosed(s: Socket, ms: number, frames = false): Promise<Buffer> {
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, ms);
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (frames && hasCloseFrame(got)) done();
    });
    s.on('close', done);
  });
}

/** Whether the server frames in `bytes` (unmasked, lengths below 2^32) include a complete close frame. */
function hasCloseFrame(bytes: Buffer): boolean {
  for (let at = 0; at + 2 <= bytes.length;) {
    const short = bytes[at + 1] & 0x7f;
    const ext = short === 126 ? 2 : short === 127 ? 8 : 0;
    if (at + 2 + ext > bytes.length) return false;
    const length = short === 126 ? bytes.readUInt16BE(at + 2) : short === 127 ? Number(bytes.readBigUInt64BE(at + 2)) : short;
    const end = at + 2 + ext + length;
    if (end > bytes.length) return false;
    if ((bytes[at] & 0x0f) === 0x8) return true;
    at = end;
  }
  return false;
}

/** Sends `bytes` on a fresh connection and returns what came back before the server closed it (or `ms` passed). */
export async function rawExchange(port: number, bytes: Uint8Array | string, ms = 2000): Promise<Buffer> {
  const s = await openSocket(port);
  const reply = readUntilClosed(s, ms);
  s.write(bytes);
  return reply;
}

export function upgradeRequest(port: number, path: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: `127.0.0.1:${port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  return `GET ${path} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

/** A connection past a successful WebSocket handshake, for writing frames by hand. */
export async function openRawWebSocket(port: number, token: string): Promise<Socket> {
  const s = await openSocket(port);
  s.write(upgradeRequest(port, `/api?token=${token}`));
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      s.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
    };
    s.on('data', onData);
  });
  return s;
}

export interface FrameSpec {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload?: Uint8Array;
  /** Clients must mask; false sends the payload in the clear. */
  mask?: boolean;
  /** The length the header claims (default: the payload's). */
  claimedLength?: number;
}

/** One WebSocket frame (RFC 6455 section 5.2), as given: nothing is checked. */
export function frame(f: FrameSpec): Buffer {
  const payload = Buffer.from(f.payload ?? new Uint8Array(0));
  const length = f.claimedLength ?? payload.length;
  const mask = f.mask ?? true;
  const head: number[] = [((f.fin ?? true) ? 0x80 : 0) | (((f.rsv ?? 0) & 7) << 4) | (f.opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(length));
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([Buffer.from(head), ext, key, masked]);
}

/** A close frame with `code` (and no reason). */
export function closeFrame(code: number): Buffer {
  const p = Buffer.alloc(2);
  p.writeUInt16BE(code);
  return frame({ opcode: 0x8, payload: p });
}

/** The browser shell's wire format around a JSON text given as is (so it can be anything). */
export function wireFrame(json: string, blobs: Uint8Array = new Uint8Array(0)): Buffer {
  const head = Buffer.from(json, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  return Buffer.concat([len, head, blobs]);
}
