/**
 * The offscreen canvases the Konva images display: prediction overlay, label mask and diff. Each keeps
 * its ImageData so a stroke recolours only its dirty rectangle and uploads it with a dirty-rect
 * putImageData — the full image is never recoloured or re-uploaded per pointer event.
 */
import type { Rect } from '../editor/geometry';
import type { OverlayMode } from '../editor/types';
import { colorizeDiff, colorizeLabel, colorizePrediction } from './colorize';

class Surface {
  readonly canvas: HTMLCanvasElement;
  readonly ctx: CanvasRenderingContext2D;
  readonly image: ImageData;
  readonly px: Uint32Array;

  constructor(readonly width: number, readonly height: number) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas context');
    this.ctx = ctx;
    this.image = ctx.createImageData(width, height);
    this.px = new Uint32Array(this.image.data.buffer);
  }

  flush(rect: Rect | null): void {
    if (rect) this.ctx.putImageData(this.image, 0, 0, rect.x, rect.y, rect.w, rect.h);
    else this.ctx.putImageData(this.image, 0, 0);
  }
}

export class Surfaces {
  prediction: Surface | null = null;
  label: Surface | null = null;
  diff: Surface | null = null;
  private w = 0;
  private h = 0;

  /** (Re)allocate for an image size; returns true when the canvases changed. */
  resize(width: number, height: number): boolean {
    if (width === this.w && height === this.h && this.label) return false;
    this.w = width;
    this.h = height;
    this.prediction = new Surface(width, height);
    this.label = new Surface(width, height);
    this.diff = new Surface(width, height);
    return true;
  }

  drawPrediction(prob: Uint8Array | null, thresholdByte: number, mode: OverlayMode): void {
    const s = this.prediction;
    if (!s) return;
    if (prob) colorizePrediction(s.px, prob, s.width, s.height, thresholdByte, mode);
    else s.px.fill(0);
    s.flush(null);
  }

  drawLabel(label: Uint8Array, rect: Rect | null): void {
    const s = this.label;
    if (!s) return;
    colorizeLabel(s.px, label, s.width, s.height, rect);
    s.flush(rect);
  }

  drawDiff(label: Uint8Array, prob: Uint8Array | null, thresholdByte: number, rect: Rect | null): void {
    const s = this.diff;
    if (!s) return;
    colorizeDiff(s.px, label, prob, s.width, s.height, thresholdByte, rect);
    s.flush(rect);
  }
}
