/**
 * A cohort's output folder:
 *   masks/<id>.png    the binary vessel map that was measured (255 vessel), full resolution
 *   json/<id>.json    its measurements (segments without centrelines)
 *   rows/<id>.csv     its CSV line, written last: an image is done when this file says "ok"
 *   measurements.csv  (or measurements-<k>-of-<n>.csv for a shard) every row of the run, in input order
 * Each file is written atomically (temp file, fsync, rename), so a run killed at any moment leaves
 * whole files only, and a rerun redoes exactly the images without an "ok" row.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite, removeStaleTemps } from '../common/atomic-fs';
import { csvHeader } from '../analysis/columns';
import { parseCsv } from './csv';
import type { Shard } from './shard';

const DIRS = ['masks', 'json', 'rows'] as const;

export class ResultStore {
  constructor(readonly dir: string) {}

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await removeStaleTemps(this.dir);
    for (const d of DIRS) {
      await mkdir(join(this.dir, d), { recursive: true });
      await removeStaleTemps(join(this.dir, d));
    }
  }

  maskPath(id: string): string {
    return join(this.dir, 'masks', `${id}.png`);
  }

  async row(id: string): Promise<string | null> {
    try {
      return (await readFile(join(this.dir, 'rows', `${id}.csv`), 'utf8')).replace(/\r?\n$/, '');
    } catch {
      return null;
    }
  }

  /** Whether the image has an "ok" row made by `model` (a row by another model is redone). */
  async isDone(id: string, model: string): Promise<boolean> {
    const line = await this.row(id);
    if (line === null) return false;
    const [fields] = parseCsv(line);
    return fields?.[1] === 'ok' && fields[2] === model;
  }

  /** Saves one image's results; the row goes last, so it is only there when the rest is. */
  async save(id: string, files: { mask: Uint8Array | null; json: string; row: string }): Promise<void> {
    if (files.mask) await atomicWrite(this.maskPath(id), files.mask);
    await atomicWrite(join(this.dir, 'json', `${id}.json`), files.json);
    await atomicWrite(join(this.dir, 'rows', `${id}.csv`), files.row + '\n');
  }

  /** The table of `ids` in this order; says which have no row yet. */
  async table(ids: string[]): Promise<{ csv: string; missing: string[] }> {
    const lines = [csvHeader()];
    const missing: string[] = [];
    for (const id of ids) {
      const line = await this.row(id);
      if (line === null) missing.push(id);
      else lines.push(line);
    }
    return { csv: lines.join('\n') + '\n', missing };
  }

  async writeTable(csv: string, shard: Shard | null): Promise<string> {
    const path = join(this.dir, shard ? `measurements-${shard.index}-of-${shard.count}.csv` : 'measurements.csv');
    await atomicWrite(path, csv);
    return path;
  }
}
