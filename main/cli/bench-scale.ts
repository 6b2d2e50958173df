/**
 * Where the scale cues help: DRIVE test photographs made into what other cameras and users give —
 *  - crops (the central 60% of the FOV: no FOV edge, so the width is all there is to go by),
 *  - narrow-angle cameras (the central 1/z of the FOV enlarged z times inside a full-size circular FOV:
 *    the FOV diameter is DRIVE's, the vessels are z times wider),
 * each scored with the FOV (or width) alone and with the vessel-calibre correction, against the label
 * transformed the same way. Needs a model whose meta.json has a working scale and reference calibre.
 */
import { resolve } from 'node:path';
import { initBackend } from '../engine/backends';
import { loadDataset, type Sample } from '../engine/data/datasets';
import { evaluate } from '../engine/evaluate';
import { measureFov } from '../engine/geometry/fov-circle';
import { resampleBytes, resampleMask } from '../engine/geometry/resample';
import { loadModel } from '../engine/model-io';
import { runnerFor } from '../engine/tile-runner';
import type { Mask, RgbImage } from '../engine/types';
import type { Args } from './args';
import { backendOption, dataFolder, intOption, LIMITS as L, requiredOption, UsageError } from './options';

/** The square of side `side` centred at (cx, cy), resampled to `out` px. */
function square(s: Sample, cx: number, cy: number, side: number, out: number): { image: RgbImage; label: Mask; fov: Mask } {
  const x0 = Math.round(cx - side / 2);
  const y0 = Math.round(cy - side / 2);
  const { width: w } = s.image;
  const rgb = new Uint8Array(side * side * 3);
  const lab = new Uint8Array(side * side);
  const fov = new Uint8Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const i = (y0 + y) * w + x0 + x;
      for (let c = 0; c < 3; c++) rgb[(y * side + x) * 3 + c] = s.image.data[i * 3 + c];
      lab[y * side + x] = s.label!.data[i];
      fov[y * side + x] = s.fov.data[i];
    }
  return {
    image: { width: out, height: out, data: resampleBytes(rgb, side, side, 3, out, out) },
    label: { width: out, height: out, data: resampleMask(lab, side, side, out, out) },
    fov: { width: out, height: out, data: resampleMask(fov, side, side, out, out) },
  };
}

function variants(s: Sample): { kind: string; sample: Sample }[] {
  const m = measureFov(s.fov);
  if (!m.found) return [];
  const { cx, cy, diameter: d } = m.circle;
  const out: { kind: string; sample: Sample }[] = [{ kind: 'as photographed', sample: s }];
  // A crop well inside the FOV: no aperture edge anywhere.
  const crop = square(s, cx, cy, Math.round(0.6 * d * Math.SQRT1_2), Math.round(0.6 * d * Math.SQRT1_2));
  out.push({ kind: 'crop (no FOV edge)', sample: { ...s, ...crop, fov: { ...crop.fov, data: crop.fov.data.fill(1) }, fovDerived: false } });
  for (const z of [1.5, 2]) {
    // The central 1/z of the FOV, enlarged z times, inside a circle of the original diameter.
    const side = Math.round(d / z);
    const big = square(s, cx, cy, side, Math.round(side * z));
    const n = big.image.width;
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const inside = Math.hypot(x + 0.5 - n / 2, y + 0.5 - n / 2) <= d / 2 - 1;
        big.fov.data[y * n + x] = inside ? 1 : 0;
        if (!inside) {
          big.label.data[y * n + x] = 0;
          big.image.data.fill(0, (y * n + x) * 3, (y * n + x) * 3 + 3);
        }
      }
    out.push({ kind: `${z}x narrower angle`, sample: { ...s, ...big, fovDerived: false } });
  }
  return out;
}

export async function runBenchScale(args: Args): Promise<void> {
  const v = args.values;
  const modelDir = resolve(requiredOption(v.model, 'model'));
  const data = dataFolder(v.data);
  const limit = v.limit === undefined ? undefined : intOption(v.limit, 'limit', 20, 1, L.images);
  const backend = await initBackend(backendOption(v.backend));
  const loaded = await loadModel(modelDir);
  if (!loaded.meta.scale?.calibre) throw new UsageError(`${modelDir}: its meta.json has no reference calibre (train it with this version)`);
  const samples = await loadDataset(data, 'test', { requireLabels: true, limit });
  const byKind = new Map<string, Sample[]>();
  for (const s of samples) for (const { kind, sample } of variants(s)) byKind.set(kind, [...(byKind.get(kind) ?? []), sample]);
  const { runner, close } = await runnerFor(loaded, backend.name, 1);
  const without = { ...loaded, meta: { ...loaded.meta, scale: { fovDiameter: loaded.meta.scale.fovDiameter } } };
  console.log(`model ${modelDir} · ${samples.length} DRIVE test photographs made into other framings · threshold ${loaded.meta.threshold}`);
  console.log('| framing | scale from | AUC | F1 | Se | scale decided (median FOV px) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [kind, set] of byKind) {
    for (const [cue, m] of [
      ['FOV or width only', without],
      ['+ vessel calibre', loaded],
    ] as const) {
      const ev = await evaluate(m, set, { runner });
      const c = ev.pooled.atChosen;
      const fovs = ev.perImage.map((p) => p.scale.fovDiameter).sort((a, b) => a - b);
      const calibreUsed = ev.perImage.filter((p) => p.scale.source === 'calibre').length;
      console.log(
        `| ${kind} | ${cue} | ${c.auc.toFixed(4)} | ${c.f1.toFixed(4)} | ${c.sensitivity.toFixed(4)} | ${fovs[Math.floor(fovs.length / 2)].toFixed(0)}${calibreUsed ? ` (calibre used on ${calibreUsed}/${set.length})` : ''} |`,
      );
    }
  }
  await close();
}
