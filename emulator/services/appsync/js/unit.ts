import { createContext, Script } from 'node:vm';
import { buildSync, type Message } from 'esbuild';
import type { Clock } from '../../../core/clock.ts';
import { createAi } from './ai.ts';
import { NotEmulatedError } from './signals.ts';
import { createUtils, type Invocation, type InvocationSlot } from './util.ts';

/** An APPSYNC_JS file, loaded: its handlers (a resolver's `request`/`response` by default), run synchronously on the emulator's thread. */
export interface CodeUnit<H extends string = 'request' | 'response'> {
  readonly file: string;
  /** The handler names the file exports (with `need: 'any'`, some may be missing). */
  readonly exported: ReadonlySet<H>;
  /** Calls the named handler with `ctx`; what the handler leaves (appended errors, a filter) lands in `invocation`. */
  call(handler: H, ctx: object, invocation: Invocation): unknown;
}

/** Which exports a file must have: all of `names` (a unit resolver) or at least one (an Events namespace's code). */
export interface UnitExports<H extends string> {
  names: readonly H[];
  need: 'all' | 'any';
  /** Says why, in the load error: e.g. `a unit resolver needs request and response`. */
  why: string;
}

const RESOLVER_EXPORTS: UnitExports<'request' | 'response'> = { names: ['request', 'response'], need: 'all', why: 'a unit resolver needs request and response' };

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
export function loadUnit(file: string, clock: Clock): CodeUnit;
export function loadUnit<H extends string>(file: string, clock: Clock, exports: UnitExports<H>): CodeUnit<H>;
export function loadUnit(file: string, clock: Clock, exports: UnitExports<string> = RESOLVER_EXPORTS): CodeUnit<string> {
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
  const handlers = new Map(exports.names.filter((name) => typeof module.exports[name] === 'function').map((name) => [name, module.exports[name] as (ctx: object) => unknown]));
  const missing = exports.names.filter((name) => !handlers.has(name));
  if (exports.need === 'all' && missing.length > 0) throw new CodeLoadError(`it exports no ${missing[0]!} function (${exports.why})`);
  if (handlers.size === 0) throw new CodeLoadError(`it exports no ${exports.names.join(' or ')} function (${exports.why})`);
  return {
    file,
    exported: new Set(handlers.keys()),
    call(handler, ctx, invocation) {
      const fn = handlers.get(handler);
      if (!fn) throw new Error(`${file} exports no ${handler} function`);
      slot.current = invocation;
      // Through a script with a timeout, so a loop that never ends fails this field instead of
      // freezing the emulator's thread (and every other API on it).
      context.__call = () => fn(ctx);
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
