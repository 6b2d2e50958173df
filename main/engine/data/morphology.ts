/** Binary morphology with square structuring elements, as separable 1-D min/max passes. */

/** Square erosion then dilation of radius r: removes structures narrower than 2r + 1 pixels. */
export function open(m: Uint8Array, w: number, h: number, r: number): Uint8Array {
  return morph(morph(m, w, h, r, false), w, h, r, true);
}

function morph(m: Uint8Array, w: number, h: number, r: number, dilate: boolean): Uint8Array {
  return morph1d(morph1d(m, w, h, r, dilate, true), w, h, r, dilate, false);
}

/** Min or max over a line of 2r+1 pixels, along rows or columns; outside the image counts as 0. */
function morph1d(m: Uint8Array, w: number, h: number, r: number, dilate: boolean, alongRows: boolean): Uint8Array {
  const out = new Uint8Array(m.length);
  const [len, step, lines, lineStep] = alongRows ? [w, 1, h, w] : [h, w, w, 1];
  for (let l = 0; l < lines; l++) {
    const base = l * lineStep;
    for (let p = 0; p < len; p++) {
      // Erosion: any 0 (or the outside) in the window gives 0; dilation: any non-zero gives 1.
      let v = dilate ? 0 : 1;
      for (let d = -r; d <= r; d++) {
        const q = p + d;
        const x = q < 0 || q >= len ? 0 : m[base + q * step];
        if (dilate ? x !== 0 : x === 0) {
          v = dilate ? 1 : 0;
          break;
        }
      }
      out[base + p * step] = v;
    }
  }
  return out;
}

/**
 * Thin vessels of a 0/1 label: the pixels a 3x3 opening removes, i.e. vessels at most 2 px wide
 * (the ones that suffer first when a photograph is downsampled).
 */
export function thinVessels(label: Uint8Array, w: number, h: number): Uint8Array {
  const bin = label.map((v) => (v ? 1 : 0));
  const opened = open(bin, w, h, 1);
  return bin.map((v, i) => (v && !opened[i] ? 1 : 0));
}
