/**
 * Browser shell: `npm run web [-- --workspace DIR --port N]` serves the UI and the API on 127.0.0.1 and
 * prints the URL to open (it carries the access token). Same service and validation as the Electron app;
 * the compute process is a forked Node process.
 *   --workspace DIR   workspace folder (env VESSEL_WORKSPACE; default ~/VesselStudio)
 *   --port N          port (env VESSEL_PORT; default 0 = a free one)
 *   --token T         fixed access token (env VESSEL_TOKEN; default random), for scripts and tests
 * Backend for the compute process: env VESSEL_BACKEND (auto, tensorflow, webgpu, wasm, cpu).
 * Retraining steps when the UI names none: env VESSEL_RETRAIN_STEPS (default: the engine's recipe).
 */
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createService } from './api';
import { createDispatcher } from './app/dispatch';
import { retrainStepsFromEnv } from './app/env';
import { startWebShell, type WebShell } from './app/web-server';
import { forkNodeCompute } from './compute/node-transport';
import { lockWorkspace } from './workspace/lock';
import { Workspace } from './workspace/workspace';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { workspace: { type: 'string' }, port: { type: 'string' }, token: { type: 'string' } },
  });
  const workspaceDir = resolve(values.workspace ?? process.env.VESSEL_WORKSPACE ?? join(homedir(), 'VesselStudio'));
  const port = Number(values.port ?? process.env.VESSEL_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got "${values.port}"`);
  const token = values.token ?? process.env.VESSEL_TOKEN;
  // Built layout: dist/main/web.js next to dist/main/compute-process.js and dist/renderer/.
  const defaultModelDir = process.env.VESSEL_DEFAULT_MODEL ?? join(__dirname, '..', '..', 'resources', 'models', 'default');

  await mkdir(workspaceDir, { recursive: true });
  const lock = await lockWorkspace(workspaceDir, 'browser shell');
  process.on('exit', () => lock.release());
  if (lock.replaced)
    console.log(
      `Vessel Studio: took over the lock of process ${lock.replaced.pid} (${lock.replaced.app}), which had ended without releasing it`,
    );
  const workspace = await Workspace.open(workspaceDir);
  let shell: WebShell | null = null;
  const service = createService({
    workspace,
    defaultModelDir,
    startCompute: forkNodeCompute({ entry: join(__dirname, 'compute-process.js') }),
    emit: (name, payload) => shell?.broadcast(name, payload),
    // Labels go into a fresh folder; measurements make their own inside the one given.
    chooseExportDir: async (what) =>
      what === 'labels'
        ? join(workspaceDir, 'exports', `labels-${new Date().toISOString().replace(/[:.]/g, '-')}`)
        : join(workspaceDir, 'exports'),
    retrainSteps: retrainStepsFromEnv(),
  });
  shell = await startWebShell({
    handleCall: createDispatcher(service.handlers),
    staticDir: join(__dirname, '..', 'renderer'),
    port,
    token,
  });
  console.log(`Vessel Studio: workspace ${workspaceDir}`);
  console.log(`Vessel Studio: open ${shell.url}`);

  const quit = () => {
    service.stop();
    void shell?.close().then(() => process.exit(0));
  };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
}

main().catch((e) => {
  console.error(`Vessel Studio: ${(e as Error).message}`);
  process.exit(1);
});
