import type { PointerInput, Tool, ToolPhase } from './Tool';

/** What a painting tool needs from the editor. */
export interface StrokeTarget {
  beginStroke(value: 0 | 1): boolean;
  strokeTo(p: { x: number; y: number }): void;
  commitStroke(): void;
  cancelStroke(): void;
}

/**
 * Vessel brush. idle --down--> pointing (a dot is stamped) --move--> painting --up--> idle (one undo entry).
 * Holding Alt at pointer-down turns the stroke into an erase stroke (temporary eraser).
 */
export class BrushTool implements Tool {
  readonly id: string = 'brush';
  phase: ToolPhase = 'idle';

  constructor(protected readonly target: StrokeTarget) {}

  protected valueFor(e: PointerInput): 0 | 1 {
    return e.alt ? 0 : 1;
  }

  pointerDown(e: PointerInput): void {
    if (this.phase !== 'idle' || e.button !== 0) return;
    if (!this.target.beginStroke(this.valueFor(e))) return;
    this.target.strokeTo(e.image);
    this.phase = 'pointing';
  }

  pointerMove(e: PointerInput): void {
    if (this.phase === 'idle') return;
    this.target.strokeTo(e.image);
    this.phase = 'painting';
  }

  pointerUp(e: PointerInput): void {
    if (this.phase === 'idle') return;
    this.target.strokeTo(e.image);
    this.target.commitStroke();
    this.phase = 'idle';
  }

  cancel(): void {
    if (this.phase === 'idle') return;
    this.target.cancelStroke();
    this.phase = 'idle';
  }

  complete(): void {
    if (this.phase === 'idle') return;
    this.target.commitStroke();
    this.phase = 'idle';
  }
}
