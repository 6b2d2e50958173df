/**
 * Electron IPC over the contract: one ipcMain.handle per call, each refusing senders other than our
 * window's main frame on app://vessel, then handing the raw request to the validating dispatcher.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CALL_NAMES, type CallOutcome } from '../../preload/names';
import type { HandleCall } from './dispatch';
import { APP_ORIGIN } from './window';

function trusted(event: IpcMainInvokeEvent, window: () => WebContents | null): boolean {
  const ours = window();
  const frame = event.senderFrame;
  if (!ours || event.sender !== ours || !frame) return false;
  // Only the top frame of our page (a subframe could host anything).
  const main = ours.mainFrame;
  return frame.processId === main.processId && frame.routingId === main.routingId && frame.url.startsWith(`${APP_ORIGIN}/`);
}

export function registerIpc(handleCall: HandleCall, window: () => WebContents | null): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(name, async (event, request: unknown): Promise<CallOutcome> => {
      if (!trusted(event, window)) return { ok: false, error: 'Refused: the request did not come from the Vessel Studio window' };
      return handleCall(name, request);
    });
  }
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(name);
  };
}
