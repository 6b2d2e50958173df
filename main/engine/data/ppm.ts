/** Minimal binary/ASCII PPM (P6/P3) and PGM (P5/P2) reader: sharp cannot read them. */
import type { RgbImage } from '../types';

export function isNetpbm(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x50 && [0x32, 0x33, 0x35, 0x36].includes(bytes[1]) && /\s/.test(String.fromCharCode(bytes[2]));
}

/** `checkSize` runs on the header's size, before any pixel memory is allocated. */
export function decodeNetpbm(bytes: Uint8Array, checkSize: (width: number, height: number) => void): RgbImage {
  const kind = String.fromCharCode(bytes[0], bytes[1]);
  let pos = 2;
  const token = (): number => {
    for (;;) {
      while (pos < bytes.length && /\s/.test(String.fromCharCode(bytes[pos]))) pos++;
      if (bytes[pos] === 0x23) {
        while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
        continue;
      }
      break;
    }
    const start = pos;
    while (pos < bytes.length && /[0-9]/.test(String.fromCharCode(bytes[pos]))) pos++;
    if (start === pos) throw new Error(`corrupt ${kind} file: expected a number at byte ${start}`);
    return Number(new TextDecoder().decode(bytes.subarray(start, pos)));
  };
  const width = token();
  const height = token();
  const maxVal = token();
  if (width < 1 || height < 1 || maxVal < 1 || maxVal > 65535) throw new Error(`corrupt ${kind} header (${width}x${height}, max ${maxVal})`);
  checkSize(width, height);
  const channels = kind === 'P6' || kind === 'P3' ? 3 : 1;
  const n = width * height * channels;
  const samples = new Float64Array(n);
  if (kind === 'P6' || kind === 'P5') {
    pos++; // exactly one whitespace byte after maxval
    const wide = maxVal > 255;
    const need = n * (wide ? 2 : 1);
    if (bytes.length - pos < need) throw new Error(`truncated ${kind} file: ${bytes.length - pos} of ${need} pixel bytes`);
    for (let i = 0; i < n; i++) samples[i] = wide ? (bytes[pos + 2 * i] << 8) | bytes[pos + 2 * i + 1] : bytes[pos + i];
  } else {
    for (let i = 0; i < n; i++) samples[i] = token();
  }
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      const v = samples[p * channels + (channels === 3 ? c : 0)];
      data[p * 3 + c] = Math.round((Math.min(v, maxVal) * 255) / maxVal);
    }
  }
  return { width, height, data };
}
