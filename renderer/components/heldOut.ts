/**
 * How the UI words a version's held-out comparison, in one place: the chart's labels, the outcome, the
 * version card and Compare show the same numbers (main's toast formats them the same way: 3 decimals),
 * and say how much of the held-out part a person decided and how to reproduce them.
 */
import type { ValidationInfo } from '../../preload/contract';

export const f3 = (v: number) => v.toFixed(3);

/** "F1 0.812 → 0.830 · AUC 0.951 → 0.962 on 21_training (100% decided by a person)". */
export function heldOutNumbers(v: ValidationInfo): string {
  const decided = v.decidedShare >= 0.9995 ? '100%' : `${(100 * v.decidedShare).toFixed(1)}%`;
  const t = (x: number) => x.toFixed(2);
  const at =
    v.before.threshold === v.after.threshold
      ? `threshold ${t(v.after.threshold)}`
      : `thresholds ${t(v.before.threshold)} → ${t(v.after.threshold)}`;
  return `F1 ${f3(v.before.f1)} → ${f3(v.after.f1)} · AUC ${f3(v.before.auc)} → ${f3(v.after.auc)} on ${v.region} (${decided} of it decided by a person; ${at})`;
}

/** The command that recomputes a version's held-out numbers from the workspace's files. */
export function reproduceCommand(v: ValidationInfo, modelDir: string, workspace: string): string {
  return `npm run evaluate -- --model ${modelDir} --data ${workspace} --images ${v.images.join(',')}${v.quarter === null ? '' : ` --quarter ${v.quarter}`}`;
}
