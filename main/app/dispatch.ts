/**
 * The one place requests are validated: Electron IPC (ipc.ts) and the browser shell (web.ts) both hand
 * raw (untrusted) requests to the dispatcher, which checks them against the contract, runs the handler
 * and returns a CallOutcome envelope whose error is a sentence the UI can show as is.
 * No Electron import here: the web shell and the tests use it in plain Node.
 */
import { describeIssues } from '../common/issues';
import { contract, isCallName, type CallName, type Response, type ValidRequest } from '../../preload/contract';
import type { CallOutcome } from '../../preload/names';
import { UserError } from '../workspace/errors';

export type Handlers = { [C in CallName]: (request: ValidRequest<C>) => Promise<Response<C>> };
export type HandleCall = (name: unknown, rawRequest: unknown) => Promise<CallOutcome>;

/** A call name as a message can quote it: never through its own toString (it may be any JSON value). */
function quoteName(name: unknown): string {
  if (typeof name === 'string') return JSON.stringify(name).slice(0, 80);
  if (typeof name === 'number' || typeof name === 'boolean') return `"${name}"`;
  return `(not a string: ${name === null ? 'null' : Array.isArray(name) ? 'array' : typeof name})`;
}

/** The returned function never rejects: every failure becomes an error outcome. */
export function createDispatcher(handlers: Handlers, onInternalError: (e: unknown) => void = (e) => console.error(e)): HandleCall {
  const dispatch = createUnguardedDispatcher(handlers, onInternalError);
  return async (name, rawRequest) => {
    try {
      return await dispatch(name, rawRequest);
    } catch (e) {
      onInternalError(e);
      return { ok: false, error: 'Internal error: the request could not be handled' };
    }
  };
}

function createUnguardedDispatcher(handlers: Handlers, onInternalError: (e: unknown) => void): HandleCall {
  return async (name, rawRequest) => {
    if (!isCallName(name)) return { ok: false, error: `Unknown call ${quoteName(name)}` };
    const spec = contract.calls[name];
    const parsed = spec.request.safeParse(rawRequest);
    if (!parsed.success) return { ok: false, error: `Invalid request to ${name}: ${describeIssues(parsed.error)}` };
    let value: unknown;
    try {
      value = await (handlers[name] as (r: unknown) => Promise<unknown>)(parsed.data);
    } catch (e) {
      if (!(e instanceof UserError)) onInternalError(e);
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    // Our own answers are checked too: a mismatch is a bug in main, better caught here than in the UI.
    const checked = spec.response.safeParse(value);
    if (!checked.success) {
      onInternalError(new Error(`response of ${name} breaks the contract: ${describeIssues(checked.error)}`));
      return { ok: false, error: `Internal error: ${name} produced an invalid answer` };
    }
    return { ok: true, value: checked.data };
  };
}
