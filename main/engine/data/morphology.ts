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
  const pick = dilate ? Math.max : Math.min;
  const [len, step] = alongRows ? [w, 1] : [h, w];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const pos = alongRows ? x : y;
      let v = m[i];
      for (let d = -r; d <= r; d++) v = pick(v, pos + d < 0 || pos + d >= len ? 0 : m[i + d * step]);
      out[i] = v;
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
