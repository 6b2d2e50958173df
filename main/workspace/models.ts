/**
 * Which models exist: the bundled default (resources/models/default) and the workspace's models/<id>/.
 * Reads meta.json directly (not through the engine's model-io) so the main process never loads tfjs.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelSummary } from '../../preload/contract';

export const DEFAULT_MODEL_ID = 'default';

const Meta = z.object({
  format: z.literal('vessel-studio-model'),
  name: z.string(),
  createdAt: z.string(),
  parent: z.string().nullable(),
});

export interface ModelEntry {
  summary: ModelSummary;
  dir: string;
}

async function readEntry(id: string, dir: string): Promise<ModelEntry | null> {
  try {
    const meta = Meta.parse(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')));
    return { summary: { id, name: meta.name, createdAt: meta.createdAt, parent: meta.parent }, dir };
  } catch {
    // Not a model folder (or a half-copied one): not offered.
    return null;
  }
}

export async function listModels(defaultModelDir: string, workspaceModelsDir: string): Promise<ModelEntry[]> {
  const found: ModelEntry[] = [];
  const bundled = await readEntry(DEFAULT_MODEL_ID, defaultModelDir);
  if (bundled) found.push(bundled);
  let names: string[] = [];
  try {
    names = (await readdir(workspaceModelsDir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
  } catch {
    /* no models/ folder yet */
  }
  for (const name of names.sort()) {
    if (name === DEFAULT_MODEL_ID || !/^[A-Za-z0-9._-]{1,128}$/.test(name)) continue;
    const entry = await readEntry(name, join(workspaceModelsDir, name));
    if (entry) found.push(entry);
  }
  return found;
}
