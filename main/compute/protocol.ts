/**
 * Messages between main and the compute process. Both transports (Electron utilityProcess, Node
 * child_process with 'advanced' serialization) use structured clone, so Uint8Array crosses as is.
 */
import type { BackendInfo, ScaleInfo } from '../../preload/contract';
import type { HeldOutScores, Validation } from '../engine/finetune';
import type { ModelMeta } from '../engine/model-io';
import type { ImageMeasurements, ImageSettings } from '../analysis/analyze-image';

export interface PredictTask {
  kind: 'predict';
  imagePath: string;
  /** The image's FOV mask; null → derive one from the photograph and send it back. */
  fovPath: string | null;
  /** FOV diameter set by the user (pixels); null → measured from the FOV mask. */
  fovDiameter: number | null;
  modelDir: string;
}

/** One labelled workspace image, by file: what the compute process loads into an engine Sample. */
export interface SampleFiles {
  /** The image id; finetune's meta lists samples by this name. */
  name: string;
  imagePath: string;
  labelPath: string;
  /** null → derive the field of view from the photograph. */
  fovPath: string | null;
  /** A person said the whole label is right: every pixel counts as decided. */
  reviewed: boolean;
}

/** Fine-tunes `parentDir` on the corrected images and saves the result as a new model folder. */
export interface RetrainTask {
  kind: 'retrain';
  parentDir: string;
  parentId: string;
  samples: SampleFiles[];
  /** Images from the original training set or marked as reference: mixed in against forgetting. */
  reference: SampleFiles[];
  /** models/<new id>; must not exist (a version is never overwritten). */
  outDir: string;
  name: string;
  steps: number | null;
  /** Turns the held-out part from run to run (the new version's number). */
  rotation: number;
  /** What the workspace knows and the engine does not (image ids, reference set, times): meta.json's "workspace". */
  workspace: Record<string, unknown>;
}

/** Measures one image's vessel map (main/analysis); with `render`, also draws its mask and overlay PNGs. */
export interface MeasureTask {
  kind: 'measure';
  photoPath: string;
  /** A label (255 vessel), or with a threshold a stored prediction (probability × 255). */
  vesselsPath: string;
  threshold: number | null;
  /** null → derive the field of view from the photograph. */
  fovPath: string | null;
  settings: ImageSettings;
  render: boolean;
}

export interface MeasureResult {
  measurements: ImageMeasurements;
  /** The binary map that was measured (0/255 PNG) and the overlay, when asked to render. */
  maskPng: Uint8Array | null;
  overlayPng: Uint8Array | null;
}

export type ComputeTask = PredictTask | RetrainTask | MeasureTask;

export interface RetrainResult {
  outDir: string;
  /** The new version's meta.json as written. */
  meta: ModelMeta;
  /** What it was measured on and whether it beat its parent there (null: nothing could be held out). */
  validation: Validation | null;
  seconds: number;
  backend: BackendInfo;
}

export type ResultOf<T extends ComputeTask> = T extends RetrainTask ? RetrainResult : T extends MeasureTask ? MeasureResult : PredictResult;
export type ComputeResult = PredictResult | RetrainResult | MeasureResult;

/** Live events of a retraining job (besides the generic progress message). */
export type RetrainEvent =
  | { kind: 'prepare'; done: number; total: number }
  | {
      kind: 'step';
      step: number;
      steps: number;
      loss: number;
      learningRate: number;
      elapsedSeconds: number;
      etaSeconds: number;
    }
  | { kind: 'validation'; step: number; scores: HeldOutScores }
  | { kind: 'saving' };

export interface PredictResult {
  /** 8-bit PNG, probability * 255. */
  png: Uint8Array;
  /** The derived FOV mask (0/255 PNG) when the task had none. */
  derivedFovPng: Uint8Array | null;
  /** The scale it was predicted at. */
  scale: ScaleInfo;
  /** Mean uncertaintyOf (contract.ts) over the field of view, at the model's threshold. */
  uncertainty: number;
  ms: number;
  backend: BackendInfo;
}

export type ToCompute = { type: 'run'; job: string; task: ComputeTask } | { type: 'cancel'; job: string };

export type FromCompute =
  | { type: 'ready'; backend: BackendInfo }
  /** The process cannot work at all (no backend); it exits right after. */
  | { type: 'fatal'; message: string }
  | { type: 'progress'; job: string; done: number; total: number; message: string }
  | { type: 'retrain'; job: string; event: RetrainEvent }
  | { type: 'done'; job: string; result: ComputeResult }
  | { type: 'failed'; job: string; message: string; cancelled: boolean };

/** How main reaches one running compute process, whatever started it. */
export interface ComputeTransport {
  readonly pid: number | undefined;
  send(message: ToCompute): void;
  /** Ends the process at once (SIGKILL or equivalent). */
  kill(): void;
}

export interface TransportHandlers {
  message(message: FromCompute): void;
  /** The process ended; `how` says how ("exit code 1", "signal SIGKILL"). */
  exit(how: string): void;
}

export type StartCompute = (handlers: TransportHandlers) => ComputeTransport;
