import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { atomicWrite } from '../common/atomic-fs';
import { basename, join, resolve } from 'node:path';
import { initBackend } from '../engine/backends';
import { hasSplits, loadDataset, loadSample, type Sample, type Split } from '../engine/data/datasets';
import { quarterMask } from '../engine/held-out';
import { WorkspaceFile } from '../workspace/store';
import { isReviewed } from '../workspace/workspace';
import { evaluate } from '../engine/evaluate';
import type { Scores } from '../engine/metrics';
import type { ScaleDecision } from '../engine/geometry/working-scale';
import { loadModel } from '../engine/model-io';
import { runnerFor } from '../engine/tile-runner';
import type { Args } from './args';
import { backendOption, choiceOption, dataFolder, intOption, LIMITS as L, numberOption, requiredOption } from './options';

const f = (x: number) => x.toFixed(4);
const row = (name: string, s: Scores, extra = '') =>
  `${name.padEnd(16)} ${f(s.auc)}  ${f(s.f1)}  ${f(s.accuracy)}  ${f(s.sensitivity)}  ${f(s.specificity)}${extra}`;
const SOURCE = { fov: 'measured', user: 'set', 'image-width': 'image width', calibre: 'from vessel calibre' } as const;
const scaleNote = (d: ScaleDecision) => `  FOV ${d.fovDiameter.toFixed(0)} px (${SOURCE[d.source]}) x${d.factor.toFixed(3)}`;

/** A Vessel Studio workspace folder (images/, labels/, masks/ and workspace.json). */
function isWorkspace(dir: string): boolean {
  return existsSync(join(dir, 'workspace.json'));
}

/** A workspace's labelled images (those named, or all not excluded); a Reviewed label counts as decided everywhere. */
async function workspaceSamples(dir: string, ids: string[] | null): Promise<Sample[]> {
  const ws = WorkspaceFile.parse(JSON.parse(await readFile(join(dir, 'workspace.json'), 'utf8')));
  const out: Sample[] = [];
  for (const r of ws.images) {
    if (!r.label || (ids ? !ids.includes(r.id) : r.excluded)) continue;
    const file = (kind: string) => join(dir, kind, `${r.id}.png`);
    const s = await loadSample({ name: r.id, image: file('images'), label: file('labels'), fov: r.fov ? file('masks') : null });
    out.push(isReviewed(r.label) ? { ...s, decided: null } : s);
  }
  return out;
}

export async function runEvaluate(args: Args): Promise<void> {
  const v = args.values;
  const dir = resolve(requiredOption(v.model, 'model'));
  const data = dataFolder(v.data);
  const split = choiceOption<Split>(v.split, 'split', 'test', ['training', 'test', 'all']);
  const limit = v.limit === undefined ? undefined : intOption(v.limit, 'limit', 0, 1, L.images);
  const workers = v.workers === undefined ? undefined : intOption(v.workers, 'workers', 1, 1, L.workers);
  const threshold = v.threshold === undefined ? undefined : numberOption(v.threshold, 'threshold', 0.5, { min: 0, max: 1 });
  const backend = await initBackend(backendOption(v.backend));
  const workingFov = v.scale === undefined ? undefined : intOption(v.scale, 'scale', 540, 64, 20000);
  const loaded = await loadModel(dir);
  // --scale: score the model at another working scale than its own (how the scale was chosen).
  if (workingFov !== undefined) loaded.meta = { ...loaded.meta, scale: { fovDiameter: workingFov } };
  const quarter = v.quarter === undefined ? null : intOption(v.quarter, 'quarter', 0, 0, 3);
  const ids = v.images ? v.images.split(',') : null;
  const found = isWorkspace(data) ? await workspaceSamples(data, ids) : await loadDataset(data, split, { requireLabels: true, limit });
  const samples = ids && !isWorkspace(data) ? found.filter((s) => ids.includes(s.name)) : found;
  if (samples.length === 0) throw new Error(`no labelled images${ids ? ` named ${ids.join(', ')}` : ''} in ${data}`);
  const { runner, close } = await runnerFor(loaded, backend.name, workers);
  const ev = await evaluate(loaded, samples, {
    runner,
    threshold,
    // A held-out quarter (as a retraining with few images holds out): only its pixels count.
    region: quarter === null ? undefined : (s) => quarterMask(s.fov.width, s.fov.height, quarter),
    onImage: (name, i, n) => process.stderr.write(`\r${i}/${n} ${name}   `),
  });
  await close();
  process.stderr.write('\n');
  const report = {
    model: dir,
    data,
    split,
    backend,
    msPerImage: Math.round(ev.msPerImage),
    workers: runner.slots,
    threshold: ev.chosenThreshold,
    scale: loaded.meta.scale,
    preprocessing: loaded.meta.preprocessing,
    pooled: ev.pooled,
    thinSensitivity: ev.thinSensitivity,
    pixels: ev.pixels,
    decidedShare: ev.decidedShare,
    perImage: ev.perImage,
  };
  if (v.json) {
    console.log(JSON.stringify(report, null, 2));
  } else if (v.row) {
    // One Markdown table row, as docs/BENCHMARKS.md's camera tables have them.
    const c = ev.pooled.atChosen;
    console.log(
      `| ${basename(dir)} | ${basename(data)}${hasSplits(data) ? ` ${split}` : ''} (${samples.length}) | ${f(c.auc)} | ${f(c.f1)} @${ev.chosenThreshold} | ${f(c.sensitivity)} | ${f(c.specificity)} | ${f(ev.thinSensitivity)} |`,
    );
  } else {
    const ws = loaded.meta.scale ? `working scale: FOV ${loaded.meta.scale.fovDiameter} px` : 'native resolution';
    console.log(
      `model ${dir} · ${samples.length} ${isWorkspace(data) ? 'workspace' : split} images · FOV only · ${ws} · backend ${backend.name} (${backend.device})`,
    );
    if (ev.decidedShare < 1)
      console.log(
        `scored on the ${ev.pixels} pixels a person decided (${(100 * ev.decidedShare).toFixed(1)}% of the field of view${quarter === null ? '' : ` in quarter ${quarter}`})`,
      );
    console.log(`${'image'.padEnd(16)} AUC     F1      Acc     Se      Sp      (threshold 0.5)   scale`);
    for (const p of ev.perImage)
      console.log(row(p.name, p.at05, scaleNote(p.scale)) + (p.scale.note ? `\n${''.padEnd(17)}note: ${p.scale.note}` : ''));
    console.log(row('pooled @0.5', ev.pooled.at05));
    console.log(row(`pooled @${ev.chosenThreshold}`, ev.pooled.atChosen));
    console.log(`thin vessels (<= 2 px wide in the reference): sensitivity ${f(ev.thinSensitivity)} @${ev.chosenThreshold}`);
    console.log(`${Math.round(ev.msPerImage)} ms per image (${runner.slots} ${runner.slots > 1 ? 'worker threads' : 'thread'})`);
  }
  if (v['write-meta']) {
    const metaPath = join(dir, 'meta.json');
    const meta = JSON.parse(await readFile(metaPath, 'utf8'));
    const pick = (s: Scores) => ({ auc: s.auc, f1: s.f1, accuracy: s.accuracy, sensitivity: s.sensitivity, specificity: s.specificity });
    // Keyed by data set and split ("DRIVE test@0.35"): a model is scored on several cameras.
    const key = `${basename(data)} ${split}`;
    meta.metrics = {
      ...meta.metrics,
      [`${key}@0.5`]: pick(ev.pooled.at05),
      [`${key}@${ev.chosenThreshold}`]: { ...pick(ev.pooled.atChosen), thinSensitivity: ev.thinSensitivity },
    };
    await atomicWrite(metaPath, JSON.stringify(meta, null, 2) + '\n');
  }
}
