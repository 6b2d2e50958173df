/**
 * What a cohort run measures: every image file under a folder (sorted by path), or the rows of a
 * manifest CSV (column `image` required; optional `fov`, `label`, `angle_of_view`, `fov_diameter`,
 * `disc_x`, `disc_y`, `disc_diameter`; paths relative to the manifest's folder). Each input gets an id for its output
 * files, made from its path; two inputs with the same id are refused before anything runs.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Disc } from '../analysis/types';
import { parseCsv } from './csv';

export const IMAGE_EXTENSIONS = ['.tif', '.tiff', '.png', '.jpg', '.jpeg', '.gif', '.ppm', '.pgm', '.webp', '.bmp'];

export interface CohortInput {
  /** As the CSV's `image` column shows it. */
  name: string;
  /** Output files are <id>.png, <id>.csv, … */
  id: string;
  path: string;
  fov: string | null;
  /** A vessel label to measure instead of predicting. */
  label: string | null;
  angleOfViewDeg: number | null;
  /** The field of view's diameter in pixels, when a person knows it better than the photograph shows. */
  fovDiameter: number | null;
  disc: Disc | null;
  /** A manifest row that cannot be used, and why (it still gets a row, as failed). */
  problem: string | null;
}

/** File-system-safe id of a relative path: separators become "__", the extension goes. */
export function idOf(relPath: string): string {
  const noExt = relPath.slice(0, relPath.length - extname(relPath).length);
  return (
    noExt
      .split(/[\\/]/)
      .join('__')
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '_') || 'image'
  );
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (IMAGE_EXTENSIONS.includes(extname(e.name).toLowerCase())) out.push(p);
  }
  return out;
}

const blankInput = (name: string, path: string): CohortInput => ({
  name,
  id: idOf(name),
  path,
  fov: null,
  label: null,
  angleOfViewDeg: null,
  fovDiameter: null,
  disc: null,
  problem: null,
});

async function fromFolder(dir: string): Promise<CohortInput[]> {
  const files = await walk(dir);
  return files
    .map((p) => relative(dir, p).split(sep).join('/'))
    .sort()
    .map((rel) => blankInput(rel, join(dir, rel)));
}

function numberOrNull(v: string | undefined, what: string, problems: string[]): number | null {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    problems.push(`${what} "${v}" is not a positive number`);
    return null;
  }
  return n;
}

async function fromManifest(file: string): Promise<CohortInput[]> {
  const rows = parseCsv(await readFile(file, 'utf8'));
  if (rows.length === 0) throw new Error(`${file}: the manifest is empty`);
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('image') < 0) throw new Error(`${file}: the manifest needs an "image" column (found: ${header.join(', ')})`);
  const base = dirname(file);
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  return rows.slice(1).map((r, k) => {
    const get = (name: string) => (col(name) >= 0 ? r[col(name)]?.trim() : undefined);
    const image = get('image') ?? '';
    const input = blankInput(image || `row ${k + 2}`, at(image));
    const problems: string[] = [];
    if (!image) problems.push(`manifest row ${k + 2} names no image`);
    const fov = get('fov');
    const label = get('label');
    input.fov = fov ? at(fov) : null;
    input.label = label ? at(label) : null;
    input.angleOfViewDeg = numberOrNull(get('angle_of_view'), 'angle_of_view', problems);
    input.fovDiameter = numberOrNull(get('fov_diameter'), 'fov_diameter', problems);
    const [x, y, d] = ['disc_x', 'disc_y', 'disc_diameter'].map((c) => numberOrNull(get(c), c, problems));
    if (x !== null && y !== null && d !== null) input.disc = { cx: x, cy: y, diameter: d };
    else if (x !== null || y !== null || d !== null) problems.push('disc_x, disc_y and disc_diameter go together');
    input.problem = problems.length > 0 ? problems.join('; ') : null;
    return input;
  });
}

/** The inputs of a folder or a manifest (.csv), in a fixed order. */
export async function listInputs(input: string): Promise<CohortInput[]> {
  const list = extname(input).toLowerCase() === '.csv' ? await fromManifest(input) : await fromFolder(input);
  const seen = new Map<string, string>();
  for (const i of list) {
    const other = seen.get(i.id);
    if (other !== undefined) throw new Error(`"${other}" and "${i.name}" would both be saved as ${i.id}: rename one`);
    seen.set(i.id, i.name);
  }
  return list;
}
