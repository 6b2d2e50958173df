/**
 * One running app per workspace folder: <workspace>/.vessel-lock names the process using it (pid,
 * host, which app, since when). It is created whole in one step (a hard link of a finished file), so
 * two apps starting at once cannot both take it. A second app is refused with who holds the folder; a
 * lock whose process is gone (a crash, kill -9) is stale and taken over.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../common/atomic-fs';
import { UserError } from './errors';

export const LOCK_FILE = '.vessel-lock';

interface Holder {
  pid: number;
  host: string;
  app: string;
  since: string;
}

export interface WorkspaceLock {
  /** The stale lock this one replaced (its process had ended), for the log. */
  replaced: Holder | null;
  /** Removes the lock if it is still ours; synchronous, so it can run in an 'exit' handler. */
  release(): void;
}

function parseHolder(text: string): Holder | null {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return Number.isSafeInteger(h.pid) && typeof h.host === 'string'
      ? { pid: h.pid!, host: h.host, app: String(h.app), since: String(h.since) }
      : null;
  } catch {
    return null;
  }
}

/** A holder that may still be running: its process is alive, or it is on another machine (cannot be checked). */
function mayRun(h: Holder): boolean {
  return h.host !== hostname() || processAlive(h.pid);
}

/** Creates `path` with the draft's content, failing with EEXIST when it exists. */
async function createLock(draft: string, path: string, content: string): Promise<void> {
  try {
    await link(draft, path);
  } catch (e) {
    // File systems without hard links (FAT): an exclusive create, written right after.
    if (!['EPERM', 'ENOTSUP', 'ENOSYS'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    await writeFile(path, content, { flag: 'wx' });
  }
}

export async function lockWorkspace(dir: string, app: string): Promise<WorkspaceLock> {
  const path = join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), app, since: new Date().toISOString() };
  const mine = JSON.stringify(me);
  const draft = join(dir, `${LOCK_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await writeFile(draft, mine);
  let replaced: Holder | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await createLock(draft, path, mine);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw e;
      }
      const text = await readFile(path, 'utf8').catch(() => null);
      if (text === null) continue; // released meanwhile
      const holder = parseHolder(text);
      if (holder && mayRun(holder)) {
        const where = holder.host === me.host ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
        throw new UserError(
          `The workspace ${dir} is in use by another Vessel Studio (${holder.app}, ${where}, since ${holder.since}). ` +
            `Close that one first, or choose another folder with --workspace. (If it is not running, delete ${path}.)`,
        );
      }
      // Stale: moved aside under a name of our own, so of two apps taking it over only one succeeds.
      const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        await rename(path, aside);
      } catch {
        continue; // someone else moved it first
      }
      const moved = await readFile(aside, 'utf8');
      if (moved !== text) {
        // A live lock taken meanwhile by another app: put it back and look again.
        await link(aside, path).catch(() => undefined);
        await rm(aside, { force: true });
        continue;
      }
      await rm(aside, { force: true });
      replaced = holder;
    }
  } finally {
    await unlink(draft).catch(() => undefined);
  }
  return {
    replaced,
    release() {
      try {
        if (readFileSync(path, 'utf8') === mine) unlinkSync(path);
      } catch {
        // Already gone.
      }
    },
  };
}
