/**
 * The offscreen canvases the Konva images display: prediction overlay, label mask and diff. Each surface
 * keeps one full-size ImageData (the colours) and shows it through 512x512 tile canvases, one Konva.Image
 * each. A stroke recolours only its dirty rectangle and uploads it into the tiles it touches with dirty-rect
 * putImageData: the full image is never recoloured or re-uploaded per pointer event, and the browser never
 * copies an 8-megapixel canvas because a few pixels of it changed (it does, copy-on-write, for a canvas
 * that was drawn from and is then written to).
 */
import type { Rect } from '../editor/geometry';
import type { OverlayMode } from '../editor/types';
import { colorizeDiff, colorizeLabel, colorizePrediction } from './colorize';

/** Tile edge in image pixels. */
export const TILE_SIZE = 512;

/** The tiles covering a width x height image, row by row; edge tiles are smaller. */
export function tileGrid(width: number, height: number, size = TILE_SIZE): Rect[] {
  const tiles: Rect[] = [];
  for (let y = 0; y < height; y += size) {
    for (let x = 0; x < width; x += size) tiles.push({ x, y, w: Math.min(size, width - x), h: Math.min(size, height - y) });
  }
  return tiles;
}

/** The overlap of two rectangles, or null when they do not overlap. */
export function intersectRect(a: Rect, b: Rect): Rect | null {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.w, b.x + b.w);
  const y1 = Math.min(a.y + a.h, b.y + b.h);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
}

/** What a tile needs to take an upload: a 2D context's putImageData (a canvas's, or a fake in tests). */
export interface TileSink {
  putImageData(image: ImageData, dx: number, dy: number, dirtyX: number, dirtyY: number, dirtyW: number, dirtyH: number): void;
}

export interface Tile {
  readonly rect: Rect;
  /** What the Konva.Image shows (an HTMLCanvasElement in the browser). */
  readonly canvas: CanvasImageSource;
  readonly sink: TileSink;
}

export type TileFactory = (w: number, h: number) => { canvas: CanvasImageSource; sink: TileSink };

const canvasTile: TileFactory = (w, h) => {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context');
  return { canvas, sink: ctx };
};

export class TiledSurface {
  readonly image: ImageData;
  /** The colours, 0xAABBGGRR per pixel, row-major over the whole image. */
  readonly px: Uint32Array;
  readonly tiles: Tile[];

  constructor(
    readonly width: number,
    readonly height: number,
    makeTile: TileFactory = canvasTile,
    tileSize = TILE_SIZE,
  ) {
    this.image = new ImageData(width, height);
    this.px = new Uint32Array(this.image.data.buffer);
    this.tiles = tileGrid(width, height, tileSize).map((rect) => ({ rect, ...makeTile(rect.w, rect.h) }));
  }

  /** Uploads `rect` (or everything) of `image` into the tiles it overlaps, and only into those. */
  flush(rect: Rect | null): void {
    for (const t of this.tiles) {
      const r = rect ? intersectRect(rect, t.rect) : t.rect;
      if (r) t.sink.putImageData(this.image, -t.rect.x, -t.rect.y, r.x, r.y, r.w, r.h);
    }
  }
}

export class Surfaces {
  prediction: TiledSurface | null = null;
  label: TiledSurface | null = null;
  diff: TiledSurface | null = null;
  private w = 0;
  private h = 0;

  constructor(private readonly makeTile: TileFactory = canvasTile) {}

  /** (Re)allocate for an image size; returns true when the canvases changed. */
  resize(width: number, height: number): boolean {
    if (width === this.w && height === this.h && this.label) return false;
    this.w = width;
    this.h = height;
    this.prediction = new TiledSurface(width, height, this.makeTile);
    this.label = new TiledSurface(width, height, this.makeTile);
    this.diff = new TiledSurface(width, height, this.makeTile);
    return true;
  }

  /** The prediction, hidden where `hidden` is set (pixels a person decided); `rect`: only that part changed. */
  drawPrediction(prob: Uint8Array | null, threshold: number, mode: OverlayMode, hidden: Uint8Array | null, rect: Rect | null = null): void {
    const s = this.prediction;
    if (!s) return;
    if (prob) colorizePrediction(s.px, prob, s.width, s.height, threshold, mode, hidden, rect);
    else s.px.fill(0);
    s.flush(prob ? rect : null);
  }

  /** The label where `decided` (null: everywhere). */
  drawLabel(label: Uint8Array, decided: Uint8Array | null, rect: Rect | null): void {
    const s = this.label;
    if (!s) return;
    colorizeLabel(s.px, label, decided, s.width, s.height, rect);
    s.flush(rect);
  }

  drawDiff(label: Uint8Array, prob: Uint8Array | null, thresholdByte: number, rect: Rect | null, fov: Uint8Array | null = null): void {
    const s = this.diff;
    if (!s) return;
    colorizeDiff(s.px, label, prob, s.width, s.height, thresholdByte, rect, fov);
    s.flush(rect);
  }
}
