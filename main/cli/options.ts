/**
 * Validators for command-line values, one per kind of option: each returns the value or throws a
 * UsageError naming the option, what it accepts and what it got, before any work starts (the command
 * then exits with code 2).
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseBackend, type BackendName } from '../engine/backends';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Bounds of the numbers the commands take: past them a run cannot be meant, or cannot fit in memory. */
export const LIMITS = {
  steps: 10_000_000,
  batch: 1024,
  crop: 2048,
  base: 512,
  depth: 8,
  seed: 2 ** 31 - 1,
  images: 100_000,
  workers: 64,
} as const;

const shown = (v: string) => (v === '' ? '"" (empty)' : `"${v}"`);

/** A whole number written in digits (no "1.5", "1e3" or ""), from `min` to `max`. */
export function intOption(v: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  const n = /^[+-]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${shown(v)}`);
  return n;
}

/** A finite number from `min` to `max`; `above` excludes `min` itself. */
export function numberOption(
  v: string | undefined,
  name: string,
  fallback: number,
  range: { min: number; max: number; above?: boolean },
): number {
  if (v === undefined) return fallback;
  const n = v.trim() === '' ? NaN : Number(v);
  const low = range.above ? n > range.min : n >= range.min;
  if (!Number.isFinite(n) || !low || n > range.max) {
    throw new UsageError(
      `--${name} must be a number ${range.above ? 'above' : 'from'} ${range.min} ${range.above ? 'and at most' : 'to'} ${range.max}, got ${shown(v)}`,
    );
  }
  return n;
}

export function choiceOption<T extends string>(v: string | undefined, name: string, fallback: T, choices: readonly T[]): T {
  if (v === undefined) return fallback;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got ${shown(v)}`);
  return v as T;
}

export function backendOption(v: string | undefined, name = 'backend'): BackendName | 'auto' {
  try {
    return parseBackend(v);
  } catch (e) {
    throw new UsageError(`--${name}: ${(e as Error).message}`);
  }
}

export function requiredOption(v: string | undefined, name: string): string {
  if (!v) throw new UsageError(`--${name} is required (see --help)`);
  return v;
}

/** `--data a,b` (or the option repeated): one folder per camera, resolved. */
export function dataFolders(v: string[] | undefined): string[] {
  const list = (v ?? []).flatMap((d) => d.split(',')).filter(Boolean);
  if (list.length === 0) throw new UsageError('--data is required (see --help)');
  return list.map((d) => resolve(d));
}

/** `--data` for commands that read one folder. */
export function dataFolder(v: string[] | undefined): string {
  const list = dataFolders(v);
  if (list.length > 1) throw new UsageError(`--data takes one folder here, got ${list.length}: ${list.join(', ')}`);
  return list[0];
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** A file to write: its folder must exist (nothing is created by guessing), and it must not be a folder. */
export function outputFile(v: string | undefined, name: string): string {
  const path = resolve(requiredOption(v, name));
  if (!isDirectory(dirname(path))) throw new UsageError(`--${name}: the folder ${dirname(path)} does not exist; create it first`);
  if (isDirectory(path)) throw new UsageError(`--${name}: ${path} is a folder; name a file`);
  return path;
}

/**
 * A model folder to write: its parent must exist, and an existing path must be a model folder (saving
 * replaces it whole, so a folder of other files, or a file, is never taken for one).
 */
export function outputModelFolder(v: string | undefined, name: string): string {
  const path = resolve(requiredOption(v, name));
  if (!isDirectory(dirname(path))) throw new UsageError(`--${name}: the folder ${dirname(path)} does not exist; create it first`);
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing && !existing.isDirectory()) throw new UsageError(`--${name}: ${path} is a file, not a model folder`);
  if (existing && !statSync(join(path, 'meta.json'), { throwIfNoEntry: false })?.isFile()) {
    throw new UsageError(
      `--${name}: ${path} exists and is not a model folder (no meta.json); saving would replace it, so name a new folder`,
    );
  }
  return path;
}
