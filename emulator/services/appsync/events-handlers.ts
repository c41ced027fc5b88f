import type { ServiceDeps } from '../../core/service.ts';
import type { InvokeOutcome } from '../lambda-runtime/types.ts';
import type { EventsHandlerEvent } from './events-handler-event.ts';
import * as msg from './events-messages.ts';
import type { EventsHandlerConfig } from './options.ts';

/**
 * Namespace handlers as direct Lambda integrations (reference §3.6; AWS's direct-lambda-integrations
 * page). REQUEST_RESPONSE waits for the function and follows its answer; EVENT starts it and goes
 * on as if no handler were set ("does not impact the rest of the handling"). Every failure becomes
 * an Events error entry for the client: the server keeps serving.
 */

export interface HandlerCall {
  deps: ServiceDeps;
  api: string;
  config: EventsHandlerConfig;
  event: EventsHandlerEvent;
  connectionId?: string;
}

/** What a publish does after its onPublish: broadcast these (in the function's order), list these ids as failed; or fail whole. */
export type PublishVerdict =
  | { kind: 'broadcast'; events: Array<{ id: string; event: string }>; failed: Map<string, string> }
  | { kind: 'rejected'; error: msg.EventsErrorEntry };

type Outcome = 'success' | 'handler-error' | 'function-error' | 'invoke-rejected' | 'invalid-response';

/** onPublish: `{events: [{id, payload} | {id, error}]}` or `{error}` (AWS's LambdaAppSyncEventResponse). */
export async function runOnPublish(call: HandlerCall): Promise<PublishVerdict> {
  const incoming = call.event.events ?? [];
  if (call.config.invokeType === 'EVENT') {
    invokeDetached(call, 'onPublish');
    return { kind: 'broadcast', events: incoming.map(({ id, payload }) => ({ id, event: JSON.stringify(payload) })), failed: new Map() };
  }
  const answer = await invokeWaiting(call);
  if ('error' in answer) return finish(call, 'onPublish', answer.outcome, { kind: 'rejected', error: answer.error });
  const body = answer.value;
  if (isObject(body) && body.error !== undefined && body.error !== null) return finish(call, 'onPublish', 'handler-error', { kind: 'rejected', error: msg.handlerError(text(body.error)) });
  // A null answer, or one without `events`, broadcasts nothing (as a code handler returning [] does).
  const returned = body === null ? [] : isObject(body) ? (body.events ?? []) : undefined;
  if (!Array.isArray(returned)) {
    call.deps.log.warn(`Failed to use the onPublish answer of function "${call.config.function}" on ${call.event.info.channel.path}: ${JSON.stringify(body)} is not {events: [...]} or {error}. Return {events: [{id, payload}]}.`);
    return finish(call, 'onPublish', 'invalid-response', { kind: 'rejected', error: msg.handlerFailed() });
  }
  return finish(call, 'onPublish', 'success', outgoingEvents(call.deps, call.api, `onPublish function "${call.config.function}"`, returned, new Set(incoming.map((e) => e.id))));
}

/** onSubscribe: `null` accepts, `{error}` rejects (reference §3.6 [O]); anything else is an unusable answer. */
export async function runOnSubscribe(call: HandlerCall): Promise<msg.EventsErrorEntry | undefined> {
  if (call.config.invokeType === 'EVENT') {
    invokeDetached(call, 'onSubscribe');
    return undefined;
  }
  const answer = await invokeWaiting(call);
  if ('error' in answer) return finish(call, 'onSubscribe', answer.outcome, answer.error);
  const body = answer.value;
  if (body === null) return finish(call, 'onSubscribe', 'success', undefined);
  if (isObject(body) && body.error !== undefined && body.error !== null) return finish(call, 'onSubscribe', 'handler-error', msg.handlerError(text(body.error)));
  // AppSync rejects a subscription whose handler returned anything else (Powertools issue 3884).
  call.deps.log.warn(`Failed to use the onSubscribe answer of function "${call.config.function}" on ${call.event.info.channel.path}: ${JSON.stringify(body)} is not null or {error}. Return null to accept.`);
  return finish(call, 'onSubscribe', 'invalid-response', msg.handlerFailed());
}

/**
 * The returned events AppSync can broadcast: ids it sent (each once), a payload, at most `appsyncEventBytes` as `{id, payload}`.
 * Shared by Lambda and code (events-code-handlers.ts) handlers; `source` names the handler in warnings.
 */
export function outgoingEvents(deps: ServiceDeps, api: string, source: string, returned: unknown[], known: Set<string>): PublishVerdict {
  const events: Array<{ id: string; event: string }> = [];
  const failed = new Map<string, string>();
  const seen = new Set<string>();
  for (const item of returned) {
    const entry = isObject(item) ? item : {};
    const id = entry.id;
    if (typeof id !== 'string' || !known.has(id) || seen.has(id)) {
      deps.log.warn(`Failed to broadcast an event returned by ${source}: ${JSON.stringify(item)} has no id of this publish (or repeats one). Return each event with the id it came with.`);
      continue;
    }
    seen.add(id);
    if (entry.error !== undefined && entry.error !== null) {
      failed.set(id, text(entry.error));
      continue;
    }
    if (entry.payload === undefined) continue;
    // Over the event size a returned event is dropped silently (reference §3.5 [O]: measured as {id, payload}).
    const bytes = Buffer.byteLength(JSON.stringify({ id, payload: entry.payload }));
    if (bytes > deps.limits.appsyncEventBytes) {
      deps.trace.record('limit.hit', { limit: 'appsyncEventBytes', api, detail: `onPublish returned an event of ${bytes} bytes; dropped` });
      continue;
    }
    events.push({ id, event: JSON.stringify(entry.payload) });
  }
  return { kind: 'broadcast', events, failed };
}

type Answer = { value: unknown } | { error: msg.EventsErrorEntry; outcome: Outcome };

async function invokeWaiting(call: HandlerCall): Promise<Answer> {
  const outcome = await call.deps.lambda.invoke(call.config.function, call.event);
  if (outcome.kind === 'rejected') return { error: msg.handlerFailed(), outcome: 'invoke-rejected' };
  // A thrown UnauthorizedException rejects as AppSync's own authorization does (Powertools' documented use).
  if (outcome.kind === 'function-error') return { error: outcome.error.errorType === 'UnauthorizedException' ? msg.unauthorized() : msg.handlerFailed(), outcome: 'function-error' };
  try {
    return { value: JSON.parse(outcome.payload) as unknown };
  } catch {
    return { error: msg.handlerFailed(), outcome: 'invalid-response' };
  }
}

/** EVENT invoke type: nobody waits; the trace records how it ended. */
function invokeDetached(call: HandlerCall, handler: 'onPublish' | 'onSubscribe'): void {
  void call.deps.lambda.invoke(call.config.function, call.event).then((outcome: InvokeOutcome) => {
    record(call, handler, outcome.kind === 'success' ? 'success' : outcome.kind === 'rejected' ? 'invoke-rejected' : 'function-error');
  });
}

function finish<T>(call: HandlerCall, handler: 'onPublish' | 'onSubscribe', outcome: Outcome, result: T): T {
  record(call, handler, outcome);
  return result;
}

function record(call: HandlerCall, handler: 'onPublish' | 'onSubscribe', outcome: Outcome): void {
  const { config, event, connectionId } = call;
  call.deps.trace.record('appsync.events-handler', {
    api: call.api,
    handler,
    functionName: config.function,
    invokeType: config.invokeType,
    channel: event.info.channel.path,
    outcome,
    ...(connectionId ? { connectionId } : {}),
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
