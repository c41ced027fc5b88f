import { createContext, Script } from 'node:vm';
import { buildSync, type Message } from 'esbuild';
import type { Clock } from '../../../core/clock.ts';
import { createAi } from './ai.ts';
import { NotEmulatedError } from './signals.ts';
import { createUtils, type Invocation, type InvocationSlot } from './util.ts';

/** An APPSYNC_JS resolver file, loaded: its two handlers, run synchronously on the emulator's thread. */
export interface CodeUnit {
  readonly file: string;
  /** Calls `request` or `response` with `ctx`; what the handler leaves (appended errors, a filter) lands in `invocation`. */
  call(handler: 'request' | 'response', ctx: object, invocation: Invocation): unknown;
}

/** A resolver file that does not load: the message names the file and esbuild's or the runtime's complaint. */
export class CodeLoadError extends Error {}

const UTILS = '@aws-appsync/utils';

/**
 * Real CPU milliseconds a handler may run. APPSYNC_JS code is a few synchronous statements (AppSync
 * rejects loops it cannot bound); this only stops code that would otherwise never return.
 */
const CPU_LIMIT_MS = 1_000;
const CALL = new Script('__call()', { filename: 'appsync-js-call' });

/** A request or response handler that did not return within CPU_LIMIT_MS. */
export class CodeTimeoutError extends Error {}

/**
 * Bundles `file` with esbuild into one CommonJS script (imports of `@aws-appsync/utils` and
 * `@aws-appsync/utils/ai` stay as `require` calls, answered with the emulator's implementation, so the
 * user's code imports them exactly as on AWS without installing them), then evaluates it in its own
 * node:vm context: no `process`, no `require` of anything else, as APPSYNC_JS has neither.
 */
export function loadUnit(file: string, clock: Clock): CodeUnit {
  let code: string;
  try {
    const out = buildSync({ entryPoints: [file], bundle: true, write: false, format: 'cjs', platform: 'neutral', target: 'es2022', external: [UTILS, `${UTILS}/*`], logLevel: 'silent' });
    code = out.outputFiles[0]!.text;
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    const detail = errors?.map((e) => (e.location ? `line ${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join('; ');
    throw new CodeLoadError(detail ?? (error as Error).message);
  }
  const slot: InvocationSlot = { current: undefined };
  const modules: Record<string, unknown> = { [UTILS]: createUtils(clock, slot), [`${UTILS}/ai`]: createAi() };
  const require = (name: string): unknown => {
    if (name in modules) return modules[name];
    throw new NotEmulatedError(`import of "${name}"`);
  };
  const module = { exports: {} as Record<string, unknown> };
  const context = createContext({});
  try {
    const wrapper = new Script(`(function (module, exports, require) {${code}\n})`, { filename: file }).runInContext(context, { timeout: CPU_LIMIT_MS }) as (m: unknown, e: unknown, r: unknown) => void;
    wrapper(module, module.exports, require);
  } catch (error) {
    throw new CodeLoadError(`evaluating it threw ${describe(error)}`);
  }
  const handlers = { request: module.exports.request, response: module.exports.response };
  for (const [name, fn] of Object.entries(handlers)) if (typeof fn !== 'function') throw new CodeLoadError(`it exports no ${name} function (a unit resolver needs request and response)`);
  return {
    file,
    call(handler, ctx, invocation) {
      slot.current = invocation;
      // Through a script with a timeout, so a loop that never ends fails this field instead of
      // freezing the emulator's thread (and every other API on it).
      context.__call = () => (handlers[handler] as (ctx: object) => unknown)(ctx);
      try {
        return CALL.runInContext(context, { timeout: CPU_LIMIT_MS });
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new CodeTimeoutError(`${handler}() ran more than ${CPU_LIMIT_MS} ms of CPU`);
        throw error;
      } finally {
        slot.current = undefined;
        delete context.__call;
      }
    },
  };
}

/** An error thrown in the vm context is not `instanceof Error` here; its name and message still are. */
export function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) return `${String((error as Error).name)}: ${String((error as Error).message)}`;
  return String(error);
}
