import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VesselApi } from '../../preload/contract';
import { Controller, rejectionMessages, type Codec } from '../../renderer/app/Controller';
import { Editor } from '../../renderer/editor/Editor';
import { down, move, up } from './harness';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A fake codec: "PNG" = [w, h, ...pixels] (w, h < 256), so tests can read what was saved.
 */
const codec: Codec = {
  async decodePhoto(png) {
    return { bitmap: null, width: png[0], height: png[1] };
  },
  async decodeChannel(png, threshold) {
    const data = png.slice(2);
    return { data: threshold === undefined ? data : data.map((v) => (v >= threshold ? 1 : 0)), width: png[0], height: png[1] };
  },
  async encodeMask(mask, w, h) {
    return new Uint8Array([w, h, ...Array.from(mask, (v) => (v ? 255 : 0))]);
  },
};

const W = 20;
const H = 10;
const img = (id: string, status: 'new' | 'predicted' | 'edited' | 'reviewed' = 'new') => ({
  id,
  name: `${id}.png`,
  width: W,
  height: H,
  status,
  hasLabel: status === 'edited' || status === 'reviewed',
  hasPrediction: false,
  hasFov: false,
  reference: false,
  excluded: false,
  decided: null,
  uncertainty: null,
  scale: null,
  fovDiameter: null,
});

const version = (id: string, parent: string | null = null, threshold = 0.5) => ({
  id,
  name: `Version ${id}`,
  createdAt: '',
  parent,
  builtin: parent === null,
  trainedOn: [],
  reference: [],
  threshold,
  validation: null,
  backend: null,
  seconds: null,
  steps: null,
  keptStep: null,
  stoppedEarly: false,
  intact: true,
  problem: null,
});

/** The prediction the fake service has: vessel (200) on the left half, background (50) on the right. */
const PREDICTION = Array.from({ length: W * H }, (_, i) => (i % W < W / 2 ? 200 : 50));

function fakeApi(opts: { prediction?: boolean; selected?: string; derivesFov?: boolean; listDelayMs?: number } = {}) {
  const calls: { name: string; req: any }[] = [];
  // As the service does: the first prediction of an image derives and saves its field of view.
  const fovs = new Map<string, Uint8Array>();
  const saved = new Map<string, { png: Uint8Array; decided: Uint8Array; reviewed: boolean }>();
  const deleted: string[] = [];
  const revisions = new Map<string, number>();
  const listeners = new Map<string, (p: any) => void>();
  const api = {
    async call(name: string, req: any) {
      calls.push({ name, req });
      switch (name) {
        case 'workspace:get':
          return {
            path: '/ws',
            images: [img('a'), img('b')],
            models: [],
            selectedModel: null,
            view: { imageId: 'b', zoom: 4, x: 5, y: 5 },
            notices: [],
          };
        case 'compute:status':
          return {
            state: 'ready',
            alive: true,
            backend: { name: 'wasm', device: 'CPU', notes: [] },
            model: { id: 'm1', name: 'default', createdAt: '', parent: null },
            restarts: 0,
            error: null,
          };
        case 'images:photo':
          return { png: new Uint8Array([W, H]), width: W, height: H };
        case 'images:label': {
          const s = saved.get(req.id);
          return { label: s ? { ...s, savedAt: 'x' } : null, revision: revisions.get(req.id) ?? 0 };
        }
        case 'images:prediction':
          return opts.prediction ? { png: new Uint8Array([W, H, ...PREDICTION]), modelId: 'm1', createdAt: '' } : null;
        case 'images:fov': {
          const f = fovs.get(req.id);
          return f ? { png: f } : null;
        }
        case 'predict:run':
          if (opts.derivesFov)
            fovs.set(req.id, new Uint8Array([W, H, ...Array.from({ length: W * H }, (_, i) => (i % W >= 2 && i % W < W - 2 ? 255 : 0))]));
          listeners.get('compute:progress')?.({ job: 'j', imageId: req.id, done: 1, total: 2, message: 'half' });
          return {
            png: new Uint8Array([W, H, ...new Array(W * H).fill(255)]),
            ms: 1,
            backend: { name: 'wasm', device: 'CPU', notes: [] },
            modelId: 'm1',
            scale: null,
            uncertainty: 0.25,
          };
        case 'images:saveLabel': {
          // As the workspace does: a save from an older revision is refused.
          const revision = revisions.get(req.id) ?? 0;
          if (req.baseRevision !== revision)
            return { saved: false, revision, message: `stale: at ${revision}, based on ${req.baseRevision}` };
          if (req.png) saved.set(req.id, { png: req.png, decided: req.decided, reviewed: req.reviewed });
          else saved.delete(req.id);
          revisions.set(req.id, revision + 1);
          const image = img(req.id, req.png ? (req.reviewed ? 'reviewed' : 'edited') : 'predicted');
          return { saved: true, savedAt: new Date().toISOString(), revision: revision + 1, image };
        }
        case 'images:delete':
          deleted.push(req.id);
          return { trashed: `${req.id}-trash` };
        case 'images:restore':
          return img(deleted.pop()!, 'predicted');
        case 'retrain:estimate':
          return { steps: 10, seconds: null };
        case 'view:save':
          return {};
        case 'models:list': {
          const selected = opts.selected ?? 'm1';
          await tick(opts.listDelayMs ?? 0);
          return { versions: [version('m1'), version('m2', 'm1', 0.4)], selected };
        }
        case 'retrain:status':
          return null;
        case 'retrain:start':
          return { job: 'job-9', parent: 'm1', images: ['a'], reference: [], steps: 10, startedAt: '' };
        case 'models:select':
          return {};
      }
      throw new Error(`unexpected ${name}`);
    },
    on(name: string, l: (p: any) => void) {
      listeners.set(name, l);
      return () => listeners.delete(name);
    },
  };
  return { api: api as unknown as VesselApi, calls, saved, deleted, revisions, listeners };
}

function stroke(ed: Editor, y: number) {
  const s = ed.imageToScreen({ x: 2.5, y });
  const e = ed.imageToScreen({ x: 12.5, y });
  down(ed, s.x, s.y);
  move(ed, e.x, e.y);
  up(ed, e.x, e.y);
}

test('init opens the image from the saved view, restores zoom, predicts when there is no prediction', async () => {
  const ed = new Editor();
  ed.setViewport(200, 100);
  const { api, calls } = fakeApi();
  const c = new Controller(ed, api, codec, { saveDelayMs: 20, viewDelayMs: 5 });
  await c.init();
  await tick(10);
  assert.equal(ed.state.currentId, 'b');
  assert.equal(ed.state.view.zoom, 4);
  const centre = ed.screenToImage({ x: 100, y: 50 });
  assert.deepEqual(centre, { x: 5, y: 5 });
  assert.ok(calls.some((x) => x.name === 'predict:run' && x.req.id === 'b'));
  assert.equal(ed.state.hasPrediction, true);
  assert.equal(ed.prediction![0], 255);
  assert.equal(ed.state.images.find((i) => i.id === 'b')!.status, 'predicted');
  assert.deepEqual(ed.state.backend, { name: 'wasm', device: 'CPU', notes: [] });
  assert.equal(ed.state.predicting, null);
  c.dispose();
});

test('the field of view the first prediction derives is loaded without reopening the image', async () => {
  const ed = new Editor();
  const { api, calls } = fakeApi({ derivesFov: true });
  const c = new Controller(ed, api, codec, { saveDelayMs: 20 });
  await c.init();
  await tick(10);
  assert.ok(calls.some((x) => x.name === 'predict:run' && x.req.id === 'b'));
  assert.equal(ed.state.predicting, null);
  assert.ok(ed.fov, 'the editor holds the FOV after the prediction');
  assert.deepEqual([ed.fov![0], ed.fov![2], ed.fov![W - 3], ed.fov![W - 2]], [0, 1, 1, 0], 'the FOV the service derived');
  c.dispose();
});

test('an existing prediction is not recomputed on open', async () => {
  const ed = new Editor();
  const { api, calls } = fakeApi({ prediction: true });
  const c = new Controller(ed, api, codec, { saveDelayMs: 20 });
  await c.init();
  assert.equal(calls.filter((x) => x.name === 'predict:run').length, 0);
  assert.equal(ed.prediction![0], 200);
  c.dispose();
});

test('autosave is debounced: several strokes → one save of the prediction plus the strokes, with the strokes decided', async () => {
  const ed = new Editor();
  ed.setViewport(200, 100);
  const { api, calls, saved } = fakeApi({ prediction: true });
  const c = new Controller(ed, api, codec, { saveDelayMs: 30 });
  await c.init();
  ed.setBrushSize(1);
  stroke(ed, 2.5);
  stroke(ed, 4.5);
  assert.equal(ed.state.save, 'unsaved');
  await tick(10);
  stroke(ed, 6.5);
  await tick(10);
  assert.equal(calls.filter((x) => x.name === 'images:saveLabel').length, 0, 'not yet');
  await tick(60);
  assert.equal(calls.filter((x) => x.name === 'images:saveLabel').length, 1);
  assert.equal(ed.state.save, 'saved');
  const { png, decided, reviewed } = saved.get('b')!;
  const px = png.slice(2);
  const dx = decided.slice(2);
  assert.ok(px.every((v) => v === 0 || v === 255));
  assert.equal(reviewed, false);
  for (const y of [2, 4, 6])
    for (let x = 2; x <= 12; x++) assert.deepEqual([px[y * W + x], dx[y * W + x]], [255, 255], `painted (${x},${y})`);
  // Off the strokes the label is the prediction at the model's threshold (0.5): vessel on the left, none on the right.
  for (let x = 0; x < W; x++) assert.deepEqual([px[3 * W + x], dx[3 * W + x]], [x < W / 2 ? 255 : 0, 0], `row 3, x ${x}`);
  assert.equal(ed.state.images.find((i) => i.id === 'b')!.status, 'edited');
  c.dispose();
});

test('undoing every edit saves "no label": the image is Predicted again', async () => {
  const ed = new Editor();
  ed.setViewport(200, 100);
  const { api, calls, saved } = fakeApi({ prediction: true });
  const c = new Controller(ed, api, codec, { saveDelayMs: 5 });
  await c.init();
  stroke(ed, 2.5);
  await tick(30);
  assert.ok(saved.has('b'));
  assert.equal(ed.state.images.find((i) => i.id === 'b')!.status, 'edited');
  ed.undo();
  assert.equal(ed.state.review, 'none');
  await tick(30);
  assert.deepEqual(calls.filter((x) => x.name === 'images:saveLabel').at(-1)!.req, {
    id: 'b',
    png: null,
    decided: null,
    reviewed: false,
    baseRevision: 1,
  });
  assert.equal(saved.has('b'), false);
  assert.equal(ed.state.images.find((i) => i.id === 'b')!.status, 'predicted');
  // Marking it reviewed without a stroke saves the prediction as a complete label.
  ed.setReviewed(true);
  await tick(30);
  assert.equal(saved.get('b')!.reviewed, true);
  assert.equal(ed.state.images.find((i) => i.id === 'b')!.status, 'reviewed');
  c.dispose();
});

test('delete moves the image to the trash and opens the next; the message undoes it', async () => {
  const ed = new Editor();
  const { api, deleted } = fakeApi({ prediction: true });
  const c = new Controller(ed, api, codec, { saveDelayMs: 5 });
  await c.init();
  assert.equal(ed.state.currentId, 'b');
  await c.deleteImage('b');
  assert.deepEqual(deleted, ['b']);
  assert.deepEqual(
    ed.state.images.map((i) => i.id),
    ['a'],
  );
  assert.equal(ed.state.currentId, 'a');
  const toast = ed.state.toasts.at(-1)!;
  assert.match(toast.message, /moved to the workspace's trash/);
  toast.action!.run();
  await tick(20);
  assert.deepEqual(ed.state.images.map((i) => i.id).sort(), ['a', 'b']);
  assert.equal(ed.state.currentId, 'b');
  c.dispose();
});

test('switching images flushes the pending save first, and reopening restores the label', async () => {
  const ed = new Editor();
  ed.setViewport(200, 100);
  const { api, saved } = fakeApi({ prediction: true });
  const c = new Controller(ed, api, codec, { saveDelayMs: 10_000 });
  await c.init();
  stroke(ed, 3.5);
  const painted = ed.label.slice();
  const decided = ed.decided.slice();
  await c.navigate(-1); // b → a
  assert.equal(ed.state.currentId, 'a');
  assert.ok(saved.has('b'), 'saved before switching');
  await c.navigate(1);
  assert.equal(ed.state.currentId, 'b');
  assert.deepEqual(ed.label, painted);
  assert.deepEqual(ed.decided, decided);
  assert.equal(ed.state.review, 'edited');
  assert.equal(ed.state.save, 'saved');
  c.dispose();
});

/** What another window's save of a label with column `x` painted does to main's state, and the event every window then gets. */
function saveElsewhere(f: ReturnType<typeof fakeApi>, id: string, x: number, announce: boolean) {
  const revision = (f.revisions.get(id) ?? 0) + 1;
  const column = new Uint8Array([W, H, ...Array.from({ length: W * H }, (_, i) => (i % W === x ? 255 : 0))]);
  f.saved.set(id, { png: column, decided: column, reviewed: false });
  f.revisions.set(id, revision);
  if (announce) f.listeners.get('images:labelSaved')!({ id, revision, savedAt: 'elsewhere', image: img(id, 'edited') });
}

test('a save refused as stale shows why with a Reload action; reloading shows the stored label and saving works again', async () => {
  const ed = new Editor();
  ed.setViewport(200, 100);
  const f = fakeApi({ prediction: true });
  const c = new Controller(ed, f.api, codec, { saveDelayMs: 5 });
  await c.init();
  saveElsewhere(f, 'b', 0, false); // its event not here yet
  stroke(ed, 3.5);
  await tick(40);
  assert.equal(ed.state.save, 'error');
  const toast = ed.state.toasts.at(-1)!;
  assert.deepEqual([toast.kind, toast.message, toast.action?.label], ['error', 'stale: at 1, based on 0', 'Reload']);
  assert.deepEqual([f.saved.get('b')!.png[2], f.saved.get('b')!.png[2 + 3 * W + 5]], [255, 0], "the other window's label is untouched");
  toast.action!.run();
  await tick(20);
  assert.deepEqual([ed.label[0], ed.label[3 * W + 5]], [1, 0], 'the stored label is shown');
  assert.equal(ed.state.canUndo, false, 'the undo history of the refused edits is gone');
  stroke(ed, 3.5);
  await tick(40);
  assert.equal(ed.state.save, 'saved');
  assert.equal(f.revisions.get('b'), 2);
  c.dispose();
});

test('a label saved in another window is shown at once when this one has no edits; with edits, the user is told and offered a reload', async () => {
  const ed = new Editor();
  ed.setViewport(200, 100);
  const f = fakeApi({ prediction: true });
  const c = new Controller(ed, f.api, codec, { saveDelayMs: 10_000 });
  await c.init();
  saveElsewhere(f, 'b', 0, true);
  await tick(20);
  assert.deepEqual([ed.label[0], ed.label[1]], [1, 0], 'reloaded');
  assert.match(ed.state.toasts.at(-1)!.message, /^The label of "b\.png" was changed in another window; showing that version\.$/);

  stroke(ed, 3.5); // an edit not saved yet
  saveElsewhere(f, 'b', 1, true);
  await tick(20);
  const toast = ed.state.toasts.at(-1)!;
  assert.equal(toast.kind, 'error');
  assert.match(
    toast.message,
    /^The label of "b\.png" was changed in another window; the strokes made here since cannot be saved over it\. Reload/,
  );
  assert.equal(ed.label[3 * W + 5], 1, 'nothing is thrown away without the user');
  toast.action!.run();
  await tick(20);
  assert.deepEqual([ed.label[0], ed.label[1], ed.label[3 * W + 5]], [0, 1, 0]);
  assert.equal(ed.state.save, 'saved');
  c.dispose();
});

test('API errors become visible toasts and leave the editor usable', async () => {
  const ed = new Editor();
  const { api } = fakeApi({ prediction: true });
  const failing = {
    ...api,
    call: async (name: string, req: any) =>
      name === 'images:saveLabel' ? Promise.reject(new Error('disk full')) : api.call(name as any, req),
  };
  const c = new Controller(ed, failing as unknown as VesselApi, codec, { saveDelayMs: 5 });
  await c.init();
  stroke(ed, 3.5);
  await tick(40);
  assert.equal(ed.state.save, 'error');
  assert.match(ed.state.toasts.at(-1)!.message, /disk full/);
  ed.dismissToast(ed.state.toasts.at(-1)!.id);
  assert.equal(ed.state.toasts.length, 0);
  c.dispose();
});

test('retrain events drive the progress state; done selects the new version and re-predicts the open image', async () => {
  const ed = new Editor();
  const { api, calls, listeners } = fakeApi({ prediction: true });
  const c = new Controller(ed, api, codec, { saveDelayMs: 5 });
  await c.init();
  assert.deepEqual([ed.state.versions.map((v) => v.id), ed.state.selectedModel], [['m1', 'm2'], 'm1']);
  stroke(ed, 3.5); // not saved yet: retraining must see it
  await c.models.startRetrain();
  const order = calls.map((x) => x.name);
  assert.ok(order.indexOf('images:saveLabel') < order.indexOf('retrain:start'), 'the label is saved before retraining starts');
  assert.equal(ed.state.retrain?.run.job, 'job-9');
  assert.equal(c.models.running, true);
  const progress = (step: number) => ({
    job: 'job-9',
    phase: 'training',
    step,
    total: 10,
    loss: 1 / step,
    learningRate: 1e-4,
    elapsedSeconds: step,
    etaSeconds: 10 - step,
    backend: null,
    message: '',
  });
  listeners.get('retrain:progress')!(progress(1));
  listeners.get('retrain:progress')!(progress(2));
  listeners.get('retrain:progress')!({ ...progress(2), job: 'someone-else' });
  listeners.get('retrain:validation')!({ job: 'job-9', step: 0, f1: 0.5, auc: 0.9, threshold: 0.5 });
  assert.deepEqual(ed.state.retrain?.loss, [
    [1, 1],
    [2, 0.5],
  ]);
  assert.deepEqual(ed.state.retrain?.validation, [[0, 0.5]]);
  assert.equal(ed.state.retrain?.progress?.step, 2);

  const predictions = calls.filter((x) => x.name === 'predict:run').length;
  listeners.get('retrain:done')!({
    job: 'job-9',
    model: version('m2', 'm1'),
    selected: true,
    message: 'Version m2 is better on the held-out pixels',
  });
  await tick(20);
  assert.equal(ed.state.retrain?.outcome.state, 'done');
  assert.equal(c.models.running, false);
  assert.equal(calls.filter((x) => x.name === 'predict:run').length, predictions + 1, 'the open image is re-predicted');
  assert.equal(ed.state.toasts.at(-1)!.message, 'Version m2 is better on the held-out pixels', 'the toast says what the outcome says');

  await c.models.select('m1');
  assert.deepEqual(
    calls.filter((x) => x.name === 'models:select').map((x) => x.req),
    [{ id: 'm1' }],
  );
  assert.equal(calls.filter((x) => x.name === 'predict:run').length, predictions + 2, 'a rollback re-predicts too');
  c.dispose();
});

test('opening an image whose prediction came from another version re-predicts it with the selected one', async () => {
  const ed = new Editor();
  const { api, calls } = fakeApi({ prediction: true, selected: 'm2' });
  const c = new Controller(ed, api, codec);
  await c.init();
  await tick(10);
  assert.deepEqual(
    calls.filter((x) => x.name === 'predict:run').map((x) => x.req.id),
    ['b'],
  );
  c.dispose();
});

test('a finished retraining says "done" only once the versions list shows what is selected (no race)', async () => {
  const ed = new Editor();
  const opts = { prediction: true, listDelayMs: 0, selected: 'm1' };
  const { api, listeners } = fakeApi(opts);
  const c = new Controller(ed, api, codec, { saveDelayMs: 5 });
  await c.init();
  assert.equal(ed.state.overlay.threshold, 0.5, "the overlay starts at the selected version's threshold");
  stroke(ed, 3.5);
  await c.models.startRetrain();
  const seen: (string | null)[] = [];
  ed.subscribe(() => {
    if (ed.state.retrain?.outcome.state === 'done' && seen.length === 0) seen.push(ed.state.selectedModel);
  });
  // Main has selected m2 when it says done; its answer to models:list is slow.
  opts.selected = 'm2';
  opts.listDelayMs = 40;
  listeners.get('retrain:done')!({ job: 'job-9', model: version('m2', 'm1', 0.4), selected: true, message: 'Version m2 is better' });
  await tick(120);
  assert.deepEqual(seen, ['m2'], 'when the outcome said done, the list already had m2 selected');
  assert.equal(ed.state.overlay.threshold, 0.4, "the overlay follows the new version's threshold");
  c.dispose();
});

test('files not imported: one message per reason, naming the files', () => {
  const hidden = 'hidden file (its name starts with "."): not a photograph to import';
  const names = ['.a', '.b', '.c', '.d', '.e', '.f', '.g'];
  assert.deepEqual(rejectionMessages([{ name: 'x.png', reason: 'file is empty' }, ...names.map((name) => ({ name, reason: hidden }))]), [
    'x.png: file is empty',
    `7 files not imported (${hidden}): .a, .b, .c, .d, .e and 2 more`,
  ]);
});
