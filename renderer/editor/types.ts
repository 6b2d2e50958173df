import type { AnalysisDefaults, Disc, ImageSummary, MeasurementReport, ModelVersion, RetrainState } from '../../preload/contract';
import type { Point } from './geometry';

export type ToolId = 'brush' | 'eraser' | 'pan' | 'disc';
export type SaveState = 'saved' | 'saving' | 'unsaved' | 'error';
/** probability: cyan by probability above the threshold; binary: opaque above it; uncertainty: where the prediction is near it. */
export type OverlayMode = 'probability' | 'binary' | 'uncertainty';
/** The open image's label: none (mirrors the prediction, nothing saved), edited (some pixels decided), reviewed (all of it right). */
export type ReviewState = 'none' | 'edited' | 'reviewed';
export type ImageOrder = 'imported' | 'uncertainty';

/** screen = image * zoom + (x, y), in CSS pixels relative to the canvas container. */
export interface View {
  zoom: number;
  x: number;
  y: number;
}

export interface OverlaySettings {
  /** Prediction overlay opacity 0..1. */
  opacity: number;
  /** Probability threshold 0..1 (prediction pixels below it are not shown / not vessel). */
  threshold: number;
  mode: OverlayMode;
  /** Diff view: false positives (predicted, not in label) red, false negatives (label, not predicted) blue. */
  diff: boolean;
  showPrediction: boolean;
  showLabel: boolean;
  showFov: boolean;
  /** Measured centrelines and branch points. */
  showCentrelines: boolean;
  /** The optic disc and the edges of zones B and C. */
  showZones: boolean;
}

/** "Predict all": the images in the run and how each went. */
export interface BatchState {
  ids: string[];
  status: Record<string, 'queued' | 'running' | 'done' | 'failed'>;
  done: number;
  failed: number;
  cancelled: boolean;
}

/** The open image's measurements (main/analysis via measure:run), and what the panel says meanwhile. */
export interface MeasureState {
  report: MeasurementReport | null;
  busy: boolean;
  /** Why there is no report (no vessel map yet, an error). */
  message: string | null;
  /** The segment under the pointer (id), for the tooltip and highlight. */
  hover: number | null;
  /** The disc while it is being dragged, until the new measurements arrive. */
  draft: Disc | null;
}

export interface CursorInfo {
  /** Integer pixel under the pointer (may be outside the image). */
  x: number;
  y: number;
  inside: boolean;
  /** Vessel probability 0..1 under the pointer, when a prediction is loaded. */
  probability: number | null;
  /** Label value under the pointer. */
  label: number | null;
  /** A person decided that pixel (painted, erased, or the label is reviewed). */
  decided: boolean | null;
}

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  /** A button that does what the message asks for (e.g. reload an image). */
  action?: ToastAction;
}

export interface ToastAction {
  label: string;
  run(): void;
}

export interface PredictionProgress {
  imageId: string;
  done: number;
  total: number;
  message: string;
}

export type Interaction = 'idle' | 'pointing' | 'painting' | 'panning';

/** Two versions' predictions of one image, side by side or as a difference. */
export interface CompareState {
  imageId: string;
  a: string;
  b: string;
  /** Probability bytes (0..255) per pixel of each version; null while predicting. */
  aProb: Uint8Array | null;
  bProb: Uint8Array | null;
  /** Each version's own threshold (the one it is used at). */
  aThreshold: number;
  bThreshold: number;
  width: number;
  height: number;
  mode: 'side-by-side' | 'difference';
}

/** Everything React renders from. Replaced (never mutated) on every change. */
export interface EditorState {
  images: ImageSummary[];
  /** How the image list is ordered (and ↑ ↓ go). */
  imageOrder: ImageOrder;
  /** Files being imported now (null: none). */
  importing: number | null;
  currentId: string | null;
  imageSize: { width: number; height: number } | null;
  loading: boolean;
  hasPrediction: boolean;
  tool: ToolId;
  brushSize: number;
  overlay: OverlaySettings;
  /** The open image's label. */
  review: ReviewState;
  view: View;
  viewport: { width: number; height: number };
  cursor: CursorInfo | null;
  /** Pointer over the canvas in screen coordinates (for the brush outline). */
  pointer: Point | null;
  spaceHeld: boolean;
  altHeld: boolean;
  interaction: Interaction;
  save: SaveState;
  savedAt: string | null;
  canUndo: boolean;
  canRedo: boolean;
  /** Where the compute runs, and why faster backends were not used. */
  backend: { name: string; device: string; notes: string[] } | null;
  computeAlive: boolean;
  modelId: string | null;
  predicting: PredictionProgress | null;
  toasts: Toast[];
  /** Thumbnail data URLs by image id. */
  thumbnails: Record<string, string>;
  /** Model display name (from compute status). */
  modelName: string | null;
  /** Every model version, oldest first (models:list). */
  versions: ModelVersion[];
  /** The workspace folder (for the commands the UI shows). */
  workspacePath: string | null;
  /** The version predictions use. */
  selectedModel: string | null;
  /** The running or last retraining, as main reports it (retrain:* events). */
  retrain: RetrainState | null;
  /** What a retraining started now would run, and how long it should take (null seconds: no run yet to go by). */
  retrainEstimate: { steps: number; seconds: number | null } | null;
  compare: CompareState | null;
  measure: MeasureState;
  /** The workspace's measurement settings (angle of view for every image, scale anchor). */
  analysisDefaults: AnalysisDefaults | null;
  batch: BatchState | null;
}

export type { Disc, ImageSummary, MeasurementReport, ModelVersion, Point, RetrainState };
