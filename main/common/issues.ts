/** A zod validation failure as one line a person can read: the first few fields and what is wrong with each. */
import type { z } from 'zod';

/** `root` names the whole value, for issues about it rather than one of its fields. */
export function describeIssues(error: z.ZodError, max = 5, root = 'request'): string {
  return error.issues
    .slice(0, max)
    .map((i) => `${i.path.length ? i.path.join('.') : root}: ${i.message}`)
    .join('; ');
}
