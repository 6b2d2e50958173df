/**
 * Where a person is needed most: the image cut into square cells, each scored by the uncertainty
 * (contract.ts: uncertaintyOf, the prediction near the threshold) of its pixels that no person has
 * decided yet, inside the field of view. Cells are a twelfth of the image's shorter side, at least 32 px:
 * a region worth a look at a zoom where vessels are clear, not single pixels.
 */
import { uncertaintyOf } from '../../preload/contract';

export interface Cell {
  x: number;
  y: number;
  size: number;
  /** Sum of the undecided pixels' uncertainty. */
  score: number;
}

/** Below this score (in uncertain pixels) a cell is not worth a jump. */
const MIN_SCORE = 8;

export function cellSize(width: number, height: number): number {
  return Math.max(32, Math.round(Math.min(width, height) / 12));
}

/** Cells with uncertain undecided pixels, most uncertain first. `prob` is 0..255 per pixel. */
export function uncertainCells(
  prob: Uint8Array,
  fov: Uint8Array | null,
  decided: Uint8Array,
  width: number,
  height: number,
  threshold: number,
): Cell[] {
  const size = cellSize(width, height);
  const cols = Math.ceil(width / size);
  const scores = new Float64Array(cols * Math.ceil(height / size));
  const lut = new Float64Array(256);
  for (let v = 0; v < 256; v++) lut[v] = uncertaintyOf(v / 255, threshold);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / size) * cols;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (decided[i] || (fov && !fov[i])) continue;
      scores[row + Math.floor(x / size)] += lut[prob[i]];
    }
  }
  const cells: Cell[] = [];
  scores.forEach((score, k) => {
    if (score >= MIN_SCORE) cells.push({ x: (k % cols) * size, y: Math.floor(k / cols) * size, size, score });
  });
  return cells.sort((a, b) => b.score - a.score || a.y - b.y || a.x - b.x);
}
