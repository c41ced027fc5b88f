import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLog } from '../../../../emulator/core/log.ts';
import { createRecorder } from '../../../../emulator/services/bedrock/upstream/recorder.ts';
import { createRecordingIndex } from '../../../../emulator/services/bedrock/upstream/recording-index.ts';
import type { Recording } from '../../../../emulator/services/bedrock/upstream/recording.ts';
import { bodyValue, recordingFile, requestKey } from '../../../../emulator/services/bedrock/upstream/request-key.ts';
import { readRecordings, tempDir } from './helpers.ts';

const identity = { operation: 'Converse', modelId: 'amazon.nova-lite-v1:0' };
const request = { method: 'POST', path: '/model/amazon.nova-lite-v1%3A0/converse', headers: { 'content-type': 'application/json' }, body: bodyValue(Buffer.from('{"messages":[]}')) };

describe('Bedrock upstream: the recorder', () => {
  it('bedrock record: concurrent writes of one request leave a complete JSON file at every instant', async () => {
    const dir = await tempDir();
    const log = memoryLog();
    const recorder = createRecorder(dir, log);
    const file = recordingFile(dir, identity, requestKey(request));
    let reads = 0;
    let writing = true;
    // Reads race the writes: each must see no file yet or a whole recording, never half of one.
    const reader = (async () => {
      while (writing) {
        const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
        if (text !== undefined) {
          expect((JSON.parse(text) as Recording).response.body).toHaveProperty('text');
          reads++;
        }
      }
    })();
    for (let i = 0; i < 20; i++) {
      const capture = recorder.begin(identity, request, () => []);
      capture.head(200, [['content-type', 'text/plain']]);
      capture.body(Buffer.from(`${String(i).padStart(2, '0')}:${'x'.repeat(200_000)}`));
    }
    await recorder.flush();
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    const files = await readRecordings(dir);
    expect(files.size).toBe(1);
    expect((JSON.parse(files.get('Converse/amazon.nova-lite-v1-0-' + requestKey(request).slice(0, 12) + '.json')!) as Recording).response.body).toHaveProperty('text');
    expect(log.lines.filter((l) => l.level !== 'info')).toEqual([]);
  });

  it('bedrock record: an exchange containing a credential is not written, and the log does not repeat it', async () => {
    const dir = await tempDir();
    const log = memoryLog();
    const recorder = createRecorder(dir, log);
    const capture = recorder.begin(identity, { ...request, body: bodyValue(Buffer.from('{"note":"my key is AKIDLEAKED123"}')) }, () => ['AKIDLEAKED123', 'secret']);
    capture.head(200, [['content-type', 'application/json'], ['x-amz-security-token', 'tok'], ['authorization', 'AWS4-HMAC-SHA256 x']]);
    capture.body(Buffer.from('{}'));
    await recorder.flush();
    expect((await readRecordings(dir)).size).toBe(0);
    expect(log.lines).toEqual([{ level: 'error', message: 'Failed to record Converse for amazon.nova-lite-v1:0: the exchange contains a credential. Nothing was written; remove it from the prompt or report this as a genai-offline bug.' }]);
  });

  it('bedrock record: secret-looking headers are scrubbed even when a caller hands them in', async () => {
    const dir = await tempDir();
    const recorder = createRecorder(dir, memoryLog());
    const capture = recorder.begin(identity, { ...request, headers: { 'content-type': 'application/json', 'x-amz-security-token': 'abc', 'x-amzn-bedrock-trace': 'ENABLED' } }, () => []);
    capture.head(200, [['content-type', 'application/json'], ['x-amz-security-token', 'abc'], ['set-cookie', 'a=b'], ['x-amzn-requestid', 'r1']]);
    capture.body(Buffer.from('{}'));
    await recorder.flush();
    const [text] = [...(await readRecordings(dir)).values()];
    const recording = JSON.parse(text!) as Recording;
    expect(recording.request.headers).toEqual({ 'content-type': 'application/json', 'x-amzn-bedrock-trace': 'ENABLED' });
    expect(recording.response.headers).toEqual([['content-type', 'application/json'], ['x-amzn-requestid', 'r1']]);
  });

  it('bedrock record: a throttled retry does not replace the successful recording of the same request', async () => {
    const dir = await tempDir();
    const log = memoryLog();
    const recorder = createRecorder(dir, log);
    const ok = recorder.begin(identity, request, () => []);
    ok.head(200, [['content-type', 'application/json']]);
    ok.body(Buffer.from('{"ok":true}'));
    await recorder.flush();
    const throttled = recorder.begin(identity, request, () => []);
    throttled.head(429, [['content-type', 'application/json'], ['x-amzn-errortype', 'ThrottlingException']]);
    throttled.body(Buffer.from('{"message":"Too many requests"}'));
    await recorder.flush();
    const [text] = [...(await readRecordings(dir)).values()];
    expect((JSON.parse(text!) as Recording).response).toMatchObject({ status: 200, body: { json: { ok: true } } });
    expect(log.lines.at(-1)!.level).toBe('warn');
  });

  it('bedrock replay: a broken file is skipped with one warning; temp files are never read', async () => {
    const dir = await tempDir();
    const log = memoryLog();
    await mkdir(join(dir, 'Converse'), { recursive: true });
    await writeFile(join(dir, 'Converse', 'broken.json'), '{"format":');
    await writeFile(join(dir, 'Converse', '.half.json.123.tmp.json'), '{');
    const index = createRecordingIndex(dir, log);
    expect(await index.find('nope', false)).toBeUndefined();
    expect(await index.find('nope', true)).toBeUndefined();
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]!.message).toMatch(/^Failed to load Bedrock recording .*broken\.json: .*\. Fix or delete the file; replay ignores it\.$/);
  });
});
