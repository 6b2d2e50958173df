import type { View } from '../editor/types';
import type { PointerInput, Tool, ToolPhase } from './Tool';

export interface PanTarget {
  getView(): View;
  setView(v: View): void;
}

/** Drag to pan. Used as the Pan tool, and for space-drag / middle-button drag with any tool. Escape restores. */
export class PanTool implements Tool {
  readonly id = 'pan';
  phase: ToolPhase = 'idle';
  private start = { x: 0, y: 0 };
  private startView: View = { zoom: 1, x: 0, y: 0 };

  constructor(private readonly target: PanTarget) {}

  pointerDown(e: PointerInput): void {
    if (this.phase !== 'idle') return;
    this.start = { ...e.screen };
    this.startView = this.target.getView();
    this.phase = 'panning';
  }

  pointerMove(e: PointerInput): void {
    if (this.phase !== 'panning') return;
    const v = this.startView;
    this.target.setView({ zoom: v.zoom, x: v.x + e.screen.x - this.start.x, y: v.y + e.screen.y - this.start.y });
  }

  pointerUp(e: PointerInput): void {
    this.pointerMove(e);
    this.phase = 'idle';
  }

  cancel(): void {
    if (this.phase === 'idle') return;
    this.target.setView(this.startView);
    this.phase = 'idle';
  }

  complete(): void {
    this.phase = 'idle';
  }
}
