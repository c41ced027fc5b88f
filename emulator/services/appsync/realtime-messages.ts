/**
 * The messages of AppSync's real-time protocol (reference §2.3, §2.4), built as the exact JSON text
 * the server sends. Key order follows the reference's examples. Where the reference gives no message
 * text, the choice is named here (and in the README's fidelity table).
 */

/** One entry of `payload.errors`: `{errorType, message}`, plus `errorCode` on `connection_error`. */
export interface RealtimeErrorEntry {
  errorType?: string;
  message: string;
  errorCode?: number;
  [key: string]: unknown;
}

export const connectionAck = (connectionTimeoutMs: number): string => JSON.stringify({ type: 'connection_ack', payload: { connectionTimeoutMs } });
export const keepAlive = (): string => '{"type":"ka"}';
export const startAck = (id: string): string => JSON.stringify({ type: 'start_ack', id });
export const complete = (id: string): string => JSON.stringify({ type: 'complete', id });
export const dataMessage = (id: string, field: string, value: unknown): string => JSON.stringify({ type: 'data', id, payload: { data: { [field]: value } } });

/** `error`: for a subscription (`id`) or for the connection (no `id`); `errors` is always an array (§7 item 4). */
export function errorMessage(id: string | undefined, errors: RealtimeErrorEntry[]): string {
  return JSON.stringify(id === undefined ? { type: 'error', payload: { errors } } : { type: 'error', id, payload: { errors } });
}

export const connectionError = (errors: RealtimeErrorEntry[]): string => JSON.stringify({ type: 'connection_error', payload: { errors } });

/** The handshake's auth failed: AppSync's 401 (the HTTP message text, §1.4), which Amplify treats as non-retryable. */
export const unauthorizedConnection = (): RealtimeErrorEntry => ({ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 });

/** The `header` parameter or `header-` subprotocol is not base64 JSON. Our choice of text; 400 is non-retryable for Amplify. */
export const badHeader = (): RealtimeErrorEntry => ({ errorType: 'BadRequestException', message: 'Unable to parse the authorization header object.', errorCode: 400 });

/** A `start` whose `extensions.authorization` fails: the same 401 type and text, per subscription. */
export const unauthorizedStart = (): RealtimeErrorEntry => ({ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' });

/** §2.4 [O]: the id is already in use on this connection. Message text is our choice. */
export const duplicatedOperation = (id: string): RealtimeErrorEntry => ({ errorType: 'DuplicatedOperationError', message: `Duplicate subscription ID: ${id}` });

/** §2.4 [O]: the live text, as an array entry (the live shape had an object; §7 item 4 says default to arrays). */
export const maxSubscriptions = (max: number): RealtimeErrorEntry => ({ errorType: 'MaxSubscriptionsReachedError', message: `Max number of ${max} subscriptions reached` });

/** §2.4 [O]: `<operation> not supported through the realtime channel`; `unknown` when the message is not a known one. */
export const unsupportedOperation = (operation: string): RealtimeErrorEntry => ({ errorType: 'UnsupportedOperation', message: `${operation} not supported through the realtime channel` });

/** A client message over 240 KB: the documented limit's error type (§2.4 `LimitExceededError`), our text. */
export const messageTooLarge = (bytes: number, max: number): RealtimeErrorEntry => ({ errorType: 'LimitExceededError', message: `Message of ${bytes} bytes exceeds the ${max} bytes limit` });

/** A `start` without a usable `payload.data` (not a JSON string of `{query, variables?}`). Our text. */
export const badStartPayload = (): RealtimeErrorEntry => ({ errorType: 'BadRequestException', message: 'The start message needs payload.data, a JSON string of {"query", "variables"}.' });

/** A matching mutation whose `data` message would exceed 240 KB: not delivered; the subscriber learns why. Our text. */
export const payloadTooLarge = (bytes: number, max: number): RealtimeErrorEntry => ({ errorType: 'LimitExceededError', message: `Subscription payload of ${bytes} bytes exceeds the ${max} bytes limit` });
