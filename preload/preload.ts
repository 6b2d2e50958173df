/**
 * Electron preload (sandboxed, context-isolated): exposes `window.vessel` implementing VesselApi over
 * ipcRenderer. Generic over the contract's name lists; it imports no zod (a sandboxed preload can only
 * require 'electron'), because main validates every request anyway.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { CallName, EventName, EventPayload, Request, Response, VesselApi } from './contract';
import { CALL_NAMES, EVENT_CHANNEL, EVENT_NAMES, type CallOutcome } from './names';

const callNames = new Set<string>(CALL_NAMES);
const eventNames = new Set<string>(EVENT_NAMES);
const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT_CHANNEL, (_event, name: string, payload: unknown) => {
  for (const l of listeners.get(name) ?? []) l(payload);
});

const api: VesselApi = {
  async call<C extends CallName>(name: C, request: Request<C>): Promise<Response<C>> {
    if (!callNames.has(name)) throw new Error(`Unknown call "${String(name)}"`);
    const outcome = (await ipcRenderer.invoke(name, request)) as CallOutcome<Response<C>>;
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.value;
  },
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    if (!eventNames.has(name)) throw new Error(`Unknown event "${String(name)}"`);
    const set = listeners.get(name) ?? new Set();
    listeners.set(name, set);
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  },
};

contextBridge.exposeInMainWorld('vessel', api);
