/**
 * Headless command line: train, finetune, evaluate, predict, analyze, bench.
 *   node dist/main/cli.js <command> [options]   (npm run <command> -- [options])
 */
import { parseCommandLine, type Args } from './cli/args';
import { UsageError } from './cli/options';
import { runTrain } from './cli/train';
import { runEvaluate } from './cli/evaluate';
import { runPredict } from './cli/predict';
import { runBench } from './cli/bench';
import { runFinetune } from './cli/finetune';
import { runBenchAdapt } from './cli/bench-adapt';
import { runBenchPredict } from './cli/bench-predict';
import { runBenchScale } from './cli/bench-scale';
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
            [--reference <DRIVE dir>] [--undecided-weight 0] [--backend …]
  evaluate  --model <dir> --data <dir> [--split test|training|all] [--json | --row] [--write-meta] [--workers N] [--backend …]
            [--scale <px>]   (score at another working scale than the model's own)
            (--row: one Markdown table row: model, data, AUC, F1 at the model's threshold, Se, Sp, thin-vessel Se)
            [--images <id>,<id>] [--quarter 0-3]   (a workspace folder: its labelled images, scored on the pixels a
            person decided; --images/--quarter pick what a retraining held out, as its version card says)
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
  bench-predict --model <dir> [--data <folder holding DRIVE and LES-AV>] [--steps 3] [--workers N]
            (whole-photograph prediction at 565x584, 1620x1444 and 3504x2336: working scale vs native resolution)
  bench-scale --model <dir> --data <DRIVE dir> [--limit 20]
            (crops and narrow-angle framings of DRIVE test: scale from the FOV alone vs with the vessel calibre)
  bench-measure [--data <DRIVE dir>] [--model <dir>] [--write docs/BENCHMARKS.md]
            (each measure from the model's segmentation vs DRIVE's observers; exit code 2 if a must fails)
  bench-analyze [--data <DRIVE dir>] [--count 200] [--large 10] [--workers N]
            (analyze's throughput in images per hour, DRIVE-sized and 3504x2336)
  bench-adapt --model <parent dir> --data <a camera it never saw> [--drive <DRIVE dir>] [--reference <dir>[,<dir>...]]
            [--corrections 3] [--edits full,brush] [--strokes 20] [--undecided-weight 0[,0.1,...]] [--steps 300] [--lr 1e-4] [--reference-fraction 0.25] [--json]
            (retrains on the camera's first images as the app does; scores its other images and DRIVE's test images)

Errors go to stderr with a non-zero exit code: 2 for a mistake in the command line, 1 for a failure.`;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  let args: Args;
  try {
    args = parseCommandLine(rest);
  } catch (e) {
    // Unknown options, missing values: node:util's message says which.
    throw new UsageError((e as Error).message);
  }
  if (!command || args.values.help || ['help', '--help', '-h'].includes(command)) {
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
    'bench-predict': runBenchPredict,
    'bench-scale': runBenchScale,
    analyze: runAnalyze,
    'bench-measure': runBenchMeasure,
    'bench-analyze': runBenchAnalyze,
  };
  const run = commands[command];
  if (!run) throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  await run(args);
}

main().catch((e: Error) => {
  console.error(`error: ${e.message}`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
