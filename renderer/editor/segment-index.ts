/**
 * Which measured segment is under the pointer: the centrelines' line pieces binned in a grid of 16-px
 * cells, so a query looks at the few pieces near the point instead of every segment.
 */
import type { SegmentView } from '../../preload/contract';

const CELL = 16;

export class SegmentIndex {
  /** Per cell: the pieces crossing it, as (segment index, index of the piece's first x) pairs, flattened. */
  private readonly cells = new Map<number, number[]>();
  private readonly cols: number;

  constructor(
    private readonly segments: SegmentView[],
    width: number,
  ) {
    this.cols = Math.ceil(width / CELL) + 2;
    segments.forEach((s, si) => {
      for (let k = 0; k + 3 < s.points.length; k += 2) {
        const x0 = Math.min(s.points[k], s.points[k + 2]);
        const x1 = Math.max(s.points[k], s.points[k + 2]);
        const y0 = Math.min(s.points[k + 1], s.points[k + 3]);
        const y1 = Math.max(s.points[k + 1], s.points[k + 3]);
        for (let cy = Math.floor(y0 / CELL); cy <= Math.floor(y1 / CELL); cy++) {
          for (let cx = Math.floor(x0 / CELL); cx <= Math.floor(x1 / CELL); cx++) {
            const key = cy * this.cols + cx;
            let list = this.cells.get(key);
            if (!list) this.cells.set(key, (list = []));
            list.push(si, k);
          }
        }
      }
    });
  }

  /** The segment (its id) whose centreline passes within `tolerance` px of (x, y), nearest first; null if none. */
  at(x: number, y: number, tolerance: number): number | null {
    let best: number | null = null;
    let bestD = tolerance;
    const r = Math.ceil(tolerance / CELL);
    const cx0 = Math.floor(x / CELL);
    const cy0 = Math.floor(y / CELL);
    for (let cy = cy0 - r; cy <= cy0 + r; cy++) {
      for (let cx = cx0 - r; cx <= cx0 + r; cx++) {
        const list = this.cells.get(cy * this.cols + cx);
        if (!list) continue;
        for (let i = 0; i < list.length; i += 2) {
          const s = this.segments[list[i]];
          const k = list[i + 1];
          const d = distanceToPiece(x, y, s.points[k], s.points[k + 1], s.points[k + 2], s.points[k + 3]);
          if (d <= bestD) {
            bestD = d;
            best = s.id;
          }
        }
      }
    }
    return best;
  }
}

function distanceToPiece(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}
