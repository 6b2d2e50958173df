/** Which weights made a result: "<model folder>@<first 12 hex digits of sha256(weights.bin)>". */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

export async function modelIdentity(dir: string): Promise<string> {
  const weights = await readFile(join(dir, 'weights.bin'));
  return `${basename(dir)}@${createHash('sha256').update(weights).digest('hex').slice(0, 12)}`;
}
