/**
 * Headless command line: train, finetune, evaluate, predict, analyze, bench.
 *   node dist/main/cli.js <command> [options]   (npm run <command> -- [options])
 */
import { parseArgs } from 'node:util';
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { runTrain } from './cli/train';
import { runEvaluate } from './cli/evaluate';
import { runPredict } from './cli/predict';
import { runBench } from './cli/bench';
import { runFinetune } from './cli/finetune';
import { runBenchAdapt } from './cli/bench-adapt';
import { runAnalyze } from './cli/analyze';
import { runBenchMeasure } from './cli/bench-measure';
import { runBenchAnalyze } from './cli/bench-analyze';

const USAGE = `Vessel Studio command line

  train     --data <dir>[,<dir>...] --out <model dir> [--steps 3000] [--batch 16] [--crop 64]
            (DRIVE, STARE, LES-AV or images/+labels/ folders, one per camera; DRIVE's training split is used)
            [--scale 540|native] (working scale: FOV diameter in px) [--preprocess fov-local-v1|fov-standardize-v1]
            [--augment camera|seed] [--photometric camera|none]
            [--base 32] [--depth 4] [--dropout 0.1] [--lr 1e-3] [--schedule cosine|constant] [--loss bce|dice+bce]
            [--seed 1] [--checkpoint-every 250] [--resume] [--backend auto|tensorflow|webgpu|wasm|cpu]
  finetune  --model <dir> --data <images/+labels/ dir> --out <dir> [--steps 300] [--lr 1e-4] [--batch 8]
            [--reference <DRIVE dir>] [--correction-weight 0] [--backend …]
  evaluate  --model <dir> --data <dir> [--split test|training|all] [--json | --row] [--write-meta] [--workers N] [--backend …]
            (--row: one Markdown table row: model, data, AUC, F1 at the model's threshold, Se, Sp, thin-vessel Se)
  predict   --model <dir> <image> --out <png> [--float <raw float32 file>] [--fov-diameter <px>] [--workers N] [--backend …]
            (wasm runs tiles on one worker thread per core, at most 4; --workers 1 keeps them on the main thread)
  analyze   --input <folder or manifest.csv> --out <dir> [--model <dir>] [--shard k/n] [--angle <degrees>]
            [--scale-from camera|disc] [--jobs 2] [--workers N] [--backend …]
            (a mask PNG, a JSON and a CSV row per image; reruns skip what is done; docs/COHORTS.md)
  analyze   --merge --input <same> --out <same>   (measurements.csv from the rows of every shard)
  analyze   --columns   (the CSV's columns as a Markdown table: docs/MEASUREMENTS.md)
  bench     [--backends wasm,cpu] [--base 16] [--batch 16] [--crop 64] [--steps 3] [--json]
            [--reference-step-ms <ms> --reference-image-ms <ms>]   (e.g. PyTorch on the same card: prints ratios)
            [--profile]   (kernel time of one training step, largest kernels first)
            [--compare-kernels]   (webgpu: also time tfjs's own filter-gradient kernel)
  bench-measure [--data <DRIVE dir>] [--model <dir>] [--write docs/BENCHMARKS.md]
            (each measure from the model's segmentation vs DRIVE's observers; exit code 2 if a must fails)
  bench-analyze [--data <DRIVE dir>] [--count 200] [--large 10] [--workers N]
            (analyze's throughput in images per hour, DRIVE-sized and 3504x2336)
  bench-adapt --data <DRIVE dir> [--model <parent dir> | --base 16 --steps 400 --limit 4] [--json]

Errors go to stderr with a non-zero exit code.`;

export type Args = ReturnType<typeof parse>;

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string', multiple: true },
      out: { type: 'string' },
      model: { type: 'string' },
      split: { type: 'string' },
      steps: { type: 'string' },
      batch: { type: 'string' },
      crop: { type: 'string' },
      base: { type: 'string' },
      depth: { type: 'string' },
      dropout: { type: 'string' },
      lr: { type: 'string' },
      schedule: { type: 'string' },
      loss: { type: 'string' },
      seed: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      resume: { type: 'boolean' },
      backend: { type: 'string' },
      backends: { type: 'string' },
      limit: { type: 'string' },
      threshold: { type: 'string' },
      scale: { type: 'string' },
      preprocess: { type: 'string' },
      augment: { type: 'string' },
      photometric: { type: 'string' },
      'fov-diameter': { type: 'string' },
      reference: { type: 'string' },
      float: { type: 'string' },
      workers: { type: 'string' },
      'reference-step-ms': { type: 'string' },
      'reference-image-ms': { type: 'string' },
      'correction-weight': { type: 'string' },
      json: { type: 'boolean' },
      row: { type: 'boolean' },
      'write-meta': { type: 'boolean' },
      profile: { type: 'boolean' },
      'compare-kernels': { type: 'boolean' },
      input: { type: 'string' },
      shard: { type: 'string' },
      angle: { type: 'string' },
      'scale-from': { type: 'string' },
      jobs: { type: 'string' },
      merge: { type: 'boolean' },
      columns: { type: 'boolean' },
      write: { type: 'string' },
      count: { type: 'string' },
      large: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export function num(v: string | undefined, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`);
  return n;
}

export function required(v: string | undefined, name: string): string {
  if (!v) throw new Error(`--${name} is required (see --help)`);
  return v;
}

/** `--data a,b` (or the option repeated): one folder per camera, resolved. */
export function dataRoots(v: string[] | undefined): string[] {
  const list = (v ?? []).flatMap((d) => d.split(',')).filter(Boolean);
  if (list.length === 0) throw new Error('--data is required (see --help)');
  return list.map((d) => resolve(d));
}

/** `--data` for commands that read one folder. */
export function dataRoot(v: string[] | undefined): string {
  const list = dataRoots(v);
  if (list.length > 1) throw new Error(`--data takes one folder here, got ${list.length}`);
  return list[0];
}

export async function writeOut(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const args = parse(rest);
  if (!command || args.values.help || command === 'help') {
    console.log(USAGE);
    return;
  }
  const commands: Record<string, (a: Args) => Promise<void>> = {
    train: runTrain,
    finetune: runFinetune,
    evaluate: runEvaluate,
    predict: runPredict,
    bench: runBench,
    'bench-adapt': runBenchAdapt,
    analyze: runAnalyze,
    'bench-measure': runBenchMeasure,
    'bench-analyze': runBenchAnalyze,
  };
  const run = commands[command];
  if (!run) throw new Error(`unknown command "${command}"\n\n${USAGE}`);
  await run(args);
}

main().catch((e: Error) => {
  console.error(`error: ${e.message}`);
  process.exit(1);
});
