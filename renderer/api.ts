/**
 * Picks the API implementation: Electron's preload exposes `window.vessel`; in the browser shell the
 * renderer talks to the same calls over a WebSocket (preload/ws-client.ts).
 */
import type { VesselApi } from '../preload/contract';
import { getVesselApi } from '../preload/ws-client';

declare global {
  interface Window {
    vessel?: VesselApi;
  }
}

export async function getApi(): Promise<VesselApi> {
  return window.vessel ?? getVesselApi();
}
