/** A real service (workspace in a temp folder, forked compute process on the cpu backend) for API tests. */
import { join } from 'node:path';
import { createService, type VesselService } from '../../main/api';
import { forkNodeCompute } from '../../main/compute/node-transport';
import type { Emit } from '../../main/api';
import type { EventName } from '../../preload/contract';
import { Workspace } from '../../main/workspace/workspace';
import { tempDir } from './files';

export const COMPUTE_ENTRY = join(__dirname, '..', '..', 'main', 'compute', 'compute-process.ts');

export async function testService(
  t: { after(fn: () => void | Promise<void>): void },
  /** backend: VESSEL_BACKEND of the compute process (cpu by default; training needs wasm to be quick). */
  opts: { defaultModelDir?: string; emit?: Emit; backend?: string } = {},
): Promise<{ service: VesselService; dir: string; events: { name: EventName; payload: unknown }[] }> {
  const dir = tempDir(t);
  const events: { name: EventName; payload: unknown }[] = [];
  const service = createService({
    workspace: await Workspace.open(join(dir, 'ws')),
    defaultModelDir: opts.defaultModelDir ?? join(dir, 'no-model'),
    startCompute: forkNodeCompute({ entry: COMPUTE_ENTRY, execArgv: ['--import', 'tsx'], env: { VESSEL_BACKEND: opts.backend ?? 'cpu' } }),
    emit: (name, payload) => {
      events.push({ name, payload });
      opts.emit?.(name, payload);
    },
    chooseExportDir: async () => join(dir, 'export'),
  });
  t.after(() => service.stop());
  return { service, dir, events };
}
