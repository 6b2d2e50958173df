/**
 * Partial redraw of a Konva layer: Konva only knows how to clear and redraw a whole layer, which for the
 * label of an 8-megapixel photograph costs a frame's budget on its own. While painting, only the screen
 * rectangle that shows the stroke's dirty image rectangle is cleared and redrawn, by Konva's own drawScene
 * of the layer's children (same transforms, opacity and smoothing as a full draw), clipped to it.
 */
import type Konva from 'konva';
import type { Rect } from '../editor/geometry';

export interface StageView {
  zoom: number;
  x: number;
  y: number;
}

/**
 * The device-pixel rectangle of `layerCanvas` that shows image rectangle `rect` under `view`, grown by
 * `margin` device pixels (a filtered, scaled image spreads a source pixel over its neighbours) and clipped
 * to the canvas; null when nothing of it is on screen.
 */
export function deviceRect(rect: Rect, view: StageView, pixelRatio: number, canvasW: number, canvasH: number, margin = 2): Rect | null {
  const k = pixelRatio * view.zoom;
  const x0 = Math.max(0, Math.floor(pixelRatio * view.x + rect.x * k) - margin);
  const y0 = Math.max(0, Math.floor(pixelRatio * view.y + rect.y * k) - margin);
  const x1 = Math.min(canvasW, Math.ceil(pixelRatio * view.x + (rect.x + rect.w) * k) + margin);
  const y1 = Math.min(canvasH, Math.ceil(pixelRatio * view.y + (rect.y + rect.h) * k) + margin);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
}

/** Redraws the part of `layer` that shows image rectangle `rect` (the stage's transform is the view). */
export function redrawRegion(layer: Konva.Layer, rect: Rect): void {
  const stage = layer.getStage();
  if (!stage) return;
  const canvas = layer.getCanvas();
  const view = { zoom: stage.scaleX(), x: stage.x(), y: stage.y() };
  const d = deviceRect(rect, view, canvas.getPixelRatio(), canvas.width, canvas.height);
  if (!d) return;
  const ctx = canvas.getContext()._context;
  ctx.save();
  try {
    const base = ctx.getTransform();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.beginPath();
    ctx.rect(d.x, d.y, d.w, d.h);
    ctx.clip();
    ctx.clearRect(d.x, d.y, d.w, d.h);
    ctx.setTransform(base);
    for (const child of layer.getChildren()) child.drawScene(canvas);
  } finally {
    ctx.restore();
  }
}
