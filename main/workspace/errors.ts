/** An expected failure caused by the user's input or state: shown to the user, not logged as a bug. */
export class UserError extends Error {
  override name = 'UserError';
}
