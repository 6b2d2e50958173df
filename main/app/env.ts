/** Settings the shells read from the environment. */

/** VESSEL_RETRAIN_STEPS: retraining steps when the UI names none (short runs for demos and tests). */
export function retrainStepsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env.VESSEL_RETRAIN_STEPS;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`VESSEL_RETRAIN_STEPS must be a whole number 1-100000, got "${v}"`);
  return n;
}
