import { relative } from 'node:path';
import type { Clock } from '../../../core/clock.ts';
import { splitUrl, type AnyHttpResponse, type HttpRequest } from '../../../core/http.ts';
import type { Trace } from '../../../core/trace.ts';
import { ValidationException } from '../errors.ts';
import { delay, timedIterable } from '../pacing.ts';
import { forwardedRequestHeaders } from './forward.ts';
import { loadBody } from './recording.ts';
import type { IndexedRecording, RecordingIndex } from './recording-index.ts';
import { bodyDifference, bodyValue, identify, requestKey, type BodyValue, type RequestIdentity } from './request-key.ts';
import { responseTrace } from './trace-fields.ts';

export interface ReplayDeps {
  dir: string;
  index: RecordingIndex;
  clock: Clock;
  trace: Trace;
}

/**
 * `replay`: answers from recordings, offline. Recorded real milliseconds become emulated ones, so
 * `timeScale` compresses a recorded stream like any mock reply and a ManualClock steps through it.
 */
export async function replay(request: HttpRequest, requestId: string, deps: ReplayDeps): Promise<AnyHttpResponse> {
  const { clock, index } = deps;
  const startedAt = clock.now();
  const { path } = splitUrl(request.rawUrl);
  const identity = identify(path);
  const body = bodyValue(request.body);
  const key = requestKey({ method: request.method, path, headers: forwardedRequestHeaders(request.rawHeaders), body });
  const found = (await index.find(key, false)) ?? (await index.find(key, true));
  if (!found) throw unmatched(identity, body, deps);

  const { response } = found.recording;
  // The recorded request id names an old AWS request; this one is ours.
  const headers = response.headers.filter(([name]) => name.toLowerCase() !== 'x-amzn-requestid');
  headers.push(['x-amzn-requestid', requestId]);
  const whole = response.body ? loadBody(response.body) : undefined;
  deps.trace.record('bedrock.response', responseTrace(requestId, identity, response.status, headers, whole));
  await delay(clock, startedAt + response.atMs - clock.now());
  if (whole) return { status: response.status, headers, body: whole };
  const chunks = (response.chunks ?? []).map((c) => ({ atMs: c.atMs, value: Buffer.from(c.base64, 'base64') }));
  return { status: response.status, headers, body: timedIterable(clock, startedAt, chunks) };
}

/**
 * 400 ValidationException, not 404 or 5xx: the SDK raises it typed (ResourceNotFoundException would
 * read as "no such model") and does not retry it, so the message below is seen once, straight away.
 */
function unmatched(identity: RequestIdentity, body: BodyValue, deps: ReplayDeps): ValidationException {
  const what = `${identity.operation} for ${identity.modelId || 'no model'}`;
  const closest = closestRecording(identity, body, deps.index.all());
  let hint = `The folder ${deps.dir} holds no recordings.`;
  if (closest) {
    const where = closest.sameModel ? 'same operation and model' : closest.sameOperation ? `same operation, model ${closest.entry.recording.modelId}` : `${closest.entry.recording.operation} for ${closest.entry.recording.modelId}`;
    const diff = closest.difference.first ? `; the request body differs first at ${closest.difference.first} (${closest.difference.count} difference${closest.difference.count === 1 ? '' : 's'})` : '; the bodies are equal, the path or x-amzn-bedrock-* headers differ';
    hint = `Closest recording: ${relative(deps.dir, closest.entry.file)} (${where}${diff}).`;
  }
  return new ValidationException(`Failed to replay ${what}: no recording in ${deps.dir} matches this request. ${hint} Record it by running once with bedrock.mode 'record', or edit the closest recording's request.`);
}

interface Candidate {
  entry: IndexedRecording;
  sameOperation: boolean;
  sameModel: boolean;
  difference: { count: number; first?: string };
}

/** Same operation and model first, then same operation, then the smallest body difference. */
function closestRecording(identity: RequestIdentity, body: BodyValue, entries: IndexedRecording[]): Candidate | undefined {
  let best: Candidate | undefined;
  const rank = (c: Candidate) => (c.sameModel ? 0 : c.sameOperation ? 1 : 2);
  for (const entry of entries) {
    const sameOperation = entry.recording.operation === identity.operation;
    const candidate: Candidate = { entry, sameOperation, sameModel: sameOperation && entry.recording.modelId === identity.modelId, difference: bodyDifference(body, entry.recording.request.body) };
    if (!best || rank(candidate) < rank(best) || (rank(candidate) === rank(best) && candidate.difference.count < best.difference.count)) best = candidate;
  }
  return best;
}
