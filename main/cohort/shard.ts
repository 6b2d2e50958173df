/**
 * `--shard k/n`: this process takes the images whose position in the (sorted) input list is k modulo n,
 * k from 0 to n−1 — a Kubernetes Indexed Job's completion index or a Slurm array task id as is.
 */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard must look like k/n (e.g. 0/4), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new Error(`--shard ${text}: k must be 0 to n−1 (shards are numbered from 0)`);
  return { index, count };
}

export function inShard(position: number, shard: Shard | null): boolean {
  return !shard || position % shard.count === shard.index;
}
