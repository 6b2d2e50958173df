/**
 * Page-side probes for the e2e tests: what the user sees (pixels of the canvas layers Konva draws) and
 * where to point (image → page coordinates). Reads the app through `window.__vesselEditor`, the
 * renderer's read-only test hook; it never calls editor methods that change state.
 */
import type { Page } from 'playwright-core';

// The callbacks below run in the page. The root tsconfig has no DOM library (main/ must not use it), so
// the few browser objects they touch are declared here, module-scoped, by the shape they are used with.
interface CanvasLike {
  width: number;
  height: number;
  clientWidth: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
export interface EditorLike {
  state: {
    currentId: string | null;
    images: { id: string; status: string }[];
    hasPrediction: boolean;
    loading: boolean;
    save: string;
    tool: string;
    brushSize: number;
    overlay: { opacity: number; threshold: number; mode: string; diff: boolean; showLabel: boolean };
    view: { zoom: number; x: number; y: number };
    predicting: unknown;
    toasts: { message: string }[];
    review: string;
  };
  width: number;
  height: number;
  label: Uint8Array;
  decided: Uint8Array;
  reviewed: boolean;
  fov: Uint8Array | null;
}
declare const window: { __vesselEditor?: EditorLike };
declare const document: {
  querySelector(selector: string): { getBoundingClientRect(): { left: number; top: number; width: number; height: number } } | null;
  querySelectorAll(selector: string): ArrayLike<CanvasLike>;
};
interface RangeLike {
  min: string;
  max: string;
  value: string;
}

/** Konva draws one <canvas> per layer, in this order (see renderer/components/CanvasView.tsx). */
export const LAYER = { photo: 0, prediction: 1, edit: 2, ui: 3 } as const;

export interface EditorSnapshot {
  currentId: string | null;
  images: { id: string; status: string }[];
  width: number;
  height: number;
  hasPrediction: boolean;
  loading: boolean;
  save: string;
  tool: string;
  brushSize: number;
  overlay: { opacity: number; threshold: number; mode: string };
  view: { zoom: number; x: number; y: number };
  predicting: boolean;
  toasts: string[];
  review: string;
}

export function snapshot(page: Page): Promise<EditorSnapshot> {
  return page.evaluate(() => {
    const ed = window.__vesselEditor;
    if (!ed) throw new Error('the renderer has not started (no window.__vesselEditor)');
    const s = ed.state;
    return {
      currentId: s.currentId,
      images: s.images.map((i) => ({ id: i.id, status: i.status })),
      width: ed.width,
      height: ed.height,
      hasPrediction: s.hasPrediction,
      loading: s.loading,
      save: s.save,
      tool: s.tool,
      brushSize: s.brushSize,
      overlay: { opacity: s.overlay.opacity, threshold: s.overlay.threshold, mode: s.overlay.mode },
      view: { ...s.view },
      predicting: s.predicting !== null,
      toasts: s.toasts.map((t) => t.message),
      review: s.review,
    };
  });
}

/**
 * Waits until `test(editor, arg)` holds in the page, polled from here: page.waitForFunction would compile
 * the predicate in the page, which the app's CSP (no 'unsafe-eval') forbids. `test` is sent as source,
 * so it must not use variables from the test file; pass them in `arg` (JSON).
 */
export async function waitForEditor<A = undefined>(
  page: Page,
  what: string,
  test: (ed: EditorLike, arg: A) => boolean,
  arg?: A,
  timeout = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    // A string expression goes to the devtools protocol's Runtime.evaluate, which the page's CSP does not govern.
    const ok = await page.evaluate(
      `(() => { const ed = window.__vesselEditor; return !!ed && !!(${test.toString()})(ed, ${JSON.stringify(arg ?? null)}); })()`,
    );
    if (ok) return;
    if (Date.now() > deadline) {
      const s = await snapshot(page).catch(() => null);
      throw new Error(`timed out after ${timeout} ms waiting for ${what}: ${test.toString()}\nstate: ${JSON.stringify(s)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Page coordinates (for page.mouse) of an image pixel position. */
export function toPage(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ x, y }) => {
      const ed = window.__vesselEditor!;
      const r = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
      const v = ed.state.view;
      return { x: r.left + x * v.zoom + v.x, y: r.top + y * v.zoom + v.y };
    },
    { x, y },
  );
}

export interface LayerStats {
  /** False when the layer is hidden (then nothing else is measured). */
  displayed: boolean;
  /** Screen pixels inspected (the image's rectangle, inset so edges with partial coverage are left out). */
  pixels: number;
  /** Mean alpha over those pixels, 0..1. */
  meanAlpha: number;
  /** Fraction of those pixels with alpha > 0. */
  covered: number;
}

/** Alpha statistics of one Konva layer over the image's on-screen rectangle. */
export function layerStats(page: Page, layer: number): Promise<LayerStats> {
  return page.evaluate((layer) => {
    const ed = window.__vesselEditor!;
    const canvas = document.querySelectorAll('[data-testid="canvas"] canvas')[layer];
    if (!canvas) throw new Error(`no canvas for layer ${layer}`);
    // Konva hides an invisible layer's canvas (display: none).
    if (canvas.clientWidth === 0) return { displayed: false, pixels: 0, meanAlpha: 0, covered: 0 };
    const k = canvas.width / canvas.clientWidth;
    const v = ed.state.view;
    const x0 = Math.max(0, Math.ceil((v.x + 2) * k));
    const y0 = Math.max(0, Math.ceil((v.y + 2) * k));
    const x1 = Math.min(canvas.width, Math.floor((v.x + ed.width * v.zoom - 2) * k));
    const y1 = Math.min(canvas.height, Math.floor((v.y + ed.height * v.zoom - 2) * k));
    const d = canvas.getContext('2d')!.getImageData(x0, y0, x1 - x0, y1 - y0).data;
    let sum = 0;
    let covered = 0;
    for (let i = 3; i < d.length; i += 4) {
      sum += d[i];
      if (d[i] > 0) covered++;
    }
    const n = d.length / 4;
    return { displayed: true, pixels: n, meanAlpha: sum / (255 * n), covered: covered / n };
  }, layer);
}

/** RGBA of one layer at an image pixel position. */
export function layerPixel(page: Page, layer: number, x: number, y: number): Promise<[number, number, number, number]> {
  return page.evaluate(
    ({ layer, x, y }) => {
      const ed = window.__vesselEditor!;
      const canvas = document.querySelectorAll('[data-testid="canvas"] canvas')[layer];
      const k = canvas.width / canvas.clientWidth;
      const v = ed.state.view;
      const d = canvas.getContext('2d')!.getImageData(Math.floor((x * v.zoom + v.x) * k), Math.floor((y * v.zoom + v.y) * k), 1, 1).data;
      return [d[0], d[1], d[2], d[3]] as [number, number, number, number];
    },
    { layer, x, y },
  );
}

/** The label the editor holds: vessel pixel count and an order-sensitive checksum (compare with `maskChecksum`). */
export function editorLabel(page: Page): Promise<{ vessel: number; checksum: number; width: number; height: number }> {
  return page.evaluate(() => {
    const ed = window.__vesselEditor!;
    let vessel = 0;
    let h = 0;
    for (let i = 0; i < ed.label.length; i++) {
      if (ed.label[i]) {
        vessel++;
        h = (Math.imul(h, 31) + i) | 0;
      }
    }
    return { vessel, checksum: h, width: ed.width, height: ed.height };
  });
}

/** Same checksum as `editorLabel`, over a saved 0/255 mask. */
export function maskChecksum(data: Uint8Array): { vessel: number; checksum: number } {
  let vessel = 0;
  let h = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] >= 128) {
      vessel++;
      h = (Math.imul(h, 31) + i) | 0;
    }
  }
  return { vessel, checksum: h };
}

/** Drags a range input's thumb to `value` with the mouse; returns the value it ended at. */
export async function dragSlider(page: Page, testId: string, value: number): Promise<number> {
  const input = page.getByTestId(testId);
  const box = (await input.boundingBox())!;
  const { min, max, current } = await input.evaluate((el) => {
    const r = el as unknown as RangeLike;
    return { min: Number(r.min), max: Number(r.max), current: Number(r.value) };
  });
  // Chromium's default range thumb is ~16 px wide; the thumb centre travels inside the track minus that.
  const thumb = 16;
  const xOf = (v: number) => box.x + thumb / 2 + ((v - min) / (max - min)) * (box.width - thumb);
  const y = box.y + box.height / 2;
  await page.mouse.move(xOf(current), y);
  await page.mouse.down();
  await page.mouse.move(xOf(value), y, { steps: 8 });
  await page.mouse.up();
  return input.evaluate((el) => Number((el as unknown as RangeLike).value));
}

/** The canvas container's rectangle in page coordinates. */
export function canvasRect(page: Page): Promise<{ left: number; top: number; width: number; height: number }> {
  return page.evaluate(() => {
    const r = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  });
}

/** Number of vessel pixels in the editor's label. */
export function labelPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    let n = 0;
    for (const v of window.__vesselEditor!.label) if (v) n++;
    return n;
  });
}

/** Starts recording requestAnimationFrame timestamps in the page. */
export function startFrameRecording(page: Page): Promise<void> {
  // A string: tsx compiles named inner functions with a `__name` helper the page does not have.
  return page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    window.__moves = 0;
    window.__coalesced = 0;
    if (!window.__countingMoves) {
      window.__countingMoves = true;
      addEventListener('pointermove', (e) => {
        if (!window.__recording) return;
        window.__moves++;
        window.__coalesced += e.getCoalescedEvents ? Math.max(1, e.getCoalescedEvents().length) : 1;
      }, true);
    }
    const tick = (t) => {
      if (!window.__recording) return;
      window.__frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
}

/** Stops the recording; returns the frame timestamps (ms) and the pointermove events the page received. */
export function stopFrameRecording(page: Page): Promise<{ frames: number[]; moves: number; coalesced: number }> {
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean; __moves: number; __coalesced: number };
    w.__recording = false;
    return { frames: w.__frames, moves: w.__moves, coalesced: w.__coalesced };
  });
}

/**
 * Starts recording the clearRect calls on one layer's canvas, as fractions of the canvas area in device
 * pixels: Konva clears the whole layer before each full redraw, a partial redraw clears its rectangle.
 */
export function startClearRecording(page: Page, layer: number): Promise<void> {
  // A string: tsx compiles functions assigned in the callback with a `__name` helper the page does not have.
  return page.evaluate(`(() => {
    const canvas = document.querySelectorAll('[data-testid="canvas"] canvas')[${layer}];
    const ctx = canvas.getContext('2d');
    window.__clears = [];
    ctx.clearRect = function (x, y, w, h) {
      const t = ctx.getTransform();
      window.__clears.push(Math.abs(w * h * t.a * t.d) / (canvas.width * canvas.height));
      return CanvasRenderingContext2D.prototype.clearRect.call(ctx, x, y, w, h);
    };
  })()`);
}

/** Stops the recording; returns the cleared fractions of the canvas, one per clearRect. */
export function stopClearRecording(page: Page, layer: number): Promise<number[]> {
  return page.evaluate(`(() => {
    const canvas = document.querySelectorAll('[data-testid="canvas"] canvas')[${layer}];
    delete canvas.getContext('2d').clearRect;
    return window.__clears;
  })()`) as Promise<number[]>;
}

/**
 * Compares one layer, screen pixel by screen pixel, with the label a person decided under the pixel's
 * centre (for zooms >= 1, where masks are drawn nearest-neighbour): decided vessel pixels (all vessel once
 * reviewed) must have `alpha` (±2), the rest 0. Centres within 1/100 of a label pixel's edge are skipped
 * (the rasterizer may round them either way).
 */
export function layerVersusLabel(
  page: Page,
  layer: number,
  alpha: number,
): Promise<{ checked: number; mismatches: number; first: string | null }> {
  return page.evaluate(
    ({ layer, alpha }) => {
      const ed = window.__vesselEditor!;
      const canvas = document.querySelectorAll('[data-testid="canvas"] canvas')[layer];
      const k = canvas.width / canvas.clientWidth;
      const v = ed.state.view;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let checked = 0;
      let mismatches = 0;
      let first: string | null = null;
      for (let py = 0; py < canvas.height; py++) {
        const iy = ((py + 0.5) / k - v.y) / v.zoom;
        const fy = iy - Math.floor(iy);
        if (iy < 0 || iy >= ed.height || fy < 0.01 || fy > 0.99) continue;
        for (let px = 0; px < canvas.width; px++) {
          const ix = ((px + 0.5) / k - v.x) / v.zoom;
          const fx = ix - Math.floor(ix);
          if (ix < 0 || ix >= ed.width || fx < 0.01 || fx > 0.99) continue;
          checked++;
          const at = Math.floor(iy) * ed.width + Math.floor(ix);
          const vessel = ed.label[at] !== 0 && (ed.reviewed || ed.decided[at] !== 0);
          const a = d[(py * canvas.width + px) * 4 + 3];
          if (vessel ? Math.abs(a - alpha) > 2 : a !== 0) {
            mismatches++;
            first ??= `screen (${px}, ${py}) → label (${Math.floor(ix)}, ${Math.floor(iy)}) ${vessel ? 'vessel' : 'background'}, alpha ${a}`;
          }
        }
      }
      return { checked, mismatches, first };
    },
    { layer, alpha },
  );
}

/**
 * Elements the user cannot fully see because they stick out sideways: the page wider than the window,
 * a panel that scrolls sideways, or a control cut off by its panel's edge (the toolbar clips what does
 * not fit). Each as "selector: what".
 */
export function horizontalOverflow(page: Page): Promise<string[]> {
  // A string: tsx compiles functions assigned in the callback with a `__name` helper the page does not have.
  return page.evaluate(`(() => {
    const out = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) out.push('page: ' + root.scrollWidth + ' px wide in a ' + root.clientWidth + ' px window');
    for (const sel of ['.toolbar', '.image-list', '.side-panel', '.status-bar']) {
      const box = document.querySelector(sel);
      if (!box) continue;
      if (box.scrollWidth > box.clientWidth + 1) out.push(sel + ': scrolls sideways (' + box.scrollWidth + ' > ' + box.clientWidth + ')');
      const edge = box.getBoundingClientRect().right;
      for (const e of box.querySelectorAll('*')) {
        const st = getComputedStyle(e);
        if (st.display === 'none' || st.visibility === 'hidden') continue;
        const r = e.getBoundingClientRect();
        const cls = typeof e.className === 'string' ? e.className : e.className.baseVal;
        if (r.width > 0 && r.right > edge + 1)
          out.push(sel + ': ' + e.tagName.toLowerCase() + '.' + cls + ' "' + (e.textContent || '').trim().slice(0, 30) + '" ends at ' + Math.round(r.right) + ', past ' + Math.round(edge));
      }
    }
    return out;
  })()`) as Promise<string[]>;
}
