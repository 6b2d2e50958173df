/**
 * Brush frame time on a large photograph (a measurement, not a test): `npm run bench:brush [-- --json]`.
 *
 * Builds a 3504x2336 fundus photograph (DRIVE 01_test scaled up and letterboxed, written with sharp to a
 * temp folder), opens it in the real browser shell in Chromium, waits for the prediction overlay, then
 * paints long strokes with many pointer moves (paced like a fast mouse, ~125 Hz) at "fit" zoom and at 100 %.
 * Reports requestAnimationFrame deltas during each stroke (p50 / p95 / max ms, frames per second) and how
 * many pointer moves were sent. Frame time is what the user feels: one slow pointer handler or redraw
 * shows as a long frame. Options: --moves N (default 600), --size PX (brush, default 24), --json.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DRIVE } from '../helpers/paths';
import { CHROMIUM, e2eModel, launchBrowser, preflight, startShell, tempDir } from './harness';
import { canvasRect, labelPixels, snapshot, startFrameRecording, stopFrameRecording, waitForEditor } from './page';

const W = 3504;
const H = 2336;

interface StrokeResult {
  name: string;
  zoom: number;
  moves: number;
  /** pointermove events the page got (Chromium coalesces moves per frame) and the moves inside them. */
  received: number;
  coalesced: number;
  frames: number;
  durationMs: number;
  p50: number;
  p95: number;
  max: number;
  fps: number;
  paintedPixels: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function makePhoto(path: string): Promise<void> {
  const src = join(DRIVE, 'test', 'images', '01_test.tif');
  const scaled = await sharp(src).resize({ height: H }).toBuffer();
  const { width } = await sharp(scaled).metadata();
  const left = Math.floor((W - width!) / 2);
  await sharp(scaled)
    .extend({ left, right: W - width! - left, top: 0, bottom: 0, background: { r: 0, g: 0, b: 0 } })
    .png({ compressionLevel: 1 })
    .toFile(path);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { moves: { type: 'string' }, size: { type: 'string' }, json: { type: 'boolean' } } });
  const moves = Number(values.moves ?? 600);
  const size = Number(values.size ?? 24);
  const log = (...a: unknown[]) => (values.json ? undefined : console.log(...a));
  preflight();
  const scratch = tempDir('vessel-bench-brush-');
  const shellDone: (() => Promise<void>)[] = [];
  try {
    const photo = join(scratch.dir, 'large_fundus.png');
    await makePhoto(photo);
    const modelDir = await e2eModel(scratch.dir);
    const shell = await startShell({ workspace: join(scratch.dir, 'workspace'), modelDir });
    shellDone.push(() => shell.stop());
    const browser = await launchBrowser();
    shellDone.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(shell.url);
    log(`opening a ${W}x${H} photograph…`);
    await page.getByTestId('open-input').setInputFiles(photo);
    await waitForEditor(page, 'the large image', (ed, w) => ed.width === w && !ed.state.loading, W, 120_000);
    const t0 = Date.now();
    await waitForEditor(page, 'its prediction', (ed) => ed.state.hasPrediction && !ed.state.predicting, null, 600_000);
    log(`prediction shown after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await page.getByTestId('brush-size-value').fill(String(size));
    await page.keyboard.press('b');

    const cdp = await page.context().newCDPSession(page);
    const results: StrokeResult[] = [];
    const scenarios = [
      { name: 'paint, fit', zoomKey: '0', paint: true },
      { name: 'paint, 100%', zoomKey: '1', paint: true },
      // The same pointer path with no button held: only the brush outline follows (the baseline).
      { name: 'hover, fit', zoomKey: '0', paint: false },
      // Where the time goes: the same painting with one overlay layer switched off.
      { name: 'paint, fit, label layer hidden', zoomKey: '0', paint: true, hide: 'show-label' },
      { name: 'paint, fit, prediction layer hidden', zoomKey: '0', paint: true, hide: 'show-prediction' },
    ];
    for (const { name, zoomKey, paint, hide } of scenarios) {
      if (hide) await page.getByTestId(hide).uncheck();
      // '0' = fit, '1' = 100 % (keys of the zoom actions); click a heading first so the keys go to the app.
      await page.getByRole('heading', { name: /Images/ }).click();
      await page.keyboard.press(zoomKey);
      const { view } = await snapshot(page);
      const rect = await canvasRect(page);
      // A zigzag over the visible part of the image, 40 px in from the edges (screen coordinates).
      const sx0 = Math.max(0, view.x) + 40;
      const sy0 = Math.max(0, view.y) + 40;
      const sx1 = Math.min(rect.width, view.x + W * view.zoom) - 40;
      const sy1 = Math.min(rect.height, view.y + H * view.zoom) - 40;
      const point = (i: number) => {
        const f = i / moves;
        return { x: rect.left + sx0 + (sx1 - sx0) * f, y: rect.top + sy0 + (sy1 - sy0) * (0.5 + 0.45 * Math.sin(f * Math.PI * 12)) };
      };
      const before = await labelPixels(page);
      await page.mouse.move(point(0).x, point(0).y);
      await startFrameRecording(page);
      if (paint) await page.mouse.down();
      // Moves go straight to the devtools protocol every 8 ms (a 125 Hz mouse) without waiting for each
      // to be handled, as a real mouse does not wait for the page; page.mouse.move would wait per event.
      const sent: Promise<unknown>[] = [];
      const t0 = Date.now();
      for (let i = 1; i <= moves; i++) {
        const due = t0 + i * 8 - Date.now();
        if (due > 0) await new Promise((r) => setTimeout(r, due));
        const p = point(i);
        sent.push(
          cdp.send('Input.dispatchMouseEvent', {
            type: 'mouseMoved',
            x: p.x,
            y: p.y,
            ...(paint ? { button: 'left', buttons: 1 } : { button: 'none', buttons: 0 }),
          }),
        );
      }
      await Promise.all(sent);
      if (paint) await page.mouse.up();
      const { frames, moves: received, coalesced } = await stopFrameRecording(page);
      const after = await labelPixels(page);
      const deltas = frames.slice(1).map((t, i) => t - frames[i]);
      const sorted = [...deltas].sort((a, b) => a - b);
      const durationMs = frames.length > 1 ? frames[frames.length - 1] - frames[0] : 0;
      results.push({
        name,
        zoom: Math.round(view.zoom * 1000) / 1000,
        moves,
        received,
        coalesced,
        frames: deltas.length,
        durationMs: Math.round(durationMs),
        p50: Math.round(percentile(sorted, 50) * 10) / 10,
        p95: Math.round(percentile(sorted, 95) * 10) / 10,
        max: Math.round((sorted[sorted.length - 1] ?? NaN) * 10) / 10,
        fps: Math.round((deltas.length / durationMs) * 1000 * 10) / 10,
        paintedPixels: after - before,
      });
      if (hide) await page.getByTestId(hide).check();
      if (paint) {
        // Undo the stroke so the next scenario paints the same amount on the same path.
        await page.keyboard.press('Control+z');
        await waitForEditor(page, 'the stroke undone', (ed, n) => ed.label.reduce((a, v) => a + v, 0) === n, before);
      }
      if (paint !== after > before) throw new Error(`${name}: ${after - before} pixels painted; the measurement is not of what it says`);
    }

    const env = {
      image: `${W}x${H}`,
      brush: size,
      viewport: '1600x1000',
      chromium: CHROMIUM,
      browserVersion: await page.context().browser()!.version(),
      cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`,
      loadavg: loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
      headless: process.env.VESSEL_E2E_HEADED !== '1',
    };
    if (values.json) console.log(JSON.stringify({ ...env, strokes: results }));
    else {
      log(
        `brush frame times on ${env.image}, brush ${size} px, ${env.cpus}, load ${env.loadavg}, Chromium ${env.browserVersion} (software rendering)`,
      );
      for (const r of results) {
        log(
          `  ${r.name.padEnd(36)} (zoom ${r.zoom}): ${r.moves} moves (${r.received} events) in ${r.durationMs} ms: frame p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms, ${r.fps} fps (${r.paintedPixels} px painted)`,
        );
      }
    }
  } finally {
    for (const done of shellDone.reverse()) await done().catch(() => undefined);
    scratch.remove();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
