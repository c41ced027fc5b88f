/**
 * The messages of the Events WebSocket protocol (reference §3.3), as the exact JSON text the server
 * sends. Unlike GraphQL real-time, `errors` and `connectionTimeoutMs` are top-level (§7 item 7). Key
 * order follows the reference's examples (`publish_*` put `id` first). Where the reference gives no
 * error type or text, the choice is named here and in the README's "AppSync Events" table.
 */

export interface EventsErrorEntry {
  errorType: string;
  message: string;
}

/** One event's outcome in a publish answer: AWS's `{identifier, index}`; a failed one adds `code` and `message` (ours). */
export interface PublishedEvent {
  identifier: string;
  index: number;
  code?: number;
  message?: string;
}

export interface PublishResult {
  successful: PublishedEvent[];
  failed: PublishedEvent[];
}

export const connectionAck = (connectionTimeoutMs: number): string => JSON.stringify({ type: 'connection_ack', connectionTimeoutMs });
export const keepAlive = (): string => '{"type":"ka"}';
export const connectionError = (errors: EventsErrorEntry[]): string => JSON.stringify({ type: 'connection_error', errors });
export const subscribeSuccess = (id: string): string => JSON.stringify({ type: 'subscribe_success', id });
export const unsubscribeSuccess = (id: string): string => JSON.stringify({ type: 'unsubscribe_success', id });
export const publishSuccess = (id: string, result: PublishResult): string => JSON.stringify({ id, type: 'publish_success', successful: result.successful, failed: result.failed });
/** One `data` message per event; `event` is the published JSON string, verbatim (§7 item 6). */
export const dataMessage = (id: string, event: string): string => JSON.stringify({ type: 'data', id, event });

/** `<kind>_error` for an operation with an id; a plain `error` when the message has none to answer to. */
export function operationError(kind: 'subscribe' | 'unsubscribe' | 'publish' | undefined, id: string | undefined, errors: EventsErrorEntry[]): string {
  const type = kind === undefined ? 'error' : `${kind}_error`;
  if (id === undefined) return JSON.stringify({ type, errors });
  return JSON.stringify(kind === 'publish' ? { id, type, errors } : { type, id, errors });
}

/** The same 401 type and text as POST /graphql (reference §1.4). */
export const unauthorized = (): EventsErrorEntry => ({ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' });

/** The handshake's header object is not base64 JSON. Our text. */
export const badHeader = (): EventsErrorEntry => ({ errorType: 'BadRequestException', message: 'Unable to parse the authorization header object.' });

/** §3.3's documented unsubscribe_error. */
export const unknownOperation = (id: string): EventsErrorEntry => ({ errorType: 'UnknownOperationError', message: `Unknown operation id ${id}` });

/** Not JSON, not an object, or a type the protocol does not know. Type as GraphQL real-time's (§2.4 [O]); text ours. */
export const unsupportedOperation = (type: string): EventsErrorEntry => ({ errorType: 'UnsupportedOperation', message: `${type} not supported through the realtime channel` });

/** A missing or malformed `id` (`^[a-zA-Z0-9-_+]{1,128}$`). Our text. */
export const invalidId = (): EventsErrorEntry => ({ errorType: 'BadRequestException', message: 'The id must be 1-128 characters of letters, digits, "-", "_" and "+".' });

/** A subscription id already in use on this connection: GraphQL real-time's type (§2.4 [O]), our text. */
export const duplicatedOperation = (id: string): EventsErrorEntry => ({ errorType: 'DuplicatedOperationError', message: `Duplicate subscription ID: ${id}` });

/** A channel that breaks §3.3's pattern (or a wildcard in a publish). Our text. */
export const invalidChannel = (): EventsErrorEntry => ({ errorType: 'BadRequestException', message: 'Invalid channel: 1-5 segments of 1-50 letters, digits and "-", a trailing "/*" for subscriptions only.' });

/** A channel whose first segment names no namespace of this API (§3.4). Our text. */
export const namespaceNotFound = (namespace: string): EventsErrorEntry => ({ errorType: 'NotFoundException', message: `Namespace not found: ${namespace}` });

/** `events` missing, empty, or not a list. Our text. */
export const invalidEvents = (): EventsErrorEntry => ({ errorType: 'BadRequestException', message: 'The events must be a non-empty list of JSON strings.' });

/** More events than a publish may carry (§3.5). Our text. */
export const tooManyEvents = (count: number, max: number): EventsErrorEntry => ({ errorType: 'BadRequestException', message: `A publish carries at most ${max} events; this one has ${count}.` });

export const maxSubscriptions = (max: number): EventsErrorEntry => ({ errorType: 'MaxSubscriptionsReachedError', message: `Max number of ${max} subscriptions reached` });

/** A client message over `appsyncEventsMessageBytes`. Our text. */
export const messageTooLarge = (bytes: number, max: number): EventsErrorEntry => ({ errorType: 'LimitExceededError', message: `Message of ${bytes} bytes exceeds the ${max} bytes limit` });

/**
 * A namespace handler's Lambda returned `{error}` (publish: the whole publish; subscribe: the
 * subscription). The type is the one AppSync was seen giving a failed handler (Powertools issue
 * 3884); carrying the returned text is our choice, as AWS documents no reply for it.
 */
export const handlerError = (message: string): EventsErrorEntry => ({ errorType: 'HandlerExecutionError', message });

/** A handler's Lambda threw, was refused, or answered in a shape AppSync cannot use: AppSync's observed reply (Powertools issue 3884). */
export const handlerFailed = (): EventsErrorEntry => ({ errorType: 'HandlerExecutionError', message: 'Unable to process request' });
