import { EVENT_STREAM_CONTENT_TYPE, eventStreamCodec } from '../bedrock/event-stream.ts';

/**
 * InvokeWithResponseStream's frames (reference §6.4), by smithy's codec, the one the SDK decodes with.
 * `PayloadChunk`'s member is the event payload (a blob), so the frame body is the handler's bytes as
 * written; `InvokeComplete` is a JSON structure.
 */
export { EVENT_STREAM_CONTENT_TYPE };

export interface InvokeComplete {
  ErrorCode?: string;
  ErrorDetails?: string;
  LogResult?: string;
}

export function payloadChunkFrame(payload: Uint8Array): Buffer {
  return frame('PayloadChunk', 'application/octet-stream', payload);
}

/**
 * Members that are unset are left out: a successful stream ends with `{}` (or only `LogResult`), as
 * clients that index `ErrorCode` blindly found on AWS (aws/aws-sdk-php#2787).
 */
export function invokeCompleteFrame(complete: InvokeComplete): Buffer {
  return frame('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(complete), 'utf8'));
}

function frame(eventType: string, contentType: string, body: Uint8Array): Buffer {
  const bytes = eventStreamCodec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: contentType },
      ':message-type': { type: 'string', value: 'event' },
    },
    body,
  });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
