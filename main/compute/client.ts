/**
 * Main's side of the compute process: starts it, hands it jobs with ids, relays progress, cancels,
 * and notices when it dies. A death rejects every job in flight with a clear message, is reported
 * (onCrashed) and the process is started again, unless it keeps dying: after MAX_CRASHES within
 * CRASH_WINDOW_MS it stays down until the next job asks for it.
 */
import type { BackendInfo } from '../../preload/contract';
import type { ComputeResult, ComputeTask, ComputeTransport, FromCompute, ResultOf, RetrainEvent, StartCompute } from './protocol';

const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 60_000;

export interface ComputeProgress {
  job: string;
  done: number;
  total: number;
  message: string;
}

/** A job lost because the compute process died (as opposed to one that failed or was cancelled). */
export class ComputeCrashedError extends Error {}

export interface ComputeClientEvents {
  onProgress(p: ComputeProgress): void;
  onRetrain?(job: string, e: RetrainEvent): void;
  onCrashed(e: { message: string; willRestart: boolean }): void;
  onReady(backend: BackendInfo): void;
}

export interface ComputeState {
  state: 'starting' | 'ready' | 'failed';
  alive: boolean;
  backend: BackendInfo | null;
  restarts: number;
  error: string | null;
}

interface Pending {
  resolve(r: ComputeResult): void;
  reject(e: Error): void;
  what: string;
}

export class ComputeClient {
  private transport: ComputeTransport | null = null;
  private state: ComputeState['state'] = 'starting';
  private backend: BackendInfo | null = null;
  private error: string | null = null;
  private restarts = 0;
  private crashTimes: number[] = [];
  private readonly pending = new Map<string, Pending>();
  private nextJob = 1;
  private stopped = false;
  /** The last fatal message from the process, used to explain its exit. */
  private fatal: string | null = null;

  constructor(
    private readonly start: StartCompute,
    private readonly events: ComputeClientEvents,
  ) {
    this.launch();
  }

  status(): ComputeState {
    return { state: this.state, alive: this.transport !== null, backend: this.backend, restarts: this.restarts, error: this.error };
  }

  /** The running process's pid (tests kill it to check recovery). */
  get pid(): number | undefined {
    return this.transport?.pid;
  }

  /** Starts a job; `job` is its id for progress events and cancel. */
  run<T extends ComputeTask>(task: T, what: string): { job: string; result: Promise<ResultOf<T>> } {
    if (this.stopped) throw new Error('The compute process has been shut down');
    if (!this.transport) {
      // Stayed down after repeated crashes: a new request is the user asking to try again.
      this.crashTimes = [];
      this.launch();
    }
    const job = `job-${this.nextJob++}`;
    const result = new Promise<ResultOf<T>>((resolve, reject) =>
      this.pending.set(job, { resolve: resolve as (r: ComputeResult) => void, reject, what }),
    );
    this.transport!.send({ type: 'run', job, task });
    return { job, result };
  }

  cancel(job: string): boolean {
    if (!this.pending.has(job) || !this.transport) return false;
    this.transport.send({ type: 'cancel', job });
    return true;
  }

  /** Ends the process for good (app quit); jobs in flight are rejected. */
  stop(): void {
    this.stopped = true;
    const t = this.transport;
    this.transport = null;
    t?.kill();
    this.rejectAll('The compute process was shut down');
  }

  private launch(): void {
    this.state = 'starting';
    this.fatal = null;
    // Messages from a process that has since been replaced are ignored.
    let transport: ComputeTransport | null = null;
    transport = this.start({
      message: (m) => {
        if (this.transport === transport) this.onMessage(m);
      },
      exit: (how) => {
        if (this.transport === transport) this.onExit(how);
      },
    });
    this.transport = transport;
  }

  private onMessage(m: FromCompute): void {
    switch (m.type) {
      case 'ready':
        this.state = 'ready';
        this.backend = m.backend;
        this.error = null;
        this.events.onReady(m.backend);
        return;
      case 'fatal':
        this.fatal = m.message;
        return;
      case 'progress':
        if (this.pending.has(m.job)) this.events.onProgress({ job: m.job, done: m.done, total: m.total, message: m.message });
        return;
      case 'retrain':
        if (this.pending.has(m.job)) this.events.onRetrain?.(m.job, m.event);
        return;
      case 'done':
        this.pending.get(m.job)?.resolve(m.result);
        this.pending.delete(m.job);
        return;
      case 'failed':
        this.pending.get(m.job)?.reject(new Error(m.cancelled ? 'cancelled' : m.message));
        this.pending.delete(m.job);
        return;
    }
  }

  private onExit(how: string): void {
    this.transport = null;
    this.backend = null;
    if (this.stopped) return;
    const now = Date.now();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    const willRestart = this.crashTimes.length < MAX_CRASHES;
    const message = this.fatal
      ? `The compute process could not start: ${this.fatal}`
      : `The compute process stopped unexpectedly (${how})${willRestart ? ' and was restarted' : ''}`;
    this.error = message;
    this.rejectAll(`${message}. Please try again.`, true);
    this.events.onCrashed({ message, willRestart });
    if (willRestart) {
      this.restarts++;
      this.launch();
    } else {
      this.state = 'failed';
    }
  }

  private rejectAll(message: string, crashed = false): void {
    for (const [, p] of this.pending) {
      const text = `${p.what}: ${message}`;
      p.reject(crashed ? new ComputeCrashedError(text) : new Error(text));
    }
    this.pending.clear();
  }
}
