/**
 * Crash-safe writes, shared by the workspace (labels, workspace.json) and the engine (models,
 * checkpoints). A file: written to a temp file in the same directory, fsynced, renamed over the target
 * (atomic on POSIX and NTFS within one volume), then the directory fsynced so the rename itself survives
 * power loss: a reader sees the old file or the new one, never a torn one. A folder: filled under a
 * temporary name, then swapped in by renames. Leftover temp files are removed by removeStaleTemps.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_SUFFIX = '.vessel-tmp';

export async function atomicWrite(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  const file = await open(temp, 'wx');
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (e) {
    await file.close();
    await rm(temp, { force: true });
    throw e;
  }
  await file.close();
  try {
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

/**
 * Moves the finished folder `tmp` to `dir`. A new `dir` appears in one rename; an existing one is
 * renamed aside first, so for an instant neither is at `dir` (the old one is still on disk until then).
 */
export async function replaceDirectory(tmp: string, dir: string): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  if (existsSync(dir)) {
    const old = `${tmp}-old`;
    await rename(dir, old);
    await rename(tmp, dir);
    await rm(old, { recursive: true, force: true });
  } else {
    await rename(tmp, dir);
  }
  await syncDir(dirname(dir));
}

async function syncDir(dir: string): Promise<void> {
  // Directories cannot be opened for fsync on Windows; there the rename is already durable enough.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Deletes temp files a killed process left behind in `dir` (only ours: they carry our suffix). */
export async function removeStaleTemps(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const stale = names.filter((n) => n.startsWith('.') && n.endsWith(TEMP_SUFFIX) && !processAlive(tempWriter(n)));
  await Promise.all(stale.map((n) => rm(join(dir, n), { force: true })));
  return stale.length;
}

function tempWriter(tempName: string): number {
  return Number(/\.(\d+)\.[0-9a-f]+\.vessel-tmp$/.exec(tempName)?.[1]);
}

/**
 * Whether another process with this pid runs (e.g. a second app instance writing the same
 * workspace): its temp files are not stale. Our own pid counts as not alive: we know we left them.
 */
export function processAlive(pid: number): boolean {
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
