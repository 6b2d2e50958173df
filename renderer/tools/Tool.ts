import type { Point } from '../editor/geometry';

/** A pointer event as the editor sees it: screen point (container CSS px) and image point (pixels). */
export interface PointerInput {
  screen: Point;
  image: Point;
  /** 0 left, 1 middle, 2 right (DOM convention). */
  button: number;
  alt: boolean;
  shift: boolean;
  ctrl: boolean;
}

export type ToolPhase = 'idle' | 'pointing' | 'painting' | 'panning';

/**
 * Tools are small state machines (tldraw's StateNode, flattened): they receive pointer events between a
 * pointer-down and its pointer-up, and `cancel()` (Escape) must restore the state from before the
 * pointer-down.
 */
export interface Tool {
  readonly id: string;
  readonly phase: ToolPhase;
  pointerDown(e: PointerInput): void;
  pointerMove(e: PointerInput): void;
  pointerUp(e: PointerInput): void;
  /** Abort the interaction in progress, rolling back its effects. */
  cancel(): void;
  /** Finish the interaction in progress, keeping its effects (tool switch, image switch, blur). */
  complete(): void;
}
