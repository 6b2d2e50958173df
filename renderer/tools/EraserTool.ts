import { BrushTool } from './BrushTool';
import type { PointerInput } from './Tool';

/** Eraser: the brush with value 0 (Alt does not invert it). */
export class EraserTool extends BrushTool {
  override readonly id: string = 'eraser';
  protected override valueFor(_e: PointerInput): 0 | 1 {
    return 0;
  }
}
