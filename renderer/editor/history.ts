/**
 * Undo/redo of changed-rectangle patches on a label mask and its decided mask. One entry = one user
 * action (a whole stroke, "accept prediction", marking the image reviewed, ...): the bytes of its
 * bounding box before and after, in both masks, and the review flag when the action changed it.
 * Memory is bounded: when the total exceeds `maxBytes`, the oldest undo entries are dropped (the
 * newest entry is always kept).
 */
import type { Rect } from './geometry';

export interface Patch extends Rect {
  /** The label's bytes in the rectangle. */
  before: Uint8Array;
  after: Uint8Array;
  /** The decided mask's bytes in the rectangle. */
  decidedBefore: Uint8Array;
  decidedAfter: Uint8Array;
  /** [before, after] when the action changed whether the image is reviewed. */
  reviewed?: readonly [boolean, boolean];
}

export const DEFAULT_HISTORY_BYTES = 256 * 1024 * 1024;

function patchBytes(p: Patch): number {
  return p.before.byteLength + p.after.byteLength + p.decidedBefore.byteLength + p.decidedAfter.byteLength;
}

/** The rectangle `rect` of a full mask. */
export function cutRect(mask: Uint8Array, width: number, rect: Rect): Uint8Array {
  const { x, y, w, h } = rect;
  const out = new Uint8Array(w * h);
  for (let j = 0; j < h; j++) out.set(mask.subarray((y + j) * width + x, (y + j) * width + x + w), j * w);
  return out;
}

/** The masks as they are on both sides of an action: label and decided mask. */
export interface Masks {
  label: Uint8Array;
  decided: Uint8Array;
}

/** Copy the rectangle `rect` out of the masks before and after an action into a patch. */
export function capturePatch(before: Masks, after: Masks, width: number, rect: Rect): Patch {
  return {
    ...rect,
    before: cutRect(before.label, width, rect),
    after: cutRect(after.label, width, rect),
    decidedBefore: cutRect(before.decided, width, rect),
    decidedAfter: cutRect(after.decided, width, rect),
  };
}

/** Write one side of a patch back into the masks. */
export function applyPatch(masks: Masks, width: number, patch: Patch, side: 'before' | 'after'): void {
  const put = (mask: Uint8Array, data: Uint8Array) => {
    for (let j = 0; j < patch.h; j++) mask.set(data.subarray(j * patch.w, (j + 1) * patch.w), (patch.y + j) * width + patch.x);
  };
  put(masks.label, side === 'before' ? patch.before : patch.after);
  put(masks.decided, side === 'before' ? patch.decidedBefore : patch.decidedAfter);
}

/** Copy rectangle `rect` of `src` into `dst` (both full masks of the same width). */
export function copyRect(dst: Uint8Array, src: Uint8Array, width: number, rect: Rect): void {
  for (let j = 0; j < rect.h; j++) {
    const o = (rect.y + j) * width + rect.x;
    dst.set(src.subarray(o, o + rect.w), o);
  }
}

/** True when the patch changes nothing (e.g. painting again over pixels painted before). */
export function isNoop(p: Patch): boolean {
  if (p.reviewed && p.reviewed[0] !== p.reviewed[1]) return false;
  const same = (a: Uint8Array, b: Uint8Array) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };
  return same(p.before, p.after) && same(p.decidedBefore, p.decidedAfter);
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
