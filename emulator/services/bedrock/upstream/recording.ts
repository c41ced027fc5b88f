import type { BodyValue } from './request-key.ts';

/** Bump when the shape changes; replay refuses files of another format with a message saying so. */
export const RECORDING_FORMAT = 'genai-offline/bedrock-recording@1';

/** A response body stored so replay gives back its exact bytes, as readable as those bytes allow. */
export type StoredBody = { json: unknown } | { text: string } | { base64: string };

export interface RecordedChunk {
  /** Real ms after the request went upstream when these bytes arrived; replay serves them at this emulated ms. */
  atMs: number;
  base64: string;
}

/** One exchange with Bedrock, as written under `<recordings>/<Operation>/`. */
export interface Recording {
  format: typeof RECORDING_FORMAT;
  recordedAt: string;
  operation: string;
  modelId: string;
  request: {
    method: string;
    /** As sent, percent-encoding kept. */
    path: string;
    /** Only `content-type`, `accept` and `x-amzn-bedrock-*`; never auth, dates or signatures. */
    headers: Record<string, string>;
    body: BodyValue;
  };
  response: {
    status: number;
    headers: Array<[string, string]>;
    /** When the response was there: its head for a stream, its whole body otherwise. */
    atMs: number;
    /** Non-streaming responses. */
    body?: StoredBody;
    /** Event streams: the bytes exactly as they arrived, chunk by chunk. */
    chunks?: RecordedChunk[];
  };
}

/** JSON only when re-serialising gives the same bytes (Bedrock sends compact JSON); else text or base64. */
export function storeBody(bytes: Buffer): StoredBody {
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return { base64: bytes.toString('base64') };
  try {
    const json: unknown = JSON.parse(text);
    if (JSON.stringify(json) === text) return { json };
  } catch {
    // Not JSON: kept as text below.
  }
  return { text };
}

export function loadBody(body: StoredBody): Buffer {
  if ('json' in body) return Buffer.from(JSON.stringify(body.json), 'utf8');
  if ('text' in body) return Buffer.from(body.text, 'utf8');
  return Buffer.from(body.base64, 'base64');
}

// Names that can carry a credential or a signature, whatever the header. The forwarded sets are
// allowlists already; this is the second lock.
const SECRET_HEADER = /authorization|signature|credential|token|cookie|^x-amz-date$|^x-amz-content-sha256$|^x-amz-security-token$/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** Marks of a SigV4 signature: a recording containing one is never written. */
const SIGNATURE_MARKS = ['AWS4-HMAC-SHA256', 'Signature=', 'X-Amz-Credential', 'X-Amz-Signature'];

/** The first secret (or signature mark) found in `text`, described without repeating it. */
export function findSecret(text: string, secrets: readonly string[]): string | undefined {
  for (const mark of SIGNATURE_MARKS) if (text.includes(mark)) return `a SigV4 signature mark (${mark})`;
  for (const secret of secrets) if (secret.length >= 4 && text.includes(secret)) return 'a credential';
  return undefined;
}

/** Checks a parsed file enough that replay can trust it; the message says what is wrong. */
export function checkRecording(value: unknown): Recording | string {
  const r = value as Partial<Recording> | null;
  if (!r || typeof r !== 'object') return 'not a JSON object';
  if (r.format !== RECORDING_FORMAT) return `format is ${JSON.stringify(r.format)}, expected ${JSON.stringify(RECORDING_FORMAT)}`;
  if (!r.request || typeof r.request.method !== 'string' || typeof r.request.path !== 'string' || !r.request.body) return 'request.method, request.path or request.body is missing';
  if (!r.response || typeof r.response.status !== 'number' || !Array.isArray(r.response.headers)) return 'response.status or response.headers is missing';
  if (!r.response.body && !Array.isArray(r.response.chunks)) return 'the response has neither body nor chunks';
  return r as Recording;
}
