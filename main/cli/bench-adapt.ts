/**
 * Measures the retrain loop on a camera the parent never saw: a few of that camera's images become
 * corrections, retraining runs as the app runs it (finetune with its defaults: hold-out, thresholds,
 * reference images against forgetting), and the parent and the new version are scored, each at its own
 * threshold, on the camera's other images and on DRIVE's test images (which no one touched). Two kinds
 * of correction: full labels (the reference labels, as Reviewed images), and simulated brush edits
 * (simulated-edits.ts: at most N strokes an image over the parent's largest errors, the rest of the
 * label left as the prediction).
 */
import { resolve } from 'node:path';
import { initBackend } from '../engine/backends';
import { loadDataset, loadDatasets, type Sample } from '../engine/data/datasets';
import { evaluate } from '../engine/evaluate';
import { finetune, UNDECIDED_WEIGHT, type HeldOutScores } from '../engine/finetune';
import type { Scores } from '../engine/metrics';
import { decideScale } from '../engine/geometry/working-scale';
import { loadModel } from '../engine/model-io';
import { predictImage, type Predictor } from '../engine/predict';
import { simulateEdits } from '../engine/simulated-edits';
import type { Args } from './args';
import { backendOption, choiceOption, dataFolder, dataFolders, intOption, LIMITS as L, numberOption, requiredOption } from './options';

type Pair = { auc: number; f1: number };
const pick = (s: Pick<Scores, 'auc' | 'f1'>): Pair => ({ auc: +s.auc.toFixed(4), f1: +s.f1.toFixed(4) });

/** Pooled scores of a model at its own threshold (meta.json's), as `npm run evaluate` reports them. */
async function score(model: Predictor & { meta: { threshold: number } }, samples: Sample[]): Promise<Pair> {
  return pick((await evaluate(model, samples)).pooled.atChosen);
}

interface Run {
  edits: string;
  undecidedWeight: number;
  strokes: number;
  decidedShare: number;
  retrainSeconds: number;
  keptStep: number;
  steps: number;
  threshold: number;
  heldOut: { region: string; before: Pair & { threshold: number }; after: Pair & { threshold: number }; improved: boolean } | null;
  rest: { before: Pair; after: Pair };
  drive: { before: Pair; after: Pair } | null;
}

const brief = (s: HeldOutScores) => ({ ...pick(s), threshold: s.threshold });

export async function runBenchAdapt(args: Args): Promise<void> {
  const v = args.values;
  const parentDir = resolve(requiredOption(v.model, 'model'));
  const camera = dataFolder(v.data);
  const nCorrections = intOption(v.corrections, 'corrections', 3, 1, L.images);
  const modes = (v.edits ?? 'full,brush').split(',').map((m) => choiceOption(m, 'edits', 'full', ['full', 'brush'] as const));
  const weights = (v['undecided-weight'] ?? String(UNDECIDED_WEIGHT))
    .split(',')
    .map((w) => numberOption(w, 'undecided-weight', UNDECIDED_WEIGHT, { min: 0, max: 1 }));
  const maxStrokes = intOption(v.strokes, 'strokes', 20, 1, L.images);
  const steps = v.steps === undefined ? undefined : intOption(v.steps, 'steps', 300, 1, L.steps);
  const learningRate = v.lr === undefined ? undefined : numberOption(v.lr, 'lr', 1e-4, { min: 0, max: 1, above: true });
  const referenceFraction =
    v['reference-fraction'] === undefined
      ? undefined
      : numberOption(v['reference-fraction'], 'reference-fraction', 0.25, { min: 0, max: 1 });
  const backend = await initBackend(backendOption(v.backend));
  const parent = await loadModel(parentDir);
  const all = await loadDataset(camera, 'all', { requireLabels: true });
  if (all.length <= nCorrections)
    throw new Error(`${camera} has ${all.length} labelled images: need more than the ${nCorrections} corrections`);
  const corrections = all.slice(0, nCorrections);
  const rest = all.slice(nCorrections);
  const drive = v.drive ? await loadDataset(resolve(v.drive), 'test', { requireLabels: true }) : null;
  const reference = v.reference ? await loadDatasets(dataFolders([v.reference]), 'training', { requireLabels: true }) : [];
  console.log(
    `parent ${parentDir} (threshold ${parent.meta.threshold}); unseen camera ${camera}: corrections ${corrections.map((s) => s.name).join(', ')}, ${rest.length} other images; ${reference.length} reference images; backend ${backend.name} (${backend.device})`,
  );
  const before = { rest: await score(parent, rest), drive: drive ? await score(parent, drive) : null };
  console.log(
    `parent: other images F1 ${before.rest.f1} AUC ${before.rest.auc}${before.drive ? `; DRIVE test F1 ${before.drive.f1} AUC ${before.drive.auc}` : ''}`,
  );

  const runs: Run[] = [];
  const parentProbs = new Map<Sample, Float32Array>();
  for (const s of corrections) parentProbs.set(s, (await predictImage(parent, s.image, { fov: s.fov })).data);
  for (const edits of modes) {
    for (const undecidedWeight of edits === 'full' ? [weights[0]] : weights) {
      let strokes = 0;
      let decided = 0;
      let fov = 0;
      const samples = corrections.map((s): Sample => {
        for (const f of s.fov.data) fov += f;
        if (edits === 'full') {
          decided += s.fov.data.reduce((a, b) => a + b, 0);
          return { ...s, decided: null };
        }
        const e = simulateEdits(s, parentProbs.get(s)!, parent.meta.threshold, { strokes: maxStrokes, reach: reachFor(s), margin: 2 });
        strokes += e.strokes;
        decided += e.pixels;
        return { ...s, label: e.label, decided: e.decided };
      });
      const t0 = performance.now();
      const r = await finetune({
        parent,
        parentId: 'parent',
        name: `adapted (${edits})`,
        samples,
        reference,
        referenceFraction,
        undecidedWeight,
        settings: { ...(steps ? { steps } : {}), ...(learningRate ? { learningRate } : {}) },
        onValidation: (step, s) => console.log(`  ${edits}: held-out F1 ${s.f1.toFixed(4)} at step ${step} (threshold ${s.threshold})`),
      });
      const retrainSeconds = (performance.now() - t0) / 1000;
      const child = { model: r.model, config: parent.config, meta: r.meta };
      const run: Run = {
        edits,
        undecidedWeight,
        strokes,
        decidedShare: +(decided / fov).toFixed(4),
        retrainSeconds: Math.round(retrainSeconds),
        keptStep: r.train.keptStep,
        steps: r.train.steps,
        threshold: r.meta.threshold,
        heldOut: r.validation && {
          region: r.validation.region,
          before: brief(r.validation.before),
          after: brief(r.validation.after),
          improved: r.validation.improved,
        },
        rest: { before: before.rest, after: await score(child, rest) },
        drive: drive && before.drive ? { before: before.drive, after: await score(child, drive) } : null,
      };
      r.model.dispose();
      runs.push(run);
      console.log(
        `${edits}${edits === 'brush' ? ` (undecided weight ${undecidedWeight}, ${strokes} strokes)` : ''}: ${run.retrainSeconds} s, kept step ${run.keptStep}/${run.steps}, threshold ${run.threshold}; other images F1 ${run.rest.before.f1} -> ${run.rest.after.f1}${run.drive ? `; DRIVE test F1 ${run.drive.before.f1} -> ${run.drive.after.f1}` : ''}`,
      );
    }
  }
  const checks = runs.map((r) => ({
    edits: r.edits,
    undecidedWeight: r.undecidedWeight,
    gain: +(r.rest.after.f1 - r.rest.before.f1).toFixed(4),
    gainEnough: r.rest.after.f1 - r.rest.before.f1 >= (r.edits === 'full' ? 0.08 : 0.05),
    retrainUnder3Minutes: r.retrainSeconds <= 180,
    driveDropAtMost0005: r.drive ? r.drive.after.f1 >= r.drive.before.f1 - 0.005 : null,
  }));
  const report = {
    backend: `${backend.name} (${backend.device})`,
    parent: { dir: parentDir, threshold: parent.meta.threshold, trainedOn: parent.meta.data.source },
    camera,
    corrections: corrections.map((s) => s.name),
    others: rest.length,
    reference: reference.length,
    runs,
    checks,
  };
  if (v.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(
      '\nedits  undecided  strokes  decided  seconds  kept     threshold  other F1 before -> after  (AUC)            DRIVE test F1 before -> after',
    );
    for (const r of runs) {
      console.log(
        [
          r.edits.padEnd(6),
          (r.edits === 'brush' ? String(r.undecidedWeight) : '—').padEnd(10),
          String(r.strokes).padEnd(8),
          `${(100 * r.decidedShare).toFixed(1)}%`.padEnd(8),
          String(r.retrainSeconds).padEnd(8),
          `${r.keptStep}/${r.steps}`.padEnd(8),
          `${parent.meta.threshold} -> ${r.threshold}`.padEnd(10),
          `${r.rest.before.f1} -> ${r.rest.after.f1} (${r.rest.before.auc} -> ${r.rest.after.auc})`.padEnd(43),
          r.drive ? `${r.drive.before.f1} -> ${r.drive.after.f1}` : '—',
        ].join(' '),
      );
    }
    console.log(`checks: ${JSON.stringify(checks)}`);
  }
  parent.dispose();
}

/** A stroke's reach: an eighth of the field of view's diameter (a hand's drag along a vessel segment). */
function reachFor(s: Sample): number {
  return Math.max(16, Math.round(decideScale(s.fov, null).fovDiameter / 8));
}
