/**
 * A workspace folder, the only place the app keeps user data:
 *   images/<id>.png       the photograph as imported, converted to 8-bit RGB PNG (the user's file is never touched)
 *   labels/<id>.png       8-bit grey, >= 128 vessel; 0/255 where a person decided, 64/192 elsewhere (label-levels.ts)
 *   predictions/<id>.png  8-bit grey, probability * 255
 *   masks/<id>.png        field of view, 255 inside (imported with DRIVE, or derived during prediction)
 *   models/<id>/          fine-tuned models
 *   trash/                deleted images with their files, labels that could not be used
 *   workspace.json        names, dates, view, selected model (and workspace.last-good.json, its copy)
 * Every write is atomic (atomic.ts) and mutations run one at a time, so the files on disk are always
 * consistent; on open the folder's files win over workspace.json where they disagree (a crash between
 * writing a file and the JSON loses nothing). Whatever opening repairs or recovers, and any damaged
 * file found later, is told to the user as a notice; a damaged file is always kept.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import type { Mask } from '../engine/types';
import {
  ID_PATTERN,
  type AnalysisDefaults,
  type ImageAnalysisSettings,
  type ImageSummary,
  type Notice,
  type Response,
  type ScaleInfo,
  type ViewState,
} from '../../preload/contract';
import { encodeMaskPng, encodeRgbPng, readImage, readMask } from '../engine/data/image-io';
import { encodeDecidedLabel, readDecidedLabel } from '../engine/data/label-levels';
import { atomicWrite, removeStaleTemps } from '../common/atomic-fs';
import { UserError } from './errors';
import { planImport, type IncomingFile } from './import-plan';
import { removeStaleModelTemps } from './models';
import { ImageRecord, type WorkspaceFile } from './store';
import { fileTime, loadWorkspaceFile, writeWorkspaceFile } from './workspace-file';

const DIRS = ['images', 'labels', 'predictions', 'masks', 'models', 'trash'] as const;
const FILE_KINDS = ['images', 'labels', 'predictions', 'masks'] as const;
type FileKind = (typeof FILE_KINDS)[number];

export interface ImportResult {
  imported: ImageSummary[];
  rejected: { name: string; reason: string }[];
}

/** A photograph decoded and re-encoded, waiting for its id. */
interface PreparedImage {
  name: string;
  sha256: string;
  width: number;
  height: number;
  photoPng: Uint8Array;
  labelPng: Uint8Array | null;
  fovPng: Uint8Array | null;
}

function now(): string {
  return new Date().toISOString();
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** engine messages start with the name it was given ("image: ..."); we say which file ourselves. */
function reasonOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/^(image|mask): /, '');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The name an image had in a data set ("21_training.tif" → "21_training"), as model meta lists them. */
export function sampleName(r: { name: string }): string {
  const dot = r.name.lastIndexOf('.');
  return dot > 0 ? r.name.slice(0, dot) : r.name;
}

/** `originalSet`: sample names the selected model was originally trained on (reference unless the user said otherwise). */
/** A label saved before review states existed is Reviewed when it was imported (a complete manual label). */
export function isReviewed(label: NonNullable<ImageRecord['label']>): boolean {
  return label.reviewed ?? label.source === 'imported';
}

export function summarize(r: ImageRecord, originalSet: ReadonlySet<string> = new Set()): ImageSummary {
  const reviewed = r.label !== null && isReviewed(r.label);
  return {
    id: r.id,
    name: r.name,
    width: r.width,
    height: r.height,
    status: r.label ? (reviewed ? 'reviewed' : 'edited') : r.prediction ? 'predicted' : 'new',
    excluded: r.excluded,
    decided: r.label ? (reviewed ? 1 : (r.label.decided ?? 1)) : null,
    uncertainty: r.prediction?.uncertainty ?? null,
    hasLabel: r.label !== null,
    hasPrediction: r.prediction !== null,
    hasFov: r.fov !== null,
    predictionModel: r.prediction && r.prediction.modelId !== 'unknown' ? r.prediction.modelId : null,
    reference: r.reference ?? (originalSet.has(sampleName(r)) || originalSet.has(r.id)),
    scale: r.prediction?.scale ?? null,
    fovDiameter: r.fovDiameter,
  };
}

export type LabelResult = Response<'images:label'>;
/** A save's outcome; a saved one carries the image's record (main turns it into the answer's summary). */
export type SaveLabelResult =
  { saved: true; savedAt: string; revision: number; record: ImageRecord } | Extract<Response<'images:saveLabel'>, { saved: false }>;

export class Workspace {
  private queue: Promise<unknown> = Promise.resolve();
  private noticeListeners = new Set<(n: Notice) => void>();

  private constructor(
    readonly dir: string,
    private data: WorkspaceFile,
    /** What opening recovered or repaired, for every page that connects. */
    readonly openNotices: readonly Notice[],
  ) {}

  /** Opens (creating if needed) the workspace in `dir`, repairing what a crash may have left. */
  static async open(dir: string): Promise<Workspace> {
    for (const d of DIRS) await mkdir(join(dir, d), { recursive: true });
    await removeStaleTemps(dir);
    for (const d of DIRS) await removeStaleTemps(join(dir, d));
    const notices: Notice[] = [];
    const unfinished = await removeStaleModelTemps(join(dir, 'models'));
    if (unfinished.length > 0) {
      notices.push({
        kind: 'info',
        message: `Removed ${unfinished.length} unfinished model save(s) left by a process that stopped: ${unfinished.join(', ')}`,
      });
    }
    const loaded = await loadWorkspaceFile(dir);
    notices.push(...loaded.notices);
    const ws = new Workspace(dir, loaded.data, notices);
    const repaired = await ws.reconcile();
    notices.push(...repaired.notices);
    if (repaired.changed || loaded.dirty) await ws.writeJson();
    return ws;
  }

  /** Notices found while working (a damaged label set aside, ...); returns the unsubscriber. */
  onNotice(listener: (n: Notice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  private notify(n: Notice): void {
    for (const l of this.noticeListeners) l(n);
  }

  images(originalSet?: ReadonlySet<string>): ImageSummary[] {
    return this.data.images.map((r) => summarize(r, originalSet));
  }

  records(): readonly ImageRecord[] {
    return this.data.images;
  }

  get view(): ViewState {
    return this.data.view;
  }

  get selectedModel(): string | null {
    return this.data.selectedModel;
  }

  /** Measurement settings for images without their own. */
  get analysis(): AnalysisDefaults {
    return this.data.analysis;
  }

  record(id: string): ImageRecord {
    const r = this.data.images.find((i) => i.id === id);
    if (!r) throw new UserError(`No image "${id}" in this workspace`);
    return r;
  }

  path(kind: FileKind, id: string): string {
    return join(this.dir, kind, `${id}.png`);
  }

  /** Imports photographs (with DRIVE-style labels and FOV masks). Rejected files change nothing. */
  async importFiles(files: IncomingFile[], originalSet?: ReadonlySet<string>): Promise<ImportResult> {
    const plan = planImport(files);
    const rejected = [...plan.rejected];
    const prepared: PreparedImage[] = [];
    // Decoding is the slow part and touches no workspace state, so it runs outside the mutation queue.
    for (const p of plan.images) {
      const item = await prepare(p.file, p.label, p.fov, rejected);
      if (item) prepared.push(item);
    }
    return this.mutate(async () => {
      const imported: ImageSummary[] = [];
      for (const item of prepared) {
        const dup = this.data.images.find((r) => r.sha256 === item.sha256);
        if (dup) {
          rejected.push({ name: item.name, reason: `already in the workspace as "${dup.id}"` });
          continue;
        }
        const id = this.freshId(item.name);
        await atomicWrite(this.path('images', id), item.photoPng);
        if (item.labelPng) await atomicWrite(this.path('labels', id), item.labelPng);
        if (item.fovPng) await atomicWrite(this.path('masks', id), item.fovPng);
        const record: ImageRecord = {
          id,
          name: item.name,
          width: item.width,
          height: item.height,
          importedAt: now(),
          sha256: item.sha256,
          label: item.labelPng ? { savedAt: now(), source: 'imported', reviewed: true, decided: 1 } : null,
          labelRevision: item.labelPng ? 1 : 0,
          prediction: null,
          fov: item.fovPng ? 'imported' : null,
          reference: null,
          excluded: false,
          analysis: { angleOfViewDeg: null, disc: null },
          fovDiameter: null,
        };
        this.data.images.push(record);
        imported.push(summarize(record, originalSet));
      }
      if (imported.length > 0) await this.writeJson();
      return { imported, rejected };
    });
  }

  async photo(id: string): Promise<{ png: Uint8Array; width: number; height: number }> {
    const r = this.record(id);
    return { png: await this.read('images', id), width: r.width, height: r.height };
  }

  /**
   * The label and the pixels a person decided, as 0/255 PNGs (null when the image has no edits), and its
   * revision; a stored label that cannot be used is set aside first (see setAsideUnusableLabel).
   */
  async label(id: string): Promise<LabelResult> {
    const r = this.record(id);
    if (!r.label) return { label: null, revision: r.labelRevision };
    const png = await this.read('labels', id);
    if ((await labelProblem(png, r.width, r.height)) === null) return { label: await this.labelPngs(r, png), revision: r.labelRevision };
    return this.mutate(async () => {
      const current = this.record(id);
      if (await this.setAsideUnusableLabel(current)) {
        current.label = null;
        current.labelRevision++;
        await this.writeJson();
      }
      return current.label
        ? { label: await this.labelPngs(current, await this.read('labels', id)), revision: current.labelRevision }
        : { label: null, revision: current.labelRevision };
    });
  }

  private async labelPngs(r: ImageRecord, file: Uint8Array): Promise<NonNullable<LabelResult['label']>> {
    const { label, decided } = await readDecidedLabel(file);
    const all = { ...label, data: new Uint8Array(label.data.length).fill(1) };
    return {
      png: await encodeMaskPng(label),
      decided: await encodeMaskPng(decided ?? all),
      reviewed: isReviewed(r.label!),
      savedAt: r.label!.savedAt,
    };
  }

  /**
   * Stores a label drawn in the editor from revision `baseRevision` with the pixels a person decided, in
   * one file (first channel >= 128 is vessel / decided), and whether it is reviewed. Without a label (no
   * edits left, e.g. all undone) the label file goes and the image is Predicted again. Refused, with
   * nothing written, when the label has changed since that revision (another window saved it): the last
   * save never silently wins.
   */
  async saveLabel(
    id: string,
    png: Uint8Array | null,
    decidedPng: Uint8Array | null,
    reviewed: boolean,
    baseRevision: number,
  ): Promise<SaveLabelResult> {
    const r = this.record(id);
    const encoded = png ? await encodeEdits(png, decidedPng, r.width, r.height) : null;
    return this.mutate(async () => {
      const current = this.record(id);
      if (current.labelRevision !== baseRevision) {
        const when = current.label ? ` at ${current.label.savedAt}` : '';
        return {
          saved: false,
          revision: current.labelRevision,
          message: `Not saved: the label of "${current.name}" was changed in another window${when}. Reload the image to continue from that version (the strokes made here since cannot be saved over it).`,
        };
      }
      await this.setAsideUnusableLabel(current);
      if (encoded) {
        await atomicWrite(this.path('labels', id), encoded.png);
        current.label = { savedAt: now(), source: 'edited', reviewed, decided: encoded.decided };
      } else {
        await rm(this.path('labels', id), { force: true });
        current.label = null;
      }
      current.labelRevision++;
      await this.writeJson();
      return { saved: true, savedAt: current.label?.savedAt ?? now(), revision: current.labelRevision, record: current };
    });
  }

  /** Leaves an image out of retraining (true) or takes it back in. */
  async setExcluded(id: string, excluded: boolean): Promise<ImageRecord> {
    return this.mutate(async () => {
      const r = this.record(id);
      r.excluded = excluded;
      await this.writeJson();
      return r;
    });
  }

  async prediction(id: string): Promise<{ png: Uint8Array; modelId: string; createdAt: string } | null> {
    const r = this.record(id);
    if (!r.prediction) return null;
    return { png: await this.read('predictions', id), modelId: r.prediction.modelId, createdAt: r.prediction.createdAt };
  }

  async savePrediction(id: string, png: Uint8Array, modelId: string, ms: number, scale: ScaleInfo, uncertainty: number): Promise<void> {
    await this.mutate(async () => {
      const r = this.record(id);
      await atomicWrite(this.path('predictions', id), png);
      r.prediction = { modelId, createdAt: now(), ms, scale, uncertainty };
      await this.writeJson();
    });
  }

  /** The user's FOV diameter for an image (null: measure it). */
  async setFovDiameter(id: string, fovDiameter: number | null): Promise<ImageRecord> {
    return this.mutate(async () => {
      const r = this.record(id);
      r.fovDiameter = fovDiameter;
      await this.writeJson();
      return r;
    });
  }

  async fov(id: string): Promise<{ png: Uint8Array; source: 'imported' | 'derived' } | null> {
    const r = this.record(id);
    return r.fov ? { png: await this.read('masks', id), source: r.fov } : null;
  }

  /** Keeps a FOV mask the compute process derived from the photograph (an imported one is never replaced). */
  async saveDerivedFov(id: string, png: Uint8Array): Promise<void> {
    await this.mutate(async () => {
      const r = this.record(id);
      if (r.fov === 'imported') return;
      await atomicWrite(this.path('masks', id), png);
      r.fov = 'derived';
      await this.writeJson();
    });
  }

  /**
   * A stored label that cannot be edited (unreadable, truncated, or another size than its photograph,
   * e.g. put there by hand) is moved to trash/ before anything replaces it, and the user is told:
   * nothing is lost. Returns whether it moved one.
   */
  private async setAsideUnusableLabel(r: ImageRecord): Promise<boolean> {
    const path = this.path('labels', r.id);
    const bytes = await readFile(path).catch(() => null);
    if (!bytes) return false;
    const problem = await labelProblem(bytes, r.width, r.height);
    if (!problem) return false;
    const kept = `trash/${r.id}-label-${fileTime()}.png`;
    await mkdir(join(this.dir, 'trash'), { recursive: true });
    await rename(path, join(this.dir, kept));
    this.notify({
      kind: 'error',
      message: `The stored label of "${r.name}" ${problem}. It was moved to ${kept} (nothing is lost); the image continues with an empty label.`,
    });
    return true;
  }

  /** Moves the image and everything made from it to trash/<id>-<time>/; returns that folder's name, for `restore`. */
  async delete(id: string): Promise<string> {
    return this.mutate(async () => {
      const r = this.record(id);
      const trashed = `${id}-${fileTime()}`;
      const bin = join(this.dir, 'trash', trashed);
      await mkdir(bin, { recursive: true });
      // The record first: a crash part-way leaves a folder restore can read.
      await atomicWrite(join(bin, 'record.json'), JSON.stringify(r, null, 2));
      for (const kind of FILE_KINDS) {
        const from = this.path(kind, id);
        if (await exists(from)) await rename(from, join(bin, `${kind}.png`));
      }
      this.data.images = this.data.images.filter((i) => i.id !== id);
      if (this.data.view.imageId === id) this.data.view = { ...this.data.view, imageId: null };
      await this.writeJson();
      return trashed;
    });
  }

  /** Brings back an image `delete` moved to trash/`trashed` (undo): files, label, review state. */
  async restore(trashed: string): Promise<ImageRecord> {
    return this.mutate(async () => {
      const bin = join(this.dir, 'trash', trashed);
      let r: ImageRecord;
      try {
        r = ImageRecord.parse(JSON.parse(await readFile(join(bin, 'record.json'), 'utf8')));
      } catch {
        throw new UserError(`Nothing to restore in trash/${trashed}`);
      }
      if (this.data.images.some((i) => i.id === r.id))
        throw new UserError(`An image "${r.id}" is in the workspace again; restore trash/${trashed} by hand`);
      for (const kind of FILE_KINDS) {
        const from = join(bin, `${kind}.png`);
        if (await exists(from)) await rename(from, this.path(kind, r.id));
      }
      await rm(bin, { recursive: true, force: true });
      this.data.images.push(r);
      await this.writeJson();
      return r;
    });
  }

  /** Marks an image as reference (true), as a correction (false), or back to automatic (null). */
  async setReference(id: string, reference: boolean | null): Promise<ImageRecord> {
    return this.mutate(async () => {
      const r = this.record(id);
      r.reference = reference;
      await this.writeJson();
      return r;
    });
  }

  /** Sets an image's own angle of view and/or disc (null clears it; undefined leaves it). */
  async setImageAnalysis(id: string, patch: Partial<ImageAnalysisSettings>): Promise<ImageAnalysisSettings> {
    return this.mutate(async () => {
      const r = this.record(id);
      r.analysis = {
        angleOfViewDeg: patch.angleOfViewDeg === undefined ? r.analysis.angleOfViewDeg : patch.angleOfViewDeg,
        disc: patch.disc === undefined ? r.analysis.disc : patch.disc,
      };
      await this.writeJson();
      return r.analysis;
    });
  }

  async setAnalysisDefaults(defaults: AnalysisDefaults): Promise<AnalysisDefaults> {
    return this.mutate(async () => {
      this.data.analysis = defaults;
      await this.writeJson();
      return defaults;
    });
  }

  async setView(view: ViewState): Promise<void> {
    if (view.imageId !== null) this.record(view.imageId);
    await this.mutate(async () => {
      this.data.view = view;
      await this.writeJson();
    });
  }

  async selectModel(id: string): Promise<void> {
    await this.mutate(async () => {
      this.data.selectedModel = id;
      await this.writeJson();
    });
  }

  /** Writes every label to `dest` as <id>.png, 0/255 (decided or not); returns how many. */
  async exportLabels(dest: string): Promise<number> {
    await mkdir(dest, { recursive: true });
    let count = 0;
    for (const r of this.data.images) {
      if (!r.label) continue;
      const { label } = await readDecidedLabel(await this.read('labels', r.id));
      await atomicWrite(join(dest, `${r.id}.png`), await encodeMaskPng(label));
      count++;
    }
    return count;
  }

  private async read(kind: FileKind, id: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.path(kind, id)));
    } catch (e) {
      throw new Error(`Cannot read ${kind}/${id}.png (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  private freshId(name: string): string {
    const dot = name.lastIndexOf('.');
    const stem =
      (dot > 0 ? name.slice(0, dot) : name)
        .replace(/[^A-Za-z0-9._-]+/g, '_')
        .replace(/^[._]+/, '')
        .slice(0, 100) || 'image';
    const taken = new Set(this.data.images.map((i) => i.id));
    let id = stem;
    for (let n = 2; taken.has(id); n++) id = `${stem}-${n}`;
    return id;
  }

  private mutate<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    // The queue continues after a failure; the caller still sees the error.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private writeJson(): Promise<void> {
    return writeWorkspaceFile(this.dir, this.data);
  }

  /**
   * Makes workspace.json agree with the files; says whether anything changed, and tells what was lost
   * or found (a label or prediction the JSON had not recorded yet, after a crash, loses nothing and
   * needs no word).
   */
  private async reconcile(): Promise<{ changed: boolean; notices: Notice[] }> {
    let changed = false;
    const notices: Notice[] = [];
    const kept: ImageRecord[] = [];
    for (const r of this.data.images) {
      if (!(await exists(this.path('images', r.id)))) {
        changed = true; // its photograph is gone; labels/predictions stay on disk untouched
        notices.push({
          kind: 'error',
          message: `images/${r.id}.png is missing, so "${r.name}" was taken off the list (a label or prediction it had stays in labels/ or predictions/).`,
        });
        continue;
      }
      const label = await mtimeOf(this.path('labels', r.id));
      if (!label !== !r.label) {
        if (!label) notices.push({ kind: 'error', message: `labels/${r.id}.png is missing: "${r.name}" has no label now.` });
        r.label = label ? { savedAt: label, source: 'edited' } : null;
        r.labelRevision++;
        changed = true;
      }
      const pred = await mtimeOf(this.path('predictions', r.id));
      if (!pred !== !r.prediction) {
        r.prediction = pred ? { modelId: 'unknown', createdAt: pred, ms: 0, scale: null, uncertainty: null } : null;
        changed = true;
      }
      const fov = await exists(this.path('masks', r.id));
      if (fov !== (r.fov !== null)) {
        if (r.fov === 'imported')
          notices.push({
            kind: 'error',
            message: `masks/${r.id}.png, the field of view imported with "${r.name}", is missing; it will be derived from the photograph.`,
          });
        r.fov = fov ? 'derived' : null;
        changed = true;
      }
      kept.push(r);
    }
    // A photograph written by an import that crashed before workspace.json was updated (or every one, when it was rebuilt).
    const known = new Set(kept.map((r) => r.id));
    const found: string[] = [];
    for (const file of (await readdir(join(this.dir, 'images'))).sort()) {
      const id = file.replace(/\.png$/, '');
      if (!file.endsWith('.png') || known.has(id) || !ID_PATTERN.test(id)) continue;
      const bytes = await readFile(join(this.dir, 'images', file));
      const meta = await sharp(bytes)
        .metadata()
        .catch(() => null);
      if (!meta?.width || !meta.height) continue;
      const labelAt = await mtimeOf(this.path('labels', id));
      const predAt = await mtimeOf(this.path('predictions', id));
      kept.push({
        id,
        name: file,
        width: meta.width,
        height: meta.height,
        importedAt: now(),
        sha256: sha256(bytes),
        label: labelAt ? { savedAt: labelAt, source: 'edited' } : null,
        labelRevision: labelAt ? 1 : 0,
        prediction: predAt ? { modelId: 'unknown', createdAt: predAt, ms: 0, scale: null, uncertainty: null } : null,
        fov: (await exists(this.path('masks', id))) ? 'derived' : null,
        reference: null,
        excluded: false,
        analysis: { angleOfViewDeg: null, disc: null },
        fovDiameter: null,
      });
      found.push(file);
      changed = true;
    }
    if (found.length > 0) {
      notices.push({
        kind: 'info',
        message: `Added ${found.length} photograph(s) found in images/ that workspace.json did not list: ${found.slice(0, 10).join(', ')}${found.length > 10 ? ', …' : ''}`,
      });
    }
    this.data.images = kept;
    if (this.data.view.imageId !== null && !kept.some((r) => r.id === this.data.view.imageId)) {
      this.data.view = { ...this.data.view, imageId: null };
      changed = true;
    }
    return { changed, notices };
  }
}

async function mtimeOf(path: string): Promise<string | null> {
  try {
    return (await stat(path)).mtime.toISOString();
  } catch {
    return null;
  }
}

async function prepare(
  file: IncomingFile,
  label: IncomingFile | null,
  fov: IncomingFile | null,
  rejected: ImportResult['rejected'],
): Promise<PreparedImage | null> {
  let photoPng: Uint8Array;
  let width: number;
  let height: number;
  try {
    const img = await readImage(file.bytes);
    ({ width, height } = img);
    photoPng = await encodeRgbPng(img);
  } catch (e) {
    rejected.push({ name: file.name, reason: reasonOf(e) });
    if (label) rejected.push({ name: label.name, reason: `its photograph ${file.name} was not imported` });
    if (fov) rejected.push({ name: fov.name, reason: `its photograph ${file.name} was not imported` });
    return null;
  }
  const companion = async (f: IncomingFile | null, what: string): Promise<Uint8Array | null> => {
    if (!f) return null;
    try {
      return await encodeMaskPng(await readMask(f.bytes, { width, height }));
    } catch (e) {
      rejected.push({ name: f.name, reason: `${what} for ${file.name}: ${reasonOf(e)}` });
      return null;
    }
  };
  return {
    name: file.name,
    sha256: sha256(file.bytes),
    width,
    height,
    photoPng,
    labelPng: await companion(label, 'label'),
    fovPng: await companion(fov, 'FOV mask'),
  };
}

/** A label and its decided mask as sent by the editor, as one label file (and the share decided). */
async function encodeEdits(
  png: Uint8Array,
  decidedPng: Uint8Array | null,
  width: number,
  height: number,
): Promise<{ png: Uint8Array; decided: number }> {
  const label = await firstChannel(png, width, height, 'label');
  const decided = decidedPng ? await firstChannel(decidedPng, width, height, 'decided mask') : null;
  let n = 0;
  if (decided) for (const v of decided.data) n += v;
  return {
    png: await encodeDecidedLabel(label, decided),
    decided: decided ? n / decided.data.length : 1,
  };
}

/** First channel of a PNG of the image's size as a 0/1 mask (>= 128 is set). */
async function firstChannel(png: Uint8Array, width: number, height: number, what: string): Promise<Mask> {
  // The header first, so a wrong size gets its own message (and is never decoded).
  const meta = await sharp(png)
    .metadata()
    .catch(() => null);
  if (meta?.width && meta.height && (meta.width !== width || meta.height !== height)) {
    throw new UserError(`The ${what} is ${meta.width}x${meta.height} but the image is ${width}x${height}`);
  }
  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await sharp(png, { limitInputPixels: width * height, failOn: 'error' })
      .extractChannel(0)
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new UserError(`The ${what} is not a readable PNG of ${width}x${height} (${(e as Error).message})`);
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = raw.data[i] >= 128 ? 1 : 0;
  return { width, height, data };
}

/** Why a stored label cannot be edited (unreadable, truncated, wrong size), or null when it can. */
async function labelProblem(png: Uint8Array, width: number, height: number): Promise<string | null> {
  // The header first: a label of another size is never decoded (it may be huge).
  const meta = await sharp(png)
    .metadata()
    .catch(() => null);
  if (meta?.width && meta.height && (meta.width !== width || meta.height !== height))
    return `is ${meta.width}x${meta.height}, not ${width}x${height} like its photograph`;
  let info: OutputInfo;
  try {
    // Decoded whole (not just the header): a truncated file has a valid header.
    ({ info } = await sharp(png, { failOn: 'truncated' }).raw().toBuffer({ resolveWithObject: true }));
  } catch (e) {
    return `cannot be read (${(e as Error).message})`;
  }
  return info.width === width && info.height === height
    ? null
    : `is ${info.width}x${info.height}, not ${width}x${height} like its photograph`;
}
