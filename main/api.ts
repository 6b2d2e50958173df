/**
 * The service behind every contract call: the workspace plus the compute client. Hosts (Electron main,
 * the browser shell, tests) create it with their own compute transport, event sink and export-folder
 * chooser, and hand `handlers` to the validating dispatcher. No Electron import here.
 */
import type { ComputeStatus, EventName, EventPayload, ModelSummary } from '../preload/contract';
import type { Handlers } from './app/dispatch';
import { ComputeClient } from './compute/client';
import type { StartCompute } from './compute/protocol';
import { UserError } from './workspace/errors';
import { DEFAULT_MODEL_ID, listModels, type ModelEntry } from './workspace/models';
import type { Workspace } from './workspace/workspace';
import { join } from 'node:path';

export type Emit = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface ServiceOptions {
  workspace: Workspace;
  /** The bundled model folder (resources/models/default). */
  defaultModelDir: string;
  startCompute: StartCompute;
  emit: Emit;
  /** Where labels:export writes; null means the user cancelled. */
  chooseExportDir(): Promise<string | null>;
}

export interface VesselService {
  handlers: Handlers;
  compute: ComputeClient;
  stop(): void;
}

export function createService(o: ServiceOptions): VesselService {
  const ws = o.workspace;
  /** Which image each running job is for, so progress events can say. */
  const jobImages = new Map<string, string>();

  const models = (): Promise<ModelEntry[]> => listModels(o.defaultModelDir, join(ws.dir, 'models'));
  const selected = async (): Promise<ModelEntry | null> => {
    const all = await models();
    return all.find((m) => m.summary.id === ws.selectedModel) ?? all.find((m) => m.summary.id === DEFAULT_MODEL_ID) ?? all[0] ?? null;
  };
  const noModel = `No model found: ${o.defaultModelDir} is missing or incomplete (train one with "npm run train")`;

  const computeStatus = async (): Promise<ComputeStatus> => {
    const s = compute.status();
    const model: ModelSummary | null = (await selected())?.summary ?? null;
    return { ...s, model, error: s.error ?? (model ? null : noModel) };
  };

  const compute = new ComputeClient(o.startCompute, {
    onProgress: (p) => o.emit('compute:progress', { ...p, imageId: jobImages.get(p.job) ?? null }),
    onCrashed: (e) => o.emit('compute:crashed', e),
    onReady: () => {
      void computeStatus().then((s) => o.emit('compute:ready', s));
    },
  });

  const handlers: Handlers = {
    'workspace:get': async () => ({
      path: ws.dir,
      images: ws.images(),
      models: (await models()).map((m) => m.summary),
      selectedModel: (await selected())?.summary.id ?? null,
      view: ws.view,
    }),
    'images:import': async ({ files }) => {
      const r = await ws.importFiles(files);
      if (r.imported.length > 0) o.emit('workspace:changed', { reason: `imported ${r.imported.length} image(s)` });
      return r;
    },
    'images:delete': async ({ id }) => {
      await ws.delete(id);
      o.emit('workspace:changed', { reason: `deleted ${id}` });
      return {};
    },
    'images:photo': ({ id }) => ws.photo(id),
    'images:label': ({ id }) => ws.label(id),
    'images:saveLabel': ({ id, png }) => ws.saveLabel(id, png),
    'images:prediction': ({ id }) => ws.prediction(id),
    'images:fov': ({ id }) => ws.fov(id),
    'predict:run': async ({ id }) => {
      const record = ws.record(id);
      const model = await selected();
      if (!model) throw new UserError(noModel);
      const { job, result } = compute.run(
        { kind: 'predict', imagePath: ws.path('images', id), fovPath: record.fov ? ws.path('masks', id) : null, modelDir: model.dir },
        `Prediction of ${record.name}`,
      );
      jobImages.set(job, id);
      try {
        const r = await result;
        await ws.savePrediction(id, r.png, model.summary.id, r.ms);
        if (r.derivedFovPng) await ws.saveDerivedFov(id, r.derivedFovPng);
        o.emit('workspace:changed', { reason: `predicted ${id}` });
        return { png: r.png, ms: r.ms, backend: r.backend, modelId: model.summary.id };
      } finally {
        jobImages.delete(job);
      }
    },
    'compute:cancel': async ({ job }) => ({ cancelled: compute.cancel(job) }),
    'compute:status': () => computeStatus(),
    'models:select': async ({ id }) => {
      if (!(await models()).some((m) => m.summary.id === id)) throw new UserError(`No model "${id}"`);
      await ws.selectModel(id);
      return {};
    },
    'view:save': async (view) => {
      await ws.setView(view);
      return {};
    },
    'labels:export': async () => {
      const dir = await o.chooseExportDir();
      if (!dir) return null;
      return { dir, count: await ws.exportLabels(dir) };
    },
  };

  return { handlers, compute, stop: () => compute.stop() };
}
