/**
 * What the Electron window may do, as decisions without Electron at run time (so they are tested
 * here, where Electron does not run): its web preferences, where it may navigate, what opens outside,
 * and which IPC senders are trusted. window.ts and ipc.ts apply them.
 */
import type { IpcMainInvokeEvent, WebContents, WebPreferences } from 'electron';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://vessel`;

/** Context isolation, sandbox, no Node in the page or its workers, no webviews, same-origin policy on. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  webviewTag: false,
  spellcheck: false,
} as const satisfies WebPreferences;

/** Only our own pages (app://vessel/…). */
export function isAppUrl(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`);
}

/**
 * Locks the window's contents: no navigation or redirect away from our pages, no new windows (https
 * links go to the user's browser instead), no webviews.
 */
export function lockDown(contents: WebContents, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) openExternal(url);
    return { action: 'deny' };
  });
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** An IPC call is trusted only from the top frame of our window, showing our page. */
export function isTrustedSender(event: IpcMainInvokeEvent, ours: WebContents | null): boolean {
  const frame = event.senderFrame;
  if (!ours || event.sender !== ours || !frame) return false;
  // Only the top frame of our page (a subframe could host anything).
  const main = ours.mainFrame;
  return frame.processId === main.processId && frame.routingId === main.routingId && isAppUrl(frame.url);
}
