/**
 * Fallback WebSocket client for the browser shell, used only until preload/ws-client.ts (owned by the
 * main-process side) exists; api.ts should then import that instead. Speaks preload/wire.ts framing.
 * Assumed endpoint: same host, path /ws, with the page's ?token= passed along.
 */
import type { CallName, EventName, EventPayload, Request, Response, VesselApi } from '../preload/contract';
import { decodeFrame, encodeFrame, type ClientMessage, type ServerMessage } from '../preload/wire';

export function connectWebSocketApi(): Promise<VesselApi> {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  let seq = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  ws.onmessage = (ev) => {
    const msg = decodeFrame(new Uint8Array(ev.data as ArrayBuffer)) as ServerMessage;
    if (msg.type === 'result') {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (!p) return;
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(msg.error));
    } else if (msg.type === 'event') {
      for (const l of listeners.get(msg.name) ?? []) l(msg.payload);
    }
  };
  ws.onclose = () => {
    for (const p of pending.values()) p.reject(new Error('connection to the server closed'));
    pending.clear();
  };
  const api: VesselApi = {
    call<C extends CallName>(name: C, request: Request<C>): Promise<Response<C>> {
      if (ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected to the server'));
      const id = ++seq;
      const msg: ClientMessage = { type: 'call', id, name, request };
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(encodeFrame(msg));
      });
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(api);
    ws.onerror = () => reject(new Error(`cannot connect to ${url.replace(/token=[^&]*/, 'token=…')}`));
  });
}
