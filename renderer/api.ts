/**
 * Picks the API implementation: Electron's preload exposes `window.vessel`; in the browser shell the
 * renderer talks to the same calls over a WebSocket (preload/ws-client.ts); `?demo` runs on an in-memory
 * fake with synthetic images (no backend), for trying the UI.
 */
import type { VesselApi } from '../preload/contract';
import { getVesselApi } from '../preload/ws-client';

declare global {
  interface Window {
    vessel?: VesselApi;
  }
}

export async function getApi(): Promise<VesselApi> {
  const params = new URLSearchParams(location.search);
  if (!window.vessel && params.has('demo')) {
    const { createFakeApi } = await import('./dev/fakeApi');
    return createFakeApi({ width: Number(params.get('w')) || 1200, height: Number(params.get('h')) || 900 });
  }
  return getVesselApi();
}
