/**
 * Undo/redo of changed-rectangle patches on a label mask. One entry = one user action (a whole stroke,
 * "accept prediction", ...): the bytes of its bounding box before and after. Memory is bounded: when the
 * total exceeds `maxBytes`, the oldest undo entries are dropped (the newest entry is always kept).
 */
import type { Rect } from './geometry';

export interface Patch extends Rect {
  before: Uint8Array;
  after: Uint8Array;
}

export const DEFAULT_HISTORY_BYTES = 256 * 1024 * 1024;

function patchBytes(p: Patch): number {
  return p.before.byteLength + p.after.byteLength;
}

/** Copy the rectangle `rect` out of two full masks into a patch. */
export function capturePatch(before: Uint8Array, after: Uint8Array, width: number, rect: Rect): Patch {
  const { x, y, w, h } = rect;
  const b = new Uint8Array(w * h);
  const a = new Uint8Array(w * h);
  for (let j = 0; j < h; j++) {
    const src = (y + j) * width + x;
    b.set(before.subarray(src, src + w), j * w);
    a.set(after.subarray(src, src + w), j * w);
  }
  return { x, y, w, h, before: b, after: a };
}

/** Write one side of a patch back into a full mask. */
export function applyPatch(mask: Uint8Array, width: number, patch: Patch, side: 'before' | 'after'): void {
  const data = side === 'before' ? patch.before : patch.after;
  const { x, y, w, h } = patch;
  for (let j = 0; j < h; j++) mask.set(data.subarray(j * w, (j + 1) * w), (y + j) * width + x);
}

/** Copy rectangle `rect` of `src` into `dst` (both full masks of the same width). */
export function copyRect(dst: Uint8Array, src: Uint8Array, width: number, rect: Rect): void {
  for (let j = 0; j < rect.h; j++) {
    const o = (rect.y + j) * width + rect.x;
    dst.set(src.subarray(o, o + rect.w), o);
  }
}

/** True when the patch changes nothing (e.g. painting over already-painted pixels). */
export function isNoop(p: Patch): boolean {
  const a = p.after;
  const b = p.before;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class History {
  private undoStack: Patch[] = [];
  private redoStack: Patch[] = [];
  private total = 0;

  constructor(readonly maxBytes: number = DEFAULT_HISTORY_BYTES) {}

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }
  get bytes(): number {
    return this.total;
  }
  get undoDepth(): number {
    return this.undoStack.length;
  }
  get redoDepth(): number {
    return this.redoStack.length;
  }

  /** Record a new action. Discards the redo branch. */
  push(p: Patch): void {
    for (const r of this.redoStack) this.total -= patchBytes(r);
    this.redoStack = [];
    this.undoStack.push(p);
    this.total += patchBytes(p);
    while (this.total > this.maxBytes && this.undoStack.length > 1) {
      const dropped = this.undoStack.shift()!;
      this.total -= patchBytes(dropped);
    }
  }

  /** Pops the latest action; the caller applies its `before` side. */
  undo(): Patch | null {
    const p = this.undoStack.pop();
    if (!p) return null;
    this.redoStack.push(p);
    return p;
  }

  /** Re-does the latest undone action; the caller applies its `after` side. */
  redo(): Patch | null {
    const p = this.redoStack.pop();
    if (!p) return null;
    this.undoStack.push(p);
    return p;
  }

  /** Shrink to at most `maxBytes`: drops the redo branch first, then the oldest undo entries. */
  trim(maxBytes: number): void {
    if (this.total <= maxBytes) return;
    for (const r of this.redoStack) this.total -= patchBytes(r);
    this.redoStack = [];
    while (this.total > maxBytes && this.undoStack.length > 0) this.total -= patchBytes(this.undoStack.shift()!);
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
    this.total = 0;
  }
}
