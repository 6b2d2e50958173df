import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL_COLOUR } from '../../renderer/render/colorize';
import { Surfaces, tileGrid, intersectRect, type TileFactory } from '../../renderer/render/surfaces';
import { deviceRect } from '../../renderer/render/redrawRegion';

// Node has no ImageData; the surfaces only need its shape.
(globalThis as any).ImageData ??= class {
  readonly data: Uint8ClampedArray;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8ClampedArray(width * height * 4);
  }
};

/** Tiles backed by plain pixel arrays, with putImageData's dirty-rectangle semantics; uploads are logged. */
function fakeTiles() {
  const uploads: { tile: number; x: number; y: number; w: number; h: number }[] = [];
  const tiles: { w: number; h: number; px: Uint32Array }[] = [];
  const make: TileFactory = (w, h) => {
    const tile = { w, h, px: new Uint32Array(w * h) };
    const index = tiles.push(tile) - 1;
    const sink = {
      putImageData(image: ImageData, dx: number, dy: number, x: number, y: number, dw: number, dh: number) {
        uploads.push({ tile: index, x, y, w: dw, h: dh });
        const src = new Uint32Array(image.data.buffer);
        for (let r = y; r < y + dh; r++) {
          for (let c = x; c < x + dw; c++) {
            const tx = c + dx;
            const ty = r + dy;
            assert.ok(tx >= 0 && ty >= 0 && tx < w && ty < h, `upload stays inside tile ${index}`);
            tile.px[ty * w + tx] = src[r * image.width + c];
          }
        }
      },
    };
    return { canvas: {} as CanvasImageSource, sink };
  };
  return { make, tiles, uploads };
}

test('tileGrid covers the image once with 512 px tiles, smaller at the right and bottom edges', () => {
  const t = tileGrid(1100, 600);
  assert.equal(t.length, 6);
  assert.deepEqual(t[0], { x: 0, y: 0, w: 512, h: 512 });
  assert.deepEqual(t[2], { x: 1024, y: 0, w: 76, h: 512 });
  assert.deepEqual(t[5], { x: 1024, y: 512, w: 76, h: 88 });
  assert.equal(
    t.reduce((a, r) => a + r.w * r.h, 0),
    1100 * 600,
  );
  assert.equal(tileGrid(3504, 2336).length, 35);
  assert.equal(intersectRect({ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 0, w: 5, h: 5 }), null);
});

test('a stroke uploads only its dirty rectangle, into the tiles it overlaps, and the tiles show the label', () => {
  const W = 1100;
  const H = 600;
  const { make, tiles, uploads } = fakeTiles();
  const s = new Surfaces(make);
  assert.equal(s.resize(W, H), true);
  assert.equal(s.resize(W, H), false, 'same size: same tiles');
  assert.equal(tiles.length, 18, 'prediction, label and diff: 6 tiles each');
  const labelTiles = s.label!.tiles;
  const label = new Uint8Array(W * H);
  s.drawLabel(label, null, null);
  assert.equal(uploads.length, 6, 'a full draw uploads each label tile once');
  uploads.length = 0;

  // A dab across the corner where four tiles meet: four uploads, each only the part inside its tile.
  const dab = { x: 500, y: 505, w: 20, h: 10 };
  for (let y = dab.y; y < dab.y + dab.h; y++) for (let x = dab.x; x < dab.x + dab.w; x++) label[y * W + x] = 1;
  s.drawLabel(label, null, dab);
  assert.deepEqual(
    uploads.map((u) => ({ ...u, tile: u.tile - 6 })),
    [
      { tile: 0, x: 500, y: 505, w: 12, h: 7 },
      { tile: 1, x: 512, y: 505, w: 8, h: 7 },
      { tile: 3, x: 500, y: 512, w: 12, h: 3 },
      { tile: 4, x: 512, y: 512, w: 8, h: 3 },
    ],
  );
  // Every tile shows its part of the label, pixel for pixel.
  labelTiles.forEach((t, k) => {
    const px = tiles[6 + k].px;
    for (let y = 0; y < t.rect.h; y++) {
      for (let x = 0; x < t.rect.w; x++) {
        const want = label[(t.rect.y + y) * W + t.rect.x + x] ? LABEL_COLOUR : 0;
        if (px[y * t.rect.w + x] !== want) assert.fail(`tile ${k} pixel (${x}, ${y})`);
      }
    }
  });
  // A dab inside one tile touches that tile only.
  uploads.length = 0;
  s.drawLabel(label, null, { x: 1030, y: 10, w: 5, h: 5 });
  assert.deepEqual(
    uploads.map((u) => u.tile - 6),
    [2],
  );
});

test('deviceRect: the screen rectangle of an image rectangle, with a filtering margin, clipped to the canvas', () => {
  // zoom 0.5, image origin at (10, 20) on screen, pixel ratio 2.
  assert.deepEqual(deviceRect({ x: 100, y: 40, w: 10, h: 4 }, { zoom: 0.5, x: 10, y: 20 }, 2, 1000, 1000), { x: 118, y: 78, w: 14, h: 8 });
  assert.deepEqual(deviceRect({ x: 0, y: 0, w: 10, h: 10 }, { zoom: 1, x: -5, y: 0 }, 1, 100, 100), { x: 0, y: 0, w: 7, h: 12 });
  assert.equal(deviceRect({ x: 0, y: 0, w: 10, h: 10 }, { zoom: 1, x: 200, y: 0 }, 1, 100, 100), null, 'off screen');
});
