/**
 * VesselApi over the browser shell's WebSocket, for the renderer when there is no Electron preload
 * (window.vessel absent). Browser code: no Node imports and no DOM lib types needed (the socket is
 * typed structurally, so tests can pass the `ws` package's WebSocket). Calls made while connecting
 * wait for the connection; if it drops, calls in flight fail with a message saying so and the next
 * call reconnects.
 */
import type { CallName, EventName, EventPayload, Request, Response, VesselApi } from './contract';
import { decodeFrame, encodeFrame, type ClientMessage, type ServerMessage } from './wire';

interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
}
export type SocketConstructor = new (url: string) => SocketLike;

interface BrowserGlobals {
  WebSocket?: SocketConstructor;
  location?: { protocol: string; host: string; search: string };
  vessel?: VesselApi;
}

const OPEN = 1;

export interface WsClientOptions {
  /** ws://host:port/api?token=...; default: derived from the page's location and ?token=. */
  url?: string;
  WebSocket?: SocketConstructor;
}

export function defaultApiUrl(): string {
  const g = globalThis as BrowserGlobals;
  if (!g.location) throw new Error('no page location to derive the API address from; pass a url');
  const token = new URLSearchParams(g.location.search).get('token') ?? '';
  return `${g.location.protocol === 'https:' ? 'wss' : 'ws'}://${g.location.host}/api?token=${encodeURIComponent(token)}`;
}

export function connectVessel(options: WsClientOptions = {}): VesselApi & { close(): void } {
  const found = options.WebSocket ?? (globalThis as BrowserGlobals).WebSocket;
  if (!found) throw new Error('this environment has no WebSocket');
  const Socket: SocketConstructor = found;
  const url = options.url ?? defaultApiUrl();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: SocketLike | null = null;
  let opened: Promise<SocketLike> | null = null;
  let closedByUs = false;

  function connect(): Promise<SocketLike> {
    if (opened) return opened;
    opened = new Promise<SocketLike>((resolve, reject) => {
      const s = new Socket(url);
      s.binaryType = 'arraybuffer';
      let isOpen = false;
      s.addEventListener('open', () => {
        isOpen = true;
        socket = s;
        resolve(s);
      });
      s.addEventListener('message', (e) => receive(e.data));
      s.addEventListener('close', () => {
        socket = null;
        opened = null;
        if (!isOpen) reject(new Error('Cannot reach Vessel Studio: is "npm run web" running, and did you open the URL it printed (with its token)?'));
        const lost = new Error('Lost the connection to Vessel Studio (was "npm run web" stopped?)');
        for (const p of pending.values()) p.reject(lost);
        pending.clear();
      });
      // Errors are followed by 'close', which settles everything.
      s.addEventListener('error', () => undefined);
    });
    return opened;
  }

  function receive(data: unknown): void {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : null;
    if (!bytes) return;
    const m = decodeFrame(bytes) as ServerMessage;
    if (m.type === 'result') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    } else if (m.type === 'event') {
      for (const l of listeners.get(m.name) ?? []) l(m.payload);
    }
  }

  void connect().catch(() => undefined);

  return {
    async call<C extends CallName>(name: C, request: Request<C>): Promise<Response<C>> {
      if (closedByUs) throw new Error('this connection was closed');
      const s = socket?.readyState === OPEN ? socket : await connect();
      const id = nextId++;
      const message: ClientMessage = { type: 'call', id, name, request };
      return new Promise<Response<C>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        s.send(encodeFrame(message));
      });
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    close() {
      closedByUs = true;
      socket?.close();
    },
  };
}

/** The API for this page: Electron's preload bridge when present, else the browser shell's WebSocket. */
export function getVesselApi(): VesselApi {
  const g = globalThis as BrowserGlobals;
  return g.vessel ?? connectVessel();
}
