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
import { Measurer } from './measurements';
import { Retrainer } from './retrain';
import { DEFAULT_MODEL_ID, listModels, originalTrainingSet, type ModelEntry } from './workspace/models';
import { summarize, type Workspace } from './workspace/workspace';
import { join } from 'node:path';

export type Emit = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface ServiceOptions {
  workspace: Workspace;
  /** The bundled model folder (resources/models/default). */
  defaultModelDir: string;
  startCompute: StartCompute;
  emit: Emit;
  /**
   * Where labels:export writes (the labels go straight in) and measure:export writes (a new
   * measurements-<time> folder is made in it); null means the user cancelled.
   */
  chooseExportDir(what: 'labels' | 'measurements'): Promise<string | null>;
  /** Retraining steps when retrain:start names none (default: the engine's recipe). */
  retrainSteps?: number;
}

export interface VesselService {
  handlers: Handlers;
  compute: ComputeClient;
  stop(): void;
}

export function createService(o: ServiceOptions): VesselService {
  const ws = o.workspace;
  const stopNotices = ws.onNotice((n) => o.emit('workspace:notice', n));
  /** Which image each running job is for, so progress events can say. */
  const jobImages = new Map<string, string>();

  const models = (): Promise<ModelEntry[]> => listModels(o.defaultModelDir, join(ws.dir, 'models'));
  const selected = async (): Promise<ModelEntry | null> => {
    const all = await models();
    return all.find((m) => m.summary.id === ws.selectedModel) ?? all.find((m) => m.summary.id === DEFAULT_MODEL_ID) ?? all[0] ?? null;
  };
  /** Sample names of the selected model's original training set: those images count as reference. */
  const originalSet = async (): Promise<Set<string>> => {
    const all = await models();
    return originalTrainingSet(all, (await selected())?.summary.id ?? null);
  };
  /** `m` if its files are intact, for predicting with it. */
  const usable = (m: ModelEntry): ModelEntry => {
    if (!m.version.intact) throw new UserError(`Model "${m.summary.name}" is damaged: ${m.version.problem}`);
    return m;
  };
  /** A usable version by id. */
  const version = async (id: string): Promise<ModelEntry> => {
    const m = (await models()).find((e) => e.summary.id === id);
    if (!m) throw new UserError(`No model "${id}"`);
    return usable(m);
  };
  const noModel = `No model found: ${o.defaultModelDir} is missing or incomplete (train one with "npm run train")`;

  const computeStatus = async (): Promise<ComputeStatus> => {
    const s = compute.status();
    const model: ModelSummary | null = (await selected())?.summary ?? null;
    return { ...s, model, error: s.error ?? (model ? null : noModel) };
  };

  const compute = new ComputeClient(o.startCompute, {
    onProgress: (p) => {
      o.emit('compute:progress', { ...p, imageId: jobImages.get(p.job) ?? null });
      retrainer.onComputeProgress(p.job, p.message);
    },
    onRetrain: (job, e) => retrainer.onEvent(job, e),
    onCrashed: (e) => o.emit('compute:crashed', e),
    onReady: () => {
      void computeStatus().then((s) => o.emit('compute:ready', s));
    },
  });

  const retrainer = new Retrainer({ workspace: ws, compute, emit: o.emit, models, selected, defaultSteps: o.retrainSteps });
  const measurer = new Measurer({ workspace: ws, compute, emit: o.emit, models, chooseExportDir: (what) => o.chooseExportDir(what) });

  /** Predicts with `model` in the compute process; progress events name the image. */
  const predictWith = async (id: string, model: ModelEntry, what: string) => {
    const record = ws.record(id);
    const { job, result } = compute.run(
      {
        kind: 'predict',
        imagePath: ws.path('images', id),
        fovPath: record.fov ? ws.path('masks', id) : null,
        fovDiameter: record.fovDiameter,
        modelDir: model.dir,
      },
      `${what} of ${record.name}`,
    );
    jobImages.set(job, id);
    // Jobs run one at a time: say why nothing moves yet.
    if (retrainer.running)
      o.emit('compute:progress', { job, imageId: id, done: 0, total: 1, message: 'Waiting for the retraining to finish' });
    try {
      const r = await result;
      if (r.derivedFovPng) await ws.saveDerivedFov(id, r.derivedFovPng);
      return r;
    } finally {
      jobImages.delete(job);
    }
  };

  const handlers: Handlers = {
    'workspace:get': async () => ({
      path: ws.dir,
      images: ws.images(await originalSet()),
      models: (await models()).map((m) => m.summary),
      selectedModel: (await selected())?.summary.id ?? null,
      view: ws.view,
      notices: [...ws.openNotices],
      analysis: ws.analysis,
    }),
    'images:import': async ({ files }) => {
      const r = await ws.importFiles(files, await originalSet());
      if (r.imported.length > 0) o.emit('workspace:changed', { reason: `imported ${r.imported.length} image(s)` });
      return r;
    },
    'images:delete': async ({ id }) => {
      const trashed = await ws.delete(id);
      o.emit('workspace:changed', { reason: `deleted ${id}` });
      return { trashed };
    },
    'images:restore': async ({ trashed }) => {
      const r = await ws.restore(trashed);
      o.emit('workspace:changed', { reason: `restored ${r.id}` });
      return summarize(r, await originalSet());
    },
    'images:setExcluded': async ({ id, excluded }) => {
      const r = await ws.setExcluded(id, excluded);
      o.emit('workspace:changed', { reason: `${excluded ? 'excluded' : 'included'} ${id}` });
      return summarize(r, await originalSet());
    },
    'images:photo': ({ id }) => ws.photo(id),
    'images:label': ({ id }) => ws.label(id),
    'images:saveLabel': async ({ id, png, decided, reviewed, baseRevision }) => {
      const r = await ws.saveLabel(id, png, decided, reviewed, baseRevision);
      if (!r.saved) return r;
      const image = summarize(r.record, await originalSet());
      // Every window learns of it: one holding an older revision reloads or is told it must.
      o.emit('images:labelSaved', { id, revision: r.revision, savedAt: r.savedAt, image });
      return { saved: true as const, savedAt: r.savedAt, revision: r.revision, image };
    },
    'images:prediction': ({ id }) => ws.prediction(id),
    'images:fov': ({ id }) => ws.fov(id),
    'predict:run': async ({ id }) => {
      ws.record(id);
      const found = await selected();
      if (!found) throw new UserError(noModel);
      const model = usable(found);
      const r = await predictWith(id, model, 'Prediction');
      await ws.savePrediction(id, r.png, model.summary.id, r.ms, r.scale, r.uncertainty);
      o.emit('workspace:changed', { reason: `predicted ${id}` });
      return { png: r.png, ms: r.ms, backend: r.backend, modelId: model.summary.id, scale: r.scale, uncertainty: r.uncertainty };
    },
    'compute:cancel': async ({ job }) => ({ cancelled: compute.cancel(job) }),
    'compute:status': () => computeStatus(),
    'models:select': async ({ id }) => {
      if (retrainer.running) throw new UserError('Wait for the retraining to finish (or cancel it) before switching versions.');
      await version(id);
      await ws.selectModel(id);
      return {};
    },
    'models:list': async () => ({ versions: (await models()).map((m) => m.version), selected: (await selected())?.summary.id ?? null }),
    'models:compare': async ({ imageId, a, b }) => {
      ws.record(imageId);
      const [ma, mb] = [await version(a), await version(b)];
      const ra = await predictWith(imageId, ma, `Comparison (${ma.summary.name})`);
      const rb = await predictWith(imageId, mb, `Comparison (${mb.summary.name})`);
      return {
        a: { modelId: a, png: ra.png, threshold: ma.version.threshold },
        b: { modelId: b, png: rb.png, threshold: mb.version.threshold },
      };
    },
    'retrain:start': ({ steps }) => retrainer.start(steps),
    'retrain:estimate': async () => {
      const steps = retrainer.defaultSteps;
      return { steps, seconds: await retrainer.estimate(steps) };
    },
    'retrain:cancel': async () => ({ cancelled: retrainer.cancel() }),
    'retrain:status': async () => retrainer.status(),
    'images:setReference': async ({ id, reference }) => {
      const r = await ws.setReference(id, reference);
      o.emit('workspace:changed', { reason: `reference ${id}` });
      return summarize(r, await originalSet());
    },
    'images:setFovDiameter': async ({ id, fovDiameter }) => {
      const r = await ws.setFovDiameter(id, fovDiameter);
      o.emit('workspace:changed', { reason: `field of view of ${id} set` });
      return summarize(r, await originalSet());
    },
    'view:save': async (view) => {
      await ws.setView(view);
      return {};
    },
    'labels:export': async () => {
      const dir = await o.chooseExportDir('labels');
      if (!dir) return null;
      return { dir, count: await ws.exportLabels(dir) };
    },
    'measure:run': ({ id }) => measurer.report(id),
    'analysis:setImage': ({ id, angleOfViewDeg, disc }) => ws.setImageAnalysis(id, { angleOfViewDeg, disc }),
    'analysis:setDefaults': (defaults) => ws.setAnalysisDefaults(defaults),
    'measure:export': ({ scope, id }) => measurer.export(scope, id),
  };

  return {
    handlers,
    compute,
    stop: () => {
      stopNotices();
      compute.stop();
    },
  };
}
