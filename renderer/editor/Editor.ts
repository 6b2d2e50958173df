/**
 * The editor: document (image, prediction, label mask, decided mask, FOV), view, tools, overlay settings,
 * undo history and save state — a plain class with no React and no DOM, so that it can be driven by
 * scripted input in unit tests. React reads `state` (an immutable snapshot) through `subscribe`; the canvas
 * renderer listens to pixel changes through `onPixels` and redraws only the dirty rectangle.
 *
 * A label is the prediction plus a person's edits. Until the first edit it mirrors the prediction at the
 * overlay threshold (what the user sees) and nothing is saved; a stroke paints or erases the label and
 * marks its pixels decided; marking the image reviewed says the whole label is right. Undoing every edit
 * returns the image to its prediction.
 */
import { clamp, unionRect, type Point, type Rect } from './geometry';
import { History, applyPatch, capturePatch, copyRect, isNoop, type Masks, type Patch } from './history';
import { paintSegment } from './rasterize';
import type {
  CursorInfo,
  Disc,
  EditorState,
  ImageSummary,
  MeasureState,
  OverlaySettings,
  ReviewState,
  ToastAction,
  ToolId,
  View,
} from './types';
import { uncertainCells, type Cell } from './uncertainty';
import { BrushTool } from '../tools/BrushTool';
import { DiscTool } from '../tools/DiscTool';
import { EraserTool } from '../tools/EraserTool';
import { PanTool } from '../tools/PanTool';
import type { PointerInput, Tool } from '../tools/Tool';

export const MIN_BRUSH = 1;
export const MAX_BRUSH = 200;
export const MAX_ZOOM = 32;
/** Histories of images other than the open one are kept (per image, most recent first) but trimmed. */
const HISTORY_KEEP_IMAGES = 8;
export const BACKGROUND_HISTORY_BYTES = 32 * 1024 * 1024;

export type PixelLayer = 'label' | 'prediction' | 'fov' | 'photo';
export type PixelListener = (layer: PixelLayer, rect: Rect | null) => void;

export interface LoadedImage {
  id: string;
  width: number;
  height: number;
  /** Vessel probability 0..255 per pixel, or null when not predicted yet. */
  prediction: Uint8Array | null;
  /** The saved label, 0/1 per pixel; null when the image has no edits (the label then mirrors the prediction). */
  label: Uint8Array | null;
  /** Pixels of the saved label a person decided, 0/1; null with a label: all of them. */
  decided?: Uint8Array | null;
  /** A person said the whole saved label is right. */
  reviewed?: boolean;
  /** Field-of-view mask 0/1 per pixel, if known. */
  fov: Uint8Array | null;
  /** The decoded photograph (an ImageBitmap in the browser; opaque here). */
  photo?: unknown;
}

/** Screen-space input, as the canvas event hook produces it. */
export type EditorInput =
  | {
      type: 'pointer_down' | 'pointer_move' | 'pointer_up';
      x: number;
      y: number;
      button: number;
      alt: boolean;
      shift: boolean;
      ctrl: boolean;
    }
  | { type: 'pointer_leave' }
  | { type: 'wheel'; x: number; y: number; deltaY: number }
  | { type: 'key_down' | 'key_up'; key: string; code?: string; alt?: boolean; ctrl?: boolean; shift?: boolean; repeat?: boolean }
  | { type: 'blur' };

export const DEFAULT_OVERLAY: OverlaySettings = {
  opacity: 0.6,
  threshold: 0.5,
  mode: 'probability',
  diff: false,
  showPrediction: true,
  showLabel: true,
  showFov: true,
  showCentrelines: true,
  showZones: true,
};

export const NO_MEASUREMENTS: MeasureState = { report: null, busy: false, message: null, hover: null, draft: null };

export function initialState(): EditorState {
  return {
    images: [],
    imageOrder: 'imported',
    importing: null,
    currentId: null,
    imageSize: null,
    loading: false,
    hasPrediction: false,
    tool: 'brush',
    brushSize: 8,
    overlay: { ...DEFAULT_OVERLAY },
    review: 'none',
    view: { zoom: 1, x: 0, y: 0 },
    viewport: { width: 800, height: 600 },
    cursor: null,
    pointer: null,
    spaceHeld: false,
    altHeld: false,
    interaction: 'idle',
    save: 'saved',
    savedAt: null,
    canUndo: false,
    canRedo: false,
    backend: null,
    computeAlive: false,
    modelId: null,
    predicting: null,
    toasts: [],
    thumbnails: {},
    modelName: null,
    versions: [],
    workspacePath: null,
    selectedModel: null,
    retrain: null,
    retrainEstimate: null,
    compare: null,
    measure: NO_MEASUREMENTS,
    analysisDefaults: null,
    batch: null,
  };
}

export class Editor {
  state: EditorState = initialState();

  // Document (pixel buffers are not part of the React snapshot).
  width = 0;
  height = 0;
  label: Uint8Array = new Uint8Array(0);
  /** 0/1 per pixel: a person painted or erased it; the rest of the label is the prediction it started from. */
  decided: Uint8Array = new Uint8Array(0);
  /** A person said the whole label is right. */
  reviewed = false;
  private decidedCount = 0;
  prediction: Uint8Array | null = null;
  fov: Uint8Array | null = null;
  /** The decoded photograph (opaque to the editor; the canvas draws it). */
  photo: unknown = null;
  /** Bumped whenever the label changes (autosave compares it). */
  labelRevision = 0;

  private listeners = new Set<() => void>();
  private pixelListeners = new Set<PixelListener>();
  private labelEditListeners = new Set<() => void>();
  private discListeners = new Set<(disc: Disc) => void>();
  private histories = new Map<string, History>();
  private history = new History();

  // Stroke in progress.
  private strokeSnapshot: Masks = { label: new Uint8Array(0), decided: new Uint8Array(0) };
  /** Cells of the uncertainty map already jumped to on this image (the next jump skips them). */
  private visitedCells = new Set<string>();
  private strokeRect: Rect | null = null;
  private strokeValue: 0 | 1 = 1;
  private strokeLast: Point | null = null;
  private stroking = false;

  readonly tools: Record<ToolId, Tool>;
  private readonly panOverride: PanTool;
  /** The tool that received the current pointer-down (gets the rest of the gesture). */
  private active: Tool | null = null;
  private toastSeq = 0;

  constructor() {
    const panTarget = { getView: () => this.state.view, setView: (v: View) => this.setView(v) };
    this.tools = {
      brush: new BrushTool(this),
      eraser: new EraserTool(this),
      pan: new PanTool(panTarget),
      disc: new DiscTool({
        disc: () => this.state.measure.draft ?? this.state.measure.report?.disc ?? null,
        zoom: () => this.state.view.zoom,
        imageSize: () => ({ width: this.width, height: this.height }),
        setDraft: (draft) => this.setMeasure({ draft }),
        commit: (disc) => {
          for (const l of [...this.discListeners]) l(disc);
        },
      }),
    };
    this.panOverride = new PanTool(panTarget);
  }

  // ---------------------------------------------------------------- store

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getState = (): EditorState => this.state;

  update(patch: Partial<EditorState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }

  onPixels(listener: PixelListener): () => void {
    this.pixelListeners.add(listener);
    return () => this.pixelListeners.delete(listener);
  }

  /** Called after every committed label change (stroke, undo, redo, accept): the autosave hook. */
  onLabelEdited(listener: () => void): () => void {
    this.labelEditListeners.add(listener);
    return () => this.labelEditListeners.delete(listener);
  }

  /** Called when the user has placed the optic disc by hand (the disc tool's pointer-up). */
  onDiscEdited(listener: (disc: Disc) => void): () => void {
    this.discListeners.add(listener);
    return () => this.discListeners.delete(listener);
  }

  setMeasure(patch: Partial<MeasureState>): void {
    this.update({ measure: { ...this.state.measure, ...patch } });
  }

  private emitPixels(layer: PixelLayer, rect: Rect | null): void {
    for (const l of [...this.pixelListeners]) l(layer, rect);
  }

  private labelEdited(): void {
    this.labelRevision++;
    this.update({ save: 'unsaved', canUndo: this.history.canUndo, canRedo: this.history.canRedo, review: this.review });
    for (const l of [...this.labelEditListeners]) l();
  }

  /** none: no edits, the label mirrors the prediction; edited: some pixels decided; reviewed: all of it is right. */
  get review(): ReviewState {
    return this.reviewed ? 'reviewed' : this.decidedCount > 0 ? 'edited' : 'none';
  }

  /** The label holds a person's work (and is saved); otherwise it mirrors the prediction. */
  get edited(): boolean {
    return this.review !== 'none';
  }

  /** Without edits, the label is the prediction at the overlay threshold: what the first stroke starts from. */
  private mirrorPrediction(): void {
    if (this.edited || this.label.length === 0) return;
    const p = this.prediction;
    const t = thresholdByte(this.state.overlay.threshold);
    for (let i = 0; i < this.label.length; i++) this.label[i] = p && p[i] >= t ? 1 : 0;
    this.emitPixels('label', null);
  }

  // ---------------------------------------------------------------- toasts

  toast(message: string, kind: 'error' | 'info' = 'error', action?: ToastAction): number {
    // The same message twice (e.g. a prediction failing again) shows once.
    const same = this.state.toasts.find((t) => t.message === message && t.kind === kind);
    if (same) return same.id;
    const id = ++this.toastSeq;
    this.update({ toasts: [...this.state.toasts, { id, kind, message, ...(action ? { action } : {}) }].slice(-5) });
    return id;
  }

  dismissToast(id: number): void {
    this.update({ toasts: this.state.toasts.filter((t) => t.id !== id) });
  }

  // ---------------------------------------------------------------- images

  setImages(images: ImageSummary[]): void {
    this.update({ images });
  }

  /** Replace the document with a freshly loaded image. Keeps per-image undo history across switches. */
  loadImage(img: LoadedImage, view?: View | null): void {
    this.finishInteraction();
    const n = img.width * img.height;
    this.width = img.width;
    this.height = img.height;
    const saved = img.label && img.label.length === n ? img.label : null;
    this.label = saved ?? new Uint8Array(n);
    this.decided = saved ? (img.decided && img.decided.length === n ? img.decided : new Uint8Array(n).fill(1)) : new Uint8Array(n);
    this.decidedCount = saved ? countOnes(this.decided) : 0;
    this.reviewed = saved !== null && !!img.reviewed;
    this.prediction = img.prediction && img.prediction.length === n ? img.prediction : null;
    this.fov = img.fov && img.fov.length === n ? img.fov : null;
    this.photo = img.photo ?? null;
    this.strokeSnapshot = { label: new Uint8Array(0), decided: new Uint8Array(0) };
    this.visitedCells.clear();
    this.mirrorPrediction();
    if (this.state.currentId !== img.id) this.history.trim(BACKGROUND_HISTORY_BYTES);
    let h = this.histories.get(img.id);
    if (!h) {
      h = new History();
      this.histories.set(img.id, h);
      while (this.histories.size > HISTORY_KEEP_IMAGES) this.histories.delete(this.histories.keys().next().value!);
    } else {
      // Refresh recency.
      this.histories.delete(img.id);
      this.histories.set(img.id, h);
    }
    // History from an earlier visit is only valid if the label on disk is what we left.
    this.history = h;
    this.labelRevision++;
    this.update({
      currentId: img.id,
      imageSize: { width: img.width, height: img.height },
      hasPrediction: this.prediction !== null,
      canUndo: h.canUndo,
      canRedo: h.canRedo,
      save: 'saved',
      cursor: null,
      review: this.review,
      // Another image's measurements must not be drawn over this one.
      measure: this.state.currentId === img.id ? this.state.measure : NO_MEASUREMENTS,
    });
    if (view) this.setView(view);
    else this.fit();
    this.emitPixels('photo', null);
    this.emitPixels('prediction', null);
    this.emitPixels('fov', null);
    this.emitPixels('label', null);
  }

  /** No image open (the last one was deleted). */
  clearImage(): void {
    this.finishInteraction();
    this.width = 0;
    this.height = 0;
    this.label = new Uint8Array(0);
    this.decided = new Uint8Array(0);
    this.decidedCount = 0;
    this.reviewed = false;
    this.prediction = null;
    this.fov = null;
    this.photo = null;
    this.update({
      currentId: null,
      imageSize: null,
      hasPrediction: false,
      canUndo: false,
      canRedo: false,
      save: 'saved',
      cursor: null,
      review: 'none',
    });
    for (const layer of ['photo', 'prediction', 'fov', 'label'] as const) this.emitPixels(layer, null);
  }

  /** Discard the history of an image whose label changed outside the editor. */
  dropHistory(id: string): void {
    this.histories.delete(id);
    if (id === this.state.currentId) {
      this.history = new History();
      this.histories.set(id, this.history);
      this.update({ canUndo: false, canRedo: false });
    }
  }

  /** The field of view (0/1 per pixel), e.g. once the first prediction has derived it. */
  setFov(fov: Uint8Array): void {
    if (fov.length !== this.width * this.height) throw new Error('FOV size does not match the image');
    this.fov = fov;
    this.emitPixels('fov', null);
  }

  setPrediction(prob: Uint8Array | null): void {
    if (prob && prob.length !== this.width * this.height) throw new Error('prediction size does not match the image');
    this.prediction = prob;
    this.update({ hasPrediction: prob !== null });
    this.visitedCells.clear();
    this.mirrorPrediction();
    this.emitPixels('prediction', null);
    if (this.state.cursor) this.updateCursor(this.state.pointer);
  }

  // ---------------------------------------------------------------- view

  get hasImage(): boolean {
    return this.state.currentId !== null && this.width > 0;
  }

  setViewport(width: number, height: number): void {
    const vp = this.state.viewport;
    if (vp.width === width && vp.height === height) return;
    // Keep the image point at the centre of the viewport fixed.
    const v = this.state.view;
    const cx = (vp.width / 2 - v.x) / v.zoom;
    const cy = (vp.height / 2 - v.y) / v.zoom;
    this.update({ viewport: { width, height } });
    if (this.hasImage) this.setView({ zoom: v.zoom, x: width / 2 - cx * v.zoom, y: height / 2 - cy * v.zoom });
  }

  screenToImage(p: Point): Point {
    const v = this.state.view;
    return { x: (p.x - v.x) / v.zoom, y: (p.y - v.y) / v.zoom };
  }

  imageToScreen(p: Point): Point {
    const v = this.state.view;
    return { x: p.x * v.zoom + v.x, y: p.y * v.zoom + v.y };
  }

  fitZoom(): number {
    if (!this.hasImage) return 1;
    const { width, height } = this.state.viewport;
    return Math.max(1e-3, Math.min(width / this.width, height / this.height) * 0.96);
  }

  minZoom(): number {
    return Math.min(this.fitZoom() / 4, 1);
  }

  setView(v: View): void {
    const zoom = clamp(v.zoom, this.minZoom(), MAX_ZOOM);
    const next = { zoom, x: v.x, y: v.y };
    const cur = this.state.view;
    if (cur.zoom === next.zoom && cur.x === next.x && cur.y === next.y) return;
    this.update({ view: next });
    if (this.state.pointer) this.updateCursor(this.state.pointer);
  }

  /** Zoom by `factor`, keeping the image point under screen point `at` fixed. */
  zoomAt(at: Point, factor: number): void {
    const v = this.state.view;
    const zoom = clamp(v.zoom * factor, this.minZoom(), MAX_ZOOM);
    const ix = (at.x - v.x) / v.zoom;
    const iy = (at.y - v.y) / v.zoom;
    this.setView({ zoom, x: at.x - ix * zoom, y: at.y - iy * zoom });
  }

  zoomBy(factor: number): void {
    const vp = this.state.viewport;
    this.zoomAt({ x: vp.width / 2, y: vp.height / 2 }, factor);
  }

  /** Fit the whole image in the viewport, centred. */
  fit(): void {
    if (!this.hasImage) return;
    const zoom = this.fitZoom();
    const vp = this.state.viewport;
    this.setView({ zoom, x: (vp.width - this.width * zoom) / 2, y: (vp.height - this.height * zoom) / 2 });
  }

  /** The view as persisted: zoom plus the image point at the viewport centre (window-size independent). */
  persistedView(): { zoom: number; x: number; y: number } {
    const v = this.state.view;
    const vp = this.state.viewport;
    return { zoom: v.zoom, x: (vp.width / 2 - v.x) / v.zoom, y: (vp.height / 2 - v.y) / v.zoom };
  }

  /** Inverse of persistedView. */
  viewFromPersisted(p: { zoom: number; x: number; y: number }): View {
    const vp = this.state.viewport;
    return { zoom: p.zoom, x: vp.width / 2 - p.x * p.zoom, y: vp.height / 2 - p.y * p.zoom };
  }

  // ---------------------------------------------------------------- settings

  setTool(tool: ToolId): void {
    if (this.state.tool === tool) return;
    this.finishInteraction();
    this.update({ tool });
  }

  setBrushSize(size: number): void {
    this.update({ brushSize: clamp(Math.round(size), MIN_BRUSH, MAX_BRUSH) });
  }

  growBrush(): void {
    const s = this.state.brushSize;
    this.setBrushSize(s < 10 ? s + 1 : Math.ceil(s * 1.25));
  }

  shrinkBrush(): void {
    const s = this.state.brushSize;
    this.setBrushSize(s <= 10 ? s - 1 : Math.floor(s / 1.25));
  }

  setOverlay(patch: Partial<OverlaySettings>): void {
    const o = { ...this.state.overlay, ...patch };
    o.opacity = clamp(o.opacity, 0, 1);
    o.threshold = clamp(o.threshold, 0, 1);
    const moved = o.threshold !== this.state.overlay.threshold;
    this.update({ overlay: o });
    if (moved) this.mirrorPrediction();
  }

  // ---------------------------------------------------------------- strokes (StrokeTarget)

  beginStroke(value: 0 | 1): boolean {
    if (!this.hasImage || this.stroking) return false;
    const snap = this.strokeSnapshot;
    if (snap.label.length !== this.label.length)
      this.strokeSnapshot = { label: new Uint8Array(this.label.length), decided: new Uint8Array(this.label.length) };
    this.strokeSnapshot.label.set(this.label);
    this.strokeSnapshot.decided.set(this.decided);
    this.strokeRect = null;
    this.strokeValue = value;
    this.strokeLast = null;
    this.stroking = true;
    return true;
  }

  strokeTo(p: Point): void {
    if (!this.stroking) return;
    const a = this.strokeLast ?? p;
    const size = this.state.brushSize;
    const r = paintSegment(this.label, this.width, this.height, a.x, a.y, p.x, p.y, size, this.strokeValue);
    // Painted or erased, every pixel under the brush is now a person's decision.
    paintSegment(this.decided, this.width, this.height, a.x, a.y, p.x, p.y, size, 1);
    this.strokeLast = { x: p.x, y: p.y };
    if (r) {
      this.strokeRect = unionRect(this.strokeRect, r);
      this.emitPixels('label', r);
    }
  }

  commitStroke(): void {
    if (!this.stroking) return;
    this.stroking = false;
    const rect = this.strokeRect;
    this.strokeRect = null;
    if (!rect) return;
    this.record(capturePatch(this.strokeSnapshot, this, this.width, rect));
  }

  cancelStroke(): void {
    if (!this.stroking) return;
    this.stroking = false;
    const rect = this.strokeRect;
    this.strokeRect = null;
    if (!rect) return;
    copyRect(this.label, this.strokeSnapshot.label, this.width, rect);
    copyRect(this.decided, this.strokeSnapshot.decided, this.width, rect);
    this.emitPixels('label', rect);
  }

  /** Records a committed action (its pixels are already in place) as one undo entry. */
  private record(patch: Patch): boolean {
    if (isNoop(patch)) return false;
    this.history.push(patch);
    this.decidedCount += countOnes(patch.decidedAfter) - countOnes(patch.decidedBefore);
    this.labelEdited();
    return true;
  }

  /**
   * "Accept prediction": the pixels no person decided become the prediction at the threshold (e.g. a
   * newer model's); decided ones stay. A reviewed label is never rewritten; without edits the label
   * already is the prediction.
   */
  acceptPrediction(): boolean {
    const p = this.prediction;
    if (!p || !this.hasImage || this.reviewed || !this.edited) return false;
    this.finishInteraction();
    const t = thresholdByte(this.state.overlay.threshold);
    const before = { label: this.label.slice(), decided: this.decided };
    for (let i = 0; i < p.length; i++) if (!this.decided[i]) this.label[i] = p[i] >= t ? 1 : 0;
    const changed = this.record(capturePatch(before, this, this.width, { x: 0, y: 0, w: this.width, h: this.height }));
    if (changed) this.emitPixels('label', null);
    return changed;
  }

  /** Marks the whole label right (reviewed) or not, as one undoable action. */
  setReviewed(reviewed: boolean): boolean {
    if (!this.hasImage || this.reviewed === reviewed) return false;
    this.finishInteraction();
    const none = new Uint8Array(0);
    const patch: Patch = {
      x: 0,
      y: 0,
      w: 0,
      h: 0,
      before: none,
      after: none,
      decidedBefore: none,
      decidedAfter: none,
      reviewed: [this.reviewed, reviewed],
    };
    this.reviewed = reviewed;
    this.record(patch);
    this.emitPixels('label', null);
    return true;
  }

  undo(): boolean {
    this.finishInteraction();
    const p = this.history.undo();
    if (!p) return false;
    this.applySide(p, 'before');
    return true;
  }

  redo(): boolean {
    this.finishInteraction();
    const p = this.history.redo();
    if (!p) return false;
    this.applySide(p, 'after');
    return true;
  }

  private applySide(p: Patch, side: 'before' | 'after'): void {
    const [from, to] = side === 'after' ? [p.decidedBefore, p.decidedAfter] : [p.decidedAfter, p.decidedBefore];
    applyPatch(this, this.width, p, side);
    this.decidedCount += countOnes(to) - countOnes(from);
    if (p.reviewed) this.reviewed = p.reviewed[side === 'after' ? 1 : 0];
    this.emitPixels('label', p.reviewed ? null : p);
    // Back to no edits: the label is the prediction again (as the threshold now shows it).
    this.mirrorPrediction();
    this.labelEdited();
  }

  /**
   * Moves the view to the most uncertain part of the image (prediction near the threshold, pixels no
   * person decided) not jumped to yet; returns false when there is none left.
   */
  nextUncertain(): boolean {
    if (!this.hasImage || !this.prediction) return false;
    const cells = uncertainCells(this.prediction, this.fov, this.decided, this.width, this.height, this.state.overlay.threshold);
    let next: Cell | undefined = cells.find((c) => !this.visitedCells.has(`${c.x},${c.y}`));
    if (!next && cells.length > 0) {
      // Every one seen: start the round again.
      this.visitedCells.clear();
      next = cells[0];
    }
    if (!next) return false;
    this.visitedCells.add(`${next.x},${next.y}`);
    const vp = this.state.viewport;
    // Close enough to paint in (the cell about 240 screen pixels wide), with its surroundings in view.
    const zoom = clamp(240 / next.size, this.fitZoom(), MAX_ZOOM);
    const cx = next.x + next.size / 2;
    const cy = next.y + next.size / 2;
    this.setView({ zoom, x: vp.width / 2 - cx * zoom, y: vp.height / 2 - cy * zoom });
    return true;
  }

  get historyBytes(): number {
    return this.history.bytes;
  }

  // ---------------------------------------------------------------- input

  /** The tool a pointer-down would use now (space → pan). */
  get effectiveTool(): ToolId {
    if (this.state.spaceHeld) return 'pan';
    if (this.state.tool === 'brush' && this.state.altHeld) return 'eraser';
    return this.state.tool;
  }

  private pointerInput(e: { x: number; y: number; button: number; alt: boolean; shift: boolean; ctrl: boolean }): PointerInput {
    const screen = { x: e.x, y: e.y };
    return { screen, image: this.screenToImage(screen), button: e.button, alt: e.alt, shift: e.shift, ctrl: e.ctrl };
  }

  private syncInteraction(): void {
    const phase = this.active ? this.active.phase : 'idle';
    if (phase === 'idle') this.active = null;
    if (this.state.interaction !== phase) this.update({ interaction: phase });
  }

  private updateCursor(pointer: Point | null): void {
    if (!pointer || !this.hasImage) {
      if (this.state.cursor || this.state.pointer !== pointer) this.update({ cursor: null, pointer });
      return;
    }
    const ip = this.screenToImage(pointer);
    const x = Math.floor(ip.x);
    const y = Math.floor(ip.y);
    const inside = x >= 0 && y >= 0 && x < this.width && y < this.height;
    const i = y * this.width + x;
    const cursor: CursorInfo = {
      x,
      y,
      inside,
      probability: inside && this.prediction ? this.prediction[i] / 255 : null,
      label: inside ? this.label[i] : null,
      decided: inside ? this.reviewed || this.decided[i] === 1 : null,
    };
    const c = this.state.cursor;
    const same =
      c &&
      c.x === cursor.x &&
      c.y === cursor.y &&
      c.probability === cursor.probability &&
      c.label === cursor.label &&
      c.decided === cursor.decided;
    this.update({ pointer, cursor: same ? c : cursor });
  }

  /** Completes (keeps) any interaction in progress. */
  finishInteraction(): void {
    if (this.active) {
      this.active.complete();
      this.active = null;
      this.syncInteraction();
    }
  }

  /** Cancels (rolls back) any interaction in progress. Returns true if there was one. */
  cancelInteraction(): boolean {
    if (!this.active) return false;
    this.active.cancel();
    this.active = null;
    this.syncInteraction();
    return true;
  }

  /**
   * Feed one input event. Returns true when the editor consumed it (the caller then prevents the default
   * browser behaviour and does not look for a shortcut).
   */
  dispatch(e: EditorInput): boolean {
    switch (e.type) {
      case 'pointer_down': {
        if (!this.hasImage) return false;
        if (this.active) return true; // a second button during a gesture
        const pi = this.pointerInput(e);
        let tool: Tool | null = null;
        if (e.button === 1 || (e.button === 0 && this.state.spaceHeld)) tool = this.panOverride;
        else if (e.button === 0) tool = this.tools[this.state.tool];
        if (!tool) return false;
        this.active = tool;
        tool.pointerDown(pi);
        this.updateCursor(pi.screen);
        this.syncInteraction();
        return true;
      }
      case 'pointer_move': {
        const pi = this.pointerInput(e);
        if (this.state.altHeld !== e.alt && !this.active) this.update({ altHeld: e.alt });
        if (this.active) this.active.pointerMove(pi);
        this.updateCursor(pi.screen);
        this.syncInteraction();
        return true;
      }
      case 'pointer_up': {
        if (!this.active) return false;
        const pi = this.pointerInput(e);
        this.active.pointerUp(pi);
        this.active = null;
        this.updateCursor(pi.screen);
        this.syncInteraction();
        return true;
      }
      case 'pointer_leave':
        if (!this.active) this.updateCursor(null);
        return true;
      case 'wheel': {
        if (!this.hasImage) return false;
        this.zoomAt({ x: e.x, y: e.y }, Math.exp(-clamp(e.deltaY, -300, 300) * 0.002));
        return true;
      }
      case 'key_down': {
        if (e.key === 'Escape') return this.cancelInteraction();
        if (e.key === ' ') {
          if (!this.state.spaceHeld) this.update({ spaceHeld: true });
          return true;
        }
        if (e.key === 'Alt') {
          if (!this.state.altHeld) this.update({ altHeld: true });
          return true;
        }
        return false;
      }
      case 'key_up': {
        if (e.key === ' ') {
          this.update({ spaceHeld: false });
          return true;
        }
        if (e.key === 'Alt') {
          this.update({ altHeld: false });
          return true;
        }
        return false;
      }
      case 'blur':
        this.finishInteraction();
        if (this.state.spaceHeld || this.state.altHeld) this.update({ spaceHeld: false, altHeld: false });
        return true;
    }
  }
}

function countOnes(m: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < m.length; i++) n += m[i];
  return n;
}

export function thresholdByte(threshold: number): number {
  // A pixel is vessel when p/255 >= threshold; threshold 0 => everything, 1 => only 255.
  return Math.max(0, Math.ceil(clamp(threshold, 0, 1) * 255 - 1e-9));
}
