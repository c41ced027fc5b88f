import { resolve as resolvePath } from 'node:path';
import { EmulatorError } from '../../core/errors.ts';
import type { ServiceDeps } from '../../core/service.ts';
import type { EventsHandlerEvent } from './events-handler-event.ts';
import { outgoingEvents, type PublishVerdict } from './events-handlers.ts';
import * as msg from './events-messages.ts';
import { UnauthorizedSignal, UtilErrorSignal } from './js/signals.ts';
import { CodeLoadError, CodeTimeoutError, describe, loadUnit, type CodeUnit, type UnitExports } from './js/unit.ts';
import type { AppSyncEventsOptions } from './options.ts';

/**
 * Namespace handlers written in APPSYNC_JS (AWS's namespace `codeHandlers`, behavior CODE; reference
 * §3.6, writing-event-handlers.html): one file exporting `onPublish(ctx)` and/or `onSubscribe(ctx)`,
 * run synchronously in the same sandbox and CPU guard as GraphQL resolvers (js/unit.ts). Where AWS
 * documents no reply, a failure answers as the direct Lambda handlers do (events-handlers.ts):
 * `util.unauthorized()` as a thrown UnauthorizedException, `util.error(message, type?)` as a returned
 * `{error}` (HandlerExecutionError with that text, or the type given), anything else as a crash.
 */

export type EventsHandlerName = 'onPublish' | 'onSubscribe';
export type NamespaceCode = CodeUnit<EventsHandlerName>;

const EXPORTS: UnitExports<EventsHandlerName> = { names: ['onPublish', 'onSubscribe'], need: 'any', why: "a namespace's code needs onPublish or onSubscribe" };

export interface LoadNamespaceCodeInput {
  api: string;
  events: AppSyncEventsOptions;
  baseDir: string;
  deps: ServiceDeps;
}

/**
 * Loads every namespace's `code` once, at start-up. A file that does not bundle or evaluate, exports
 * neither handler, or exports one the namespace also gives a Lambda stops the start; all problems
 * are reported together, with their config paths (as data-sources/compile.ts does for resolvers).
 */
export function loadNamespaceCode(input: LoadNamespaceCodeInput): Map<string, NamespaceCode> {
  const { api, events, baseDir, deps } = input;
  const problems: string[] = [];
  const loaded = new Map<string, NamespaceCode>();
  for (const [name, namespace] of Object.entries(events.namespaces)) {
    if (namespace.code === undefined) continue;
    const path = `appsyncApis.${api}.events.namespaces.${name}`;
    const file = resolvePath(baseDir, namespace.code);
    let unit: NamespaceCode;
    try {
      unit = loadUnit(file, deps.clock, EXPORTS);
    } catch (error) {
      problems.push(`${path}.code: ${file}: ${error instanceof CodeLoadError ? error.message : String(error)}`);
      continue;
    }
    const both = EXPORTS.names.filter((handler) => unit.exported.has(handler) && namespace[handler] !== undefined);
    for (const handler of both) problems.push(`${path}.${handler}: ${file} exports ${handler} too; a handler comes from the code or from a Lambda, not both`);
    if (both.length === 0) loaded.set(name, unit);
  }
  if (problems.length > 0) {
    throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to load the namespace code of AppSync Events API "${api}": ${problems.join('; ')}. Fix the paths named.`);
  }
  return loaded;
}

export interface CodeCall {
  deps: ServiceDeps;
  api: string;
  unit: NamespaceCode;
  event: EventsHandlerEvent;
  connectionId?: string;
}

type Outcome = 'success' | 'handler-error' | 'unauthorized' | 'code-error' | 'timeout' | 'invalid-response';

/** onPublish(ctx): the events to broadcast (`[]` or `null`: none; `{id, error}`: failed); a throw fails the whole publish. */
export function runCodeOnPublish(call: CodeCall): PublishVerdict {
  const known = new Set((call.event.events ?? []).map((e) => e.id));
  const ran = invoke(call, 'onPublish');
  if ('error' in ran) return finish(call, 'onPublish', ran.outcome, { kind: 'rejected', error: ran.error });
  // No return value broadcasts nothing, as a Lambda's null answer does (AWS types the return `OutgoingEvent[] | null`).
  const returned = ran.value ?? [];
  if (!Array.isArray(returned)) {
    call.deps.log.warn(`Failed to use what onPublish in ${call.unit.file} returned on ${call.event.info.channel.path}: ${JSON.stringify(returned)} is not a list of events. Return ctx.events or a list of {id, payload}.`);
    return finish(call, 'onPublish', 'invalid-response', { kind: 'rejected', error: msg.handlerFailed() });
  }
  return finish(call, 'onPublish', 'success', outgoingEvents(call.deps, call.api, `onPublish in ${call.unit.file}`, returned, known));
}

/** onSubscribe(ctx): returning (anything) accepts; a throw rejects. Undefined accepts. */
export function runCodeOnSubscribe(call: CodeCall): msg.EventsErrorEntry | undefined {
  const ran = invoke(call, 'onSubscribe');
  if ('error' in ran) return finish(call, 'onSubscribe', ran.outcome, ran.error);
  return finish(call, 'onSubscribe', 'success', undefined);
}

type Ran = { value: unknown } | { error: msg.EventsErrorEntry; outcome: Outcome };

function invoke(call: CodeCall, handler: EventsHandlerName): Ran {
  const { event } = call;
  // A copy: the handler may change its ctx, and the socket's headers serve its next messages too.
  const ctx = JSON.parse(JSON.stringify({ events: event.events, info: event.info, identity: event.identity, request: event.request, stash: event.stash })) as object;
  try {
    const value = call.unit.call(handler, ctx, { appended: [], subscription: false });
    // Values leave the sandbox as JSON, as between AppSync's steps.
    return { value: value === undefined ? null : (JSON.parse(JSON.stringify(value) ?? 'null') as unknown) };
  } catch (error) {
    return failure(call, handler, error);
  }
}

function failure(call: CodeCall, handler: EventsHandlerName, error: unknown): Ran {
  if (error instanceof UnauthorizedSignal) return { error: msg.unauthorized(), outcome: 'unauthorized' };
  if (error instanceof UtilErrorSignal) return { error: error.errorType === null ? msg.handlerError(error.message) : { errorType: error.errorType, message: error.message }, outcome: 'handler-error' };
  const timeout = error instanceof CodeTimeoutError;
  call.deps.log.warn(`Failed to run ${handler} in ${call.unit.file} on ${call.event.info.channel.path}: ${timeout ? (error as Error).message : describe(error)}. Fix the handler; the client got HandlerExecutionError.`);
  return { error: msg.handlerFailed(), outcome: timeout ? 'timeout' : 'code-error' };
}

function finish<T>(call: CodeCall, handler: EventsHandlerName, outcome: Outcome, result: T): T {
  const { event, connectionId } = call;
  call.deps.trace.record('appsync.events-code', { api: call.api, handler, file: call.unit.file, channel: event.info.channel.path, outcome, ...(connectionId ? { connectionId } : {}) });
  return result;
}
