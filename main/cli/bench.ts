/**
 * Benchmarks every backend present: training ms/step (batch of crops) and prediction ms/image
 * (a DRIVE-sized 565x584 image), with the model size used and peak memory. Figures come from one
 * run, so ratios between backends are comparable.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, initBackend, type BackendName } from '../engine/backends';
import { useWebgpuFilterGradient } from '../engine/backends/webgpu-filter-gradient';
import { buildUNet, logitsModel } from '../engine/model';
import { TrainingAdam } from '../engine/optimizer';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { newModelMeta, saveModel } from '../engine/model-io';
import { predictInput } from '../engine/predict';
import { modelRunner, TileWorkerPool } from '../engine/tile-runner';
import { num, type Args } from '../cli';

interface BenchRow {
  backend: BackendName;
  device: string;
  base: number;
  parameters: number;
  batch: number;
  crop: number;
  trainMsPerStep: number | null;
  predictMsPerImage: number | null;
  /** wasm only: the same prediction on a pool of worker threads (one per core, at most 4). */
  predictMsPerImageWorkers: number | null;
  workers: number;
  imageSize: string;
  peakRssMiB: number;
  /** webgpu with --compare-kernels: the same steps with tfjs's own filter-gradient kernel. */
  trainMsPerStepStockKernels?: number;
  /** --profile: kernel time of one training step, total and the largest kernels. */
  profile?: { kernelMs: number; kernels: { name: string; ms: number; calls: number }[] };
  error?: string;
}

async function timeIt(fn: () => Promise<void>, reps: number, warmup: boolean): Promise<number> {
  if (warmup) await fn(); // kernel compilation, allocation
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  return (performance.now() - t0) / reps;
}

interface BenchOptions {
  base: number;
  batch: number;
  crop: number;
  reps: number;
  warmup: boolean;
  profile: boolean;
  compareKernels: boolean;
}

/** Kernel time per kernel name for one call of `fn` (GPU time where the backend measures it). */
async function profileKernels(fn: () => Promise<void>): Promise<NonNullable<BenchRow['profile']>> {
  const info = await tf.profile(fn);
  const by = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const e = by.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls++;
    by.set(k.name, e);
  }
  const kernels = [...by].map(([name, e]) => ({ name, ms: +e.ms.toFixed(2), calls: e.calls })).sort((a, b) => b.ms - a.ms);
  return { kernelMs: +kernels.reduce((a, k) => a + k.ms, 0).toFixed(1), kernels: kernels.slice(0, 8) };
}

async function benchOne(name: BackendName, o: BenchOptions): Promise<BenchRow> {
  const { base, batch, crop, reps, warmup } = o;
  const info = await initBackend(name);
  const model = buildUNet({ base, depth: 4, dropout: 0.1 });
  const net = logitsModel(model);
  const opt = new TrainingAdam(1e-3);
  const x = tf.randomNormal([batch, crop, crop, 3], 0, 1, 'float32', 1);
  const y = tf.cast(tf.greater(tf.randomUniform([batch, crop, crop, 1], 0, 1, 'float32', 2), 0.88), 'float32');
  let peak = process.memoryUsage().rss;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  // As the trainer does: queue the steps, read the loss back once at the end (a read is a device sync).
  const steps = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const loss = opt.minimize(() => tf.losses.sigmoidCrossEntropy(y, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, i === n - 1);
      if (loss) {
        await loss.data();
        loss.dispose();
      }
    }
    sample();
  };
  const trainMs = await timeIt(() => steps(reps), 1, warmup) / reps;
  let stockMs: number | undefined;
  if (name === 'webgpu' && o.compareKernels) {
    useWebgpuFilterGradient('stock');
    stockMs = Math.round((await timeIt(() => steps(reps), 1, warmup)) / reps);
    useWebgpuFilterGradient('tiled');
  }
  const profile = o.profile ? await profileKernels(() => steps(1)) : undefined;
  const [w, h] = [565, 584];
  const input = new Float32Array(w * h * 3).map((_, i) => Math.sin(i * 0.37));
  const runner = modelRunner(model);
  const predictMs = await timeIt(async () => {
    await predictInput(runner, { depth: 4 }, input, w, h);
    sample();
  }, reps, warmup);
  let pooledMs: number | null = null;
  const workers = Math.min(4, cpus().length);
  if (name === 'wasm' && workers > 1) {
    const dir = join(await mkdtemp(join(tmpdir(), 'vs-bench-')), 'model');
    await saveModel(dir, model, newModelMeta({ name: 'bench', model, config: { base, depth: 4, dropout: 0.1 }, backend: info }));
    const pool = await TileWorkerPool.start(dir, workers);
    pooledMs = await timeIt(async () => {
      await predictInput(pool, { depth: 4 }, input, w, h);
      sample();
    }, reps, warmup);
    await pool.close();
    await rm(dirname(dir), { recursive: true, force: true });
  }
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  return {
    backend: name,
    device: info.device,
    base,
    parameters: model.countParams(),
    batch,
    crop,
    trainMsPerStep: Math.round(trainMs),
    predictMsPerImage: Math.round(predictMs),
    predictMsPerImageWorkers: pooledMs === null ? null : Math.round(pooledMs),
    workers: pooledMs === null ? 1 : workers,
    imageSize: `${w}x${h}`,
    peakRssMiB: Math.round(peak / 2 ** 20),
    ...(stockMs !== undefined ? { trainMsPerStepStockKernels: stockMs } : {}),
    ...(profile ? { profile } : {}),
  };
}

export async function runBench(args: Args): Promise<void> {
  const v = args.values;
  const base = num(v.base, 16, 'base');
  const batch = num(v.batch, 16, 'batch');
  const crop = num(v.crop, 64, 'crop');
  const reps = num(v.steps, 3, 'steps');
  // Unless named: no pure-JavaScript cpu (minutes a step) and no software WebGPU adapter.
  const named = v.backends !== undefined;
  const wanted = (v.backends?.split(',') ?? BACKEND_NAMES.filter((b) => b !== 'cpu')) as BackendName[];
  if (!named && !v.json) console.log('(cpu, pure JavaScript, is left out: minutes a step; --backends cpu runs it)');
  const rows: BenchRow[] = [];
  for (const name of wanted) {
    if (!BACKEND_NAMES.includes(name)) throw new Error(`unknown backend ${name}`);
    try {
      if (!named && name === 'webgpu' && (await initBackend('webgpu')).softwareAdapter) {
        throw new Error('only a software adapter, slower than wasm (--backends webgpu measures it)');
      }
      // Pure JavaScript takes minutes a training step: one timed run, no warm-up, makes the point.
      const cpu = name === 'cpu';
      rows.push(await benchOne(name, { base, batch, crop, reps: cpu ? 1 : reps, warmup: !cpu, profile: !!v.profile, compareKernels: !!v['compare-kernels'] }));
    } catch (e) {
      rows.push({
        backend: name,
        device: '-',
        base,
        parameters: 0,
        batch,
        crop,
        trainMsPerStep: null,
        predictMsPerImage: null,
        predictMsPerImageWorkers: null,
        workers: 1,
        imageSize: '-',
        peakRssMiB: 0,
        error: (e as Error).message.split('\n')[0],
      });
    }
    if (!v.json) {
      const r = rows[rows.length - 1];
      console.log(
        r.error
          ? `${r.backend.padEnd(10)} unavailable: ${r.error}`
          : `${r.backend.padEnd(10)} ${r.device.padEnd(28)} base ${r.base} (${r.parameters.toLocaleString('en')} params)  train ${r.trainMsPerStep} ms/step (batch ${r.batch}x${r.crop}²)${r.trainMsPerStepStockKernels !== undefined ? ` [${r.trainMsPerStepStockKernels} ms with tfjs's filter gradient]` : ''}  predict ${r.predictMsPerImage} ms/image (${r.imageSize})${r.predictMsPerImageWorkers !== null ? `, ${r.predictMsPerImageWorkers} ms on ${r.workers} worker threads` : ''}  peak RSS ${r.peakRssMiB} MiB`,
      );
      if (r.profile) {
        console.log(`  one step: ${r.profile.kernelMs} ms of kernels; ${r.profile.kernels.map((k) => `${k.name} ${k.ms} ms (${k.calls}x)`).join(', ')}`);
      }
    }
  }
  const ok = rows.filter((r) => r.trainMsPerStep !== null);
  // Reference figures (e.g. PyTorch on the same card, measured in the same run) turn into ratios.
  const refStep = v['reference-step-ms'] ? num(v['reference-step-ms'], 0, 'reference-step-ms') : null;
  const refImage = v['reference-image-ms'] ? num(v['reference-image-ms'], 0, 'reference-image-ms') : null;
  const ratios = ok.map((r) => ({
    backend: r.backend,
    trainVsReference: refStep ? +(r.trainMsPerStep! / refStep).toFixed(2) : null,
    predictVsReference: refImage ? +(r.predictMsPerImage! / refImage).toFixed(2) : null,
  }));
  if (v.json) {
    const os = await import('node:os');
    console.log(JSON.stringify({ machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, rows, reference: { stepMs: refStep, imageMs: refImage }, ratios }, null, 2));
    return;
  }
  if (ok.length > 1) {
    const base = ok.find((r) => r.backend === 'wasm') ?? ok[0];
    for (const r of ok) console.log(`${r.backend}: train ${(r.trainMsPerStep! / base.trainMsPerStep!).toFixed(2)}x, predict ${(r.predictMsPerImage! / base.predictMsPerImage!).toFixed(2)}x of ${base.backend}`);
  }
  for (const r of ratios) {
    if (r.trainVsReference !== null || r.predictVsReference !== null) {
      console.log(`${r.backend} vs reference: train ${r.trainVsReference ?? '-'}x, predict ${r.predictVsReference ?? '-'}x`);
    }
  }
}
