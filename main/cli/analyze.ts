import { resolve } from 'node:path';
import type { ScaleAnchor } from '../analysis/analyze-image';
import { columnsMarkdown } from '../analysis/columns';
import { mergeCohort, runCohort } from '../cohort/run-cohort';
import { parseShard } from '../cohort/shard';
import { num, required, type Args } from '../cli';

/** The bundled model, next to dist/ in a checkout or a package. */
const DEFAULT_MODEL = resolve(__dirname, '..', '..', 'resources', 'models', 'default');

export async function runAnalyze(args: Args): Promise<void> {
  const v = args.values;
  if (v.columns) {
    console.log(columnsMarkdown());
    return;
  }
  const input = resolve(required(v.input, 'input'));
  const out = resolve(required(v.out, 'out'));
  if (v.merge) {
    console.log(`${await mergeCohort(input, out)}: every image's row`);
    return;
  }
  const scaleFrom = (v['scale-from'] ?? 'camera') as ScaleAnchor;
  if (scaleFrom !== 'camera' && scaleFrom !== 'disc') throw new Error(`--scale-from must be camera or disc, got "${scaleFrom}"`);
  const s = await runCohort({
    input,
    out,
    modelDir: resolve(v.model ?? DEFAULT_MODEL),
    shard: v.shard ? parseShard(v.shard) : null,
    angleOfViewDeg: v.angle ? num(v.angle, 0, 'angle') : null,
    scaleFrom,
    backend: v.backend,
    workers: v.workers ? num(v.workers, 1, 'workers') : undefined,
    jobs: v.jobs ? num(v.jobs, 2, 'jobs') : undefined,
    log: process.stderr,
  });
  for (const f of s.failed) console.error(`failed: ${f.name}: ${f.reason}`);
  // CPU time of every thread of this process: what the run cost, whatever else the machine was doing.
  const cpu = process.cpuUsage();
  console.log(
    `${s.table}: ${s.total} images (${s.done} measured now, ${s.skipped} already done, ${s.failed.length} failed; ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU)`,
  );
}
