/**
 * Electron IPC over the contract: one ipcMain.handle per call, each refusing senders other than our
 * window's main frame on app://vessel, then handing the raw request to the validating dispatcher.
 */
import { ipcMain, type WebContents } from 'electron';
import { CALL_NAMES, type CallOutcome } from '../../preload/names';
import type { HandleCall } from './dispatch';
import { isTrustedSender } from './window-policy';

export function registerIpc(handleCall: HandleCall, window: () => WebContents | null): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(name, async (event, request: unknown): Promise<CallOutcome> => {
      if (!isTrustedSender(event, window())) return { ok: false, error: 'Refused: the request did not come from the Vessel Studio window' };
      return handleCall(name, request);
    });
  }
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(name);
  };
}
