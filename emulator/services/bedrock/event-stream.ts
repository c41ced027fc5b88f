import { EventStreamCodec } from '@smithy/eventstream-codec';

/**
 * `application/vnd.amazon.eventstream` framing (reference 4.6), by smithy's codec rather than by hand:
 * the same code the SDK decodes with, so prelude and message CRCs cannot drift.
 */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const toUtf8 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
const fromUtf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

export const eventStreamCodec = new EventStreamCodec(toUtf8, fromUtf8);

/** One `:message-type: event` frame whose `:event-type` is the union member the SDK yields. */
export function encodeEvent(eventType: string, payload: unknown): Buffer {
  return encodeFrame('event', ':event-type', eventType, payload);
}

/**
 * One `:message-type: exception` frame: `:exception-type` must be the lowerCamel union member
 * (`throttlingException`), or the SDK throws a plain Error instead of the typed class (4.6).
 */
export function encodeException(exceptionType: string, payload: unknown): Buffer {
  return encodeFrame('exception', ':exception-type', exceptionType, payload);
}

function encodeFrame(messageType: string, typeHeader: string, type: string, payload: unknown): Buffer {
  const bytes = eventStreamCodec.encode({
    headers: {
      [typeHeader]: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: messageType },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
