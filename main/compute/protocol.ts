/**
 * Messages between main and the compute process. Both transports (Electron utilityProcess, Node
 * child_process with 'advanced' serialization) use structured clone, so Uint8Array crosses as is.
 */
import type { BackendInfo } from '../../preload/contract';

export interface PredictTask {
  kind: 'predict';
  imagePath: string;
  /** The image's FOV mask; null → derive one from the photograph and send it back. */
  fovPath: string | null;
  modelDir: string;
}
export type ComputeTask = PredictTask;

export interface PredictResult {
  /** 8-bit PNG, probability * 255. */
  png: Uint8Array;
  /** The derived FOV mask (0/255 PNG) when the task had none. */
  derivedFovPng: Uint8Array | null;
  ms: number;
  backend: BackendInfo;
}

export type ToCompute = { type: 'run'; job: string; task: ComputeTask } | { type: 'cancel'; job: string };

export type FromCompute =
  | { type: 'ready'; backend: BackendInfo }
  /** The process cannot work at all (no backend); it exits right after. */
  | { type: 'fatal'; message: string }
  | { type: 'progress'; job: string; done: number; total: number; message: string }
  | { type: 'done'; job: string; result: PredictResult }
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
