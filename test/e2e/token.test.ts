/**
 * The real browser shell refuses whoever lacks the token it printed: plain HTTP and WebSocket clients,
 * a browser that opens the address without it, and a page on another origin that knows the token.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { assertAnswers, launchBrowser, preflight, startShell, tempDir, type RunningShell } from './harness';
import { httpGet as get, upgradeStatus as upgrade } from '../helpers/http';

/** In the page: does a WebSocket to `url` open? (true/false once it opens, errors or closes) */
const IN_PAGE_WS = `(url) => new Promise((resolve) => {
  const ws = new WebSocket(url);
  ws.onopen = () => { ws.close(); resolve(true); };
  ws.onerror = () => resolve(false);
  ws.onclose = () => resolve(false);
})`;

/** Runs `fn` with a fresh browser context and a web page served on another 127.0.0.1 port. */
async function withOtherOrigin(fn: (context: BrowserContext, otherUrl: string) => Promise<void>): Promise<void> {
  const other: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
  const context = await browser.newContext();
  try {
    await fn(context, `http://127.0.0.1:${(other.address() as { port: number }).port}/`);
  } finally {
    await context.close();
    await new Promise<void>((r) => other.close(() => r()));
  }
}

let scratch: ReturnType<typeof tempDir>;
let shell: RunningShell;
let browser: Browser;

describe('browser shell e2e: the token', () => {
  before(async () => {
    preflight();
    scratch = tempDir();
    // No model needed: nothing here predicts.
    shell = await startShell({ workspace: join(scratch.dir, 'workspace'), modelDir: join(scratch.dir, 'no-model') });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await shell?.stop();
    scratch?.remove();
  });

  it('HTTP and WebSocket requests without the right token are refused', async () => {
    const api = `ws://127.0.0.1:${shell.port}/api`;
    const page = await get(`${shell.origin}/`);
    assert.equal(page.status, 403);
    assert.match(page.body, /missing or wrong token/);
    assert.equal((await get(`${shell.origin}/app.js`)).status, 403);
    assert.equal((await get(`${shell.origin}/?token=${shell.token.slice(1)}`)).status, 403);
    assert.equal(await upgrade(api), 403);
    assert.equal(await upgrade(`${api}?token=wrong`), 403);
    // The right token is accepted (so the refusals above are about the token).
    assert.equal((await get(shell.url)).status, 200);
    assert.equal(await upgrade(`${api}?token=${shell.token}`), 101);
  });

  it('a browser without the token gets "Forbidden" and no app; with it, the app connects', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const res = await page.goto(`${shell.origin}/`);
      assert.equal(res?.status(), 403);
      assert.match(await page.locator('body').innerText(), /Forbidden: missing or wrong token/);
      assert.equal(await page.evaluate('typeof window.__vesselEditor'), 'undefined', 'the app did not load');
      // Script on that page (same origin, no cookie, no token) cannot open the API.
      assert.equal(await page.evaluate(`(${IN_PAGE_WS})('ws://127.0.0.1:${shell.port}/api')`), false);
      assert.equal((await page.goto(`${shell.origin}/?token=nope`))?.status(), 403);

      // The printed URL works: the page loads, connects, and reads the (empty) workspace.
      assert.equal((await page.goto(shell.url))?.status(), 200);
      await page.getByText('Open a colour fundus photograph to start.').waitFor();
      await page.getByText('No images yet.', { exact: false }).waitFor();
      assert.equal(await page.locator('.fatal').count(), 0, 'no "Cannot reach the backend" message');
      // The in-page probe does report an open socket (so its "false" above means refused).
      assert.equal(await page.evaluate(`(${IN_PAGE_WS})('ws://127.0.0.1:${shell.port}/api?token=${shell.token}')`), true);
    } finally {
      await context.close();
    }
  });

  it('a page on another origin that knows the token still cannot use the API', async () => {
    await withOtherOrigin(async (context, otherUrl) => {
      const page = await context.newPage();
      await page.goto(otherUrl);
      const opened = await page.evaluate(`(${IN_PAGE_WS})('ws://127.0.0.1:${shell.port}/api?token=${shell.token}')`);
      assert.equal(opened, false, 'cross-origin WebSocket refused even with the token');
    });
  });

  it('a local page on another port, in the browser where the app is open: no API, no reading, no framing, and it cannot end the shell', async () => {
    await withOtherOrigin(async (context, otherUrl) => {
      // The user has the app open: its cookie is set for 127.0.0.1 (cookies do not tell ports apart).
      const app = await context.newPage();
      assert.equal((await app.goto(shell.url))?.status(), 200);
      // In the app's own page the CSP runs no inline script (its scripts come from the bundle only).
      const inline = `new Promise((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true';
        document.body.appendChild(s);
        setTimeout(() => resolve(window.__inlineRan ? 'ran' : 'no report'), 2000);
      })`;
      assert.equal(await app.evaluate(inline), 'script-src-elem');

      const page = await context.newPage();
      await page.goto(otherUrl);
      // The cookie goes along, but the Origin is not ours.
      assert.equal(await page.evaluate(`(${IN_PAGE_WS})('ws://127.0.0.1:${shell.port}/api')`), false, 'API WebSocket refused');
      // Reading the app's files is refused by the browser (no CORS headers).
      const read = await page.evaluate(`fetch('${shell.origin}/index.html').then(() => 'read', (e) => e.name)`);
      assert.equal(read, 'TypeError');
      // Framing it is refused (frame-ancestors 'none'): the frame never gets the app.
      await page.evaluate(
        `new Promise((resolve) => { const f = document.createElement('iframe'); f.src = '${shell.url}'; f.onload = resolve; document.body.appendChild(f); })`,
      );
      const framed = page.frames().find((f) => f !== page.mainFrame());
      assert.ok(framed);
      assert.notEqual(
        await framed.evaluate('typeof window.__vesselEditor').catch(() => 'blocked'),
        'object',
        'the app did not load in the frame',
      );
      // The request target that once ended the process, sent by a page: refused, and the shell goes on.
      assert.equal(await page.evaluate(`(${IN_PAGE_WS})('ws://127.0.0.1:${shell.port}//[')`), false);
      await assertAnswers(shell);
    });
  });
});
