import { types } from 'node:util';
import type { FunctionError } from '../types.ts';

/**
 * The errors Lambda's Node.js 20 runtime raises itself, named and worded as its runtime interface client
 * (aws-lambda-nodejs-runtime-interface-client 3.x, src/Errors.js) does: the name sits on the prototype,
 * so a stack reads `Runtime.ImportModuleError: Error: Cannot find module ...`.
 */

function runtimeError(name: string) {
  const Class = class extends Error {};
  Object.defineProperty(Class.prototype, 'name', { value: `Runtime.${name}`, writable: true, configurable: true });
  return Class;
}

export const ImportModuleError = runtimeError('ImportModuleError');
export const HandlerNotFound = runtimeError('HandlerNotFound');
export const MalformedHandlerName = runtimeError('MalformedHandlerName');
export const UserCodeSyntaxError = runtimeError('UserCodeSyntaxError');
export const MalformedStreamingHandler = runtimeError('MalformedStreamingHandler');
export const InvalidStreamingOperation = runtimeError('InvalidStreamingOperation');
export const UnhandledPromiseRejection = runtimeError('UnhandledPromiseRejection');

function looksLikeError(value: unknown): value is Error {
  const v = value as Partial<Error> | null;
  return !!v && typeof v.name === 'string' && typeof v.message === 'string' && typeof v.stack === 'string' && !!v.name && !!v.message && !!v.stack;
}

/** The invoke-response payload for a thrown or passed error (the runtime's toRapidResponse). */
export function formatError(error: unknown): FunctionError {
  try {
    if (types.isNativeError(error) || looksLikeError(error)) {
      const e = error as Error;
      return {
        errorType: e.name?.replaceAll('\x7F', '%7F'),
        errorMessage: e.message?.replaceAll('\x7F', '%7F'),
        trace: (e.stack as string).replaceAll('\x7F', '%7F').split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function intoError(error: unknown): Error {
  return error instanceof Error ? error : new Error(error as string);
}

/** Lambda's runtime logs every error it reports: `console.error('Invoke Error', '\t{...}')`. */
export function logError(label: string, error: unknown): void {
  let text: string;
  const e = intoError(error);
  try {
    text = `\t${JSON.stringify(e, (_key, value: unknown) => withEnumerableProperties(value))}`;
  } catch {
    text = `\t${JSON.stringify(formatError(e))}`;
  }
  console.error(label, text);
}

function withEnumerableProperties(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const out: Record<string, unknown> = Object.assign({ errorType: value.name, errorMessage: value.message, code: (value as { code?: unknown }).code }, value as object);
  if (typeof value.stack === 'string') out.stack = value.stack.split('\n');
  return out;
}
