/**
 * workspace.json on disk, with a last good copy beside it (workspace.last-good.json, written after it
 * every time). Opening never resets anything silently: a damaged file is set aside under a new name
 * (kept), the workspace is recovered from the last good copy, or from what can be kept of the file,
 * or else rebuilt from the folder's files (workspace.ts), and every step is told in a notice.
 */
import { readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '../common/atomic-fs';
import { describeIssues } from '../common/issues';
import { ModelId, ViewState, type Notice } from '../../preload/contract';
import { emptyWorkspace, WorkspaceFile } from './store';

export const WORKSPACE_JSON = 'workspace.json';
export const LAST_GOOD_JSON = 'workspace.last-good.json';

/** A time for file names ("2030-01-02T03-04-05-678Z"). */
export function fileTime(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

type Read = { state: 'missing' } | { state: 'ok'; data: WorkspaceFile } | { state: 'damaged'; reason: string; raw: unknown };

async function readWorkspaceJson(path: string): Promise<Read> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { state: 'missing' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { state: 'damaged', reason: (e as Error).message, raw: undefined };
  }
  const parsed = WorkspaceFile.safeParse(raw);
  return parsed.success
    ? { state: 'ok', data: parsed.data }
    : { state: 'damaged', reason: describeIssues(parsed.error, 3, 'workspace.json'), raw };
}

/** A file whose only faults are its view or selected model: those reset to the defaults, the rest kept. */
function salvage(raw: unknown): { data: WorkspaceFile; reset: string[] } | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const fixed = { ...(raw as Record<string, unknown>) };
  const reset: string[] = [];
  if (!ViewState.safeParse(fixed.view).success) {
    fixed.view = emptyWorkspace().view;
    reset.push('view');
  }
  if (!ModelId.nullable().safeParse(fixed.selectedModel).success) {
    fixed.selectedModel = null;
    reset.push('selected model');
  }
  const parsed = WorkspaceFile.safeParse(fixed);
  return parsed.success && reset.length > 0 ? { data: parsed.data, reset } : null;
}

async function setAside(dir: string, name: string): Promise<string> {
  const aside = `${name}.unreadable-${fileTime()}`;
  await rename(join(dir, name), join(dir, aside));
  return aside;
}

async function writtenAt(path: string): Promise<string> {
  return (await stat(path)).mtime.toISOString();
}

export interface LoadedWorkspaceFile {
  data: WorkspaceFile;
  /** `data` differs from workspace.json, or the last good copy is missing: write both. */
  dirty: boolean;
  /** What was recovered and how; empty when workspace.json was fine. */
  notices: Notice[];
}

export async function loadWorkspaceFile(dir: string): Promise<LoadedWorkspaceFile> {
  const main = await readWorkspaceJson(join(dir, WORKSPACE_JSON));
  const lastGood = await readWorkspaceJson(join(dir, LAST_GOOD_JSON));
  if (main.state === 'ok') return { data: main.data, dirty: lastGood.state !== 'ok', notices: [] };
  const images = (d: WorkspaceFile) => `${d.images.length} image(s) with their names and marks, the selected model and the view`;
  if (main.state === 'missing') {
    if (lastGood.state !== 'ok') return { data: emptyWorkspace(), dirty: true, notices: [] };
    const when = await writtenAt(join(dir, LAST_GOOD_JSON));
    return {
      data: lastGood.data,
      dirty: true,
      notices: [
        {
          kind: 'error',
          message: `workspace.json was missing. Recovered from its last good copy (written ${when}): ${images(lastGood.data)}.`,
        },
      ],
    };
  }
  const aside = await setAside(dir, WORKSPACE_JSON);
  const damaged = `workspace.json could not be read (${main.reason}); it is kept as ${aside}.`;
  if (lastGood.state === 'ok') {
    const when = await writtenAt(join(dir, LAST_GOOD_JSON));
    return {
      data: lastGood.data,
      dirty: true,
      notices: [{ kind: 'error', message: `${damaged} Recovered from its last good copy (written ${when}): ${images(lastGood.data)}.` }],
    };
  }
  // The last good copy would be replaced by the next write: a damaged one is kept too.
  const lastAside =
    lastGood.state === 'damaged'
      ? ` The last good copy could not be read either and is kept as ${await setAside(dir, LAST_GOOD_JSON)}.`
      : '';
  const kept = salvage(main.raw);
  if (kept) {
    return {
      data: kept.data,
      dirty: true,
      notices: [
        {
          kind: 'error',
          message: `${damaged}${lastAside} Everything in it was kept except the ${kept.reset.join(' and the ')}, reset to the default.`,
        },
      ],
    };
  }
  return {
    data: emptyWorkspace(),
    dirty: true,
    notices: [
      {
        kind: 'error',
        message: `${damaged}${lastAside} No good copy was left, so the image list was rebuilt from the files in images/: original file names, reference marks, the view, the selected model and which model made each prediction are lost.`,
      },
    ],
  };
}

/** Writes workspace.json, then the same text as the last good copy. */
export async function writeWorkspaceFile(dir: string, data: WorkspaceFile): Promise<void> {
  const text = JSON.stringify(data, null, 2) + '\n';
  await atomicWrite(join(dir, WORKSPACE_JSON), text);
  await atomicWrite(join(dir, LAST_GOOD_JSON), text);
}
