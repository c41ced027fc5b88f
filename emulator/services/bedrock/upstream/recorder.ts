import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { realNow } from '../../../core/clock.ts';
import type { Log } from '../../../core/log.ts';
import { writeFileAtomic } from '../../../reporting/write-report.ts';
import { findSecret, isSecretHeader, RECORDING_FORMAT, storeBody, type RecordedChunk, type Recording } from './recording.ts';
import { recordingFile, requestKey, type RequestIdentity } from './request-key.ts';

type RecordedRequest = Recording['request'];

/** One exchange being captured: timings are real ms from `start`, since real Bedrock runs in real time. */
export interface Capture {
  head(status: number, headers: Array<[string, string]>): void;
  chunk(bytes: Buffer): void;
  /** A non-streaming body, complete. */
  body(bytes: Buffer): void;
  /** The stream ended normally: the exchange is whole and gets written. */
  end(): void;
}

export interface Recorder {
  begin(identity: RequestIdentity, request: RecordedRequest, secrets: () => string[]): Capture;
  /** Resolves when every exchange completed so far is on disk (tests, shutdown). */
  flush(): Promise<void>;
}

/**
 * Writes each exchange once it is complete. A stream the client abandoned or upstream cut is not
 * written: replaying a truncated stream would pass off a failure as Bedrock's normal answer.
 */
export function createRecorder(dir: string, log: Log): Recorder {
  const pending = new Set<Promise<void>>();
  return {
    begin(identity, request, secrets) {
      const start = realNow();
      const since = () => Math.round((realNow() - start) * 1000) / 1000;
      const recording: Recording = {
        format: RECORDING_FORMAT,
        recordedAt: new Date(realNow()).toISOString(),
        operation: identity.operation,
        modelId: identity.modelId,
        request: { ...request, headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => !isSecretHeader(name))) },
        response: { status: 0, headers: [], atMs: 0 },
      };
      const chunks: RecordedChunk[] = [];
      const complete = () => {
        const job = write(recording, dir, identity, secrets(), log).finally(() => pending.delete(job));
        pending.add(job);
      };
      return {
        head(status, headers) {
          recording.response = { status, headers: headers.filter(([name]) => !isSecretHeader(name)), atMs: since() };
        },
        chunk(bytes) {
          chunks.push({ atMs: since(), base64: bytes.toString('base64') });
        },
        body(bytes) {
          recording.response.atMs = since();
          recording.response.body = storeBody(bytes);
          complete();
        },
        end() {
          recording.response.chunks = chunks;
          complete();
        },
      };
    },
    async flush() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}

async function write(recording: Recording, dir: string, identity: RequestIdentity, secrets: string[], log: Log): Promise<void> {
  const file = recordingFile(dir, identity, requestKey(recording.request));
  const text = `${JSON.stringify(recording, null, 2)}\n`;
  const found = findSecret(text, secrets);
  const what = `${identity.operation} for ${identity.modelId || 'no model'}`;
  if (found) {
    log.error(`Failed to record ${what}: the exchange contains ${found}. Nothing was written; remove it from the prompt or report this as a genai-offline bug.`);
    return;
  }
  try {
    await mkdir(dirname(file), { recursive: true });
    if (recording.response.status >= 400 && (await successfulRecordingAt(file))) {
      log.warn(`Failed to record ${what}: Bedrock answered ${recording.response.status} and ${file} already holds a successful answer to the same request. Kept it; delete the file to record the error.`);
      return;
    }
    await writeFileAtomic(file, text);
    log.info(`Recorded ${what} (status ${recording.response.status}) to ${file}.`);
  } catch (error) {
    // writeFileAtomic's own message speaks of reports; its cause is the file system's reason.
    const cause = ((error as Error).cause as Error | undefined) ?? (error as Error);
    log.error(`Failed to record ${what} to ${file}: ${cause.message}. Check that the recordings folder is writable.`);
  }
}

/** A throttled retry in a recording session must not replace the answer recorded before it. */
async function successfulRecordingAt(file: string): Promise<boolean> {
  try {
    const existing = JSON.parse(await readFile(file, 'utf8')) as Partial<Recording>;
    return typeof existing.response?.status === 'number' && existing.response.status < 400;
  } catch {
    return false;
  }
}
