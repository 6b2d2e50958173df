/**
 * Connects the Editor to the API: loads images (photo, label, prediction, FOV), runs predictions with
 * progress, autosaves labels (debounced), persists the view, imports files and reacts to main's events.
 * No React and no DOM of its own: decoding/encoding goes through an injected codec so tests can fake it.
 */
import type { Editor } from '../editor/Editor';
import type { ImageSummary, VesselApi, EventPayload } from '../../preload/contract';
import { BatchController } from './BatchController';
import { errorMessage } from './error-message';
import { MeasureController } from './MeasureController';
import { orderedImages } from '../editor/order';
import { ModelsController } from './ModelsController';

export interface Codec {
  decodePhoto(png: Uint8Array): Promise<{ bitmap: unknown; width: number; height: number }>;
  /** First channel of a PNG, one byte per pixel; with `threshold`, 0/1 by value >= threshold. */
  decodeChannel(png: Uint8Array, threshold?: number): Promise<{ data: Uint8Array; width: number; height: number }>;
  encodeMask(mask: Uint8Array, width: number, height: number): Promise<Uint8Array<ArrayBuffer>>;
  thumbnail?(png: Uint8Array): Promise<string>;
}

export interface ControllerOptions {
  saveDelayMs?: number;
  viewDelayMs?: number;
  /** Fetch thumbnails of all images in the background. */
  thumbnails?: boolean;
}

export interface ImportFile {
  name: string;
  path?: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** One message per reason, naming its files (a folder's many hidden files make one message, not a flood). */
export function rejectionMessages(rejected: { name: string; reason: string }[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const r of rejected) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r.name]);
  return [...byReason].map(([reason, names]) => {
    if (names.length === 1) return `${names[0]}: ${reason}`;
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
    return `${names.length} files not imported (${reason}): ${shown}`;
  });
}

export class Controller {
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private viewTimer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> | null = null;
  private loadSeq = 0;
  private unsubs: (() => void)[] = [];
  private predictingIds = new Set<string>();
  /** The label revision each loaded image's edits are based on (saves name it; main refuses stale ones). */
  private labelRevisions = new Map<string, number>();
  private thumbQueue: string[] = [];
  private thumbRunning = false;
  readonly saveDelayMs: number;
  readonly viewDelayMs: number;
  /** Versions, retraining and comparison. */
  readonly models: ModelsController;
  /** The open image's measurements, their settings and exports. */
  readonly measure: MeasureController;
  /** "Predict all". */
  readonly batch: BatchController;

  constructor(
    readonly editor: Editor,
    readonly api: VesselApi,
    readonly codec: Codec,
    private readonly opts: ControllerOptions = {},
  ) {
    this.saveDelayMs = opts.saveDelayMs ?? 500;
    this.viewDelayMs = opts.viewDelayMs ?? 800;
    this.models = new ModelsController(editor, api, codec, {
      runPrediction: async (id) => {
        await this.runPrediction(id);
      },
      flushSave: () => this.flushSave(),
      fail: (prefix, e) => this.fail(prefix, e),
    });
    this.measure = new MeasureController(editor, api, (prefix, e) => this.fail(prefix, e));
    this.batch = new BatchController(editor, { predict: (id) => this.runPrediction(id) });
    this.unsubs.push(editor.onLabelEdited(() => this.scheduleSave()));
    let lastView = editor.state.view;
    this.unsubs.push(
      editor.subscribe(() => {
        if (editor.state.view !== lastView) {
          lastView = editor.state.view;
          this.scheduleViewSave();
        }
      }),
    );
  }

  dispose(): void {
    this.models.dispose();
    this.measure.dispose();
    for (const u of this.unsubs) u();
    if (this.saveTimer) clearTimeout(this.saveTimer);
    if (this.viewTimer) clearTimeout(this.viewTimer);
  }

  fail(prefix: string, e: unknown): void {
    this.editor.toast(`${prefix}: ${errorMessage(e)}`, 'error');
  }

  // ---------------------------------------------------------------- start-up

  async init(): Promise<void> {
    const api = this.api;
    this.unsubs.push(
      api.on('compute:progress', (p) => this.onProgress(p)),
      api.on('compute:crashed', (p) => {
        this.editor.update({ computeAlive: false });
        this.editor.toast(`Compute process crashed: ${p.message}${p.willRestart ? ' — restarting' : ''}`, 'error');
      }),
      api.on('compute:ready', (s) => this.applyComputeStatus(s)),
      api.on('workspace:changed', () => void this.refreshImages()),
      api.on('images:labelSaved', (e) => this.onLabelSaved(e)),
      api.on('workspace:notice', (n) => this.editor.toast(n.message, n.kind)),
    );
    void this.refreshStatus();
    // Versions first: opening an image compares its prediction's version with the selected one.
    await this.models.init();
    let ws;
    try {
      ws = await api.call('workspace:get', {});
    } catch (e) {
      this.fail('Could not open the workspace', e);
      return;
    }
    for (const n of ws.notices) this.editor.toast(n.message, n.kind);
    this.editor.setImages(ws.images);
    this.editor.update({ workspacePath: ws.path });
    this.editor.update({ analysisDefaults: ws.analysis });
    this.queueThumbnails(ws.images.map((i) => i.id));
    const first = ws.images.find((i) => i.id === ws.view.imageId) ?? ws.images[0];
    if (first) {
      const persisted = first.id === ws.view.imageId ? { zoom: ws.view.zoom, x: ws.view.x, y: ws.view.y } : null;
      await this.open(first.id, persisted);
    }
  }

  async refreshStatus(): Promise<void> {
    try {
      this.applyComputeStatus(await this.api.call('compute:status', {}));
    } catch (e) {
      this.fail('Compute status', e);
    }
  }

  private applyComputeStatus(s: EventPayload<'compute:ready'>): void {
    this.editor.update({
      backend: s.backend ? { name: s.backend.name, device: s.backend.device, notes: s.backend.notes } : this.editor.state.backend,
      computeAlive: s.alive,
      modelId: s.model?.id ?? this.editor.state.modelId,
      modelName: s.model?.name ?? this.editor.state.modelName,
    });
    if (s.error) this.editor.toast(`Compute: ${s.error}`, 'error');
  }

  async refreshImages(): Promise<void> {
    try {
      const ws = await this.api.call('workspace:get', {});
      const known = new Set(this.editor.state.images.map((i) => i.id));
      this.editor.setImages(ws.images);
      this.queueThumbnails(ws.images.filter((i) => !known.has(i.id)).map((i) => i.id));
      if (!this.editor.state.currentId && ws.images[0]) await this.open(ws.images[0].id);
    } catch (e) {
      this.fail('Could not refresh the image list', e);
    }
  }

  private onProgress(p: EventPayload<'compute:progress'>): void {
    const cur = this.editor.state.predicting;
    if (!cur) return;
    if (p.imageId !== null && p.imageId !== cur.imageId) return;
    this.editor.update({ predicting: { imageId: cur.imageId, done: p.done, total: p.total, message: p.message } });
  }

  // ---------------------------------------------------------------- images

  get current(): ImageSummary | null {
    const s = this.editor.state;
    return s.images.find((i) => i.id === s.currentId) ?? null;
  }

  /** Open an image: save the current label first, load everything, predict if there is no prediction. */
  async open(id: string, persistedView: { zoom: number; x: number; y: number } | null = null): Promise<void> {
    const seq = ++this.loadSeq;
    const ed = this.editor;
    ed.finishInteraction();
    const flushed = this.flushSave();
    ed.update({ loading: true });
    try {
      await flushed;
      const [photoR, labelR, predR, fovR] = await Promise.all([
        this.api.call('images:photo', { id }),
        this.api.call('images:label', { id }),
        this.api.call('images:prediction', { id }),
        this.api.call('images:fov', { id }).catch(() => null),
      ]);
      const [photo, label, decided, pred, fov] = await Promise.all([
        this.codec.decodePhoto(photoR.png),
        labelR.label ? this.codec.decodeChannel(labelR.label.png, 128) : null,
        labelR.label ? this.codec.decodeChannel(labelR.label.decided, 128) : null,
        predR ? this.codec.decodeChannel(predR.png) : null,
        fovR ? this.codec.decodeChannel(fovR.png, 128) : null,
      ]);
      if (seq !== this.loadSeq) return; // another image was opened meanwhile
      const { width, height } = photo;
      const fits = (d: { width: number; height: number } | null) => d !== null && d.width === width && d.height === height;
      this.labelRevisions.set(id, labelR.revision);
      ed.loadImage(
        {
          id,
          width,
          height,
          photo: photo.bitmap,
          label: fits(label) ? label!.data : null,
          decided: fits(decided) ? decided!.data : null,
          reviewed: labelR.label?.reviewed ?? false,
          prediction: fits(pred) ? pred!.data : null,
          fov: fits(fov) ? fov!.data : null,
        },
        persistedView ? ed.viewFromPersisted(persistedView) : null,
      );
      ed.update({ loading: false, modelId: predR?.modelId ?? ed.state.modelId });
      this.scheduleViewSave();
      void this.measure.refresh();
      // No prediction yet, or one made by another version than the selected one: the overlay shows the selected version.
      const selected = ed.state.selectedModel;
      if (!pred || (selected !== null && predR?.modelId !== selected)) void this.runPrediction(id);
    } catch (e) {
      if (seq === this.loadSeq) {
        ed.update({ loading: false });
        this.fail('Could not open the image', e);
      }
    }
  }

  /** Move through the image list by `delta` (wraps at neither end). */
  async navigate(delta: number): Promise<void> {
    const s = this.editor.state;
    const images = orderedImages(s.images, s.imageOrder);
    if (images.length === 0) return;
    const i = images.findIndex((im) => im.id === s.currentId);
    const j = i < 0 ? 0 : Math.max(0, Math.min(images.length - 1, i + delta));
    if (j === i) return;
    await this.open(images[j].id);
  }

  async importFiles(files: ImportFile[]): Promise<void> {
    if (files.length === 0) return;
    const ed = this.editor;
    // Decoding a folder of photographs takes seconds: say so meanwhile.
    ed.update({ importing: files.length });
    try {
      const res = await this.api.call('images:import', { files });
      ed.update({ importing: null });
      for (const message of rejectionMessages(res.rejected)) ed.toast(message, 'error');
      if (res.imported.length > 0) {
        const byId = new Map(ed.state.images.map((i) => [i.id, i] as const));
        for (const im of res.imported) byId.set(im.id, im);
        ed.setImages([...byId.values()]);
        this.queueThumbnails(res.imported.map((i) => i.id));
        await this.open(res.imported[0].id);
      }
    } catch (e) {
      this.fail('Import failed', e);
    } finally {
      ed.update({ importing: null });
    }
  }

  /** Leaves an image out of retraining, or takes it back in. */
  async setExcluded(id: string, excluded: boolean): Promise<void> {
    const ed = this.editor;
    try {
      const summary = await this.api.call('images:setExcluded', { id, excluded });
      ed.setImages(ed.state.images.map((i) => (i.id === id ? summary : i)));
    } catch (e) {
      this.fail('Could not change the image', e);
    }
  }

  /** Moves an image to the workspace's trash; the message offers Undo (nothing is lost). */
  async deleteImage(id: string): Promise<void> {
    const ed = this.editor;
    const list = ed.state.images;
    const at = list.findIndex((i) => i.id === id);
    if (at < 0) return;
    await this.flushSave();
    let trashed: string;
    try {
      ({ trashed } = await this.api.call('images:delete', { id }));
    } catch (e) {
      this.fail('Could not delete the image', e);
      return;
    }
    const rest = ed.state.images.filter((i) => i.id !== id);
    ed.setImages(rest);
    ed.dropHistory(id);
    const name = list[at].name;
    ed.toast(`${name} moved to the workspace's trash.`, 'info', { label: 'Undo', run: () => void this.restoreImage(trashed) });
    if (ed.state.currentId === id) {
      const next = rest[Math.min(at, rest.length - 1)];
      if (next) await this.open(next.id);
      else ed.clearImage();
    }
  }

  /** Brings a deleted image back (the Undo of deleteImage) and opens it. */
  async restoreImage(trashed: string): Promise<void> {
    try {
      const summary = await this.api.call('images:restore', { trashed });
      const ed = this.editor;
      ed.setImages([...ed.state.images.filter((i) => i.id !== summary.id), summary]);
      this.queueThumbnails([summary.id]);
      await this.open(summary.id);
    } catch (e) {
      this.fail('Could not restore the image', e);
    }
  }

  /** Marks an image as reference (mixed into retraining against forgetting) or as a correction. */
  async setReference(id: string, reference: boolean): Promise<void> {
    const ed = this.editor;
    const set = (fn: (i: ImageSummary) => ImageSummary) => ed.setImages(ed.state.images.map((i) => (i.id === id ? fn(i) : i)));
    // Shown at once (a checkbox that waits for the answer looks broken); main's answer then wins.
    set((i) => ({ ...i, reference }));
    try {
      const summary = await this.api.call('images:setReference', { id, reference });
      set(() => summary);
    } catch (e) {
      set((i) => ({ ...i, reference: !reference }));
      this.fail('Could not change the image', e);
    }
  }

  /** Sets (null: clears) the FOV diameter of an image in pixels, then predicts it again at that scale. */
  async setFovDiameter(id: string, fovDiameter: number | null): Promise<void> {
    const ed = this.editor;
    try {
      const summary = await this.api.call('images:setFovDiameter', { id, fovDiameter });
      ed.setImages(ed.state.images.map((i) => (i.id === id ? summary : i)));
    } catch (e) {
      this.fail('Could not set the field of view', e);
      return;
    }
    await this.runPrediction(id);
  }

  // ---------------------------------------------------------------- prediction

  /** Predicts an image with the selected version; true when it worked. */
  async runPrediction(id: string | null = this.editor.state.currentId): Promise<boolean> {
    if (!id || this.predictingIds.has(id)) return false;
    const ed = this.editor;
    this.predictingIds.add(id);
    ed.update({ predicting: { imageId: id, done: 0, total: 1, message: 'Predicting…' } });
    try {
      const res = await this.api.call('predict:run', { id });
      const pred = await this.codec.decodeChannel(res.png);
      const im = ed.state.images.find((i) => i.id === id);
      ed.setImages(
        ed.state.images.map((i) =>
          i.id === id
            ? {
                ...i,
                scale: res.scale,
                uncertainty: res.uncertainty,
                hasPrediction: true,
                predictionModel: res.modelId,
                status: i.status === 'new' ? 'predicted' : i.status,
              }
            : i,
        ),
      );
      ed.update({ backend: { name: res.backend.name, device: res.backend.device, notes: res.backend.notes }, modelId: res.modelId });
      if (ed.state.currentId === id && pred.width === ed.width && pred.height === ed.height) ed.setPrediction(pred.data);
      // The first prediction of an image derives its field of view; show it without reopening the image.
      if (ed.state.currentId === id && ed.fov === null) await this.loadFov(id);
      // Without a label the measurements come from the prediction: measure the new one.
      if (ed.state.currentId === id && im && !im.hasLabel) void this.measure.refresh();
      return true;
    } catch (e) {
      this.fail('Prediction failed', e);
      return false;
    } finally {
      this.predictingIds.delete(id);
      if (ed.state.predicting?.imageId === id) ed.update({ predicting: null });
    }
  }

  private async loadFov(id: string): Promise<void> {
    const r = await this.api.call('images:fov', { id }).catch(() => null);
    if (!r) return;
    const fov = await this.codec.decodeChannel(r.png, 128);
    const ed = this.editor;
    if (ed.state.currentId === id && ed.fov === null && fov.width === ed.width && fov.height === ed.height) ed.setFov(fov.data);
  }

  // ---------------------------------------------------------------- saving

  scheduleSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      void this.save();
    }, this.saveDelayMs);
  }

  /**
   * Save the current label with its decided mask and review state now (snapshotted synchronously, so
   * switching images right after is safe). Without edits (all undone) the saved label is removed.
   */
  save(): Promise<void> {
    const ed = this.editor;
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    const id = ed.state.currentId;
    if (!id || !ed.hasImage) return Promise.resolve();
    const edited = ed.edited;
    const mask = edited ? ed.label.slice() : null;
    const decided = edited ? ed.decided.slice() : null;
    const reviewed = ed.reviewed;
    const { width, height } = ed;
    const revision = ed.labelRevision;
    const previous = this.saving ?? Promise.resolve();
    const run = previous.then(async () => {
      if (ed.state.currentId === id) ed.update({ save: 'saving' });
      try {
        const png = mask ? await this.codec.encodeMask(mask, width, height) : null;
        const decidedPng = decided ? await this.codec.encodeMask(decided, width, height) : null;
        // Read now, not when scheduled: the save before this one may have moved it on.
        const baseRevision = this.labelRevisions.get(id) ?? 0;
        const res = await this.api.call('images:saveLabel', { id, png, decided: decidedPng, reviewed, baseRevision });
        if (!res.saved) {
          if (ed.state.currentId === id) ed.update({ save: 'error' });
          ed.toast(res.message, 'error', { label: 'Reload', run: () => void this.reload(id) });
          return;
        }
        this.labelRevisions.set(id, res.revision);
        ed.setImages(ed.state.images.map((i) => (i.id === id ? res.image : i)));
        if (ed.state.currentId === id && ed.labelRevision === revision) {
          ed.update({ save: 'saved', savedAt: res.savedAt });
          // The label is what is measured now.
          void this.measure.refresh();
        } else if (ed.state.currentId === id) ed.update({ save: 'unsaved' });
      } catch (e) {
        if (ed.state.currentId === id) ed.update({ save: 'error' });
        this.fail('Saving the label failed', e);
      }
    });
    this.saving = run;
    void run.then(() => {
      if (this.saving === run) this.saving = null;
    });
    return run;
  }

  /**
   * Another window saved a label. An image this window shows is reloaded when it has no edits of its
   * own; with edits, the user is told they cannot be saved over it and offered a reload. While a save
   * of ours is on its way, its answer decides (the event may be our own save's).
   */
  private onLabelSaved(e: EventPayload<'images:labelSaved'>): void {
    const ed = this.editor;
    ed.setImages(ed.state.images.map((i) => (i.id === e.id ? e.image : i)));
    const known = this.labelRevisions.get(e.id);
    if (known === undefined || e.revision <= known || this.saving) return;
    const name = ed.state.images.find((i) => i.id === e.id)?.name ?? e.id;
    if (ed.state.currentId !== e.id) {
      // Its undo history belongs to the old label; opening it again loads the new one.
      this.labelRevisions.delete(e.id);
      ed.dropHistory(e.id);
      return;
    }
    // A stroke in progress counts as an edit: reloading under it would drop it.
    if (this.saveTimer || ed.state.save !== 'saved' || ed.state.interaction !== 'idle') {
      ed.toast(
        `The label of "${name}" was changed in another window; the strokes made here since cannot be saved over it. Reload to continue from that version.`,
        'error',
        {
          label: 'Reload',
          run: () => void this.reload(e.id),
        },
      );
      return;
    }
    ed.toast(`The label of "${name}" was changed in another window; showing that version.`, 'info');
    void this.reload(e.id);
  }

  /** Loads the stored label of `id` again, dropping edits not saved and the undo history that led to them. */
  async reload(id: string): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    const ed = this.editor;
    ed.dropHistory(id);
    await this.open(id, ed.state.currentId === id ? ed.persistedView() : null);
  }

  /** If a save is pending, do it now; resolves when every save has finished. */
  async flushSave(): Promise<void> {
    if (this.saveTimer) await this.save();
    else if (this.saving) await this.saving;
  }

  get hasPendingSave(): boolean {
    return this.saveTimer !== null || this.saving !== null;
  }

  // ---------------------------------------------------------------- view

  private scheduleViewSave(): void {
    if (this.viewTimer) clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(() => {
      this.viewTimer = null;
      const ed = this.editor;
      if (!ed.hasImage) return;
      const p = ed.persistedView();
      this.api
        .call('view:save', { imageId: ed.state.currentId, zoom: p.zoom, x: p.x, y: p.y })
        .catch((e) => this.fail('Saving the view failed', e));
    }, this.viewDelayMs);
  }

  // ---------------------------------------------------------------- thumbnails

  private queueThumbnails(ids: string[]): void {
    if (!this.opts.thumbnails || !this.codec.thumbnail) return;
    this.thumbQueue.push(...ids);
    if (!this.thumbRunning) void this.pumpThumbnails();
  }

  private async pumpThumbnails(): Promise<void> {
    this.thumbRunning = true;
    try {
      while (this.thumbQueue.length > 0) {
        const id = this.thumbQueue.shift()!;
        if (this.editor.state.thumbnails[id]) continue;
        // Let the current image load first.
        while (this.editor.state.loading || this.editor.state.interaction !== 'idle') await new Promise((r) => setTimeout(r, 200));
        try {
          const { png } = await this.api.call('images:photo', { id });
          const url = await this.codec.thumbnail!(png);
          this.editor.update({ thumbnails: { ...this.editor.state.thumbnails, [id]: url } });
        } catch {
          // A missing thumbnail is not worth a message; opening the image reports real problems.
        }
      }
    } finally {
      this.thumbRunning = false;
    }
  }
}
