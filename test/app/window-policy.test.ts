/**
 * The Electron window's hardening decisions (main/app/window-policy.ts), tested without Electron (it
 * does not run here): stand-ins carry only what the policy touches: the events it listens to, the
 * window-open handler, the sender frames of IPC calls.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { contentSecurityPolicy } from '../../main/app/csp';
import { isAppUrl, isTrustedSender, lockDown, WEB_PREFERENCES } from '../../main/app/window-policy';

test('web preferences: context isolation, sandbox, no Node integration (page or workers), no webviews, web security on', () => {
  assert.deepEqual(WEB_PREFERENCES, {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    webviewTag: false,
    spellcheck: false,
  });
});

/** The part of WebContents lockDown uses. */
function fakeContents() {
  const events = new EventEmitter();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (name: string, l: (...a: unknown[]) => void) => events.on(name, l),
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
  };
  /** Emits `name` as Electron would; true when the handler prevented it. */
  const prevented = (name: string, ...args: unknown[]) => {
    let stopped = false;
    events.emit(name, { preventDefault: () => (stopped = true) }, ...args);
    return stopped;
  };
  return { contents: contents as unknown as WebContents, prevented, open: (url: string) => openHandler!({ url }) };
}

test('navigation and redirects stay on app://vessel/; new windows are refused (https links go to the browser); webviews are refused', () => {
  const f = fakeContents();
  const external: string[] = [];
  lockDown(f.contents, (url) => external.push(url));
  for (const event of ['will-navigate', 'will-redirect']) {
    assert.equal(f.prevented(event, 'app://vessel/index.html'), false, `${event} to our page`);
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://vessel.evil/x',
      'app://other/index.html',
      'javascript:alert(1)',
      'http://127.0.0.1:1234/',
    ]) {
      assert.equal(f.prevented(event, url), true, `${event} to ${url}`);
    }
  }
  assert.equal(f.prevented('will-attach-webview'), true);
  for (const url of ['https://example.org/docs', 'http://example.org/', 'file:///etc/passwd', 'app://vessel/index.html'])
    assert.deepEqual(f.open(url), { action: 'deny' });
  assert.deepEqual(external, ['https://example.org/docs'], 'only https links open, and outside the app');
});

test('IPC is trusted only from the top frame of our window showing app://vessel/', () => {
  const mainFrame = { processId: 4, routingId: 1, url: 'app://vessel/index.html' };
  const ours = { mainFrame } as unknown as WebContents;
  const other = { mainFrame } as unknown as WebContents;
  const call = (sender: WebContents, frame: object | null) => ({ sender, senderFrame: frame }) as unknown as IpcMainInvokeEvent;
  assert.equal(isTrustedSender(call(ours, mainFrame), ours), true);
  assert.equal(isTrustedSender(call(other, mainFrame), ours), false, 'another window');
  assert.equal(isTrustedSender(call(ours, { ...mainFrame, routingId: 2 }), ours), false, 'a subframe');
  assert.equal(isTrustedSender(call(ours, { ...mainFrame, url: 'https://evil.example/' }), ours), false, 'our frame navigated elsewhere');
  assert.equal(isTrustedSender(call(ours, null), ours), false, 'a frame that is gone');
  assert.equal(isTrustedSender(call(ours, mainFrame), null), false, 'no window');
  assert.equal(isAppUrl('app://vessel'), false, 'the origin alone is not a page');
});

test('the Content-Security-Policy: scripts only from our bundle (no inline, no eval), no plugins, no framing, no forms, no base', () => {
  const policy = Object.fromEntries(
    contentSecurityPolicy(['ws://127.0.0.1:5000'])
      .split('; ')
      .map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
  );
  assert.equal(policy['default-src'], "'none'");
  assert.equal(policy['script-src'], "'self'");
  assert.equal(policy['object-src'], "'none'");
  assert.equal(policy['frame-ancestors'], "'none'");
  assert.equal(policy['form-action'], "'none'");
  assert.equal(policy['base-uri'], "'none'");
  assert.equal(policy['connect-src'], "'self' ws://127.0.0.1:5000");
});
