import type { Disc } from '../editor/types';
import type { PointerInput, Tool, ToolPhase } from './Tool';

/** What the disc tool needs from the editor. */
export interface DiscTarget {
  /** The disc as shown now (null: none found and none placed). */
  disc(): Disc | null;
  zoom(): number;
  imageSize(): { width: number; height: number };
  setDraft(d: Disc | null): void;
  commit(d: Disc): void;
}

/** How close (screen px) to the disc's edge a press resizes instead of moving. */
const EDGE_PX = 8;

/**
 * Places the optic disc by hand. idle --down inside--> moving --up--> idle (committed);
 * down on the edge → resizing; down outside → the disc jumps there and moves. Escape puts it back.
 */
export class DiscTool implements Tool {
  readonly id = 'disc';
  phase: ToolPhase = 'idle';
  private mode: 'move' | 'resize' = 'move';
  private offset = { x: 0, y: 0 };
  private current: Disc | null = null;

  constructor(private readonly target: DiscTarget) {}

  pointerDown(e: PointerInput): void {
    if (this.phase !== 'idle' || e.button !== 0) return;
    const size = this.target.imageSize();
    // Without a disc, a press places one of a typical size (a disc is ~15 % of a 45° field of view).
    const d = this.target.disc() ?? { cx: e.image.x, cy: e.image.y, diameter: 0.15 * Math.min(size.width, size.height) };
    this.current = d;
    const r = Math.hypot(e.image.x - d.cx, e.image.y - d.cy);
    if (Math.abs(r - d.diameter / 2) <= EDGE_PX / this.target.zoom()) this.mode = 'resize';
    else {
      this.mode = 'move';
      this.offset = r < d.diameter / 2 ? { x: e.image.x - d.cx, y: e.image.y - d.cy } : { x: 0, y: 0 };
    }
    this.phase = 'pointing';
    this.pointerMove(e);
  }

  pointerMove(e: PointerInput): void {
    if (this.phase !== 'pointing') return;
    const d = this.current;
    if (!d) return;
    this.current =
      this.mode === 'move'
        ? { cx: e.image.x - this.offset.x, cy: e.image.y - this.offset.y, diameter: d.diameter }
        : { cx: d.cx, cy: d.cy, diameter: Math.max(4, 2 * Math.hypot(e.image.x - d.cx, e.image.y - d.cy)) };
    this.target.setDraft(this.current);
  }

  pointerUp(e: PointerInput): void {
    this.pointerMove(e);
    this.complete();
  }

  cancel(): void {
    if (this.phase === 'idle') return;
    this.phase = 'idle';
    this.current = null;
    this.target.setDraft(null);
  }

  complete(): void {
    if (this.phase === 'idle') return;
    this.phase = 'idle';
    const d = this.current;
    this.current = null;
    // The draft stays on screen until the new measurements arrive with this disc.
    if (d) this.target.commit(d);
  }
}
