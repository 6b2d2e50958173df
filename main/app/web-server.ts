/**
 * The browser shell's server: the built renderer over HTTP and the contract over a WebSocket (/api),
 * on 127.0.0.1 only. Every request needs the random token, given in the URL (?token=) once and then
 * kept in an HttpOnly SameSite=Strict cookie so the page's own assets load. Host and Origin are checked
 * too, so another web site cannot reach the API through DNS rebinding or a cross-site WebSocket.
 * Every entry point is total: a malformed request, upgrade or frame gets an error answer or a closed
 * socket, never an exception that could end the process (docs/SECURITY.md lists the limits).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, resolve } from 'node:path';
import { staticFile } from './static-path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName, EventPayload } from '../../preload/contract';
import {
  decodeFrame,
  encodeFrame,
  MAX_CALLS_IN_FLIGHT,
  MAX_MESSAGE_BYTES,
  type ClientMessage,
  type ServerMessage,
} from '../../preload/wire';
import { contentSecurityPolicy, MIME } from './csp';
import type { HandleCall } from './dispatch';

const COOKIE = 'vessel_token';
/** A close frame's reason is at most 123 bytes of UTF-8 (RFC 6455 5.5); ws throws on longer ones. */
const MAX_CLOSE_REASON_BYTES = 123;
/**
 * HTTP limits: request headers (larger ones get 431), and how long a client may take to send its
 * headers and its request (then 408), so idle or trickling connections do not pile up.
 */
export const HTTP_LIMITS = { maxHeaderBytes: 16 * 1024, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 } as const;

export interface WebShellOptions {
  handleCall: HandleCall;
  /** dist/renderer */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface WebShell {
  url: string;
  port: number;
  token: string;
  broadcast<E extends EventName>(name: E, payload: EventPayload<E>): void;
  close(): Promise<void>;
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The request target as a URL on our own origin, or null when it is not a plain path ("//host/…",
 * "*", an absolute URL, or something the URL parser refuses, such as "//[").
 */
function requestUrl(req: IncomingMessage): URL | null {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/** `text` cut to what a close frame can carry, never inside a character. */
export function closeReason(text: string): string {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > MAX_CLOSE_REASON_BYTES) break;
    out += ch;
  }
  return out;
}

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE) return v ?? null;
  }
  return null;
}

export async function startWebShell(o: WebShellOptions): Promise<WebShell> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const root = resolve(o.staticDir);
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  /** Why the request is refused, or null when it may proceed. */
  function refusal(req: IncomingMessage, url: URL): string | null {
    if (!allowedHosts().includes(req.headers.host ?? '')) return 'unexpected Host header';
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().some((h) => origin === `http://${h}`)) return 'cross-origin request';
    if (!sameToken(url.searchParams.get('token'), token) && !sameToken(cookieToken(req), token)) {
      return 'missing or wrong token: open the URL that "npm run web" printed';
    }
    return null;
  }

  const http = createServer(
    {
      maxHeaderSize: HTTP_LIMITS.maxHeaderBytes,
      headersTimeout: HTTP_LIMITS.headersTimeoutMs,
      requestTimeout: HTTP_LIMITS.requestTimeoutMs,
    },
    (req, res) => {
      void serveFile(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    },
  );

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    if (!url) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Bad request: the request target is not a path\n');
      return;
    }
    const why = refusal(req, url);
    if (why) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`Forbidden: ${why}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const path = staticFile(root, url.pathname);
    if (!path) {
      res.writeHead(404);
      res.end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy(allowedHosts().map((h) => `ws://${h}`)),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    if (url.searchParams.has('token')) headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands an upgrade's socket over without an error listener: a client that resets the
    // connection would otherwise raise an uncaught 'error'.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const why = !url ? 'the request target is not a path' : url.pathname === '/api' ? refusal(req, url) : 'no such endpoint';
    if (why) {
      const status = url ? '403 Forbidden' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${status.slice(4)}: ${why}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function send(ws: WebSocket, m: ServerMessage): void {
    if (ws.readyState !== ws.OPEN) return;
    let frame: Uint8Array;
    try {
      frame = encodeFrame(m);
    } catch (e) {
      // Only a bug in main can get here (answers are checked against the contract first).
      console.error(e);
      if (m.type !== 'result') return;
      frame = encodeFrame({ type: 'result', id: m.id, ok: false, error: 'Internal error: the answer could not be encoded' });
    }
    ws.send(frame);
  }

  function serveSocket(ws: WebSocket): void {
    // Protocol errors (reserved opcodes, unmasked frames, oversized messages, bad close codes): ws
    // closes the connection with the matching code itself; without a listener the error would throw.
    ws.on('error', () => undefined);
    let inFlight = 0;
    ws.on('message', (data, isBinary) => {
      let m: ClientMessage;
      try {
        if (!isBinary) throw new Error('text frames are not part of the protocol');
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        m = decodeFrame(bytes) as ClientMessage;
        if (m?.type !== 'call' || !Number.isSafeInteger(m.id)) throw new Error('not a call');
      } catch (e) {
        ws.close(1003, closeReason(`malformed message: ${(e as Error).message}`));
        return;
      }
      if (inFlight >= MAX_CALLS_IN_FLIGHT) {
        send(ws, {
          type: 'result',
          id: m.id,
          ok: false,
          error: `Too many calls at once (at most ${MAX_CALLS_IN_FLIGHT} unanswered per connection)`,
        });
        return;
      }
      inFlight++;
      void o
        .handleCall(m.name, m.request)
        .catch((e: unknown) => {
          console.error(e);
          return { ok: false as const, error: 'Internal error: the call failed unexpectedly' };
        })
        .then((outcome) => {
          inFlight--;
          send(ws, { type: 'result', id: m.id, ...outcome });
        });
    });
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (http.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    broadcast(name, payload) {
      for (const ws of wss.clients) send(ws, { type: 'event', name, payload });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
