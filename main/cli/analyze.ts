import { resolve } from 'node:path';
import type { ScaleAnchor } from '../analysis/analyze-image';
import { columnsMarkdown } from '../analysis/columns';
import { mergeCohort, runCohort } from '../cohort/run-cohort';
import { parseShard } from '../cohort/shard';
import type { Args } from './args';
import { choiceOption, intOption, LIMITS as L, numberOption, requiredOption, UsageError } from './options';

/** The bundled model, next to dist/ in a checkout or a package. */
const DEFAULT_MODEL = resolve(__dirname, '..', '..', 'resources', 'models', 'default');

export async function runAnalyze(args: Args): Promise<void> {
  const v = args.values;
  if (v.columns) {
    console.log(columnsMarkdown());
    return;
  }
  const input = resolve(requiredOption(v.input, 'input'));
  const out = resolve(requiredOption(v.out, 'out'));
  if (v.merge) {
    console.log(`${await mergeCohort(input, out)}: every image's row`);
    return;
  }
  const scaleFrom = choiceOption<ScaleAnchor>(v['scale-from'], 'scale-from', 'camera', ['camera', 'disc']);
  let shard = null;
  try {
    shard = v.shard ? parseShard(v.shard) : null;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const angleOfViewDeg = v.angle === undefined ? null : numberOption(v.angle, 'angle', 45, { min: 5, max: 200 });
  const workers = v.workers === undefined ? undefined : intOption(v.workers, 'workers', 1, 1, L.workers);
  const jobs = v.jobs === undefined ? undefined : intOption(v.jobs, 'jobs', 2, 1, L.workers);
  const s = await runCohort({
    input,
    out,
    modelDir: resolve(v.model ?? DEFAULT_MODEL),
    shard,
    angleOfViewDeg,
    scaleFrom,
    backend: v.backend,
    workers,
    jobs,
    log: process.stderr,
  });
  for (const f of s.failed) console.error(`failed: ${f.name}: ${f.reason}`);
  // CPU time of every thread of this process: what the run cost, whatever else the machine was doing.
  const cpu = process.cpuUsage();
  console.log(
    `${s.table}: ${s.total} images (${s.done} measured now, ${s.skipped} already done, ${s.failed.length} failed; ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU)`,
  );
}
