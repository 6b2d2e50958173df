/**
 * The one BrowserWindow and the app:// protocol that serves the renderer build to it. A custom
 * protocol (not file://) gives the page a real origin and lets every response carry our CSP header.
 * The window is locked down: context isolation, sandbox, no Node, no navigation away from app://vessel,
 * no new windows, no webviews, no permission prompts.
 */
import { app, BrowserWindow, protocol, session, shell } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { staticFile } from './static-path';
import { contentSecurityPolicy, MIME } from './csp';
import { APP_ORIGIN, APP_SCHEME, lockDown, WEB_PREFERENCES } from './window-policy';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves `rendererDir` as app://vessel/… with the CSP header (after 'ready'). */
export function serveRenderer(rendererDir: string): void {
  const root = resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const path = staticFile(root, url.pathname);
    if (url.host !== 'vessel' || !path) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(path);
      return new Response(new Uint8Array(body), {
        headers: {
          'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
          'Content-Security-Policy': contentSecurityPolicy(),
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

export function createMainWindow(preloadPath: string): BrowserWindow {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: app.getName(),
    backgroundColor: '#1e1e1e',
    webPreferences: { preload: preloadPath, ...WEB_PREFERENCES },
  });
  // Links to the outside world open in the user's browser; nothing opens inside the app.
  lockDown(win.webContents, (url) => void shell.openExternal(url));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
