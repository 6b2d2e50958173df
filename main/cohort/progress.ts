/**
 * A progress line on stderr: bar, counts, rate and ETA. Redrawn in place on a terminal; elsewhere (a
 * log file, a scheduler's output) one line per 5 % or per minute.
 */
export interface ProgressCounts {
  done: number;
  skipped: number;
  failed: number;
  total: number;
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.round(s % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/** The line for `c` after `elapsed` seconds of work on the images not skipped. */
export function progressLine(c: ProgressCounts, elapsed: number): string {
  const finished = c.done + c.skipped + c.failed;
  const width = 24;
  const filled = c.total > 0 ? Math.round((width * finished) / c.total) : width;
  const worked = c.done + c.failed;
  const perImage = worked > 0 ? elapsed / worked : NaN;
  const eta = perImage * (c.total - finished);
  const rate = worked > 0 && elapsed > 0 ? `${((3600 * worked) / elapsed).toFixed(0)} images/h` : '— images/h';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${finished}/${c.total} · ${c.done} measured, ${c.skipped} already done, ${c.failed} failed · ${rate} · ETA ${duration(eta)}`;
}

export class Progress {
  private readonly start = performance.now();
  private lastPrinted = -Infinity;
  private lastShare = -1;
  /** Counts of the last line printed (the final call prints only if they changed). */
  private lastState = '';

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly tty = out.isTTY === true,
  ) {}

  update(c: ProgressCounts, final = false): void {
    const elapsed = (performance.now() - this.start) / 1000;
    const line = progressLine(c, elapsed);
    if (this.tty) {
      this.out.write(`\r${line}${final ? '\n' : ''}`);
      return;
    }
    const share = c.total > 0 ? Math.floor((20 * (c.done + c.skipped + c.failed)) / c.total) : 20;
    const state = `${c.done}/${c.skipped}/${c.failed}`;
    if (state !== this.lastState && (final || share > this.lastShare || elapsed - this.lastPrinted >= 60)) {
      this.out.write(`${line}\n`);
      this.lastState = state;
      this.lastShare = share;
      this.lastPrinted = elapsed;
    }
  }
}
