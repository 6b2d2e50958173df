/**
 * Electron main: one window, the application menu, IPC over the contract, and the compute process as
 * a utilityProcess. The workspace folder: --workspace DIR, else VESSEL_WORKSPACE, else ~/VesselStudio.
 */
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EVENT_CHANNEL } from '../preload/names';
import { createService, type VesselService } from './api';
import { createDispatcher } from './app/dispatch';
import { retrainStepsFromEnv } from './app/env';
import { registerIpc } from './app/ipc';
import { buildMenu } from './app/menu';
import { forkUtilityCompute } from './app/utility-compute';
import { createMainWindow, registerAppScheme, serveRenderer } from './app/window';
import { lockWorkspace } from './workspace/lock';
import { Workspace } from './workspace/workspace';

function workspaceDir(): string {
  const i = process.argv.indexOf('--workspace');
  const given = i >= 0 ? process.argv[i + 1] : process.env.VESSEL_WORKSPACE;
  return resolve(given ?? join(app.getPath('home'), 'VesselStudio'));
}

async function start(): Promise<void> {
  // Built layout: dist/main/electron.js, dist/main/compute-process.js, dist/preload/preload.js, dist/renderer/.
  serveRenderer(join(__dirname, '..', 'renderer'));
  const dir = workspaceDir();
  await mkdir(dir, { recursive: true });
  // Another copy of the app (or the browser shell) on this folder: refused, naming it (start()'s caller shows the message).
  const lock = await lockWorkspace(dir, 'desktop app');
  app.on('will-quit', () => lock.release());
  const workspace = await Workspace.open(dir);
  let win: BrowserWindow | null = null;
  const send = (name: string, payload: unknown) => {
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload);
  };
  const service: VesselService = createService({
    workspace,
    defaultModelDir: app.isPackaged
      ? join(process.resourcesPath, 'models', 'default')
      : join(app.getAppPath(), 'resources', 'models', 'default'),
    startCompute: forkUtilityCompute(join(__dirname, 'compute-process.js')),
    emit: (name, payload) => send(name, payload),
    chooseExportDir: async (what) => {
      const options = { title: `Export ${what} to…`, properties: ['openDirectory' as const, 'createDirectory' as const] };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    retrainSteps: retrainStepsFromEnv(),
  });
  registerIpc(createDispatcher(service.handlers), () => win?.webContents ?? null);
  Menu.setApplicationMenu(buildMenu((command) => send('menu:command', { command })));
  win = createMainWindow(join(__dirname, '..', 'preload', 'preload.js'));
  win.on('closed', () => (win = null));
  app.on('before-quit', () => service.stop());
}

registerAppScheme();
app.enableSandbox();
if (!app.requestSingleInstanceLock()) {
  // A second copy would write the same workspace; the first one is brought forward instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch((e: Error) => {
      dialog.showErrorBox('Vessel Studio could not start', e.message);
      app.exit(1);
    });
}
