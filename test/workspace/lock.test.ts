import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LOCK_FILE, lockWorkspace } from '../../main/workspace/lock';
import { tempDir } from '../helpers/files';

/** Another process holding the lock on `dir`, once it says so. */
async function holder(t: { after(fn: () => void): void }, dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'lock-holder.ts'), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  return child;
}

const exited = (c: ChildProcess) => new Promise((resolve) => c.once('exit', resolve));

test('a second app on the same workspace is told which process holds it; after that one quits, the lock is free', async (t) => {
  const dir = tempDir(t);
  const child = await holder(t, dir);
  await assert.rejects(
    lockWorkspace(dir, 'browser shell'),
    new RegExp(
      `^UserError: The workspace ${dir} is in use by another Vessel Studio \\(lock test, process ${child.pid}, since .+\\)\\. Close that one first`,
    ),
  );
  child.kill('SIGTERM');
  await exited(child);
  assert.ok(!existsSync(join(dir, LOCK_FILE)), 'released on exit');
  const lock = await lockWorkspace(dir, 'browser shell');
  assert.equal(lock.replaced, null);
  assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
  lock.release();
  assert.ok(!existsSync(join(dir, LOCK_FILE)));
});

test('the lock of a process that died without releasing it (kill -9) is detected as stale and taken over', async (t) => {
  const dir = tempDir(t);
  const child = await holder(t, dir);
  child.kill('SIGKILL');
  await exited(child);
  assert.ok(existsSync(join(dir, LOCK_FILE)), 'left behind');
  const lock = await lockWorkspace(dir, 'browser shell');
  assert.deepEqual([lock.replaced?.pid, lock.replaced?.app], [child.pid, 'lock test']);
  lock.release();
});

test('a lock held from another machine cannot be checked, so it is respected', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, LOCK_FILE),
    JSON.stringify({ pid: 1, host: `not-${hostname()}`, app: 'desktop app', since: '2030-01-01T00:00:00.000Z' }),
  );
  await assert.rejects(
    lockWorkspace(dir, 'browser shell'),
    /in use by another Vessel Studio \(desktop app, process 1 on not-.+, since 2030-01-01T00:00:00\.000Z\)/,
  );
});
