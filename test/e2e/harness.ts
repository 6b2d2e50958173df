/**
 * End-to-end harness: starts the real browser shell (the built dist/main/web.js, as `npm run web` does)
 * on a temp workspace, drives Debian's Chromium with playwright-core, and reads what the app saved.
 * Never downloads a browser: Chromium comes from the system (`apt-get install chromium`, see .ci/run).
 *
 *   VESSEL_CHROMIUM    browser binary (default /usr/bin/chromium)
 *   VESSEL_E2E_MODEL   model folder the shell uses as its default model; default: a tiny untrained U-Net
 *                      written to a temp folder (fast, and the tests only need *a* prediction)
 *   VESSEL_E2E_HEADED  set to 1 to watch (needs a display)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';

export const ROOT = resolve(__dirname, '..', '..');
export const WEB_ENTRY = join(ROOT, 'dist', 'main', 'web.js');
export const ARTIFACTS = join(ROOT, 'test', 'artifacts', 'e2e');
export const CHROMIUM = process.env.VESSEL_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

export function preflight(): void {
  if (!existsSync(WEB_ENTRY)) throw new Error(`${WEB_ENTRY} is missing: run "npm run build" first (npm test does)`);
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set VESSEL_CHROMIUM)`);
  }
}

export interface RunningShell {
  url: string;
  origin: string;
  port: number;
  token: string;
  workspace: string;
  proc: ChildProcess;
  /** Everything the shell printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node dist/main/web.js --port 0 --workspace DIR` and waits for the URL it prints. */
export async function startShell(opts: { workspace: string; modelDir: string; env?: NodeJS.ProcessEnv }): Promise<RunningShell> {
  const env: NodeJS.ProcessEnv = { ...process.env, VESSEL_DEFAULT_MODEL: opts.modelDir, ...opts.env };
  // The command line decides these; a developer's own settings must not leak in.
  for (const k of ['VESSEL_TOKEN', 'VESSEL_PORT', 'VESSEL_WORKSPACE']) delete env[k];
  const proc = spawn(process.execPath, [WEB_ENTRY, '--port', '0', '--workspace', opts.workspace], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => fail(new Error('the web shell printed no URL within 30 s')), 30_000);
    const onData = () => {
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        cleanup();
        resolvePromise(m[1]);
      }
    };
    const onExit = (code: number | null) => fail(new Error(`the web shell exited (code ${code}) before printing its URL`));
    const cleanup = () => {
      clearTimeout(timer);
      proc.stdout!.off('data', onData);
      proc.off('exit', onExit);
    };
    const fail = (e: Error) => {
      cleanup();
      proc.kill('SIGKILL');
      reject(new Error(`${e.message}\n--- output ---\n${out}`));
    };
    proc.stdout!.on('data', onData);
    proc.on('exit', onExit);
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    port: Number(u.port),
    token: u.searchParams.get('token')!,
    workspace: opts.workspace,
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  const headed = process.env.VESSEL_E2E_HEADED === '1';
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: !headed,
    args: headed ? CHROMIUM_ARGS.filter((a) => a !== '--headless') : CHROMIUM_ARGS,
  });
}

export function tempDir(prefix = 'vessel-e2e-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Where screenshots go (git-ignored); a fresh folder per test file. */
export function artifactsDir(name: string): string {
  const dir = join(ARTIFACTS, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The model the shell should use: VESSEL_E2E_MODEL, or a tiny untrained U-Net saved under `scratchDir`
 * (with a working scale when a test needs one).
 */
export async function e2eModel(scratchDir: string, scale?: { fovDiameter: number }): Promise<string> {
  const given = process.env.VESSEL_E2E_MODEL;
  if (given && !scale) return resolve(given);
  const dir = join(scratchDir, 'model');
  // Imported lazily: it loads tfjs into this process, which only this path needs.
  const { saveTinyModel } = await import('../helpers/tiny-model');
  await saveTinyModel(dir, 'tiny e2e model', scale ? { scale } : {});
  return dir;
}

/** Polls `check` until it returns a value other than undefined (a condition, not a fixed sleep). */
export async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Mask {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
  /** The file's modification time, to tell saves apart. */
  mtimeMs: number;
}

/** A saved label/prediction PNG as its first channel, one byte per pixel (null when absent or mid-write). */
export async function readMask(path: string): Promise<Mask | null> {
  if (!existsSync(path)) return null;
  const mtimeMs = statSync(path).mtimeMs;
  const bytes = readFileSync(path);
  const meta = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: meta.channels ?? 0, mtimeMs };
}

export const at = (m: Mask, x: number, y: number): number => m.data[Math.round(y) * m.width + Math.round(x)];

export function countWhere(m: Mask, pred: (v: number) => boolean): number {
  let n = 0;
  for (const v of m.data) if (pred(v)) n++;
  return n;
}

/** The browser shell with a workspace and model in a scratch folder, and a Chromium page on it. */
export interface ShellSession {
  scratch: { dir: string; remove(): void };
  shell: RunningShell;
  browser: Browser;
  page: Page;
  pageErrors: string[];
  /** Screenshot folder. */
  shots: string;
  close(): Promise<void>;
}

export async function openShellSession(opts: {
  artifacts: string;
  viewport: { width: number; height: number };
  env?: NodeJS.ProcessEnv;
  modelScale?: { fovDiameter: number };
}): Promise<ShellSession> {
  preflight();
  const scratch = tempDir();
  const shots = artifactsDir(opts.artifacts);
  const modelDir = await e2eModel(scratch.dir, opts.modelScale);
  const shell = await startShell({ workspace: join(scratch.dir, 'workspace'), modelDir, env: opts.env });
  const browser = await launchBrowser().catch(async (e: Error) => {
    await shell.stop();
    scratch.remove();
    throw e;
  });
  const page = await browser.newPage({ viewport: opts.viewport });
  const close = async () => {
    await browser.close();
    await shell.stop();
    scratch.remove();
  };
  return { scratch, shell, browser, page, pageErrors: watchPage(page).errors, shots, close };
}

/**
 * Collects uncaught page errors, console errors and HTTP error responses (a missing favicon included: the
 * page links its icon), so a test can assert there were none.
 */
export function watchPage(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url().replace(/token=[^&]*/, 'token=…')}`);
  });
  return { errors };
}
