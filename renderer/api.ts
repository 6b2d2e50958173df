/**
 * Picks the API implementation: Electron's preload exposes `window.vessel`; in the browser shell the
 * renderer talks to the same calls over a WebSocket; `?demo` runs on an in-memory fake (no backend).
 */
import type { VesselApi } from '../preload/contract';
import { connectWebSocketApi } from './ws-api';

declare global {
  interface Window {
    vessel?: VesselApi;
  }
}

export async function getApi(): Promise<VesselApi> {
  if (window.vessel) return window.vessel;
  const params = new URLSearchParams(location.search);
  if (params.has('demo')) {
    const { createFakeApi } = await import('./dev/fakeApi');
    return createFakeApi({ width: Number(params.get('w')) || 1200, height: Number(params.get('h')) || 900 });
  }
  return connectWebSocketApi();
}
