/**
 * Data-set readers. Layouts:
 *  - DRIVE: <root>/{training,test}/{images,1st_manual,mask} (21_training.tif ↔ 21_manual1.gif ↔
 *    21_training_mask.gif);
 *  - one folder of photographs, <root>/images, with labels in labels/ (generic), labels-ah/ (STARE:
 *    im0001.ppm ↔ im0001.ah.ppm) or vessel-segmentations/ (LES-AV), and masks in masks/ (LES-AV:
 *    12.png ↔ 12_mask.gif), mask/ or fov/.
 * Artery/vein labels (RITE's colour code, data/av-label.ts), where a data set has them: DRIVE's
 * <split>/av/ (RITE: 21_training.png), LES-AV's arteries-and-veins/, or av/.
 * Files pair by name once the usual role suffixes are dropped (see `sampleKey`). A missing FOV mask
 * is derived from the photograph.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, basename } from 'node:path';
import type { AvMap, Mask, RgbImage } from '../types';
import { readAvLabel } from './av-label';
import { deriveFovMask } from './fov';
import { readImage, readMask } from './image-io';
import { readDecidedLabel } from './label-levels';

export interface Sample {
  name: string;
  image: RgbImage;
  label: Mask | null;
  /** The label pixels a person decided (see label-levels.ts); absent or null: all of them. */
  decided?: Mask | null;
  fov: Mask;
  fovDerived: boolean;
  /** The artery/vein label, when it was asked for and the data set has one. */
  av?: AvMap | null;
}

export interface SampleFiles {
  name: string;
  image: string;
  label: string | null;
  fov: string | null;
  av?: string | null;
}

const IMAGE_EXT = new Set(['.tif', '.tiff', '.png', '.jpg', '.jpeg', '.gif', '.ppm', '.pgm', '.bmp', '.webp']);

function listImages(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()) && !f.startsWith('.'))
    .sort();
}

const stem = (f: string) => basename(f, extname(f));
const ROLE_SUFFIX = /[._-](mask|fov|manual\d*|ah|vk|training|test|labels?|gt|seg|vessels?)$/i;

/** A file's pairing key: its name without extension and without role suffixes (`21_training_mask` → `21`). */
export function sampleKey(f: string): string {
  let k = stem(f);
  for (let m = ROLE_SUFFIX.exec(k); m && m.index > 0; m = ROLE_SUFFIX.exec(k)) k = k.slice(0, m.index);
  return k;
}

function pair(dir: string, images: string[], others: { dir: string; files: string[] } | null, what: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!others) return out;
  const byKey = new Map<string, string>();
  for (const f of others.files) {
    const k = sampleKey(f);
    if (byKey.has(k)) throw new Error(`${others.dir}: two ${what} files for "${k}": ${byKey.get(k)} and ${f}`);
    byKey.set(k, f);
  }
  for (const img of images) {
    const k = sampleKey(img);
    const match = byKey.get(k);
    if (match) {
      out.set(img, join(others.dir, match));
      byKey.delete(k);
    }
  }
  if (byKey.size > 0) {
    throw new Error(`${others.dir}: ${what} files without a photograph in ${dir}: ${[...byKey.values()].slice(0, 5).join(', ')}`);
  }
  return out;
}

function sub(root: string, names: string[]): { dir: string; files: string[] } | null {
  for (const n of names) {
    const d = join(root, n);
    if (existsSync(d) && statSync(d).isDirectory()) return { dir: d, files: listImages(d) };
  }
  return null;
}

/** DRIVE's splits; 'all' is both. Data sets without splits are read whole whatever the split. */
export type Split = 'training' | 'test' | 'all';

/** A DRIVE-style folder: training/ and test/ splits. */
export function hasSplits(root: string): boolean {
  return existsSync(join(root, 'training', 'images')) || existsSync(join(root, 'test', 'images'));
}

/** Lists the files of one split (default 'training'). */
export function listDataset(root: string, split?: Split): SampleFiles[] {
  if (!existsSync(root)) throw new Error(`data folder not found: ${root}`);
  const isDrive = hasSplits(root);
  if (isDrive && split === 'all') return [...listDataset(root, 'training'), ...listDataset(root, 'test')];
  const base = isDrive ? join(root, split ?? 'training') : root;
  const imgDir = join(base, 'images');
  if (!existsSync(imgDir)) {
    throw new Error(
      isDrive
        ? `DRIVE split "${split}" has no images folder: ${imgDir}`
        : `${root}: expected an images/ folder (and labels/, optionally masks/)`,
    );
  }
  const images = listImages(imgDir);
  if (images.length === 0) throw new Error(`${imgDir}: no image files`);
  const labels = pair(
    imgDir,
    images,
    sub(base, isDrive ? ['1st_manual'] : ['labels', 'manual', 'labels-ah', 'vessel-segmentations']),
    'label',
  );
  const fovs = pair(imgDir, images, sub(base, isDrive ? ['mask'] : ['masks', 'mask', 'fov']), 'mask');
  const avs = pair(imgDir, images, sub(base, ['av', 'arteries-and-veins']), 'artery/vein label');
  return images.map((f) => ({
    name: stem(f),
    image: join(imgDir, f),
    label: labels.get(f) ?? null,
    fov: fovs.get(f) ?? null,
    av: avs.get(f) ?? null,
  }));
}

/** `av`: read the artery/vein label too, where there is one. */
export async function loadSample(files: SampleFiles, av = false): Promise<Sample> {
  const image = await readImage(files.image);
  const label = files.label ? await readDecidedLabel(files.label, image) : null;
  const fov = files.fov ? await readMask(files.fov, image) : deriveFovMask(image);
  const sample: Sample = { name: files.name, image, label: label?.label ?? null, decided: label?.decided ?? null, fov, fovDerived: files.fov === null };
  if (av) sample.av = files.av ? await readAvLabel(files.av, image) : null;
  return sample;
}

export interface LoadOptions {
  requireLabels?: boolean;
  /** Read artery/vein labels, and require one for every image. */
  requireAv?: boolean;
  limit?: number;
}

export async function loadDataset(root: string, split?: Split, opts: LoadOptions = {}): Promise<Sample[]> {
  let files = listDataset(root, split);
  const missing = (what: string, names: string[]) => {
    if (names.length) throw new Error(`${root}: no ${what} for ${names.slice(0, 5).join(', ')}${names.length > 5 ? '…' : ''}`);
  };
  if (opts.requireLabels)
    missing(
      'label',
      files.filter((f) => !f.label).map((f) => f.name),
    );
  if (opts.requireAv)
    missing(
      'artery/vein label',
      files.filter((f) => !f.av).map((f) => f.name),
    );
  if (opts.limit) files = files.slice(0, opts.limit);
  const out: Sample[] = [];
  for (const f of files) out.push(await loadSample(f, opts.requireAv));
  return out;
}

/**
 * Several data sets (e.g. one per camera) read as one list. With more than one, sample names are
 * prefixed with their folder's name so they stay unique (`STARE/im0001`).
 */
export async function loadDatasets(roots: string[], split?: Split, opts: LoadOptions = {}): Promise<Sample[]> {
  if (roots.length === 1) return loadDataset(roots[0], split, opts);
  const out: Sample[] = [];
  for (const root of roots) for (const s of await loadDataset(root, split, opts)) out.push({ ...s, name: `${basename(root)}/${s.name}` });
  return out;
}
